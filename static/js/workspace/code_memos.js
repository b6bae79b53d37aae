// The memos on a code, under its definition in the workspace's codebook panel: read (fetched
// from /api/v1/memos/?code=…&target=code when the definition is shown, then kept) and, for coders
// and leads, add one. Text that people typed goes in with textContent only.

import { api } from "../api.js";
import { config } from "./state.js";

const TYPES = [
  ["analytic", "Analytic"],
  ["methodological", "Methodological"],
  ["reflexive", "Reflexive"],
  ["case_note", "Case note"],
  ["other", "Other"],
];
const LABELS = Object.fromEntries(TYPES);
const cache = new Map(); // code id -> memos (newest first)
let shown = null; // the code whose memos the panel shows

function el(tag, props = {}, children = []) {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs || {})) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function memoCard(memo) {
  const when = new Date(memo.created).toLocaleDateString();
  const card = el("article", { className: "ws-memo", attrs: { "data-code-memo": memo.id } });
  card.append(el("p", { className: "small muted", text: `${LABELS[memo.type] || memo.type} · ${memo.author_username} · ${when}` }));
  if (memo.title) card.append(el("p", { className: "ws-memo-title", text: memo.title }));
  card.append(el("p", { className: "ws-memo-body", text: memo.body }));
  return card;
}

function form(code, container) {
  const id = `ws-code-memo-${code.id}`;
  const type = el("select", { attrs: { id: `${id}-type` } }, TYPES.map(([value, label]) => new Option(label, value)));
  const body = el("textarea", { attrs: { id: `${id}-body`, rows: "2", maxlength: "50000", required: "" } });
  const status = el("span", { className: "small", attrs: { role: "status", "aria-live": "polite" } });
  const save = el("button", { className: "button secondary small-button", text: "Add code memo", attrs: { type: "submit" } });
  const memoForm = el("form", { className: "ws-memo-form", attrs: { "aria-label": `Memo on code ${code.key}` } }, [
    el("label", { className: "small", text: "Type", attrs: { for: type.id } }),
    type,
    el("label", { className: "small", text: `Memo on ${code.key}`, attrs: { for: body.id } }),
    body,
    save,
    status,
  ]);
  memoForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = body.value.trim();
    if (!text) {
      status.textContent = "Write the memo first.";
      body.focus();
      return;
    }
    save.disabled = true;
    try {
      const memo = await api(config.urls.memos, { method: "POST", body: { study: config.study, code: code.id, type: type.value, body: text } });
      cache.set(code.id, [memo, ...(cache.get(code.id) || [])]);
      body.value = "";
      draw(code, container);
      container.querySelector("[role=status]").textContent = "Code memo added.";
    } catch (error) {
      status.textContent = `Not saved: ${error.message}`;
    } finally {
      save.disabled = false;
    }
  });
  return memoForm;
}

function draw(code, container) {
  const memos = cache.get(code.id) || [];
  const parts = [el("p", { className: "ws-definition-subtitle small", text: `Memos on ${code.key} (${memos.length})` })];
  parts.push(...memos.map(memoCard));
  if (config.role !== "viewer") parts.push(form(code, container));
  container.replaceChildren(...parts);
}

/** Show the code's memos (and the form) in `container`, loading them the first time. */
export async function showCodeMemos(code, container) {
  shown = code.id;
  if (cache.has(code.id)) {
    draw(code, container);
    return;
  }
  container.replaceChildren(el("p", { className: "small muted", text: "Loading memos…" }));
  try {
    const url = `${config.urls.memos}?study=${encodeURIComponent(config.study)}&code=${code.id}&target=code&page_size=100`;
    const page = await api(url);
    cache.set(code.id, page.results || []);
  } catch (error) {
    if (shown === code.id) container.replaceChildren(el("p", { className: "small", text: `Memos not loaded: ${error.message}` }));
    return;
  }
  if (shown === code.id) draw(code, container);
}
