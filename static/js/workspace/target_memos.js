// Memos on one thing the workspace shows (a code under its definition, the selected coding in the
// coding panel): read them from /api/v1/memos/?<kind>=<id> (the API lists only what the reader
// may see, so blind coding holds), add one (type, title, body), and let the author or a lead edit
// or delete theirs. Nothing is offered to write where the page is read-only (a viewer, or an
// archived study). Text that people typed goes in with textContent/value only.

import { api } from "../api.js";
import { config, me } from "./state.js";

export const MEMO_TYPES = [
  ["analytic", "Analytic"],
  ["methodological", "Methodological"],
  ["reflexive", "Reflexive"],
  ["case_note", "Case note"],
  ["other", "Other"],
];
const LABELS = Object.fromEntries(MEMO_TYPES);

function el(tag, props = {}, children = []) {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs || {})) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function typeSelect(id, selected) {
  return el(
    "select",
    { attrs: { id } },
    MEMO_TYPES.map(([value, label]) => new Option(label, value, false, value === selected)),
  );
}

function errorText(error) {
  const fields = Object.entries(error.fields || {}).map(([name, texts]) => `${name}: ${[].concat(texts).join(" ")}`);
  return [error.message, ...fields].filter(Boolean).join(" ");
}

/**
 * Memos on targets of one kind. `kind` is the memo API's target field ("code", "coding");
 * `options.subtitle(target, count)` heads the list, `options.bodyLabel(target)` labels the new
 * memo's text and `options.formLabel(target)` its form, `options.addLabel` names the submit button, `options.listParams` adds filters to
 * the list request. A target is `{ id, label }`.
 */
