// The keyboard: moving between turns, extending the selection, stepping through codings, and
// carrying out the actions keys.js names for each key.

import { pointToOffset } from "../offsets.js";
import { keyAction } from "./keys.js";
import { preview } from "./model.js";
import { selectCoding } from "./details.js";
import { cancelEdit, openPickerForChange, openPickerForSelection, openPickerForTurn, saveEdit, startEdit } from "./editing.js";
import { clearTarget } from "./links.js";
import { announce, hideToast, openHelp } from "./notices.js";
import { setSelectionSpan } from "./render.js";
import { flushSelection, focusTurn, readSelectionSpan, setFocusedTurn, setSnap, targetSpan, updateSelection } from "./selection.js";
import { $, canEdit, codingList, describe, els, quoteOf, recent, state } from "./state.js";
import { applyCodes, deleteCoding, undo } from "./writes.js";

/** Arrow keys move in the transcript when focus is in it, or nowhere in particular (the page,
 * or the main area after the skip link). */
function inTranscript(node) {
  return (
    node === document.body ||
    node === document.documentElement ||
    node === document.getElementById("main") ||
    node === els.center ||
    els.transcript.contains(node)
  );
}

function moveTurn(step) {
  const turns = Array.from(els.transcript.querySelectorAll(".ws-turn"));
  if (!turns.length) return;
  let index = turns.indexOf(state.focusedTurn);
  if (index < 0 || !els.transcript.contains(document.activeElement)) index = step > 0 ? -1 : turns.length;
  const next = turns[Math.min(turns.length - 1, Math.max(0, index + step))];
  focusTurn(next, true);
}

function ensureCaret() {
  const selection = getSelection();
  if (selection.rangeCount && els.transcript.contains(selection.anchorNode)) return true;
  const turn = state.focusedTurn || els.transcript.querySelector(".ws-turn");
  if (!turn) return false;
  focusTurn(turn, true);
  return true;
}

/** Move or extend the selection natively (Selection.modify), then keep focus on its turn. */
function modifySelection(alter, direction, granularity, { moveStart = false } = {}) {
  const editing = state.codings.get(state.editing);
  if (editing && alter === "extend" && !readSelectionSpan()) setSelectionSpan(editing);
  if (!ensureCaret()) return;
  const selection = getSelection();
  if (moveStart && !selection.isCollapsed) {
    // Extend the other end: make the start the focus, move it, and turn the selection back.
    const range = selection.getRangeAt(0);
    selection.setBaseAndExtent(range.endContainer, range.endOffset, range.startContainer, range.startOffset);
    selection.modify("extend", direction, granularity);
    const moved = selection.getRangeAt(0);
    selection.setBaseAndExtent(moved.startContainer, moved.startOffset, moved.endContainer, moved.endOffset);
  } else {
    selection.modify(alter, direction, granularity);
  }
  // Keep the selection inside the transcript.
  if (!els.transcript.contains(selection.focusNode)) {
    const span = readSelectionSpan();
    if (span) setSelectionSpan(span);
  }
  const turn = selection.focusNode && selection.focusNode.parentElement?.closest(".ws-turn");
  if (turn) {
    setFocusedTurn(turn, true);
    const rect = selection.getRangeAt(0).getBoundingClientRect();
    const view = els.center.getBoundingClientRect();
    if (rect.bottom > view.bottom || rect.top < view.top) turn.scrollIntoView({ block: "nearest" });
  }
  updateSelection();
}

function nextCoding(step) {
  const list = codingList();
  if (!list.length) {
    announce("No codings in this layer.");
    return;
  }
  let index = list.findIndex((coding) => coding.id === state.selectedId);
  if (index < 0) {
    let cp = 0;
    const selection = getSelection();
    if (selection.rangeCount && els.transcript.contains(selection.anchorNode)) {
      cp = pointToOffset(els.transcript, selection.anchorNode, selection.anchorOffset, "start") || 0;
    }
    index = step > 0 ? list.findIndex((coding) => coding.start >= cp) : list.findLastIndex((coding) => coding.start < cp);
    if (index < 0) index = step > 0 ? 0 : list.length - 1;
  } else {
    index = (index + step + list.length) % list.length;
  }
  const coding = list[index];
  selectCoding(coding.id, { scroll: true, focusStripe: true });
  const { code, coderName } = describe(coding);
  announce(`${code ? code.key : ""} by ${coderName}: “${preview(quoteOf(coding), 80)}”`);
}

function applyRecent(number) {
  const codeId = recent.codeFor(number);
  if (codeId === null || !state.usableCodes.some((code) => code.id === codeId)) {
    announce(`No recent code has the number ${number} yet: use C to choose one.`);
    return;
  }
  const span = targetSpan();
  if (!span) {
    announce("Select some text first.");
    return;
  }
  applyCodes([codeId], span);
}

const keyActions = {
  help: () => openHelp(),
  undo: () => undo(),
  escape: () => {
    if (state.editing) cancelEdit();
    else if (state.span) getSelection().collapseToEnd();
    else if (state.selectedId !== null) selectCoding(null);
    else if (state.target) clearTarget();
    hideToast();
  },
  moveTurn: (step) => moveTurn(step),
  modify: (alter, direction, granularity, options) =>
    modifySelection(alter, direction, granularity, options),
  applyRecent: (number) => applyRecent(number),
  saveEdit: () => saveEdit(),
  pickForSelection: () => openPickerForSelection(),
  changeCode: () => openPickerForChange(state.selectedId),
  needSelection: () => announce("Select some text first."),
  codeTurn: () => openPickerForTurn(),
  toggleSnap: () => setSnap(!state.snap),
  nextCoding: (step) => nextCoding(step),
  editSpan: () => startEdit(state.selectedId),
  editMemo: () => $("ws-coding-memo")?.focus(),
  deleteCoding: () => deleteCoding(state.selectedId),
  focusLayer: () => els.layer.focus(),
};

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || !state.index) return;
  if (els.help.open || (state.picker && state.picker.isOpen)) return;
  if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) {
    return;
  }
  flushSelection();
  const action = keyAction(event, {
    focusInText: inTranscript(document.activeElement),
    hasSelection: Boolean(state.span),
    editing: Boolean(state.editing),
    canCode: Boolean(state.writesTo),
    canEditSelected: canEdit(state.codings.get(state.selectedId)),
  });
  if (!action) return;
  if (action.name !== "escape" && action.name !== "needSelection") event.preventDefault();
  keyActions[action.name](...action.args);
});
