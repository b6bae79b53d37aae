// The interview workspace (/interviews/<id>/): read a transcript by turns, select text with the
// mouse or the keyboard, code it, see every coding as highlights and margin stripes, edit and
// delete codings (with undo), switch layers, and see other coders' work arrive while coding.
//
// Data: one request to /api/v1/interviews/<id>/workspace/ (text, turns, codings of a layer,
// codebook, memos, permissions, a change cursor); then /changes/?since=cursor every few seconds.
// Offsets are code points (see offsets.js); nothing users typed is ever parsed as HTML.

import { api, ApiError } from "./api.js";
import { TextIndex, offsetToPoint, pointToOffset, rangeToSpan } from "./offsets.js";
import { RecentSlots, codePaths, codebookTree, preview, safeColor, snapToWords } from "./workspace/model.js";
import { criteriaList, renderCoding, renderCodebook, renderHere, renderMemos, updateCounts } from "./workspace/panels.js";
import { keyAction } from "./workspace/keys.js";
import { ChangesPoller, mergeChanges, reconcile } from "./workspace/live.js";
import { Picker } from "./workspace/picker.js";
import { Transcript } from "./workspace/transcript.js";

const config = JSON.parse(document.getElementById("workspace-config").textContent);
const $ = (id) => document.getElementById(id);
const els = {
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
  here: $("ws-here"),
  memoList: $("ws-memo-list"),
  memoForm: $("ws-memo-form"),
  memoTitle: $("ws-memo-title"),
  memoBody: $("ws-memo-body"),
  toolbar: $("ws-toolbar"),
  picker: $("ws-picker"),
  tip: $("ws-tip"),
  caret: $("ws-caret"),
  toast: $("ws-toast"),
  help: $("ws-help"),
  helpOpen: $("ws-help-open"),
};

const me = config.user.id;
const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return { getItem: () => null, setItem: () => {} };
  }
})();