export function targetMemos(kind, options) {
  const cache = new Map(); // target id -> memos (newest first)
  let shown = null; // the target whose memos are on screen

  const writable = () => !config.read_only;
  const mayChange = (memo) => writable() && (memo.author === me || config.role === "lead");

  function card(memo, target, container) {
    const when = new Date(memo.created).toLocaleDateString();
    const article = el("article", { className: "ws-memo", attrs: { [`data-${kind}-memo`]: memo.id } });
    article.append(el("p", { className: "small muted", text: `${LABELS[memo.type] || memo.type} · ${memo.author_username} · ${when}` }));
    if (memo.title) article.append(el("p", { className: "ws-memo-title", text: memo.title }));
    article.append(el("p", { className: "ws-memo-body", text: memo.body }));
    if (mayChange(memo)) {
      const name = memo.title || memo.body.slice(0, 40);
      const edit = el("button", { className: "linklike small", text: "Edit", attrs: { type: "button", "aria-label": `Edit memo ${name}` } });
      const remove = el("button", { className: "linklike small danger-link", text: "Delete", attrs: { type: "button", "aria-label": `Delete memo ${name}` } });
      edit.addEventListener("click", () => article.replaceWith(editForm(memo, target, container)));
      remove.addEventListener("click", async () => {
        // Two clicks: the first asks, the second deletes (no dialog, so it works from the keyboard).
        if (!remove.dataset.confirm) {
          remove.dataset.confirm = "1";
          remove.textContent = "Delete — sure?";
          return;
        }
        remove.disabled = true;
        try {
          await api(`${config.urls.memos}${memo.id}/`, { method: "DELETE" });
          cache.set(target.id, (cache.get(target.id) || []).filter((m) => m.id !== memo.id));
          draw(target, container, "Memo deleted.");
        } catch (error) {
          remove.disabled = false;
          remove.textContent = `Not deleted: ${errorText(error)}`;
        }
      });
      article.append(el("p", { className: "ws-memo-actions" }, [edit, remove]));
    }
    return article;
  }

  function editForm(memo, target, container) {
    const id = `ws-${kind}-memos-edit-${memo.id}`;
    const type = typeSelect(`${id}-type`, memo.type);
    const title = el("input", { attrs: { id: `${id}-title`, type: "text", maxlength: "200" } });
    title.value = memo.title || "";
    const body = el("textarea", { attrs: { id: `${id}-body`, rows: "3", maxlength: "50000", required: "" } });
    body.value = memo.body;
    const status = el("span", { className: "small", attrs: { role: "status", "aria-live": "polite" } });
    const save = el("button", { className: "button secondary small-button", text: "Save", attrs: { type: "submit" } });
    const cancel = el("button", { className: "linklike small", text: "Cancel", attrs: { type: "button" } });
    const form = el("form", { className: "ws-memo-form", attrs: { "aria-label": "Edit memo" } }, [
      el("label", { className: "small", text: "Type", attrs: { for: type.id } }),
      type,
      el("label", { className: "small", text: "Title (optional)", attrs: { for: title.id } }),
      title,
      el("label", { className: "small", text: "Memo", attrs: { for: body.id } }),
      body,
      el("div", { className: "ws-actions" }, [save, cancel]),
      status,
    ]);
    cancel.addEventListener("click", () => draw(target, container));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!body.value.trim()) {
        status.textContent = "A memo cannot be empty.";
        body.focus();
        return;
      }
      save.disabled = true;
      try {
        const saved = await api(`${config.urls.memos}${memo.id}/`, { method: "PATCH", body: { type: type.value, title: title.value, body: body.value } });
        Object.assign(memo, saved);
        draw(target, container, "Memo saved.");
      } catch (error) {
        status.textContent = `Not saved: ${errorText(error)}`;
        save.disabled = false;
      }
    });
    queueMicrotask(() => body.focus());
    return form;
  }

  function addForm(target, container) {
    const id = `ws-${kind}-memos-${target.id}`;
    const type = typeSelect(`${id}-type`, "analytic");
    const title = el("input", { attrs: { id: `${id}-title`, type: "text", maxlength: "200" } });
    const body = el("textarea", { attrs: { id: `${id}-body`, rows: "2", maxlength: "50000", required: "" } });
    const save = el("button", { className: "button secondary small-button", text: options.addLabel, attrs: { type: "submit" } });
    const status = el("span", { className: "small", attrs: { role: "status", "aria-live": "polite" } });
    const form = el("form", { className: "ws-memo-form", attrs: { "aria-label": options.formLabel(target) } }, [
      el("label", { className: "small", text: "Type", attrs: { for: type.id } }),
      type,
      el("label", { className: "small", text: "Title (optional)", attrs: { for: title.id } }),
      title,
      el("label", { className: "small", text: options.bodyLabel(target), attrs: { for: body.id } }),
      body,
      save,
      status,
    ]);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = body.value.trim();
      if (!text) {
        status.textContent = "Write the memo first.";
        body.focus();
        return;
      }
      save.disabled = true;
      try {
        const memo = await api(config.urls.memos, {
          method: "POST",
          body: { study: config.study, [kind]: target.id, type: type.value, title: title.value, body: text },
        });
        cache.set(target.id, [memo, ...(cache.get(target.id) || [])]);
        draw(target, container, options.addedText);
      } catch (error) {
        status.textContent = `Not saved: ${errorText(error)}`;
      } finally {
        save.disabled = false;
      }
    });
    return form;
  }

  function draw(target, container, said = "") {
    if (shown !== target.id) return;
    const memos = cache.get(target.id) || [];
    const parts = [el("p", { className: "ws-definition-subtitle small", text: options.subtitle(target, memos.length) })];
    parts.push(...memos.map((memo) => card(memo, target, container)));
    if (writable()) parts.push(addForm(target, container));
    container.replaceChildren(...parts);
    const status = container.querySelector("form [role=status]");
    if (said && status) status.textContent = said;
  }

  /** Show the target's memos (and, where the page is writable, the form) in `container`. */
  async function show(target, container) {
    if (shown === target.id && container.childElementCount && cache.has(target.id)) return;
    shown = target.id;
    if (cache.has(target.id)) {
      draw(target, container);
      return;
    }
    container.replaceChildren(el("p", { className: "small muted", text: "Loading memos…" }));
    try {
      const params = new URLSearchParams({ study: config.study, [kind]: String(target.id), page_size: "100", ...(options.listParams || {}) });
      const page = await api(`${config.urls.memos}?${params}`);
      cache.set(target.id, page.results || []);
    } catch (error) {
      if (shown === target.id) container.replaceChildren(el("p", { className: "small", text: `Memos not loaded: ${error.message}` }));
      return;
    }
    draw(target, container);
  }

  return { show };
}
