// Offsets: code points (the server's unit, Python str indices into Interview.text) ↔ UTF-16
// code units (JavaScript strings and DOM ranges). Pure: no page state, no network.
//
// The transcript DOM maps text by "mapped elements": an element with a `data-s` attribute holds
// one text node whose first character is code point `data-s` of the interview's text. Everything
// else inside the root (turn metadata drawn by CSS, blank lines between turns) is not text of the
// interview. A DOM boundary point inside a mapped text node converts exactly; a boundary point
// anywhere else snaps to the nearest mapped text: forward for a span's start, backward for its end.

const HIGH_SURROGATE_MIN = 0xd800;
const HIGH_SURROGATE_MAX = 0xdbff;

function isHighSurrogate(unit) {
  return unit >= HIGH_SURROGATE_MIN && unit <= HIGH_SURROGATE_MAX;
}

/** Number of code points in a string (Python's len()). */
export function cpLength(str) {
  let count = 0;
  for (let i = 0; i < str.length; i++) {
    if (isHighSurrogate(str.charCodeAt(i)) && i + 1 < str.length) {
      const next = str.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/**
 * Code points in str.slice(0, unit). A unit offset inside a surrogate pair rounds down
 * (round = "down") or up (round = "up").
 */
export function utf16ToCp(str, unit, round = "down") {
  if (unit <= 0) return 0;
  const limit = Math.min(unit, str.length);
  let count = 0;
  let i = 0;
  while (i < limit) {
    const pair =
      isHighSurrogate(str.charCodeAt(i)) &&
      i + 1 < str.length &&
      str.charCodeAt(i + 1) >= 0xdc00 &&
      str.charCodeAt(i + 1) <= 0xdfff;
    if (pair && i + 1 === limit) return round === "up" ? count + 1 : count;
    i += pair ? 2 : 1;
    count++;
  }
  return count;
}

/** The UTF-16 offset of code point `cp` in str (clamped to the string). */
export function cpToUtf16(str, cp) {
  if (cp <= 0) return 0;
  let count = 0;
  let i = 0;
  while (i < str.length && count < cp) {
    const pair =
      isHighSurrogate(str.charCodeAt(i)) &&
      i + 1 < str.length &&
      str.charCodeAt(i + 1) >= 0xdc00 &&
      str.charCodeAt(i + 1) <= 0xdfff;
    i += pair ? 2 : 1;
    count++;
  }
  return i;
}

/**
 * Fast conversions over one long text: positions of astral characters (two UTF-16 units each)
 * are found once, then each conversion is a binary search. Without astral characters both
 * directions are the identity.
 */
export class TextIndex {
  constructor(text) {
    this.text = text;
    // cpBefore[k]: code point index of the k-th astral character; unitBefore[k]: its unit index.
    this.astralCp = [];
    this.astralUnit = [];
    let cp = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (isHighSurrogate(unit) && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          this.astralCp.push(cp);
          this.astralUnit.push(i);
          i++;
        }
      }
      cp++;
    }
    this.length = cp; // in code points
  }

  /** UTF-16 offset of code point offset `cp`. */
  toUtf16(cp) {
    // Astral characters strictly before cp each add one unit.
    let lo = 0;
    let hi = this.astralCp.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.astralCp[mid] < cp) lo = mid + 1;
      else hi = mid;
    }
    return cp + lo;
  }

  /** Code point offset of UTF-16 offset `unit` (inside a pair: rounds down, or up). */
  toCp(unit, round = "down") {
    let lo = 0;
    let hi = this.astralUnit.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.astralUnit[mid] < unit) lo = mid + 1;
      else hi = mid;
    }
    // lo astral characters start before `unit`; if the last one starts at unit - 1, unit is
    // inside it.
    if (lo > 0 && this.astralUnit[lo - 1] === unit - 1) {
      return round === "up" ? unit - lo + 1 : unit - lo;
    }
    return unit - lo;
  }

  /** text[start:end) in code points, as a JavaScript string. */
  slice(start, end) {
    return this.text.slice(this.toUtf16(start), this.toUtf16(end));
  }
}

// --- DOM ------------------------------------------------------------------------------------

function mappedElementOf(node) {
  if (node && node.nodeType === Node.TEXT_NODE) {
    const parent = node.parentElement;
    if (parent && parent.hasAttribute("data-s") && parent.firstChild === node) return parent;
  }
  return null;
}

function startOf(element) {
  // getAttribute: several times faster than element.dataset in long loops.
  return Number(element.getAttribute("data-s"));
}

function endOf(element) {
  return startOf(element) + cpLength(element.firstChild.data);
}

function textWalker(root) {
  return root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
}

function lastDescendant(node) {
  let current = node;
  while (current.lastChild) current = current.lastChild;
  return current;
}

/** The first mapped text node at or after a boundary point (node, offset) inside root. */
function mappedAtOrAfter(root, node, offset) {
  const walker = textWalker(root);
  let candidate;
  if (node.nodeType === Node.TEXT_NODE) {
    walker.currentNode = node;
    candidate = walker.nextNode();
  } else if (offset < node.childNodes.length) {
    const child = node.childNodes[offset];
    walker.currentNode = child;
    candidate = child.nodeType === Node.TEXT_NODE ? child : walker.nextNode();
  } else {
    walker.currentNode = lastDescendant(node);
    candidate = walker.nextNode();
  }
  while (candidate && !mappedElementOf(candidate)) candidate = walker.nextNode();
  return candidate;
}

