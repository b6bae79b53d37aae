// Selecting text: the selection as a span of code points, snapping to words, the selection toolbar,
// the focused turn and the keyboard caret.

import { pointToOffset, rangeToSpan } from "../offsets.js";
import { clampToSaid, preview, safeColor, snapToWords } from "./model.js";
import { applyChanges } from "./changes.js";
import { selectCoding } from "./details.js";
import { openPickerForSelection } from "./editing.js";
import { announce } from "./notices.js";
import { setSelectionSpan } from "./render.js";
import { codingList, els, recent, state, storage } from "./state.js";
import { applyCodes } from "./writes.js";

/** The selection as a span, exactly as the DOM has it (speaker labels included). */
function rawSelectionSpan() {
  const selection = getSelection();
  if (!selection.rangeCount || selection.isCollapsed) return null;
  return rangeToSpan(els.transcript, selection.getRangeAt(0));
}

/** The selection as a span, its ends kept off speaker labels (see clampToSaid). */
export function readSelectionSpan() {
  const span = rawSelectionSpan();
  return span && state.transcript ? clampToSaid(state.transcript.pieces, span) : span;
}

/** The span new codings go on: the selection, snapped to whole words when that is on. */
export function targetSpan(span = state.span) {
  if (!span) return null;
  return state.snap ? snapToWords(state.index, span) || span : span;
}

let selectionFrame = 0;
document.addEventListener("selectionchange", () => {
  cancelAnimationFrame(selectionFrame);
  selectionFrame = requestAnimationFrame(() => {
    selectionFrame = 0;
    updateSelection();
  });
});

/** A selection change is announced by an event and drawn at the next frame; a key pressed
 * before either must still act on the selection as it is now. */
export function flushSelection() {
  cancelAnimationFrame(selectionFrame);
  selectionFrame = 0;
  updateSelection();
}

export function updateSelection() {
  if (!state.index) return;
  if (state.picker && state.picker.isOpen) return;
  const span = readSelectionSpan();
  state.span = span;
  drawCaret();
  if (!span) {
    els.selection.hidden = true;
    els.toolbar.hidden = true;
    return;
  }
  const target = targetSpan(span);
  els.selectionQuote.textContent = preview(state.index.slice(target.start, target.end), 400);
  const snapped = target.start !== span.start || target.end !== span.end;
  els.selectionSpan.textContent = `Characters ${target.start}–${target.end} (${target.end - target.start})${snapped ? ", snapped to whole words" : ""}`;
  els.selection.hidden = false;
  els.selectionActions.hidden = !state.writesTo || Boolean(state.editing);
  showToolbar();
}

function showToolbar() {
  if (!state.writesTo || state.editing || !state.span || state.pointerDown) {
    els.toolbar.hidden = true;
    return;
  }
  const range = getSelection().rangeCount ? getSelection().getRangeAt(0) : null;
  const rects = range ? range.getClientRects() : [];
  if (!rects.length) {
    els.toolbar.hidden = true;
    return;
  }
  const last = rects[rects.length - 1];
  const buttons = [];
  const code = document.createElement("button");
  code.type = "button";
  code.className = "ws-tool-main";
  code.append("Code… ", Object.assign(document.createElement("kbd"), { textContent: "C" }));
  code.addEventListener("click", () => openPickerForSelection());
  buttons.push(code);
  for (const { number, codeId } of recent.entries((id) => state.usableCodes.some((c) => c.id === id)).slice(0, 5)) {
    const known = state.codes.get(codeId);
    const chip = document.createElement("button");
    chip.type = "button";
    chip.className = "ws-tool-chip";
    chip.title = `${known.key} ${known.name} (key ${number})`;
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = safeColor(known.color);
    chip.append(Object.assign(document.createElement("kbd"), { textContent: String(number) }), swatch, known.key);
    chip.addEventListener("click", () => applyCodes([codeId], targetSpan()));
    buttons.push(chip);
  }
  for (const button of buttons) button.addEventListener("mousedown", (event) => event.preventDefault());
  els.toolbar.replaceChildren(...buttons);
  els.toolbar.hidden = false;
  const box = els.toolbar.getBoundingClientRect();
  const left = Math.min(Math.max(8, last.right - box.width), window.innerWidth - box.width - 8);
  let top = last.bottom + 6;
  if (top + box.height > window.innerHeight - 8) top = Math.max(8, rects[0].top - box.height - 6);
  els.toolbar.style.left = `${left}px`;
  els.toolbar.style.top = `${top}px`;
}

