// The de-identification review's pure parts: lines of the text, the pieces a line is drawn in,
// word steps for widening and narrowing a span, snapping a selection to whole words, and the
// counts the progress shows. Offsets are code points (the server's unit), half-open.

const WORD = /[\p{L}\p{M}\p{N}]/u;

export function isWord(ch) {
  return ch !== undefined && WORD.test(ch);
}

/**
 * Lines of the text: [{start, end}] in code points, without their "\n". One pass over the
 * UTF-16 string.
 */
export function lineTable(text) {
  const lines = [];
  let cp = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 10) {
      lines.push({ start, end: cp });
      start = cp + 1;
    } else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    cp++;
  }
  lines.push({ start, end: cp });
  return lines;
}

/** Index of the line holding code point cp (the last line starting at or before it). */
export function lineAt(lines, cp) {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid].start <= cp) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** First index in spans (sorted by start) whose end is after cp. */
export function firstEndingAfter(spans, cp) {
  // Spans do not overlap, so their ends increase with their starts.
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].end <= cp) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The pieces of [start, end) given the spans sorted by start: [{start, end, span}] with span
 * null for plain text. A span overlapping one drawn before it is drawn from where that ends.
 */
export function pieces(start, end, spans) {
  const out = [];
  let at = start;
  for (let i = firstEndingAfter(spans, start); i < spans.length; i++) {
    const span = spans[i];
    if (span.start >= end) break;
    const from = Math.max(span.start, at);
    const to = Math.min(span.end, end);
    if (to <= from) continue;
    if (from > at) out.push({ start: at, end: from, span: null });
    out.push({ start: from, end: to, span });
    at = to;
  }
  if (at < end) out.push({ start: at, end, span: null });
  return out;
}

// Word steps over an array of characters (code points), positions local to that array.

/** The start one word earlier (widen). */
export function startLeft(chars, start) {
  let i = start;
  while (i > 0 && !isWord(chars[i - 1]) && chars[i - 1] !== "\n") i--;
  while (i > 0 && isWord(chars[i - 1])) i--;
  return isWord(chars[i]) ? i : start;
}

/** The start one word later (narrow), or the same when the span is one word. */
export function startRight(chars, start, end) {
  let i = start;
  while (i < end && isWord(chars[i])) i++;
  while (i < end && !isWord(chars[i])) i++;
  return i < end ? i : start;
}

/** The end one word later (widen). */
export function endRight(chars, end) {
  let i = end;
  while (i < chars.length && !isWord(chars[i]) && chars[i] !== "\n") i++;
  while (i < chars.length && isWord(chars[i])) i++;
  return isWord(chars[i - 1]) ? i : end;
}

/** The end one word earlier (narrow), or the same when the span is one word. */
export function endLeft(chars, start, end) {
  let i = end;
  while (i > start && isWord(chars[i - 1])) i--;
  while (i > start && !isWord(chars[i - 1])) i--;
  return i > start ? i : end;
}

/** A selection [start, end) trimmed of white space and widened to whole words, or null. */
export function snapToWords(chars, start, end) {
  let s = start;
  let e = end;
  while (s < e && /\s/u.test(chars[s])) s++;
  while (e > s && /\s/u.test(chars[e - 1])) e--;
  if (e <= s) return null;
  while (s > 0 && isWord(chars[s - 1]) && isWord(chars[s])) s--;
  while (e < chars.length && isWord(chars[e]) && isWord(chars[e - 1])) e++;
  return { start: s, end: e };
}

/** Spans by status, and what the progress bar shows. */
export function progress(spans) {
  const counts = { proposed: 0, accepted: 0, rejected: 0, applied: 0 };
  for (const span of spans) counts[span.status] = (counts[span.status] || 0) + 1;
  const reviewing = counts.proposed + counts.accepted + counts.rejected;
  return { ...counts, reviewing, decided: counts.accepted + counts.rejected };
}
