// Memos on any page that includes partials/memo_form.html or partials/memo_list.html: write a
// memo (POST /api/v1/memos/), edit or delete one's own (PATCH / DELETE), then reload the page so
// the server-rendered list shows the change. Text people typed only goes in as textContent/value.
import { api } from "./api.js";

const MEMOS_URL = "/api/v1/memos/";
// The memo types (coding.models.MemoType); the API refuses any other.
const TYPES = [
  ["analytic", "Analytic"],
  ["methodological", "Methodological"],
  ["reflexive", "Reflexive"],
  ["case_note", "Case note"],
  ["other", "Other"],
];

function say(status, text, isError = false) {
  if (!status) return;
  status.textContent = text;
  status.classList.toggle("error", isError);
}

function fieldErrors(error) {
  const fields = Object.entries(error.fields || {}).map(([name, texts]) => `${name}: ${[].concat(texts).join(" ")}`);
  return [error.message, ...fields].filter(Boolean).join(" ");
}

function wireForm(form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const status = form.querySelector(".memo-status");
    const body = form.elements.body.value.trim();
    if (!body) {
      say(status, "Write the memo first.", true);
      form.elements.body.focus();
      return;
    }
    const payload = { study: form.dataset.study, type: form.elements.type.value, title: form.elements.title.value, body };
    if (form.dataset.kind !== "study") payload[form.dataset.kind] = Number(form.dataset.target);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say(status, "Saving…");
    try {
      await api(MEMOS_URL, { method: "POST", body: payload });
      say(status, "Memo saved.");
      location.reload();
    } catch (error) {
      say(status, `Not saved: ${fieldErrors(error)}`, true);
      button.disabled = false;
    }
  });
}

function field(id, labelText, control) {
  const wrap = document.createElement("div");
  wrap.className = "field";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = labelText;
  control.id = id;
  wrap.append(label, control);
  return wrap;
}

function editForm(card) {
  const id = card.dataset.memo;
  const form = document.createElement("form");
  form.className = "memo-edit-form";
  const type = document.createElement("select");
  type.name = "type";
  for (const [value, label] of TYPES) {
    const option = new Option(label, value, false, value === card.dataset.type);
    type.append(option);
  }
  const title = document.createElement("input");
  title.type = "text";
  title.name = "title";
  title.maxLength = 200;
  title.value = card.dataset.title || "";
  const body = document.createElement("textarea");
  body.name = "body";
  body.rows = 4;
  body.required = true;
  body.maxLength = 50000;
  body.value = card.dataset.body || "";
  const save = document.createElement("button");
  save.type = "submit";
  save.className = "button secondary";
  save.textContent = "Save";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "linklike";
  cancel.textContent = "Cancel";
  const status = document.createElement("span");
  status.className = "small memo-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  form.append(
    field(`memo-${id}-edit-type`, "Type", type),
    field(`memo-${id}-edit-title`, "Title (optional)", title),
    field(`memo-${id}-edit-body`, "Memo", body),
    save,
    document.createTextNode(" "),
    cancel,
    document.createTextNode(" "),
    status,
  );
  cancel.addEventListener("click", () => {
    form.remove();
    card.querySelector(".memo-edit")?.focus();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!body.value.trim()) {
      say(status, "A memo cannot be empty.", true);
      return;
    }
    save.disabled = true;
    say(status, "Saving…");
    try {
      await api(`${MEMOS_URL}${id}/`, { method: "PATCH", body: { type: type.value, title: title.value, body: body.value } });
      say(status, "Memo saved.");
      location.reload();
    } catch (error) {
      say(status, `Not saved: ${fieldErrors(error)}`, true);
      save.disabled = false;
    }
  });
  return form;
}

function wireCard(card) {
  const edit = card.querySelector(".memo-edit");
  const remove = card.querySelector(".memo-delete");
  edit?.addEventListener("click", () => {
    if (card.querySelector(".memo-edit-form")) return;
    const form = editForm(card);
    card.append(form);
    form.elements.body.focus();
  });
  remove?.addEventListener("click", async () => {
    // Two clicks: the first asks, the second deletes (no dialog, so it works from the keyboard).
    if (!remove.dataset.confirm) {
      remove.dataset.confirm = "1";
      remove.textContent = "Really delete?";
      return;
    }
    remove.disabled = true;
    try {
      await api(`${MEMOS_URL}${card.dataset.memo}/`, { method: "DELETE" });
      location.reload();
    } catch (error) {
      remove.disabled = false;
      remove.textContent = `Not deleted: ${fieldErrors(error)}`;
    }
  });
}

document.querySelectorAll("form.memo-form").forEach(wireForm);
document.querySelectorAll("article.memo[data-memo]").forEach(wireCard);

// A link to a code in the codebook (…/codebook/#code-12, from the Memos tab) opens its details.
const linked = location.hash.startsWith("#code-") ? document.getElementById(location.hash.slice(1)) : null;
linked?.querySelector("details")?.setAttribute("open", "");
