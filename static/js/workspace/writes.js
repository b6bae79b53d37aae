// Writing codings: apply codes to a span, change or delete a coding, undo; the page follows the
// server's answers.

import { api } from "../api.js";
import { preview } from "./model.js";
import { updateCounts } from "./panels.js";
import { selectCoding, showCoding } from "./details.js";
import { announce, failed, hideToast, toast } from "./notices.js";
import { countsByCode, layoutStripes, redraw } from "./render.js";
import { canEdit, codingList, config, els, quoteOf, recent, state } from "./state.js";

function rowFromApi(row) {
  return { id: row.id, code: row.code, coder: row.coder, layer: row.layer, start: row.start, end: row.end, memo: row.memo, updated: row.updated };
}

function upsert(row) {
  const before = state.codings.get(row.id);
  state.codings.set(row.id, row);
  return before;
}

export function afterCodingsChanged(spans) {
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

export async function applyCodes(codeIds, span, { silent = false } = {}) {
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

export async function updateCoding(id, changes, message, { recordUndo = true } = {}) {
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

export async function deleteCoding(id, { recordUndo = true } = {}) {
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

export async function undo() {
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