const state = {
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
const recent = new RecentSlots(storage, `healing.recent-codes.${config.study}`);
state.snap = storage.getItem("healing.snap-to-words") !== "false";

// --- loading ------------------------------------------------------------------------------------

function layerParams(layer) {
  const params = new URLSearchParams({ layer: layer.name });
  if (layer.name === "coder" && layer.coder) params.set("coder", String(layer.coder));
  return params;
}

async function load(layer, { fallback = true, keepError = false } = {}) {
  const generation = ++state.generation;
  els.transcript.setAttribute("aria-busy", "true");
  try {
    performance.mark("workspace:request");
    const payload = await api(`${config.urls.workspace}?${layerParams(layer)}`);
    performance.mark("workspace:data");
    if (generation !== state.generation) return;
    if (!keepError) els.error.hidden = true;
    start(payload);
  } catch (error) {
    if (generation !== state.generation) return;
    showError(`${error.message}${fallback ? " Showing the default layer instead." : ""}`);
    if (fallback && error instanceof ApiError && (error.status === 400 || error.status === 403)) {
      const name = config.role === "viewer" ? "consensus" : "mine";
      await load({ name, coder: null }, { fallback: false, keepError: true });
      rememberLayer();
    }
  }
}

function start(payload) {
  state.payload = payload;
  state.index = new TextIndex(payload.text);
  state.layer = { name: payload.layer.name, coder: payload.layer.coder };
  state.writesTo = payload.permissions.writes_to;
  state.canAdjudicate = payload.permissions.can_adjudicate;
  state.seesOthers = payload.permissions.sees_other_coders;
  state.cursor = payload.cursor;
  state.codes = new Map(payload.codebook.codes.map((code) => [code.id, code]));
  state.paths = codePaths(payload.codebook.codes);
  state.usableCodes = treeOrder(payload.codebook.codes).filter((code) => code.is_active);
  state.codings = new Map(payload.codings.map((row) => [row.id, row]));
  state.coderNames = new Map(payload.coders.map((coder) => [coder.id, coder.name]));
  state.coderNames.set(me, config.user.name);
  state.selectedId = null;
  state.here = [];
  state.editing = null;
  state.span = null;
  if (state.transcript) state.transcript.dispose();
  els.margin.replaceChildren();
  state.transcript = new Transcript({
    root: els.transcript,
    margin: els.margin,
    index: state.index,
    turns: payload.turns,
    codes: state.codes,
    describe,
  });
  state.transcript.render(codingList(), marks());
  performance.mark("workspace:text");
  els.transcript.removeAttribute("aria-busy");
  document.body.classList.toggle("ws-readonly", !state.writesTo);
  els.codebookVersion.textContent = payload.codebook.version ? `v${payload.codebook.version}` : "";
  renderCodebookPanel();
  renderLayerSelect();
  renderMemoPanel();
  updateSelection();
  showCoding();
  if (!state.picker) {
    state.picker = new Picker({
      element: els.picker,
      codes: state.usableCodes,
      paths: state.paths,
      recent,
      onApply: (ids) => state.pickerTarget && state.pickerTarget(ids),
      onClose: (applied) => pickerClosed(applied),
      showDefinition: (code) => showDefinition(code),
    });
  } else {
    state.picker.codes = state.usableCodes;
    state.picker.paths = state.paths;
  }
  // The first stripes are laid out at once (one forced layout), so "interactive" means drawn.
  state.transcript.layoutStripes(codingList(), state.selectedId);
  performance.mark("workspace:stripes");
  applyHash();
  poller.restart();
  setLive("ok");
  performance.mark("workspace:interactive");
  document.body.dataset.workspace = "ready";
}

function treeOrder(codes) {
  const ordered = [];
  const walk = (node) => {
    ordered.push(node.code);
    node.children.forEach(walk);
  };
  for (const roots of codebookTree(codes).values()) roots.forEach(walk);
  return ordered;
}

function codingList() {
  return Array.from(state.codings.values()).sort((a, b) => a.start - b.start || a.end - b.end || a.id - b.id);
}

function marks() {
  const list = [];
  if (state.target) list.push(state.target);
  const selected = state.codings.get(state.selectedId);
  if (selected) {
    const color = state.codes.get(selected.code)?.color;
    list.push({ kind: "selected", start: selected.start, end: selected.end, color });
  }
  return list;
}

function describe(coding) {
  const code = state.codes.get(coding.code);
  const coderName =
    coding.layer === "consensus"
      ? `Consensus (${state.coderNames.get(coding.coder) || "adjudicator"})`
      : state.coderNames.get(coding.coder) || `Coder ${coding.coder}`;
  return { code, coderName };
}

function canEdit(coding) {
  if (!state.writesTo || !coding) return false;
  if (coding.layer === "consensus") return state.canAdjudicate && state.writesTo === "consensus";
  return coding.coder === me && state.writesTo === "individual";
}

function quoteOf(coding) {
  return state.index.slice(coding.start, coding.end);
}

// --- drawing --------------------------------------------------------------------------------

let stripesFrame = 0;
function layoutStripes() {
  cancelAnimationFrame(stripesFrame);
  stripesFrame = requestAnimationFrame(() => {
    if (!state.transcript) return;
    state.transcript.layoutStripes(codingList(), state.selectedId);
  });
}

/** Redraw the text over these spans, keeping whatever the user has selected in place. */
function redraw(spans) {
  const kept = currentSelection();
  state.transcript.update(spans, codingList(), marks());
  if (kept) restoreSelection(kept);
}

function currentSelection() {
  const selection = getSelection();
  if (!selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  if (!els.transcript.contains(range.startContainer) || !els.transcript.contains(range.endContainer)) return null;
  const anchor = pointToOffset(els.transcript, selection.anchorNode, selection.anchorOffset, "start");
  const focus = pointToOffset(els.transcript, selection.focusNode, selection.focusOffset, "start");
  if (anchor === null || focus === null) return null;
  return { anchor, focus };
}

function restoreSelection({ anchor, focus }) {
  const elements = state.transcript.mapped();
  const a = offsetToPoint(elements, anchor, "start");
  const f = offsetToPoint(elements, focus, "start");
  if (a && f) getSelection().setBaseAndExtent(a.node, a.offset, f.node, f.offset);
}

function setSelectionSpan(span) {
  const range = state.transcript.rangeFor(span.start, span.end);
  if (!range) return;
  const selection = getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

function countsByCode() {
  const counts = new Map();
  for (const coding of state.codings.values()) counts.set(coding.code, (counts.get(coding.code) || 0) + 1);
  return counts;
}

function renderCodebookPanel() {
  renderCodebook(els.codebook, {
    codes: state.payload.codebook.codes,
    counts: countsByCode(),
    canCode: Boolean(state.writesTo),
    onApply: (codeId) => {
      if (state.span) applyCodes([codeId], targetSpan());
      else {
        const code = state.codes.get(codeId);
        showDefinition(code);
        announce(`Select text first, then choose ${code.key} to apply it.`);
      }
    },
    onInfo: (codeId) => showDefinition(state.codes.get(codeId)),
  });
  els.codebookHint.textContent = state.writesTo
    ? "Select text, then choose a code (or press C). Counts are codings in this layer."
    : "Counts are codings in this layer.";
  updateCounts(els.codebook, countsByCode());
}

function showDefinition(code) {
  if (!code) return;
  const title = els.definition.querySelector(".ws-definition-title");
  title.textContent = `${code.key} ${code.name}`;
  els.definition.querySelector(".ws-criteria").replaceWith(criteriaList(code));
  els.definition.style.setProperty("--code-color", safeColor(code.color));
  els.definition.hidden = false;
}

function renderLayerSelect() {
  const options = [];
  if (config.role !== "viewer") options.push(["mine", "My codings"]);
  if (state.seesOthers) options.push(["all", "All coders"]);
  options.push(["consensus", "Consensus"]);
  if (state.seesOthers) {
    const seen = new Set();
    for (const coder of state.payload.coders) {
      if (coder.layer !== "individual" || coder.id === me || seen.has(coder.id)) continue;
      seen.add(coder.id);
      options.push([`coder:${coder.id}`, `${coder.name}'s codings`]);
    }
    if (state.layer.name === "coder" && state.layer.coder !== me && !seen.has(state.layer.coder)) {
      options.push([`coder:${state.layer.coder}`, `Coder ${state.layer.coder}'s codings`]);
    }
  }
  const current = state.layer.name === "coder" ? (state.layer.coder === me ? "mine" : `coder:${state.layer.coder}`) : state.layer.name;
  els.layer.replaceChildren(
    ...options.map(([value, label]) => {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = label;
      option.selected = value === current;
      return option;
    }),
  );
  els.layer.disabled = options.length < 2;
  let note;
  if (config.role === "viewer") note = "You are a viewer: you can read and export, not code.";
  else if (state.writesTo === "consensus") note = "Consensus layer: what you code here is the team's settled version.";
  else if (state.writesTo === "individual" && state.layer.name === "all") note = "All coders' codings; what you code goes to your own layer.";
  else if (state.writesTo === "individual") note = "";
  else if (state.layer.name === "consensus") note = "Consensus layer: read-only for you (the lead or an adjudicator writes it).";
  else note = "Another coder's codings: read-only. Choose “My codings” to code.";
  els.layerNote.textContent = note;
  els.layerNote.hidden = !note;
  const payload = state.payload;
  const counts = `${payload.interview.word_count.toLocaleString()} words · ${state.codings.size} coding${state.codings.size === 1 ? "" : "s"} in this layer`;
  els.facts.textContent = counts;
}

function renderMemoPanel() {
  renderMemos(els.memoList, {
    memos: state.payload.memos,
    me,
    isLead: config.role === "lead",
    handlers: {
      save: async (memo, body) => {
        try {
          const saved = await api(`${config.urls.memos}${memo.id}/`, { method: "PATCH", body: { body } });
          Object.assign(memo, { body: saved.body, title: saved.title, updated: saved.updated });
          renderMemoPanel();
          announce("Memo saved.");
        } catch (error) {
          failed(error);
        }
      },
      remove: async (memo) => {
        try {
          await api(`${config.urls.memos}${memo.id}/`, { method: "DELETE" });
          state.payload.memos = state.payload.memos.filter((m) => m.id !== memo.id);
          renderMemoPanel();
          announce("Memo deleted.");
        } catch (error) {
          failed(error);
        }
      },
      refresh: () => renderMemoPanel(),
    },
  });
  els.memoForm.hidden = config.role === "viewer";
}

els.memoForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = els.memoBody.value.trim();
  if (!body) {
    els.memoBody.focus();
    return;
  }
  try {
    const memo = await api(config.urls.memos, {
      method: "POST",
      body: { study: config.study, interview: config.interview, title: els.memoTitle.value, body },
    });
    state.payload.memos.unshift({ ...memo, author: me, author_name: config.user.name });
    els.memoBody.value = "";
    els.memoTitle.value = "";
    renderMemoPanel();
    announce("Memo added.");
  } catch (error) {
    failed(error);
  }
});

// --- selection ------------------------------------------------------------------------------

function readSelectionSpan() {
  const selection = getSelection();
  if (!selection.rangeCount || selection.isCollapsed) return null;
  return rangeToSpan(els.transcript, selection.getRangeAt(0));
}

/** The span new codings go on: the selection, snapped to whole words when that is on. */
function targetSpan(span = state.span) {
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
function flushSelection() {
  cancelAnimationFrame(selectionFrame);
  selectionFrame = 0;
  updateSelection();
}

function updateSelection() {
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

function setSnap(on) {
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
  const span = readSelectionSpan();
  if (span && state.snap && state.writesTo) {
    const snapped = snapToWords(state.index, span);
    if (snapped && (snapped.start !== span.start || snapped.end !== span.end)) setSelectionSpan(snapped);
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

function setFocusedTurn(turn, focus) {
  if (state.focusedTurn && state.focusedTurn !== turn) state.focusedTurn.tabIndex = -1;
  state.focusedTurn = turn;
  turn.tabIndex = 0;
  if (focus) turn.focus({ preventScroll: true });
}

function focusTurn(turn, caret) {
  setFocusedTurn(turn, true);
  turn.scrollIntoView({ block: "nearest" });
  if (caret) {
    const said = turn.querySelector(".ws-said [data-s]") || turn.querySelector("[data-s]");
    if (said) getSelection().collapse(said.firstChild, 0);
    drawCaret();
  }
}

function drawCaret() {
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

// --- coding selection and details ---------------------------------------------------------------

function selectCoding(id, { scroll = false, keepHere = false, focusStripe = false } = {}) {
  const previous = state.codings.get(state.selectedId);
  if (!keepHere) state.here = id === null ? [] : [id];
  state.selectedId = id;
  const current = state.codings.get(id);
  if (state.editing && state.editing !== id) state.editing = null;
  const spans = [previous, current].filter(Boolean);
  if (spans.length) redraw(spans);
  if (current) {
    if (scroll) {
      const range = state.transcript.rangeFor(current.start, current.end);
      const node = range && range.startContainer.parentElement;
      if (node) node.scrollIntoView({ block: "center" });
    }
    history.replaceState(null, "", `${location.pathname}${location.search}#coding-${id}`);
  } else if (location.hash.startsWith("#coding-")) {
    history.replaceState(null, "", `${location.pathname}${location.search}`);
  }
  for (const stripe of els.margin.querySelectorAll(".stripe.is-selected")) stripe.classList.remove("is-selected");
  const stripe = current && state.transcript.stripeFor(id);
  if (stripe) {
    stripe.classList.add("is-selected");
    for (const other of els.margin.querySelectorAll('.stripe[tabindex="0"]')) other.tabIndex = -1;
    stripe.tabIndex = 0;
    if (focusStripe) stripe.focus({ preventScroll: !scroll });
  }
  showCoding();
}

function showCoding() {
  const coding = state.codings.get(state.selectedId);
  if (!coding) {
    els.coding.hidden = true;
    return;
  }
  const { code, coderName } = describe(coding);
  els.coding.hidden = false;
  renderHere(els.here, {
    codings: state.here.map((id) => state.codings.get(id)).filter(Boolean),
    selectedId: state.selectedId,
    describe,
    onChoose: (id) => selectCoding(id, { keepHere: true }),
  });
  renderCoding(els.codingBody, {
    coding,
    code,
    coderName,
    quote: quoteOf(coding),
    canEdit: canEdit(coding),
    editing: state.editing === coding.id,
    handlers: {
      saveMemo: (memo) => updateCoding(coding.id, { memo }, "Memo saved."),
      changeCode: () => openPickerForChange(coding.id),
      editSpan: () => startEdit(coding.id),
      remove: () => deleteCoding(coding.id),
      saveSpan: () => saveEdit(),
      cancelEdit: () => cancelEdit(),
      focusBack: () => focusSelectedStripe(),
    },
  });
  if (code) showDefinition(code);
}

function focusSelectedStripe() {
  const stripe = state.transcript.stripeFor(state.selectedId);
  if (stripe) stripe.focus();
}

els.margin.addEventListener("click", (event) => {
  const stripe = event.target.closest(".stripe");
  if (!stripe) return;
  selectCoding(Number(stripe.dataset.coding), { scroll: false, focusStripe: true });
});

els.margin.addEventListener("keydown", (event) => {
  const stripe = event.target.closest(".stripe");
  if (!stripe || event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    const next = event.key === "ArrowDown" ? stripe.nextElementSibling : stripe.previousElementSibling;
    if (next) selectCoding(Number(next.dataset.coding), { scroll: true, focusStripe: true });
  }
});

function showTip(stripe) {
  const coding = state.codings.get(Number(stripe.dataset.coding));
  if (!coding) return;
  const { code, coderName } = describe(coding);
  const lines = [];
  const head = document.createElement("strong");
  head.textContent = code ? `${code.key} ${code.name}` : "Unknown code";
  lines.push(head);
  const who = document.createElement("span");
  who.textContent = coderName;
  lines.push(who);
  if (coding.memo) {
    const memo = document.createElement("span");
    memo.className = "ws-tip-memo";
    memo.textContent = `Memo: ${preview(coding.memo, 200)}`;
    lines.push(memo);
  }
  els.tip.replaceChildren(...lines);
  els.tip.hidden = false;
  stripe.setAttribute("aria-describedby", "ws-tip");
  const rect = stripe.getBoundingClientRect();
  const box = els.tip.getBoundingClientRect();
  let left = rect.left - box.width - 8;
  if (left < 8) left = rect.right + 8;
  const top = Math.min(Math.max(8, rect.top), window.innerHeight - box.height - 8);
  els.tip.style.left = `${left}px`;
  els.tip.style.top = `${top}px`;
}

function hideTip(stripe) {
  els.tip.hidden = true;
  if (stripe) stripe.removeAttribute("aria-describedby");
}

els.margin.addEventListener("mouseover", (event) => {
  const stripe = event.target.closest(".stripe");
  if (stripe) showTip(stripe);
});
els.margin.addEventListener("mouseout", (event) => {
  const stripe = event.target.closest(".stripe");
  if (stripe) hideTip(stripe);
});
els.margin.addEventListener("focusin", (event) => {
  const stripe = event.target.closest(".stripe");
  if (stripe) showTip(stripe);
});
els.margin.addEventListener("focusout", (event) => hideTip(event.target.closest(".stripe")));

// --- writing --------------------------------------------------------------------------------

function rowFromApi(row) {
  return { id: row.id, code: row.code, coder: row.coder, layer: row.layer, start: row.start, end: row.end, memo: row.memo, updated: row.updated };
}

function upsert(row) {
  const before = state.codings.get(row.id);
  state.codings.set(row.id, row);
  return before;
}

function afterCodingsChanged(spans) {
  redraw(spans);
  layoutStripes();
  updateCounts(els.codebook, countsByCode());
  renderLayerSelectFacts();
}

function renderLayerSelectFacts() {
  const payload = state.payload;
  els.facts.textContent = `${payload.interview.word_count.toLocaleString()} words · ${state.codings.size} coding${state.codings.size === 1 ? "" : "s"} in this layer`;
}

const inFlight = new Set();

async function applyCodes(codeIds, span, { silent = false } = {}) {
  if (!state.writesTo || !span || !codeIds.length) return [];
  const duplicates = codeIds.filter((codeId) =>
    codingList().some((c) => c.code === codeId && c.start === span.start && c.end === span.end && canEdit(c)),
  );
  const fresh = codeIds.filter((codeId) => !duplicates.includes(codeId));
  if (!fresh.length) {
    announce("That passage already has this code.");
    return [];
  }
  const layer = state.writesTo;
  // A double click on a code must not send the same coding twice.
  const flight = `${span.start}-${span.end}-${fresh.join(",")}`;
  if (inFlight.has(flight)) return [];
  inFlight.add(flight);
  let created;
  try {
    if (fresh.length === 1) {
      created = [
        await api(config.urls.codings, {
          method: "POST",
          body: { interview: config.interview, code: fresh[0], start: span.start, end: span.end, layer },
        }),
      ];
    } else {
      created = await api(config.urls.bulk, {
        method: "POST",
        body: { interview: config.interview, layer, items: fresh.map((code) => ({ code, start: span.start, end: span.end })) },
      });
    }
  } catch (error) {
    failed(error);
    return [];
  } finally {
    inFlight.delete(flight);
  }
  const rows = created.map(rowFromApi);
  rows.forEach(upsert);
  fresh.forEach((codeId) => recent.touch(codeId));
  state.undo.push({ type: "create", ids: rows.map((row) => row.id) });
  const selection = getSelection();
  if (selection.rangeCount && els.transcript.contains(selection.anchorNode)) selection.collapseToEnd();
  afterCodingsChanged([span]);
  state.here = rows.map((row) => row.id);
  selectCoding(rows[0].id, { keepHere: true });
  if (!silent) {
    const names = fresh.map((id) => state.codes.get(id)?.key).join(", ");
    announce(`Coded “${preview(state.index.slice(span.start, span.end), 60)}” with ${names}.`);
  }
  return rows;
}

async function updateCoding(id, changes, message, { recordUndo = true } = {}) {
  const coding = state.codings.get(id);
  if (!coding || !canEdit(coding)) return null;
  const before = { code: coding.code, start: coding.start, end: coding.end, memo: coding.memo };
  let saved;
  try {
    saved = rowFromApi(await api(`${config.urls.codings}${id}/`, { method: "PATCH", body: changes }));
  } catch (error) {
    failed(error);
    return null;
  }
  upsert(saved);
  if (recordUndo) state.undo.push({ type: "update", id, before });
  afterCodingsChanged([before, saved]);
  if (state.selectedId === id) showCoding();
  announce(message);
  return saved;
}

async function deleteCoding(id, { recordUndo = true } = {}) {
  const coding = state.codings.get(id);
  if (!coding || !canEdit(coding)) return false;
  try {
    await api(`${config.urls.codings}${id}/`, { method: "DELETE" });
  } catch (error) {
    if (error.status !== 404) {
      failed(error);
      return false;
    }
  }
  state.codings.delete(id);
  if (state.selectedId === id) {
    state.selectedId = null;
    state.editing = null;
  }
  state.here = state.here.filter((other) => other !== id);
  afterCodingsChanged([coding]);
  showCoding();
  if (recordUndo) {
    state.undo.push({ type: "delete", coding });
    const code = state.codes.get(coding.code);
    toast(`Deleted ${code ? code.key : "the coding"} on “${preview(quoteOf(coding), 50)}”.`, { undo: true });
  }
  return true;
}

async function undo() {
  const action = state.undo.pop();
  if (!action) {
    announce("Nothing to undo.");
    return;
  }
  if (action.type === "delete") {
    const { coding } = action;
    try {
      const row = rowFromApi(
        await api(config.urls.codings, {
          method: "POST",
          body: { interview: config.interview, code: coding.code, start: coding.start, end: coding.end, memo: coding.memo || "", layer: coding.layer },
        }),
      );
      upsert(row);
      afterCodingsChanged([row]);
      selectCoding(row.id);
      announce(`Restored ${state.codes.get(row.code)?.key || "the coding"}.`);
      hideToast();
    } catch (error) {
      state.undo.push(action);
      failed(error);
    }
  } else if (action.type === "create") {
    for (const id of action.ids) await deleteCoding(id, { recordUndo: false });
    announce("Coding undone.");
  } else if (action.type === "update") {
    const saved = await updateCoding(action.id, action.before, "Change undone.", { recordUndo: false });
    if (!saved) state.undo.push(action);
  }
}

// --- picker and editing ---------------------------------------------------------------------

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
function pickerClosed(applied) {
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

function openPickerForSelection() {
  const span = targetSpan();
  if (!span) {
    announce("Select some text first.");
    return;
  }
  openPickerForSpan(span, "Code the selected text");
}

function openPickerForTurn() {
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

function openPickerForChange(id) {
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

function startEdit(id) {
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

async function saveEdit() {
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

function cancelEdit() {
  state.editing = null;
  getSelection().removeAllRanges();
  showCoding();
  announce("Span editing cancelled.");
}

// --- keyboard -------------------------------------------------------------------------------

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

// --- layers, help, toasts -------------------------------------------------------------------

function rememberLayer() {
  const url = new URL(location.href);
  url.search = layerParams(state.layer).toString();
  history.replaceState(null, "", `${url.pathname}${url.search}${location.hash}`);
}

els.layer.addEventListener("change", async () => {
  const [name, coder] = els.layer.value.split(":");
  const layer = { name, coder: coder ? Number(coder) : null };
  history.replaceState(null, "", `${location.pathname}?${layerParams(layer)}`);
  state.target = null;
  await load(layer);
  announce(`Showing ${els.layer.selectedOptions[0]?.textContent || "the layer"}: ${state.codings.size} codings.`);
});

function openHelp() {
  if (!els.help.open) els.help.showModal();
}
els.helpOpen.addEventListener("click", openHelp);

let toastTimer = 0;
function toast(message, { error = false, undo: withUndo = false } = {}) {
  clearTimeout(toastTimer);
  const text = document.createElement("span");
  text.textContent = message;
  const parts = [text];
  if (withUndo) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "linklike";
    button.textContent = "Undo";
    button.setAttribute("aria-keyshortcuts", "Control+Z");
    button.addEventListener("click", () => undo());
    parts.push(button);
  }
  els.toast.replaceChildren(...parts);
  els.toast.classList.toggle("is-error", error);
  els.toast.classList.add("is-shown");
  toastTimer = setTimeout(hideToast, withUndo ? 12000 : 6000);
}

function hideToast() {
  els.toast.classList.remove("is-shown");
}

function announce(message) {
  toast(message);
}

function showError(message) {
  els.error.textContent = message;
  els.error.hidden = false;
}

/** A write failed: say why; when the session has ended, say how to go on. */
function failed(error) {
  toast(error.message, { error: true });
  if (error instanceof ApiError && error.status === 401) showSignedOut();
}

function showSignedOut() {
  const link = document.createElement("a");
  link.href = `/accounts/login/?next=${encodeURIComponent(location.pathname + location.search)}`;
  link.textContent = "Log in again";
  els.live.textContent = "Signed out";
  els.live.classList.add("is-offline");
  els.error.replaceChildren(
    "Your session has ended, so other coders' changes no longer arrive and nothing can be saved. ",
    link,
    ".",
  );
  els.error.hidden = false;
}

// --- deep links -----------------------------------------------------------------------------

function clearTarget() {
  const old = state.target;
  state.target = null;
  if (old) redraw([old]);
}

async function applyHash() {
  const spanMatch = location.hash.match(/^#span-(\d+)-(\d+)$/);
  const codingMatch = location.hash.match(/^#coding-(\d+)$/);
  if (spanMatch) {
    const start = Number(spanMatch[1]);
    const end = Number(spanMatch[2]);
    if (!(start < end && end <= state.index.length)) {
      showError(`The link points at characters ${start}–${end}, outside this transcript (${state.index.length} characters).`);
      return;
    }
    const old = state.target;
    state.target = { kind: "target", start, end };
    redraw([old, state.target].filter(Boolean));
    const range = state.transcript.rangeFor(start, end);
    if (range) {
      const node = range.startContainer.parentElement;
      node.scrollIntoView({ block: "center" });
      const turn = node.closest(".ws-turn");
      if (turn) setFocusedTurn(turn, false);
    }
    announce(`Showing the linked passage: “${preview(state.index.slice(start, end), 80)}”`);
  } else if (codingMatch) {
    const id = Number(codingMatch[1]);
    if (state.codings.has(id)) {
      if (state.selectedId !== id) selectCoding(id, { scroll: true });
      return;
    }
    await openCodingElsewhere(id);
  }
}

/** A linked coding not in this layer: find its layer (if the user may see it) and go there. */
const lookedUp = new Set();

async function openCodingElsewhere(id) {
  if (lookedUp.has(id)) {
    showError(`Coding ${id} is not in this layer.`);
    return;
  }
  lookedUp.add(id);
  let coding;
  try {
    coding = await api(`${config.urls.codings}${id}/`);
  } catch {
    showError(`Coding ${id} was not found (it may have been deleted, or it is not yours to see).`);
    return;
  }
  if (coding.interview !== config.interview) {
    showError(`Coding ${id} belongs to another interview.`);
    return;
  }
  let layer;
  if (coding.layer === "consensus") layer = { name: "consensus", coder: null };
  else if (coding.coder === me) layer = { name: "mine", coder: null };
  else layer = { name: "coder", coder: coding.coder };
  history.replaceState(null, "", `${location.pathname}?${layerParams(layer)}#coding-${id}`);
  await load(layer, { fallback: false });
}

window.addEventListener("hashchange", () => applyHash());

// --- live updates ---------------------------------------------------------------------------

const poller = new ChangesPoller({
  interval: config.poll_ms,
  request: () => {
    const params = layerParams(state.layer);
    params.set("since", String(state.cursor));
    return api(`${config.urls.changes}?${params}`);
  },
  onChanges: (changes) => {
    state.cursor = Math.max(state.cursor, changes.cursor);
    // Changes wait while the mouse is selecting, so the selection is not redrawn under it.
    if (state.pointerDown) state.deferred = mergeChanges(state.deferred, changes);
    else applyChanges(changes);
    setLive("ok");
  },
  onError: (error) => {
    setLive("offline", error.message);
    if (error instanceof ApiError && error.status === 401) {
      showSignedOut();
      return false; // no more polling until the page is opened again
    }
    return true;
  },
});

/** Apply other coders' changes: newer versions replace older ones; deletions remove. */
function applyChanges(changes) {
  const { spans, removed, fromOthers } = reconcile(state.codings, changes, me);
  if (!spans.length) return;
  for (const row of changes.upserts) {
    if (!state.coderNames.has(row.coder)) state.coderNames.set(row.coder, `Coder ${row.coder}`);
  }
  const selectedGone = removed.includes(state.selectedId);
  if (selectedGone) {
    state.selectedId = null;
    state.editing = null;
  }
  afterCodingsChanged(spans);
  if (selectedGone) {
    showCoding();
    announce("The coding you had selected was deleted elsewhere.");
  } else if (state.selectedId !== null) {
    const coding = state.codings.get(state.selectedId);
    const memo = $("ws-coding-memo");
    const typing = memo && document.activeElement === memo;
    if (coding && !typing && !state.editing) showCoding();
  }
  if (fromOthers) announce(`${fromOthers} change${fromOthers === 1 ? "" : "s"} from other coders.`);
}

function setLive(status, detail = "") {
  if (status === "ok") {
    const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    els.live.textContent = "Live";
    els.live.title = `Other coders' changes appear within a few seconds. Last checked ${time}.`;
    els.live.classList.remove("is-offline");
  } else {
    els.live.textContent = "Offline — retrying";
    els.live.title = detail;
    els.live.classList.add("is-offline");
  }
}

// The stripes follow the text when it reflows (a narrower window, a larger font).
let observedWidth = 0;
const resize = new ResizeObserver((entries) => {
  const width = entries[entries.length - 1].contentRect.width;
  if (width === observedWidth) return;
  observedWidth = width;
  layoutStripes();
  drawCaret();
});
resize.observe(els.transcript);
els.center.addEventListener("scroll", () => {
  if (!els.tip.hidden) els.tip.hidden = true;
}, { passive: true });

els.codeSelection.addEventListener("mousedown", (event) => event.preventDefault());
els.codeSelection.addEventListener("click", () => openPickerForSelection());

load(state.layer);
