// Live updates on the page: the poller for other coders' changes (live.js), applying them to what
// the page shows, and the live status.

import { api, ApiError } from "../api.js";
import { ChangesPoller, mergeChanges, reconcile } from "./live.js";
import { showCoding } from "./details.js";
import { layerParams } from "./load.js";
import { announce, showSignedOut } from "./notices.js";
import { $, config, els, me, state } from "./state.js";
import { afterCodingsChanged } from "./writes.js";

export const poller = new ChangesPoller({
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
export function applyChanges(changes) {
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

export function setLive(status, detail = "") {
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
