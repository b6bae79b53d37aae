// Loading a layer: one request to /api/v1/interviews/<id>/workspace/ (text, turns, codings of a
// layer, codebook, memos, permissions, a change cursor), then everything drawn from it; the layer menu.

import { api, ApiError } from "../api.js";
import { TextIndex } from "../offsets.js";
import { codePaths } from "./model.js";
import { Picker } from "./picker.js";
import { Transcript } from "./transcript.js";
import { poller, setLive } from "./changes.js";
import { showCoding } from "./details.js";
import { pickerClosed } from "./editing.js";
import { applyHash } from "./links.js";
import { announce, showError } from "./notices.js";
import { renderCodebookPanel, renderLayerSelect, renderMemoPanel, showDefinition } from "./render.js";
import { updateSelection } from "./selection.js";
import { codingList, config, describe, els, marks, me, recent, state, treeOrder } from "./state.js";

export function layerParams(layer) {
  const params = new URLSearchParams({ layer: layer.name });
  if (layer.name === "coder" && layer.coder) params.set("coder", String(layer.coder));
  return params;
}

export async function load(layer, { fallback = true, keepError = false } = {}) {
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

export function start(payload) {
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