els.snap.checked = state.snap;
els.snap.addEventListener("change", () => setSnap(els.snap.checked));

export function setSnap(on) {
  state.snap = on;
  els.snap.checked = on;
  storage.setItem("healing.snap-to-words", String(on));
  updateSelection();
  announce(on ? "Selections snap to whole words." : "Selections are coded exactly as selected.");
}

els.transcript.addEventListener("mousedown", (event) => {
  if (event.button === 0) state.pointerDown = true;
});
document.addEventListener("mouseup", () => {
  if (!state.pointerDown) return;
  state.pointerDown = false;
  if (state.deferred) {
    const changes = state.deferred;
    state.deferred = null;
    applyChanges(changes);
  }
  const raw = rawSelectionSpan();
  const span = readSelectionSpan();
  if (span && state.writesTo) {
    // Show what will be coded: snapped to words (when on) and off the speaker labels.
    const shown = (state.snap && snapToWords(state.index, span)) || span;
    if (!raw || shown.start !== raw.start || shown.end !== raw.end) setSelectionSpan(shown);
  }
  updateSelection();
});

els.transcript.addEventListener("click", (event) => {
  const selection = getSelection();
  if (!selection.isCollapsed || !selection.rangeCount) return;
  if (state.editing) return;
  const cp = pointToOffset(els.transcript, selection.anchorNode, selection.anchorOffset, "start");
  if (cp === null) return;
  const covering = codingList()
    .filter((coding) => coding.start <= cp && coding.end > cp)
    .sort((a, b) => a.end - a.start - (b.end - b.start));
  if (!covering.length) {
    if (state.selectedId !== null) selectCoding(null);
    return;
  }
  state.here = covering.map((coding) => coding.id);
  selectCoding(covering[0].id, { keepHere: true });
  const turn = event.target.closest(".ws-turn");
  if (turn) setFocusedTurn(turn, false);
});

els.transcript.addEventListener("focusin", (event) => {
  const turn = event.target.closest(".ws-turn");
  if (turn) setFocusedTurn(turn, false);
});

els.transcript.addEventListener("focus", () => {
  // Reached by the skip link or the mouse on the region itself: go to the first turn.
  const first = state.focusedTurn && state.focusedTurn.isConnected ? state.focusedTurn : els.transcript.querySelector(".ws-turn");
  if (first) focusTurn(first, true);
});

export function setFocusedTurn(turn, focus) {
  if (state.focusedTurn && state.focusedTurn !== turn) state.focusedTurn.tabIndex = -1;
  state.focusedTurn = turn;
  turn.tabIndex = 0;
  if (focus) turn.focus({ preventScroll: true });
}

export function focusTurn(turn, caret) {
  setFocusedTurn(turn, true);
  turn.scrollIntoView({ block: "nearest" });
  if (caret) {
    const said = turn.querySelector(".ws-said [data-s]") || turn.querySelector("[data-s]");
    if (said) getSelection().collapse(said.firstChild, 0);
    drawCaret();
  }
}

export function drawCaret() {
  const selection = getSelection();
  const inside =
    selection.rangeCount && selection.isCollapsed && els.transcript.contains(selection.anchorNode) && document.activeElement && els.transcript.contains(document.activeElement);
  if (!inside) {
    els.caret.hidden = true;
    return;
  }
  const range = selection.getRangeAt(0);
  let rect = range.getClientRects()[0];
  if (!rect) {
    const parent = selection.anchorNode.parentElement;
    rect = parent ? parent.getClientRects()[0] : null;
  }
  if (!rect) {
    els.caret.hidden = true;
    return;
  }
  const origin = els.doc.getBoundingClientRect();
  els.caret.style.left = `${rect.left - origin.left}px`;
  els.caret.style.top = `${rect.top - origin.top}px`;
  els.caret.style.height = `${rect.height}px`;
  els.caret.hidden = false;
}
els.doc.append(els.caret);
els.transcript.addEventListener("focusout", () => requestAnimationFrame(drawCaret));
