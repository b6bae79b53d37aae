// Pure helpers of the workspace: transcript pieces, highlight segments, word snapping, the
// codebook tree, recent-code slots. No DOM, no network. Offsets are code points.

export const GROUPS = {
  process: { label: "Processes", color: "#1F4E79" },
  outcome: { label: "Outcomes", color: "#AD1457" },
  competency: { label: "Clinician competencies", color: "#B84A00" },
  other: { label: "Other", color: "#5F6B7A" },
};

const HEX = /^#[0-9a-fA-F]{6}$/;

/** A code's colour if it is a plain #RRGGBB value, else grey (never raw text into CSS). */
export function safeColor(color) {
  return HEX.test(color || "") ? color : "#808080";
}

export function rgba(hex, alpha) {
  const value = safeColor(hex);
  const r = parseInt(value.slice(1, 3), 16);
  const g = parseInt(value.slice(3, 5), 16);
  const b = parseInt(value.slice(5, 7), 16);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

const SPACE = /\s/;

/** [start, end) without leading and trailing white space (null if nothing is left). */
export function trimSpan(index, start, end) {
  const units = index.slice(start, end);
  let head = 0;
  while (head < units.length && SPACE.test(units[head])) head++;
  if (head === units.length) return null;
  let tail = units.length;
  while (tail > head && SPACE.test(units[tail - 1])) tail--;
  // White space is never astral: unit counts equal code point counts here.
  return { start: start + head, end: end - (units.length - tail) };
}

/**
 * The speaker label between two turns: the gap without its leading white space and without
 * trailing line breaks, but with the spaces after the colon, so that selected text reads as the
 * stored text does ("Maria: Café").
 */
export function labelSpan(index, start, end) {
  const trimmed = trimSpan(index, start, end);
  if (!trimmed) return null;
  const after = index.slice(trimmed.end, end);
  const spaces = after.match(/^[ \t]*/)[0].length;
  return { start: trimmed.start, end: trimmed.end + spaces };
}

/**
 * The drawn pieces of a transcript, in text order: for each turn, its speaker label (the text
 * between the previous turn and this one, trimmed) and what was said. Text outside every turn
 * that is not white space is drawn too, so every character of the interview can be coded.
 */
export function buildPieces(index, turns) {
  const pieces = [];
  if (!turns.length) {
    const all = trimSpan(index, 0, index.length);
    if (all) pieces.push({ kind: "said", start: all.start, end: all.end, turn: null });
    return pieces;
  }
  let previousEnd = 0;
  for (const turn of turns) {
    const [number, , , start, end] = turn;
    const gap = start > previousEnd ? labelSpan(index, previousEnd, start) : null;
    if (gap) pieces.push({ kind: "label", start: gap.start, end: gap.end, turn: number });
    pieces.push({ kind: "said", start, end, turn: number });
    previousEnd = end;
  }
  const tail = trimSpan(index, previousEnd, index.length);
  if (tail) {
    pieces.push({ kind: "label", start: tail.start, end: tail.end, turn: turns.at(-1)[0] });
  }
  return pieces;
}

/** The index of the last piece starting at or before cp (or -1). */
export function pieceAt(pieces, cp) {
  let lo = 0;
  let hi = pieces.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (pieces[mid].start <= cp) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * A selected span kept off speaker labels: a start inside a label moves forward to the turn's
 * text, an end inside a label moves back to the end of the turn before, so a selection or span
 * edit that runs into the next turn never takes its label in. Null when nothing is left.
 */
export function clampToSaid(pieces, span) {
  if (!span || !pieces.length) return span;
  let { start, end } = span;
  const first = pieceAt(pieces, start);
  if (first >= 0 && pieces[first].kind === "label" && start < pieces[first].end) {
    const next = pieces.slice(first + 1).find((piece) => piece.kind === "said");
    if (next) start = Math.max(start, next.start);
  }
  const last = pieceAt(pieces, end - 1);
  if (last >= 0 && pieces[last].kind === "label" && end - 1 < pieces[last].end) {
    const previous = pieces.slice(0, last).findLast((piece) => piece.kind === "said");
    if (previous) end = Math.min(end, previous.end);
  }
  return end > start ? { start, end } : null;
}

/** Indices of the pieces that overlap [start, end). */
export function piecesOverlapping(pieces, start, end) {
  const found = [];
  let i = Math.max(0, pieceAt(pieces, start));
  for (; i < pieces.length && pieces[i].start < end; i++) {
    if (pieces[i].end > start) found.push(i);
  }
  return found;
}

/**
 * A piece cut into segments at every boundary of the codings and marks over it. Each segment
 * lists the codings and marks that cover it whole.
 */
export function segmentPiece(piece, codings, marks = []) {
  const cuts = new Set([piece.start, piece.end]);
  const over = [];
  for (const item of [...codings, ...marks]) {
    if (item.start < piece.end && item.end > piece.start) {
      over.push(item);
      if (item.start > piece.start) cuts.add(item.start);
      if (item.end < piece.end) cuts.add(item.end);
    }
  }
  const points = Array.from(cuts).sort((a, b) => a - b);
  const segments = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i];
    const end = points[i + 1];
    const covering = over.filter((item) => item.start <= start && item.end >= end);
    segments.push({
      start,
      end,
      codings: covering.filter((item) => item.id !== undefined),
      marks: covering.filter((item) => item.id === undefined),
    });
  }
  return segments;
}

