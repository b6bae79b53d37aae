// The picker at work: opened for the selection, a turn or a coding's code (picker.js is the dialog
// itself), and editing a coding's span.

import { pointToOffset } from "../offsets.js";
import { showCoding } from "./details.js";
import { announce } from "./notices.js";
import { setSelectionSpan } from "./render.js";
import { readSelectionSpan, setFocusedTurn, targetSpan, updateSelection } from "./selection.js";
import { canEdit, els, quoteOf, state } from "./state.js";
import { applyCodes, updateCoding } from "./writes.js";

function selectionAnchorRect() {
  const selection = getSelection();
  if (!selection.rangeCount) return null;
  const rects = selection.getRangeAt(0).getClientRects();
  return rects.length ? rects[rects.length - 1] : null;
}

function openPickerForSpan(span, title) {
  if (!state.writesTo) return;
  if (!state.usableCodes.length) {
    announce("This codebook has no active codes.");
    return;
  }
  const anchor = selectionAnchorRect() || state.transcript.rangeFor(span.start, span.end)?.getBoundingClientRect() || null;
  state.pickerTarget = (ids) => applyCodes(ids, span);
  state.pickerSpan = span;
  els.toolbar.hidden = true;
  state.picker.open({ title, quote: state.index.slice(span.start, span.end), multiple: true, anchor });
}

/** Focus went to the picker's input (taking the page's selection): put the text selection back,
 * or, after coding, a caret at the end of what was coded. */
export function pickerClosed(applied) {
  const span = state.pickerSpan;
  state.pickerSpan = null;
  if (span) {
    if (applied) {
      const range = state.transcript.rangeFor(span.start, span.end);
      if (range) getSelection().collapse(range.endContainer, range.endOffset);
    } else {
      setSelectionSpan(span);
    }
  }
  requestAnimationFrame(updateSelection);
}

export function openPickerForSelection() {
  const span = targetSpan();
  if (!span) {
    announce("Select some text first.");
    return;
  }
  openPickerForSpan(span, "Code the selected text");
}

export function openPickerForTurn() {
  let cp = state.span ? state.span.start : null;
  if (cp === null) {
    const selection = getSelection();
    if (selection.rangeCount && els.transcript.contains(selection.anchorNode)) {
      cp = pointToOffset(els.transcript, selection.anchorNode, selection.anchorOffset, "start");
    }
  }
  let number = cp !== null ? state.transcript.turnAt(cp) : null;
  if (number === null && state.focusedTurn) number = Number(state.focusedTurn.dataset.turn);
  if (number === null) {
    announce("Move to a turn first (arrow keys or a click).");
    return;
  }
  const span = state.transcript.turnSpan(number);
  if (!span) return;
  setSelectionSpan(span);
  openPickerForSpan(span, `Code the whole turn ${number + 1}`);
}

export function openPickerForChange(id) {
  const coding = state.codings.get(id);
  if (!canEdit(coding)) return;
  const anchor = state.transcript.stripeFor(id)?.getBoundingClientRect() || null;
  state.pickerSpan = null;
  state.pickerTarget = (ids) => {
    if (ids[0] !== coding.code) {
      updateCoding(id, { code: ids[0] }, `Changed to ${state.codes.get(ids[0])?.key}.`);
    }
  };
  state.picker.open({ title: "Change the code", quote: quoteOf(coding), multiple: false, anchor, current: coding.code });
}

export function startEdit(id) {
  const coding = state.codings.get(id);
  if (!canEdit(coding)) return;
  state.editing = id;
  // The old span stays marked; the selection starts empty so that a new one can be dragged
  // anywhere (dragging inside a selection would move the selected text instead). Shift+arrow
  // keys start from the old span.
  getSelection().removeAllRanges();
  const range = state.transcript.rangeFor(coding.start, coding.end);
  const turn = range && range.startContainer.parentElement.closest(".ws-turn");
  if (turn) setFocusedTurn(turn, true);
  showCoding();
  updateSelection();
  announce("Editing the span: select the new passage, then press Enter to save or Escape to cancel.");
}

export async function saveEdit() {
  const id = state.editing;
  const span = targetSpan(readSelectionSpan());
  if (!id || !span) {
    announce("Select the new passage first.");
    return;
  }
  state.editing = null;
  const coding = state.codings.get(id);
  if (coding && (coding.start !== span.start || coding.end !== span.end)) {
    await updateCoding(id, { start: span.start, end: span.end }, "Span saved.");
  } else {
    showCoding();
  }
  getSelection().collapseToEnd();
}

export function cancelEdit() {
  state.editing = null;
  getSelection().removeAllRanges();
  showCoding();
  announce("Span editing cancelled.");
}
