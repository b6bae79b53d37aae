// The de-identification review page: the transcript with every span highlighted by kind, the
// list of identifiers, the current one's details, and every action by keyboard and mouse.
// Data comes with the page (<script type="application/json">) and changes through the API;
// after a change only the spans it touched are redrawn (performance marks "deid-render" and
// "deid-update" measure the first drawing and each update).

import { api } from "../api.js";
import { TextIndex } from "../offsets.js";
import { SpanList } from "./list.js";
import { endLeft, endRight, progress, snapToWords, startLeft, startRight } from "./model.js";
import { DeidText } from "./text.js";

const config = JSON.parse(document.getElementById("dp-config").textContent);
const review = JSON.parse(document.getElementById("dp-review").textContent);
const index = new TextIndex(JSON.parse(document.getElementById("dp-text").textContent));
const $ = (id) => document.getElementById(id);

const SOURCES = {
  speaker_label: "speaker label",
  study: "the study's lists",
  pattern: "pattern",
  context: "context",
  gazetteer: "name or place list",
  repeat: "repeat",
  reviewer: "added by a reviewer",
  entity: "accepted study-wide",
};
const kinds = config.kinds;
const kindShort = new Map(kinds.map((k) => [k.value, k.short]));
const kindLabel = new Map(kinds.map((k) => [k.value, k.label]));
const state = {
  spans: new Map(),
  sorted: [],
  entities: new Map(),
  current: null,
  selection: null,
  busy: false,
};

const text = new DeidText({ root: $("transcript"), index, kinds: kindShort });
const list = new SpanList({
  root: $("dp-list"),
  describe: (span) => ({
    short: kindShort.get(span.kind) || span.kind,
    label: kindLabel.get(span.kind) || span.kind,
    words: index.slice(span.start, span.end),
    source: SOURCES[span.source] || span.source,
    replacement: span.entity ? state.entities.get(span.entity)?.replacement || "" : "",
  }),
  onPick: (id) => pick(id),
});

function load(data) {
  state.spans = new Map(data.spans.map((s) => [s.id, { ...s }]));
  state.entities = new Map(data.entities.map((e) => [e.id, e]));
  resort();
}

function resort() {
  state.sorted = Array.from(state.spans.values()).sort((a, b) => a.start - b.start || a.end - b.end);
}

// --- drawing --------------------------------------------------------------------------------

function renderAll() {
  performance.mark("deid-render-start");
  text.render(state.sorted);
  list.render(state.sorted);
  showProgress();
  performance.mark("deid-render-end");
  performance.measure("deid-render", "deid-render-start", "deid-render-end");
}

/** Bring the page up to date with a new set of spans, redrawing only what changed. */
function sync(data) {
  performance.mark("deid-update-start");
  const before = state.spans;
  const entitiesBefore = state.entities;
  state.entities = new Map(data.entities.map((e) => [e.id, e]));
  const renamed = (id) => id && entitiesBefore.get(id)?.replacement !== state.entities.get(id)?.replacement;
  const ranges = [];
  let membership = false;
  const restyled = [];
  const relisted = [];
  const next = new Map();
  for (const fresh of data.spans) {
    const old = before.get(fresh.id);
    next.set(fresh.id, { ...fresh });
    if (!old) {
      ranges.push([fresh.start, fresh.end]);
      membership = true;
    } else if (old.start !== fresh.start || old.end !== fresh.end) {
      ranges.push([old.start, old.end], [fresh.start, fresh.end]);
      relisted.push(fresh.id);
    } else if (old.kind !== fresh.kind || old.status !== fresh.status || old.entity !== fresh.entity) {
      restyled.push(fresh.id);
      relisted.push(fresh.id);
    } else if (renamed(fresh.entity)) {
      relisted.push(fresh.id);
    }
  }
  for (const old of before.values()) {
    if (!next.has(old.id)) {
      ranges.push([old.start, old.end]);
      membership = true;
    }
  }
  state.spans = next;
  resort();
  if (ranges.length) text.redraw(ranges, state.sorted);
  for (const id of restyled) text.restyle(state.spans.get(id));
  if (membership) list.render(state.sorted);
  else for (const id of relisted) list.update(state.spans.get(id));
  if (state.current !== null && !state.spans.has(state.current)) state.current = null;
  showCurrent(false);
  showProgress();
  finishUpdate();
}

