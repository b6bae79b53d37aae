// Draws the transcript (turns, speaker labels, highlights) and the coding stripes beside it.
// Every piece of interview text goes into the DOM as a text node (textContent), never as HTML.

import { mappedElements, offsetToPoint, spanToRange } from "../offsets.js";
import {
  buildPieces,
  clock,
  piecesOverlapping,
  preview,
  rgba,
  safeColor,
  segmentPiece,
} from "./model.js";

const MAX_TINTS = 3;
const MAX_BANDS = 3;
const LANE_WIDTH = 4;
const COLUMN_GAP = 6;
const MIN_LANE_WIDTH = 2;
const MIN_COLUMN_GAP = 2;
const ROLE_NAMES = {
  interviewer: "Interviewer",
  patient: "Patient",
  clinician: "Clinician",
  other: "Other",
};

/** Whether a turn's role says more than its speaker label: "Dr. Lee" (clinician) yes,
 * "Interviewer:" (interviewer) no; a turn without a label shows its role. */
export function roleAddsInformation(speaker, roleName) {
  const label = (speaker || "").trim().replace(/[:：]\s*$/, "").trim().toLowerCase();
  return !label || label !== roleName.toLowerCase();
}

export class Transcript {
  /**
   * root: the element that holds the text; margin: the element that holds the stripes.
   * describe(coding) → {code, coderName}: what a stripe says about a coding.
   */
  constructor({ root, margin, index, turns, codes, describe }) {
    this.root = root;
    this.margin = margin;
    this.index = index;
    this.turns = turns;
    this.codes = codes; // Map id → code row
    this.describe = describe;
    this.pieces = buildPieces(index, turns);
    this.pieceElements = [];
    this.turnElements = new Map();
    // One CSS rule per combination of codes (not an inline style per segment: cheaper to
    // create and to restyle), in a stylesheet of the page's own.
    this.styles = new Map();
    this.sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, this.sheet];
    this.codings = [];
    this.marks = [];
    this.stripes = new Map();
    this.stripeState = new Map(); // coding id → {style, label} last written
    this.elements = null; // mapped elements in text order, rebuilt lazily after a render
  }

  // --- text ----------------------------------------------------------------------------------

  /** Draw every turn and piece, with the given codings and marks. */
  render(codings, marks = []) {
    this.codings = codings;
    this.marks = marks;
    const fragment = document.createDocumentFragment();
    this.pieceElements = [];
    this.turnElements = new Map();
    const turnsByNumber = new Map(this.turns.map((turn) => [turn[0], turn]));
    let turnElement = null;
    let currentTurn;
    const buckets = this.bucket(codings, marks);
    this.pieces.forEach((piece, i) => {
      if (!turnElement || piece.turn !== currentTurn) {
        currentTurn = piece.turn;
        turnElement = this.turnElement(turnsByNumber.get(piece.turn), piece.turn);
        fragment.append(turnElement);
      }
      const element = document.createElement("span");
      element.className = piece.kind === "said" ? "ws-said" : "ws-label";
      if (piece.kind === "label" && !/\s$/.test(this.index.slice(piece.end - 1, piece.end))) {
        element.classList.add("is-tight");
      }
      element.dataset.piece = String(i);
      this.fillPiece(element, piece, buckets[i]);
      turnElement.append(element);
      this.pieceElements.push(element);
    });
    this.root.replaceChildren(fragment);
    // One turn is reachable with Tab (a roving tabindex); arrow keys move between turns.
    const first = this.root.querySelector(".ws-turn");
    if (first) first.tabIndex = 0;
    this.elements = null;
  }

  turnElement(turn, number) {
    const element = document.createElement("div");
    element.className = "ws-turn";
    element.tabIndex = -1;
    element.setAttribute("role", "group");
    if (turn) {
      const [, speaker, role, , , timestamp] = turn;
      const roleName = ROLE_NAMES[role] || "Other";
      element.id = `turn-${number}`;
      element.dataset.turn = String(number);
      element.classList.add(`role-${ROLE_NAMES[role] ? role : "other"}`);
      // The label is drawn as found ("Dr. Lee:"); the role is a tag only when it says more
      // than the label does (not "INTERVIEWER Interviewer:").
      const tagged = roleAddsInformation(speaker, roleName);
      element.dataset.role = tagged ? roleName : "";
      element.dataset.time = clock(timestamp);
      const who = speaker ? (tagged ? `${speaker}, ${roleName.toLowerCase()}` : speaker) : roleName;
      element.setAttribute(
        "aria-label",
        `Turn ${number + 1}: ${who}${timestamp !== null ? `, at ${clock(timestamp)}` : ""}`,
      );
      this.turnElements.set(number, element);
    } else {
      element.dataset.turn = "0";
      element.setAttribute("aria-label", "Text");
      this.turnElements.set(0, element);
    }
    return element;
  }

  bucket(codings, marks) {
    const buckets = this.pieces.map(() => ({ codings: [], marks: [] }));
    for (const coding of codings) {
      for (const i of piecesOverlapping(this.pieces, coding.start, coding.end)) {
        buckets[i].codings.push(coding);
      }
    }
    for (const mark of marks) {
      for (const i of piecesOverlapping(this.pieces, mark.start, mark.end)) {
        buckets[i].marks.push(mark);
      }
    }
    return buckets;
  }

  fillPiece(element, piece, bucket) {
    const children = [];
    for (const segment of segmentPiece(piece, bucket.codings, bucket.marks)) {
      const coded = segment.codings.length > 0;
      const child = document.createElement(coded ? "mark" : "span");
      child.dataset.s = String(segment.start);
      child.textContent = this.index.slice(segment.start, segment.end);
      if (coded) child.className = `hl ${this.styleFor(segment.codings)}`;
      for (const mark of segment.marks) {
        child.classList.add(`mk-${mark.kind}`);
        if (mark.color) child.style.setProperty("--mark-color", safeColor(mark.color));
      }
      children.push(child);
    }
    element.replaceChildren(...children);
  }

  /**
   * The class of a segment covered by these codings: tints of up to three codes layered (so
   * overlaps show as a mixed colour) and a colour band per code under the text.
   */
  styleFor(codings) {
    const codeIds = [...new Set(codings.map((coding) => coding.code))].sort(
      (a, b) => this.codeOrder(a) - this.codeOrder(b),
    );
    const key = codeIds.join(",");
    let name = this.styles.get(key);
    if (name === undefined) {
      name = `hl-${this.styles.size}`;
      const colors = codeIds.map((id) => safeColor(this.codes.get(id)?.color));
      const tints = colors
        .slice(0, MAX_TINTS)
        .map((color) => `linear-gradient(${rgba(color, 0.2)}, ${rgba(color, 0.2)})`);
      const bands = colors
        .slice(0, MAX_BANDS)
        .map((color, i) => `inset 0 -${2 * (i + 1)}px 0 ${color}`);
      this.sheet.insertRule(
        `#transcript mark.${name} { background-image: ${tints.join(", ")}; ` +
          `box-shadow: ${bands.join(", ")}; }`,
        this.sheet.cssRules.length,
      );
      this.styles.set(key, name);
    }
    return name;
  }

  /** Forget this transcript's styles (a new layer is drawn by a new Transcript). */
  dispose() {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((sheet) => sheet !== this.sheet);
  }

  codeOrder(codeId) {
    const code = this.codes.get(codeId);
    return code ? code.order * 100000 + code.id : Number.MAX_SAFE_INTEGER;
  }

  /** Redraw only the pieces that overlap any of the spans (after codings or marks changed). */
  update(spans, codings = this.codings, marks = this.marks) {
    this.codings = codings;
    this.marks = marks;
    const touched = new Set();
    for (const span of spans) {
      for (const i of piecesOverlapping(this.pieces, span.start, span.end)) touched.add(i);
    }
    if (!touched.size) return;
    for (const i of touched) {
      const piece = this.pieces[i];
      const bucket = { codings: [], marks: [] };
      for (const coding of codings) {
        if (coding.start < piece.end && coding.end > piece.start) bucket.codings.push(coding);
      }
      for (const mark of marks) {
        if (mark.start < piece.end && mark.end > piece.start) bucket.marks.push(mark);
      }
      this.fillPiece(this.pieceElements[i], piece, bucket);
    }
    this.elements = null;
  }

  mapped() {
    if (!this.elements) this.elements = mappedElements(this.root);
    return this.elements;
  }

  rangeFor(start, end) {
    return spanToRange(this.root, start, end, this.mapped());
  }

  /** The turn number a code point offset falls in (or the nearest turn before it). */
  turnAt(cp) {
    let found = this.turns.length ? this.turns[0][0] : 0;
    for (const turn of this.turns) {
      if (turn[3] <= cp) found = turn[0];
      else break;
    }
    return found;
  }

  turnSpan(number) {
    const turn = this.turns.find((row) => row[0] === number);
    if (turn) return { start: turn[3], end: turn[4] };
    const all = this.pieces.find((piece) => piece.kind === "said");
    return all ? { start: all.start, end: all.end } : null;
  }

  // --- stripes -------------------------------------------------------------------------------

  /**
   * Lay out one stripe per coding beside the text: one column per code (in codebook order), and
   * within a column, lanes for stripes that overlap. Reads layout once, then writes.
   */
  layoutStripes(codings = this.codings, selectedId = null) {
    const elements = this.mapped();
    const originTop = this.margin.getBoundingClientRect().top;
    const extents = [];
    for (const coding of codings) {
      const from = offsetToPoint(elements, coding.start, "start");
      const to = offsetToPoint(elements, coding.end, "end");
      if (!from || !to) continue;
      const first = from.node.parentElement.getClientRects();
      const last = to.node.parentElement.getClientRects();
      if (!first.length || !last.length) continue;
      const top = first[0].top - originTop;
      const bottom = last[last.length - 1].bottom - originTop;
      extents.push({ coding, top, bottom: Math.max(bottom, top + 6) });
    }
    // Columns per code, lanes within a column.
    const byCode = new Map();
    for (const extent of extents) {
      if (!byCode.has(extent.coding.code)) byCode.set(extent.coding.code, []);
      byCode.get(extent.coding.code).push(extent);
    }
    const codeIds = [...byCode.keys()].sort((a, b) => this.codeOrder(a) - this.codeOrder(b));
    const laneCounts = new Map();
    for (const codeId of codeIds) {
      const list = byCode.get(codeId).sort((a, b) => a.top - b.top || a.bottom - b.bottom);
      const laneEnds = [];
      for (const extent of list) {
        let lane = laneEnds.findIndex((end) => end <= extent.top + 1);
        if (lane < 0) {
          lane = laneEnds.length;
          laneEnds.push(0);
        }
        laneEnds[lane] = extent.bottom + 2;
        extent.lane = lane;
      }
      laneCounts.set(codeId, Math.max(1, laneEnds.length));
    }
    // The margin has a fixed width (so the text never reflows because of its stripes); when
    // the columns need more, lanes and gaps narrow to fit.
    const available = Math.max(24, this.margin.clientWidth - 4);
    const lanes = [...laneCounts.values()].reduce((sum, count) => sum + count, 0);
    const ideal = lanes * LANE_WIDTH + codeIds.length * COLUMN_GAP;
    const scale = ideal > available ? available / ideal : 1;
    const laneWidth = Math.max(MIN_LANE_WIDTH, LANE_WIDTH * scale);
    const gap = Math.max(MIN_COLUMN_GAP, COLUMN_GAP * scale);
    this.margin.classList.toggle("is-dense", scale < 1);
    const columns = [];
    let x = 0;
    for (const codeId of codeIds) {
      const width = laneCounts.get(codeId) * laneWidth;
      for (const extent of byCode.get(codeId)) {
        extent.left = Math.round((x + extent.lane * laneWidth) * 10) / 10;
        extent.width = laneWidth;
      }
      columns.push({ codeId, left: Math.round(x * 10) / 10, width });
      x += width + gap;
    }
    this.drawStripes(extents, columns, selectedId);
    return { columns, count: extents.length };
  }

  drawStripes(extents, columns, selectedId) {
    // Only what changed is written: rewriting 2,000 stripes costs a style pass each time.
    const head = this.margin.querySelector(".ws-margin-head") || this.marginHead();
    const area = this.margin.querySelector(".ws-stripes") || this.stripeArea();
    const headKey = columns.map((column) => `${column.codeId}@${column.left}`).join(" ");
    if (this.headKey !== headKey) {
      this.headKey = headKey;
      head.replaceChildren(...columns.map((column, i) => this.columnLabel(column, i === 0)));
    }
    const keep = new Set();
    for (const extent of extents) {
      const { coding } = extent;
      keep.add(coding.id);
      let stripe = this.stripes.get(coding.id);
      if (!stripe) {
        stripe = document.createElement("button");
        stripe.type = "button";
        stripe.className = "stripe";
        stripe.tabIndex = -1;
        stripe.dataset.coding = String(coding.id);
        this.stripes.set(coding.id, stripe);
      }
      const { code, coderName } = this.describe(coding);
      const color = safeColor(code?.color);
      const style =
        `top: ${extent.top.toFixed(1)}px; height: ${(extent.bottom - extent.top).toFixed(1)}px; ` +
        `left: ${extent.left}px; width: ${Math.max(2, extent.width - 1)}px; --code-color: ${color}`;
      let written = this.stripeState.get(coding.id);
      if (!written) {
        written = { style: "", label: "" };
        this.stripeState.set(coding.id, written);
      }
      if (written.style !== style) {
        stripe.style.cssText = style;
        written.style = style;
      }
      const layer = coding.layer === "consensus" ? "consensus" : coderName;
      const labelKey = `${coding.code}|${coding.start}|${coding.end}|${layer}`;
      if (written.label !== labelKey) {
        const quote = preview(this.index.slice(coding.start, coding.end), 80);
        stripe.setAttribute(
          "aria-label",
          `${code ? `${code.key} ${code.name}` : "Unknown code"}, ${layer}: “${quote}”`,
        );
        written.label = labelKey;
      }
      if (stripe.classList.contains("is-selected") !== (coding.id === selectedId)) {
        stripe.classList.toggle("is-selected", coding.id === selectedId);
      }
      if (stripe.classList.contains("is-consensus") !== (coding.layer === "consensus")) {
        stripe.classList.toggle("is-consensus", coding.layer === "consensus");
      }
    }
    for (const [id, stripe] of this.stripes) {
      if (!keep.has(id)) {
        stripe.remove();
        this.stripes.delete(id);
        this.stripeState.delete(id);
      }
    }
    // Keep the stripes in text order (for arrow keys and screen readers), moving only those
    // out of place.
    const ordered = extents
      .slice()
      .sort(
        (a, b) =>
          a.coding.start - b.coding.start || a.coding.end - b.coding.end || a.coding.id - b.coding.id,
      )
      .map((extent) => this.stripes.get(extent.coding.id));
    if (!area.firstChild) {
      area.append(...ordered);
    } else {
      let cursor = area.firstChild;
      for (const stripe of ordered) {
        if (cursor === stripe) cursor = cursor.nextSibling;
        else area.insertBefore(stripe, cursor);
      }
    }
    const focusable =
      (selectedId !== null && this.stripes.get(selectedId)) || ordered[0] || null;
    for (const stripe of area.querySelectorAll('.stripe[tabindex="0"]')) {
      if (stripe !== focusable) stripe.tabIndex = -1;
    }
    if (focusable && focusable.tabIndex !== 0) focusable.tabIndex = 0;
  }

  columnLabel(column, first) {
    const code = this.codes.get(column.codeId);
    const label = document.createElement("span");
    label.className = "ws-col";
    label.style.left = `${column.left}px`;
    label.style.setProperty("--code-color", safeColor(code?.color));
    label.textContent = code ? code.key : "?";
    // The key is cut short in a narrow column: the full name shows on hover (title) and on
    // keyboard focus (the tooltip), and is the header's accessible name.
    const name = code ? `${code.key} ${code.name}` : "Unknown code";
    label.title = name;
    label.dataset.code = String(column.codeId);
    label.setAttribute("role", "img");
    label.setAttribute("aria-label", `Column of ${name}`);
    label.tabIndex = first ? 0 : -1;
    return label;
  }

  marginHead() {
    const head = document.createElement("div");
    head.className = "ws-margin-head";
    head.setAttribute("role", "group");
    head.setAttribute("aria-label", "Code columns (arrow keys move between them)");
    this.margin.append(head);
    return head;
  }

  stripeArea() {
    const area = document.createElement("div");
    area.className = "ws-stripes";
    this.margin.append(area);
    return area;
  }

  stripeFor(codingId) {
    return this.stripes.get(codingId) || null;
  }
}
