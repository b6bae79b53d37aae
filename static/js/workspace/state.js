// The workspace's state: its configuration, the page's elements, what is loaded, selected and
// being edited (one `state` object every module reads and writes), and plain reads of it.

import { codebookTree, RecentSlots } from "./model.js";

export const config = JSON.parse(document.getElementById("workspace-config").textContent);
export const $ = (id) => document.getElementById(id);
export const els = {
  transcript: $("transcript"),
  margin: $("ws-margin"),
  doc: $("ws-doc"),
  center: $("ws-center"),
  error: $("ws-error"),
  layer: $("ws-layer"),
  layerNote: $("ws-layer-note"),
  live: $("ws-live"),
  facts: $("ws-facts"),
  codebook: $("ws-codebook"),
  codebookVersion: $("ws-codebook-version"),
  codebookHint: $("ws-codebook-hint"),
  definition: $("ws-definition"),
  selection: $("ws-selection"),
  selectionQuote: $("ws-selection-quote"),
  selectionSpan: $("ws-selection-span"),
  selectionActions: $("ws-selection-actions"),
  codeSelection: $("ws-code-selection"),
  snap: $("ws-snap"),
  coding: $("ws-coding"),
  codingBody: $("ws-coding-body"),
  codingMemos: $("ws-coding-memos"),
  here: $("ws-here"),
  memoList: $("ws-memo-list"),
  memoForm: $("ws-memo-form"),
  memoTitle: $("ws-memo-title"),
  memoType: $("ws-memo-type"),
  memoBody: $("ws-memo-body"),
  toolbar: $("ws-toolbar"),
  picker: $("ws-picker"),
  tip: $("ws-tip"),
  caret: $("ws-caret"),
  toast: $("ws-toast"),
  help: $("ws-help"),
  helpOpen: $("ws-help-open"),
};

export const me = config.user.id;
export const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return { getItem: () => null, setItem: () => {} };
  }
})();

export const state = {
  payload: null,
  index: null,
  transcript: null,
  picker: null,
  codes: new Map(),
  usableCodes: [],
  paths: new Map(),
  codings: new Map(),
  coderNames: new Map(),
  writesTo: null,
  canAdjudicate: false,
  seesOthers: false,
  cursor: 0,
  layer: { name: config.layer.name, coder: config.layer.coder },
  span: null, // the text selected in the transcript, as code points
  selectedId: null,
  here: [],
  target: null, // a deep-linked span, drawn as a mark
  editing: null, // id of the coding whose span is being edited
  undo: [],
  pointerDown: false,
  deferred: null, // changes that arrived while the mouse was selecting
  focusedTurn: null,
  generation: 0, // bumps on every (re)load so stale responses are ignored
};
export const recent = new RecentSlots(storage, `healing.recent-codes.${config.study}`);
state.snap = storage.getItem("healing.snap-to-words") !== "false";
export function treeOrder(codes) {
  const ordered = [];
  const walk = (node) => {
    ordered.push(node.code);
    node.children.forEach(walk);
  };
  for (const roots of codebookTree(codes).values()) roots.forEach(walk);
  return ordered;
}

export function codingList() {
  return Array.from(state.codings.values()).sort((a, b) => a.start - b.start || a.end - b.end || a.id - b.id);
}

export function marks() {
  const list = [];
  if (state.target) list.push(state.target);
  const selected = state.codings.get(state.selectedId);
  if (selected) {
    const color = state.codes.get(selected.code)?.color;
    list.push({ kind: "selected", start: selected.start, end: selected.end, color });
  }
  return list;
}

export function describe(coding) {
  const code = state.codes.get(coding.code);
  const coderName =
    coding.layer === "consensus"
      ? `Consensus (${state.coderNames.get(coding.coder) || "adjudicator"})`
      : state.coderNames.get(coding.coder) || `Coder ${coding.coder}`;
  return { code, coderName };
}

export function canEdit(coding) {
  if (!state.writesTo || !coding) return false;
  if (coding.layer === "consensus") return state.canAdjudicate && state.writesTo === "consensus";
  return coding.coder === me && state.writesTo === "individual";
}

export function quoteOf(coding) {
  return state.index.slice(coding.start, coding.end);
}