/** One span changed (its kind, status, entity or bounds): redraw it alone. */
function replaceSpan(fresh) {
  performance.mark("deid-update-start");
  const old = state.spans.get(fresh.id);
  state.spans.set(fresh.id, { ...fresh });
  if (!old || old.start !== fresh.start || old.end !== fresh.end) {
    resort();
    const ranges = [[fresh.start, fresh.end]];
    if (old) ranges.push([old.start, old.end]);
    text.redraw(ranges, state.sorted);
    if (!old) list.render(state.sorted);
    else list.update(state.spans.get(fresh.id));
  } else {
    text.restyle(state.spans.get(fresh.id));
    list.update(state.spans.get(fresh.id));
  }
  showCurrent(false);
  showProgress();
  finishUpdate();
}

function finishUpdate() {
  performance.mark("deid-update-end");
  performance.measure("deid-update", "deid-update-start", "deid-update-end");
  document.body.dataset.deidUpdates = String(Number(document.body.dataset.deidUpdates || 0) + 1);
}

function showProgress() {
  const p = progress(state.sorted);
  const bar = $("dp-progress");
  bar.max = Math.max(1, p.reviewing);
  bar.value = p.decided;
  const parts = [];
  if (p.reviewing) parts.push(`${p.proposed} of ${p.reviewing} left to decide · ${p.accepted} accepted · ${p.rejected} rejected`);
  if (p.applied) parts.push(`${p.applied} replaced`);
  if (!parts.length) parts.push(config.writable ? "No identifier found yet: run the detector, or select text to add one." : "Nothing to review.");
  $("dp-progress-text").textContent = parts.join(" · ");
  $("dp-list-count").textContent = `(${state.sorted.length})`;
  const complete = $("dp-complete");
  if (complete) complete.disabled = p.proposed + p.accepted > 0;
  const apply = $("dp-apply-open");
  if (apply) apply.disabled = p.accepted === 0;
}

// --- current span ---------------------------------------------------------------------------

function pick(id, scroll = true) {
  state.current = id;
  showCurrent(scroll);
}

function showCurrent(scroll = true) {
  const span = state.spans.get(state.current);
  const mark = text.setCurrent(span ? span.id : null);
  list.setCurrent(span ? span.id : null, scroll);
  const panel = $("dp-detail");
  if (!span) {
    panel.hidden = true;
    return;
  }
  if (scroll && mark) mark.scrollIntoView({ block: "nearest" });
  panel.hidden = false;
  const position = state.sorted.indexOf(span) + 1;
  $("dp-detail-position").textContent = `${position} of ${state.sorted.length}`;
  $("dp-detail-quote").textContent = index.slice(span.start, span.end);
  $("dp-detail-status").textContent = span.status;
  $("dp-detail-source").textContent = SOURCES[span.source] || span.source || "—";
  $("dp-detail-confidence").textContent = span.source === "reviewer" ? "—" : `${Math.round(span.confidence * 100)} %`;
  const kind = $("dp-detail-kind");
  kind.value = span.kind;
  const editable = config.writable && span.status !== "applied";
  kind.disabled = !editable;
  for (const group of panel.querySelectorAll(".dp-actions")) group.hidden = !editable;
  $("dp-accept").disabled = span.status === "accepted";
  $("dp-reject").disabled = span.status === "rejected";
  const entity = span.entity ? state.entities.get(span.entity) : null;
  const form = $("dp-replacement");
  form.hidden = !entity || !editable;
  if (entity && document.activeElement !== $("dp-replacement-input")) $("dp-replacement-input").value = entity.replacement;
  $("dp-replacement-note").textContent = entity
    ? `Replaced by “${entity.replacement}” wherever this ${kindLabel.get(entity.kind).toLowerCase()} occurs in the study.`
    : span.status === "proposed"
      ? "Accepting gives it a replacement the app suggests (editable)."
      : "";
}

function move(step, onlyProposed = false) {
  const spans = state.sorted;
  if (!spans.length) return;
  let at = spans.findIndex((s) => s.id === state.current);
  for (let n = 0; n < spans.length; n++) {
    at = at < 0 ? (step > 0 ? 0 : spans.length - 1) : (at + step + spans.length) % spans.length;
    if (!onlyProposed || spans[at].status === "proposed") {
      pick(spans[at].id);
      return;
    }
  }
  notice("No identifier is left to decide.");
}

// --- writes ---------------------------------------------------------------------------------

function notice(message) {
  $("dp-error").hidden = true;
  $("dp-notice").textContent = message;
}

function failed(error) {
  const box = $("dp-error");
  box.textContent = error.message || String(error);
  box.hidden = false;
}

