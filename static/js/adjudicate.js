// Disagreements page: "Write a new coding…" takes a selection in the passage's text.
//
// Each passage's form holds a selectable block (`[data-pick-text]`) whose mapped element
// (`data-s`, see offsets.js) is the passage's quote; this module adds a little context on both
// sides from the interview's text (`<script type="application/json" id="interview-text">`).
// Selecting in the block, with the mouse or with Shift+arrow keys, fills the form's hidden
// `new_start`/`new_end` with code point offsets (the server's unit) and enables "Write it".
// Without JavaScript the template's <noscript> number inputs are used instead.

import { TextIndex, cpLength, rangeToSpan, spanToRange } from "./offsets.js";

const CONTEXT = 120; // code points of context shown on each side of a passage, at most
const SPACE = /\s/u;
const HINT = "Select the words of the new coding in the passage above.";
const HIGHLIGHT = "adjudicate-pick";

const textElement = document.getElementById("interview-text");
const index = textElement ? new TextIndex(JSON.parse(textElement.textContent)) : null;
const picks = [];

/** [from, to) of context around [start, end): within the line, at most CONTEXT code points,
 * cut at a space so no word is shown in part. */
function contextBounds(start, end) {
  const text = index.text;
  let from = index.toUtf16(start);
  const floor = index.toUtf16(Math.max(0, start - CONTEXT));
  while (from > floor && text[from - 1] !== "\n") from--;
  if (from > 0 && from === floor && text[from - 1] !== "\n") {
    while (from < text.length && !SPACE.test(text[from])) from++;
    from = Math.min(from + 1, index.toUtf16(start));
  }
  let to = index.toUtf16(end);
  const ceiling = index.toUtf16(Math.min(index.length, end + CONTEXT));
  while (to < ceiling && text[to] !== "\n") to++;
  if (to < text.length && to === ceiling && text[to] !== "\n") {
    while (to > 0 && !SPACE.test(text[to - 1])) to--;
    to = Math.max(to, index.toUtf16(end));
  }
  return { from: Math.min(index.toCp(from), start), to: Math.max(index.toCp(to), end) };
}

function contextSpan(start, text, where) {
  const span = document.createElement("span");
  span.className = `pick-context pick-context--${where}`;
  span.dataset.s = String(start);
  span.textContent = text;
  return span;
}

/** Adds the text around the passage, when the page's copy of the text agrees with it. */
function addContext(block) {
  const passage = block.querySelector("[data-s]");
  if (!index || !passage) return;
  const start = Number(passage.dataset.s);
  const end = start + cpLength(passage.textContent);
  if (index.slice(start, end) !== passage.textContent) return;
  const { from, to } = contextBounds(start, end);
  if (from < start) passage.before(contextSpan(from, index.slice(from, start), "before"));
  if (to > end) passage.after(contextSpan(end, index.slice(end, to), "after"));
}

/** The span without white space at its edges (a double click takes the space after a word). */
function trimmed(span) {
  if (!index) return span;
  let { start, end } = span;
  while (start < end && SPACE.test(index.slice(start, start + 1))) start++;
  while (end > start && SPACE.test(index.slice(end - 1, end))) end--;
  return end > start ? { start, end } : null;
}


function drawHighlights() {
  if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") return;
  const ranges = picks.filter((pick) => pick.range).map((pick) => pick.range);
  if (ranges.length) CSS.highlights.set(HIGHLIGHT, new Highlight(...ranges));
  else CSS.highlights.delete(HIGHLIGHT);
}

/** Records the chosen span (or none) in the pick's form. */
function choose(pick, span) {
  pick.span = span;
  pick.range = span ? spanToRange(pick.block, span.start, span.end) : null;
  const quote = pick.range ? pick.range.toString() : "";
  pick.start.value = span ? String(span.start) : "";
  pick.end.value = span ? String(span.end) : "";
  pick.submit.disabled = !span;
  pick.status.textContent = span
    ? `Selected: “${quote}” [${span.start}, ${span.end})`
    : HINT;
  pick.status.classList.toggle("muted", !span);
  drawHighlights();
}

function pickOf(node) {
  const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
  const block = element && element.closest("[data-pick-text]");
  return block ? picks.find((pick) => pick.block === block) : undefined;
}

/** The selection, read into the pick it was made in. A selection elsewhere on the page keeps
 * each pick's choice (clicking the code menu or the button must not lose it); a click inside
 * a block that leaves no selection clears that block's choice. */
function readSelection() {
  const selection = getSelection();
  if (!selection.rangeCount) return;
  const range = selection.getRangeAt(0);
  const pick =
    pickOf(selection.anchorNode) || picks.find((candidate) => range.intersectsNode(candidate.block));
  if (!pick) return;
  if (selection.isCollapsed) {
    if (pick.block.contains(selection.anchorNode)) choose(pick, null);
    return;
  }
  const raw = rangeToSpan(pick.block, range);
  choose(pick, raw && trimmed(raw));
}

let frame = 0;
document.addEventListener("selectionchange", () => {
  cancelAnimationFrame(frame);
  frame = requestAnimationFrame(() => {
    frame = 0;
    readSelection();
  });
});

/** Keyboard selection without caret browsing: focus puts a caret at the start of the text;
 * arrows move it, Shift+arrows extend the selection (Ctrl: by words; Home/End: the line). */
function onKey(event, pick) {
  const keys = { ArrowLeft: "backward", ArrowRight: "forward", Home: "backward", End: "forward" };
  const direction = keys[event.key];
  if (!direction || event.altKey) return;
  const selection = getSelection();
  if (!selection.rangeCount || !pick.block.contains(selection.anchorNode)) caretAtStart(pick);
  const granularity =
    event.key === "Home" || event.key === "End"
      ? "lineboundary"
      : event.ctrlKey || event.metaKey
        ? "word"
        : "character";
  selection.modify(event.shiftKey ? "extend" : "move", direction, granularity);
  event.preventDefault();
}

function caretAtStart(pick) {
  const first = pick.block.querySelector("[data-s]");
  if (first && first.firstChild) getSelection().collapse(first.firstChild, 0);
}

for (const area of document.querySelectorAll("[data-pick]")) {
  const form = area.closest("form");
  const block = area.querySelector("[data-pick-text]");
  const pick = {
    block,
    start: area.querySelector("[data-pick-start]"),
    end: area.querySelector("[data-pick-end]"),
    status: area.querySelector("[data-pick-status]"),
    submit: form.querySelector("[data-pick-submit]"),
    span: null,
    range: null,
  };
  addContext(block);
  pick.start.disabled = false;
  pick.end.disabled = false;
  area.hidden = false;
  picks.push(pick);
  choose(pick, null);
  block.addEventListener("focus", () => {
    const selection = getSelection();
    if (!selection.rangeCount || !block.contains(selection.anchorNode)) caretAtStart(pick);
  });
  block.addEventListener("keydown", (event) => onKey(event, pick));
  form.addEventListener("submit", (event) => {
    // "Write it" needs a span; the other decisions ignore it.
    if (event.submitter === pick.submit && !pick.span) event.preventDefault();
  });
}
