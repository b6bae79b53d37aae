// Rendering: the transcript's text and highlights and the margin stripes (through transcript.js),
// the codebook, layer and memo panels (through panels.js), and keeping the selection across redraws.

import { api } from "../api.js";
import { offsetToPoint, pointToOffset } from "../offsets.js";
import { safeColor } from "./model.js";
import { criteriaList, renderCodebook, renderMemos, updateCounts } from "./panels.js";
import { showCodeMemos } from "./code_memos.js";
import { announce, failed } from "./notices.js";
import { targetSpan } from "./selection.js";
import { codingList, config, els, marks, me, state } from "./state.js";
import { applyCodes } from "./writes.js";

let stripesFrame = 0;
export function layoutStripes() {
  cancelAnimationFrame(stripesFrame);
  stripesFrame = requestAnimationFrame(() => {
    if (!state.transcript) return;
    state.transcript.layoutStripes(codingList(), state.selectedId);
  });
}

/** Redraw the text over these spans, keeping whatever the user has selected in place. */
export function redraw(spans) {
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

export function setSelectionSpan(span) {
  const range = state.transcript.rangeFor(span.start, span.end);
  if (!range) return;
  const selection = getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

export function countsByCode() {
  const counts = new Map();
  for (const coding of state.codings.values()) counts.set(coding.code, (counts.get(coding.code) || 0) + 1);
  return counts;
}

export function renderCodebookPanel() {
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

export function showDefinition(code) {
  if (!code) return;
  const title = els.definition.querySelector(".ws-definition-title");
  title.textContent = `${code.key} ${code.name}`;
  els.definition.querySelector(".ws-criteria").replaceWith(criteriaList(code));
  els.definition.style.setProperty("--code-color", safeColor(code.color));
  els.definition.hidden = false;
  showCodeMemos(code, els.definition.querySelector(".ws-code-memos"));
}

export function renderLayerSelect() {
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
  if (config.archived) note = "This study is archived: read-only for everyone (a lead can unarchive it on the settings page).";
  else if (config.role === "viewer") note = "You are a viewer: you can read and export, not code.";
  else if (state.payload.permissions.awaits_deid) note = "Coding waits for this interview's de-identification review (see above).";
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

export function renderMemoPanel() {
  renderMemos(els.memoList, {
    memos: state.payload.memos,
    me,
    isLead: config.role === "lead",
    writable: !config.read_only,
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
  els.memoForm.hidden = Boolean(config.read_only);
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
      body: { study: config.study, interview: config.interview, type: els.memoType.value, title: els.memoTitle.value, body },
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