async function write(action) {
  if (state.busy || !config.writable) return;
  state.busy = true;
  document.body.dataset.deidBusy = "1";
  try {
    await action();
  } catch (error) {
    failed(error);
  } finally {
    state.busy = false;
    delete document.body.dataset.deidBusy;
  }
}

const spanUrl = (id) => `${config.urls.review}spans/${id}/`;

async function refresh() {
  sync(await api(config.urls.review));
}

function patchCurrent(body, message) {
  const span = state.spans.get(state.current);
  if (!span || span.status === "applied") return;
  write(async () => {
    const fresh = await api(spanUrl(span.id), { method: "PATCH", body });
    if (fresh.entity && !state.entities.has(fresh.entity)) await refresh();
    else replaceSpan(fresh);
    notice(message(fresh));
  });
}

function decide(status) {
  patchCurrent({ status }, (span) => `${index.slice(span.start, span.end)}: ${status}.`);
}

function setKind(kind) {
  patchCurrent({ kind }, () => `Kind: ${kindLabel.get(kind)}.`);
}

function nudge(which) {
  const span = state.spans.get(state.current);
  if (!span) return;
  const from = Math.max(0, span.start - 200);
  const to = Math.min(index.length, span.end + 200);
  const chars = Array.from(index.slice(from, to));
  const s = span.start - from;
  const e = span.end - from;
  let start = s;
  let end = e;
  if (which === "start-left") start = startLeft(chars, s);
  else if (which === "start-right") start = startRight(chars, s, e);
  else if (which === "end-left") end = endLeft(chars, s, e);
  else end = endRight(chars, e);
  if (start === s && end === e) {
    notice("It cannot move further that way.");
    return;
  }
  patchCurrent({ start: start + from, end: end + from }, (fresh) => `Now “${index.slice(fresh.start, fresh.end)}”.`);
}

function fitToSelection() {
  if (!state.selection) {
    notice("Select the text the identifier should cover first.");
    return;
  }
  const { start, end } = state.selection;
  patchCurrent({ start, end }, (fresh) => `Now “${index.slice(fresh.start, fresh.end)}”.`);
  clearSelection();
}

function addSelection(kind) {
  const selected = state.selection;
  if (!selected) {
    notice("Select the missed identifier's text first.");
    return;
  }
  write(async () => {
    const span = await api(config.urls.spans, { method: "POST", body: { ...selected, kind } });
    clearSelection();
    if (span.entity && !state.entities.has(span.entity)) await refresh();
    else replaceSpan(span);
    pick(span.id);
    notice(`Added “${index.slice(span.start, span.end)}” as ${kindLabel.get(kind).toLowerCase()}.`);
  });
}

function acceptAll() {
  const span = state.spans.get(state.current);
  if (!span || span.status === "applied") return;
  const words = index.slice(span.start, span.end);
  write(async () => {
    const counts = await api(`${spanUrl(span.id)}accept-all/`, { method: "POST" });
    await refresh();
    notice(
      `Every “${words}” accepted: ${counts.accepted} proposal(s) accepted and ${counts.added} added in ${counts.interviews} interview(s)` +
        (counts.skipped ? `; ${counts.skipped} left alone (they overlap another span or were rejected).` : "."),
    );
  });
}

async function rename(event) {
  event.preventDefault();
  const span = state.spans.get(state.current);
  if (!span || !span.entity) return;
  const replacement = $("dp-replacement-input").value;
  write(async () => {
    const entity = await api(`${config.urls.entities}${span.entity}/`, { method: "PATCH", body: { replacement } });
    state.entities.set(entity.id, entity);
    performance.mark("deid-update-start");
    for (const s of state.sorted) if (s.entity === entity.id) list.update(s);
    showCurrent(false);
    finishUpdate();
    notice(`Replaced by “${entity.replacement}” everywhere in the study.`);
  });
}

function propose() {
  write(async () => {
    notice("Looking for identifiers…");
    const counts = await api(config.urls.propose, { method: "POST" });
    await refresh();
    $("dp-propose").textContent = "Run the detector again";
    notice(`${counts.proposed} identifier(s) proposed; ${counts.kept} decision(s) kept.`);
    if (state.current === null) move(1, true);
  });
}

function complete() {
  write(async () => {
    await api(config.urls.complete, { method: "POST" });
    location.reload();
  });
}

