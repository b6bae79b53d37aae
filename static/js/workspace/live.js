// Live updates: ask the server for other coders' changes every few seconds, and merge them into
// the codings the page holds without losing anyone's work.

/**
 * Polls `request()` every `interval` ms while the tab is visible (every `hiddenInterval` ms while
 * it is hidden, and at once when it becomes visible again). A restart (say, another layer was
 * loaded) drops answers to requests made before it. `onError` returning false stops polling.
 */
export class ChangesPoller {
  constructor({ request, interval, hiddenInterval = 30000, onChanges, onError }) {
    this.request = request;
    this.interval = interval;
    this.hiddenInterval = hiddenInterval;
    this.onChanges = onChanges;
    this.onError = onError;
    this.timer = 0;
    this.token = 0;
    this.running = false;
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && this.running) this.schedule(0);
    });
  }

  restart() {
    this.token += 1;
    this.running = true;
    this.schedule(this.interval);
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
  }

  schedule(delay) {
    clearTimeout(this.timer);
    const wait = document.hidden ? Math.max(delay, this.hiddenInterval) : delay;
    this.timer = setTimeout(() => this.poll(), wait);
  }

  async poll() {
    const token = this.token;
    let keepGoing = true;
    try {
      const changes = await this.request();
      if (token !== this.token) return;
      this.onChanges(changes);
    } catch (error) {
      if (token !== this.token) return;
      keepGoing = this.onError(error) !== false;
    }
    if (keepGoing && this.running) this.schedule(this.interval);
    else this.running = false;
  }
}

/** Changes that arrived while they could not be applied, kept in order. */
export function mergeChanges(into, changes) {
  if (!into) return { upserts: [...changes.upserts], deleted: [...changes.deleted] };
  return {
    upserts: [...into.upserts, ...changes.upserts],
    deleted: [...into.deleted, ...changes.deleted],
  };
}

function sameCoding(a, b) {
  return (
    a.code === b.code &&
    a.start === b.start &&
    a.end === b.end &&
    a.memo === b.memo &&
    a.layer === b.layer &&
    a.coder === b.coder
  );
}

/**
 * Merge changes into `codings` (a Map id → row): a newer version replaces an older one (rows
 * carry `updated`), an identical one changes nothing, a deletion removes. Returns the spans to
 * redraw (old and new places), the ids removed, and how many changes came from others.
 */
export function reconcile(codings, changes, me) {
  const spans = [];
  const removed = [];
  let fromOthers = 0;
  for (const row of changes.upserts) {
    const existing = codings.get(row.id);
    if (existing && (existing.updated > row.updated || sameCoding(existing, row))) continue;
    if (row.coder !== me) fromOthers++;
    codings.set(row.id, row);
    spans.push(row);
    if (existing) spans.push(existing);
  }
  for (const id of changes.deleted) {
    const existing = codings.get(id);
    if (!existing) continue;
    if (existing.coder !== me) fromOthers++;
    codings.delete(id);
    spans.push(existing);
    removed.push(id);
  }
  return { spans, removed, fromOthers };
}