const WORD = /[\p{L}\p{M}\p{N}_]/u;
const JOINER = /['’\-]/u;

function charAt(text, unit) {
  const cp = text.codePointAt(unit);
  return cp === undefined ? "" : String.fromCodePoint(cp);
}

function charBefore(text, unit) {
  if (unit <= 0) return "";
  const low = text.charCodeAt(unit - 1);
  if (low >= 0xdc00 && low <= 0xdfff && unit >= 2) return text.slice(unit - 2, unit);
  return text[unit - 1];
}

function isWordAt(text, unit) {
  const ch = charAt(text, unit);
  if (WORD.test(ch)) return true;
  // An apostrophe or hyphen inside a word ("don't", "well-being") belongs to it.
  return JOINER.test(ch) && WORD.test(charBefore(text, unit)) && WORD.test(charAt(text, unit + 1));
}

function isWordBefore(text, unit) {
  const before = charBefore(text, unit);
  return before !== "" && isWordAt(text, unit - before.length);
}

/**
 * Expand [start, end) to whole words and trim white space at its ends. Characters that are not
 * part of words (emoji, punctuation) are left as selected.
 */
export function snapToWords(index, span) {
  const text = index.text;
  let from = index.toUtf16(span.start);
  let to = index.toUtf16(span.end);
  while (from < to && SPACE.test(text[from])) from++;
  while (to > from && SPACE.test(text[to - 1])) to--;
  if (from >= to) return null;
  while (from > 0 && isWordAt(text, from) && isWordBefore(text, from)) {
    from -= charBefore(text, from).length;
  }
  while (to < text.length && isWordBefore(text, to) && isWordAt(text, to)) {
    to += charAt(text, to).length;
  }
  return { start: index.toCp(from), end: index.toCp(to) };
}

/**
 * The codebook as a tree in display order: [{code, depth, children}], grouped by code group.
 * Codes whose parent is missing are shown at the top level.
 */
export function codebookTree(codes) {
  const byId = new Map(codes.map((code) => [code.id, { code, children: [] }]));
  const roots = [];
  for (const node of byId.values()) {
    const parent = node.code.parent !== null ? byId.get(node.code.parent) : null;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const groups = new Map(Object.keys(GROUPS).map((group) => [group, []]));
  for (const root of roots) {
    const group = groups.has(root.code.group) ? root.code.group : "other";
    groups.get(group).push(root);
  }
  return groups;
}

/** Each code's path of keys from its top-level ancestor ("VAL › VAL.PRES › VAL.PRES.ATT"). */
export function codePaths(codes) {
  const byId = new Map(codes.map((code) => [code.id, code]));
  const paths = new Map();
  for (const code of codes) {
    const parts = [code.key];
    const seen = new Set([code.id]);
    let parent = byId.get(code.parent);
    while (parent && !seen.has(parent.id)) {
      parts.unshift(parent.key);
      seen.add(parent.id);
      parent = byId.get(parent.parent);
    }
    paths.set(code.id, parts);
  }
  return paths;
}

/** Codes matching a filter typed in the picker: every word must appear in the key or name. */
export function filterCodes(codes, query) {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return codes;
  return codes.filter((code) => {
    const haystack = fold(`${code.key} ${code.name}`);
    return words.every((word) => haystack.includes(word));
  });
}

function fold(text) {
  return (text || "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * Nine numbered slots for recently used codes. A code keeps its number while it stays in the
 * slots, so number keys do not move under the coder's fingers; a new code takes an empty slot or
 * the least recently used one.
 */
export class RecentSlots {
  constructor(storage, key, size = 9) {
    this.storage = storage;
    this.key = key;
    this.size = size;
    this.slots = new Array(size).fill(null);
    this.used = new Array(size).fill(0);
    try {
      const saved = JSON.parse(storage.getItem(key) || "null");
      if (saved && Array.isArray(saved.slots)) {
        saved.slots.slice(0, size).forEach((id, i) => {
          this.slots[i] = Number.isInteger(id) ? id : null;
          this.used[i] = Number(saved.used && saved.used[i]) || 0;
        });
      }
    } catch {
      // A corrupt or unavailable store starts empty.
    }
  }

  touch(codeId, now = Date.now()) {
    let slot = this.slots.indexOf(codeId);
    if (slot < 0) slot = this.slots.indexOf(null);
    if (slot < 0) slot = this.used.indexOf(Math.min(...this.used));
    this.slots[slot] = codeId;
    this.used[slot] = now;
    try {
      this.storage.setItem(this.key, JSON.stringify({ slots: this.slots, used: this.used }));
    } catch {
      // Private browsing or a full store: the slots last for this page only.
    }
  }

  /** [{number, codeId}] for filled slots whose code is still usable. */
  entries(isUsable = () => true) {
    return this.slots
      .map((codeId, i) => ({ number: i + 1, codeId }))
      .filter((entry) => entry.codeId !== null && isUsable(entry.codeId));
  }

  codeFor(number) {
    return this.slots[number - 1] ?? null;
  }
}

/** Milliseconds as h:mm:ss (or m:ss under an hour), as the transcript page shows them. */
export function clock(milliseconds) {
  if (milliseconds === null || milliseconds === undefined) return "";
  const seconds = Math.floor(milliseconds / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

/** Shorten a quote for a one-line preview. */
export function preview(text, limit = 140) {
  const chars = Array.from(text.replace(/\s+/g, " ").trim());
  return chars.length > limit ? `${chars.slice(0, limit - 1).join("")}…` : chars.join("");
}