function openApply() {
  const p = progress(state.sorted);
  $("dp-apply-count").textContent = `${p.accepted} accepted identifier${p.accepted === 1 ? "" : "s"} will be replaced.`;
  const left = $("dp-apply-left");
  left.hidden = p.proposed === 0;
  left.textContent = `${p.proposed} proposal${p.proposed === 1 ? " is" : "s are"} still undecided: ${p.proposed === 1 ? "it is" : "they are"} not replaced and stay in the text. Decide them first unless they are not identifiers.`;
  $("dp-apply-dialog").showModal();
}

function applyReview() {
  write(async () => {
    notice("Applying…");
    const result = await api(config.urls.apply, { method: "POST" });
    notice(`${result.replaced} identifier(s) replaced, ${result.codings} coding(s) moved. Reloading…`);
    location.reload();
  });
}

// --- selection ------------------------------------------------------------------------------

let selectionFrame = 0;
function readSelection() {
  cancelAnimationFrame(selectionFrame);
  selectionFrame = requestAnimationFrame(() => {
    const raw = text.selectionSpan();
    let snapped = null;
    if (raw) {
      const from = Math.max(0, raw.start - 100);
      const to = Math.min(index.length, raw.end + 100);
      const local = snapToWords(Array.from(index.slice(from, to)), raw.start - from, raw.end - from);
      if (local) snapped = { start: local.start + from, end: local.end + from };
    }
    state.selection = snapped;
    const card = $("dp-selection");
    card.hidden = !snapped || !config.writable;
    if (snapped) $("dp-selection-quote").textContent = index.slice(snapped.start, snapped.end);
  });
}

function clearSelection() {
  getSelection().removeAllRanges();
  state.selection = null;
  $("dp-selection").hidden = true;
}

// --- keyboard -------------------------------------------------------------------------------

function typing(target) {
  return target.closest("input, select, textarea, [contenteditable=true], dialog");
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (typing(event.target)) return;
  const key = event.key;
  const inList = event.target.closest("#dp-list, #transcript");
  let handled = true;
  if (key === "j" || (inList && key === "ArrowDown" && !event.shiftKey)) move(1);
  else if (key === "k" || (inList && key === "ArrowUp" && !event.shiftKey)) move(-1);
  else if (key === "n") move(1, true);
  else if (key === "N") move(-1, true);
  else if (key === "a") decide("accepted");
  else if (key === "r") decide("rejected");
  else if (key === "e") acceptAll();
  else if (key === "[") nudge("start-left");
  else if (key === "]") nudge("start-right");
  else if (key === "ArrowLeft" && event.shiftKey && state.current !== null && !state.selection) nudge("end-left");
  else if (key === "ArrowRight" && event.shiftKey && state.current !== null && !state.selection) nudge("end-right");
  else if (key === "f") fitToSelection();
  else if (key === "s") addSelection($("dp-selection-kind").value);
  else if (/^[1-9]$/.test(key) && kinds[Number(key) - 1]) {
    const kind = kinds[Number(key) - 1].value;
    if (state.selection) addSelection(kind);
    else setKind(kind);
  } else if (key === "Escape") clearSelection();
  else handled = false;
  if (handled) event.preventDefault();
});

// --- wiring ---------------------------------------------------------------------------------

const on = (id, handler) => {
  const element = $(id);
  if (element) element.addEventListener("click", handler);
};
on("dp-accept", () => decide("accepted"));
on("dp-reject", () => decide("rejected"));
on("dp-accept-all", acceptAll);
on("dp-start-left", () => nudge("start-left"));
on("dp-start-right", () => nudge("start-right"));
on("dp-end-left", () => nudge("end-left"));
on("dp-end-right", () => nudge("end-right"));
on("dp-fit", fitToSelection);
on("dp-add", () => addSelection($("dp-selection-kind").value));
on("dp-propose", propose);
on("dp-complete", complete);
on("dp-apply-open", openApply);
$("dp-detail-kind").addEventListener("change", (event) => setKind(event.target.value));
$("dp-replacement").addEventListener("submit", rename);
$("dp-apply-dialog").addEventListener("close", () => {
  if ($("dp-apply-dialog").returnValue === "apply") applyReview();
});
$("transcript").addEventListener("click", (event) => {
  const mark = event.target.closest("mark[data-id]");
  if (mark && getSelection().isCollapsed) pick(Number(mark.dataset.id), false);
});
document.addEventListener("selectionchange", readSelection);

load(review);
renderAll();
$("transcript").setAttribute("aria-busy", "false");
document.body.dataset.deid = "ready";
