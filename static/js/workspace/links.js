// Deep links: #coding-<id> and #span-<start>-<end> in the address open the coding or mark the span,
// loading another layer when the coding is not in this one.

import { api } from "../api.js";
import { preview } from "./model.js";
import { selectCoding } from "./details.js";
import { layerParams, load } from "./load.js";
import { announce, showError } from "./notices.js";
import { redraw } from "./render.js";
import { setFocusedTurn } from "./selection.js";
import { $, config, me, state } from "./state.js";

export function clearTarget() {
  const old = state.target;
  state.target = null;
  if (old) redraw([old]);
}

export async function applyHash() {
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