/** The last mapped text node at or before a boundary point (node, offset) inside root. */
function mappedAtOrBefore(root, node, offset) {
  const walker = textWalker(root);
  let candidate;
  if (node.nodeType === Node.TEXT_NODE) {
    walker.currentNode = node;
    candidate = walker.previousNode();
  } else if (offset > 0) {
    const last = lastDescendant(node.childNodes[offset - 1]);
    walker.currentNode = last;
    candidate = last.nodeType === Node.TEXT_NODE ? last : walker.previousNode();
  } else {
    walker.currentNode = node;
    candidate = walker.previousNode();
  }
  while (candidate && !mappedElementOf(candidate)) candidate = walker.previousNode();
  return candidate;
}

/**
 * The code point offset of a DOM boundary point inside root. `bias` says which way a point
 * outside mapped text snaps: "start" (forward, to the next text) or "end" (backward).
 * A start at the very end of a text that the next drawn text does not continue (the end of a
 * turn) moves to that next text, and an end at the very beginning of one moves back, so a
 * selection dragged past the end of a line does not take in the blank lines between turns.
 * Returns null when there is no mapped text in that direction.
 */
export function pointToOffset(root, node, offset, bias = "start") {
  const element = mappedElementOf(node);
  if (element) {
    const cp = startOf(element) + utf16ToCp(node.data, offset, bias === "end" ? "up" : "down");
    if (bias === "start" && offset >= node.data.length) {
      const next = mappedAtOrAfter(root, node, 0);
      if (next && startOf(next.parentElement) !== cp) return startOf(next.parentElement);
    }
    if (bias === "end" && offset <= 0) {
      const previous = mappedAtOrBefore(root, node, 0);
      if (previous && endOf(previous.parentElement) !== cp) return endOf(previous.parentElement);
    }
    return cp;
  }
  if (bias === "start") {
    const next = mappedAtOrAfter(root, node, offset);
    return next ? startOf(next.parentElement) : null;
  }
  const previous = mappedAtOrBefore(root, node, offset);
  return previous ? endOf(previous.parentElement) : null;
}

/**
 * A DOM Range (a Selection's range, say) as a half-open code point span {start, end} inside
 * root, or null when it holds no mapped text. Parts of the range outside root are cut off.
 */
export function rangeToSpan(root, range) {
  if (!range || !range.intersectsNode(root)) return null;
  const inside = root.ownerDocument.createRange();
  inside.selectNodeContents(root);
  let startNode = range.startContainer;
  let startOffset = range.startOffset;
  let endNode = range.endContainer;
  let endOffset = range.endOffset;
  if (range.compareBoundaryPoints(Range.START_TO_START, inside) < 0) {
    startNode = root;
    startOffset = 0;
  }
  if (range.compareBoundaryPoints(Range.END_TO_END, inside) > 0) {
    endNode = root;
    endOffset = root.childNodes.length;
  }
  const start = pointToOffset(root, startNode, startOffset, "start");
  const end = pointToOffset(root, endNode, endOffset, "end");
  if (start === null || end === null || end <= start) return null;
  return { start, end };
}

/**
 * The mapped elements of root in text order (their `data-s` increases), with their starts
 * read once into `.starts` (reading `dataset` in a binary search is slow).
 */
export function mappedElements(root) {
  const elements = Array.from(root.querySelectorAll("[data-s]")).filter(
    (element) => element.firstChild && element.firstChild.nodeType === Node.TEXT_NODE,
  );
  elements.starts = elements.map(startOf);
  return elements;
}

function lastAtOrBefore(elements, cp) {
  const starts = elements.starts || elements.map(startOf);
  let lo = 0;
  let hi = elements.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= cp) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * A DOM boundary point {node, offset} for code point offset cp. Offsets that fall where the
 * interview's text is not drawn (between turns) snap forward for a start, backward for an end.
 */
export function offsetToPoint(elements, cp, bias = "start") {
  if (!elements.length) return null;
  let index = lastAtOrBefore(elements, cp);
  if (index < 0) {
    const first = elements[0].firstChild;
    return bias === "start" ? { node: first, offset: 0 } : null;
  }
  let element = elements[index];
  const text = element.firstChild.data;
  const within = cp - (elements.starts ? elements.starts[index] : startOf(element));
  const length = cpLength(text);
  if (within < length || (within === length && bias === "end")) {
    return { node: element.firstChild, offset: cpToUtf16(text, within) };
  }
  // cp lies after this element's text, in text that is not drawn.
  if (bias === "end") return { node: element.firstChild, offset: text.length };
  index += 1;
  if (index >= elements.length) return { node: element.firstChild, offset: text.length };
  element = elements[index];
  return { node: element.firstChild, offset: 0 };
}

/** A DOM Range covering the code point span [start, end) inside root (or null). */
export function spanToRange(root, start, end, elements = mappedElements(root)) {
  const from = offsetToPoint(elements, start, "start");
  const to = offsetToPoint(elements, end, "end");
  if (!from || !to) return null;
  const range = root.ownerDocument.createRange();
  range.setStart(from.node, from.offset);
  range.setEnd(to.node, to.offset);
  if (range.collapsed && end > start) return null;
  return range;
}
