// The dyads table for the lead: cells save on change through the REST API (/api/v1/dyads/,
// /api/v1/participants/, /api/v1/attributes/) and revert on refusal; the paste box previews
// and applies a block copied from a spreadsheet (/api/v1/studies/<slug>/dyads/paste/).

import { ApiError, api } from "./api.js";

const root = document.querySelector("[data-dyads-table]");
const slug = root ? root.dataset.study : "";
const status = document.getElementById("dyads-status");
const FLASH = "dyads-table-flash";

function say(element, text, isError = false) {
  if (!element) return;
  element.textContent = text;
  element.classList.toggle("error", isError);
}

function errorText(error) {
  if (error instanceof ApiError) {
    const details = Object.values(error.fields || {}).flat();
    if (details.length > 1) return `${error.message} ${details.slice(1).join(" ")}`;
    return error.message;
  }
  return String(error);
}

/** Reload to show new rows or columns, carrying a message over to the new page. */
function reloadWith(message) {
  sessionStorage.setItem(FLASH, message);
  window.location.reload();
}

function display(value) {
  if (value === null || value === undefined) return "";
  if (value === true) return "yes";
  if (value === false) return "no";
  return String(value);
}

// --- Cells ------------------------------------------------------------------------------------

function controlValue(control) {
  return control.value;
}

function request(control, value) {
  const { holder, id, field, key } = control.dataset;
  const base = holder === "dyad" ? `/api/v1/dyads/${id}/` : `/api/v1/participants/${id}/`;
  let body;
  if (field === "attribute") body = { attributes: { [key]: value } };
  else if (field === "clinician" || field === "patient") body = { [field]: value ? Number(value) : null };
  else body = { [field]: value };
  return api(base, { method: "PATCH", body });
}

function cellMessage(control) {
  const next = control.nextElementSibling;
  return next && next.classList.contains("cell-msg") ? next : null;
}

/** Every control showing the same value: a clinician's attribute in each of their dyads. */
function twins(control) {
  const { holder, id, field, key } = control.dataset;
  return [...root.querySelectorAll(".cell-control")].filter(
    (other) =>
      other.dataset.holder === holder &&
      other.dataset.id === id &&
      other.dataset.field === field &&
      other.dataset.key === key,
  );
}

async function save(control) {
  const value = controlValue(control);
  if (value === control.dataset.saved) return;
  const message = cellMessage(control);
  if (control.validity && control.validity.badInput) {
    // A number field holding something that is not a number reads as "": never clear on a typo.
    control.value = control.dataset.saved;
    control.setAttribute("aria-invalid", "true");
    say(message, "Not saved: that is not a number.", true);
    return;
  }
  control.setAttribute("aria-busy", "true");
  try {
    const answer = await request(control, value);
    const { field, key } = control.dataset;
    if (field === "clinician" || field === "patient") {
      // The row's clinician or patient attributes are someone else's now.
      reloadWith(`Dyad ${answer.label}: ${field} changed.`);
      return;
    }
    let shown = value;
    if (field === "attribute") shown = display(answer.attributes[key]);
    else if (field === "pseudonym") shown = answer.pseudonym;
    else if (field === "label") shown = answer.label;
    for (const twin of twins(control)) {
      twin.value = shown;
      twin.dataset.saved = shown;
      twin.removeAttribute("aria-invalid");
      twin.classList.add("saved");
    }
    if (field === "pseudonym") {
      const role = control.dataset.holder;
      for (const option of root.querySelectorAll(`select[data-role="${role}"] option[value="${control.dataset.id}"]`)) {
        option.textContent = shown;
      }
    }
    say(message, "");
    say(status, `Saved: ${control.getAttribute("aria-label")} is ${shown || "empty"}.`);
  } catch (error) {
    control.value = control.dataset.saved;
    control.setAttribute("aria-invalid", "true");
    control.classList.remove("saved");
    say(message, `Not saved: ${errorText(error)}`, true);
    say(status, `Not saved: ${control.getAttribute("aria-label")}.`, true);
  } finally {
    control.removeAttribute("aria-busy");
  }
}

// --- Adding a dyad ----------------------------------------------------------------------------

async function personFor(form, role) {
  const choice = form.elements[role].value;
  if (choice === "") return "";
  if (choice !== "new") return form.elements[role].selectedOptions[0].textContent.trim();
  const pseudonym = form.elements[`${role}_name`].value.trim();
  if (!pseudonym) throw new ApiError(400, `Give the new ${role}'s pseudonym.`);
  await api("/api/v1/participants/", { method: "POST", body: { study: slug, role, pseudonym } });
  return pseudonym;
}

async function addDyad(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const message = form.querySelector(".form-msg");
  const label = form.elements.label.value.trim();
  if (!label) {
    say(message, "Give the dyad a label.", true);
    form.elements.label.focus();
    return;
  }
  try {
    const body = { study: slug, label };
    const clinician = await personFor(form, "clinician");
    const patient = await personFor(form, "patient");
    if (clinician) body.clinician = clinician;
    if (patient) body.patient = patient;
    await api("/api/v1/dyads/", { method: "POST", body });
    reloadWith(`Dyad ${label} added.`);
  } catch (error) {
    say(message, `Not added: ${errorText(error)}`, true);
  }
}

// --- Attributes -------------------------------------------------------------------------------

function splitChoices(text) {
  return text
    .split(",")
    .map((choice) => choice.trim())
    .filter(Boolean);
}

async function defineAttribute(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const message = form.querySelector(".form-msg");
  const type = form.elements.type.value;
  const body = {
    study: slug,
    entity: form.elements.entity.value,
    key: form.elements.key.value.trim(),
    label: form.elements.label.value.trim(),
    type,
  };
  if (type === "choice") body.choices = splitChoices(form.elements.choices.value);
  try {
    await api("/api/v1/attributes/", { method: "POST", body });
    reloadWith(`Attribute ${body.label || body.key} defined.`);
  } catch (error) {
    say(message, `Not defined: ${errorText(error)}`, true);
  }
}

async function attributeAction(event) {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const row = button.closest("tr[data-attribute]");
  const id = row.dataset.attribute;
  const message = row.querySelector(".attribute-msg");
  if (button.dataset.action === "save-attribute") {
    const type = row.querySelector("[name=type]").value;
    const body = { label: row.querySelector("[name=label]").value.trim(), type };
    if (type === "choice") body.choices = splitChoices(row.querySelector("[name=choices]").value);
    try {
      await api(`/api/v1/attributes/${id}/`, { method: "PATCH", body });
      reloadWith(`Attribute ${body.label} saved.`);
    } catch (error) {
      say(message, `Not changed: ${errorText(error)}`, true);
    }
  } else if (button.dataset.action === "delete-attribute") {
    // Two steps instead of a dialog: the first click asks, the second deletes.
    if (button.dataset.armed !== "true") {
      button.dataset.armed = "true";
      button.firstChild.textContent = "Delete every value?";
      say(message, "Click again to delete this attribute and all its values (the audit trail keeps them).");
      return;
    }
    try {
      await api(`/api/v1/attributes/${id}/`, { method: "DELETE" });
      reloadWith("Attribute deleted.");
    } catch (error) {
      say(message, `Not deleted: ${errorText(error)}`, true);
    }
  }
}

// --- Paste box --------------------------------------------------------------------------------

function element(tag, text, attributes = {}) {
  const made = document.createElement(tag);
  if (text !== undefined) made.textContent = text;
  for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, value);
  return made;
}

function showPaste(result, answer, applied) {
  result.replaceChildren();
  const { changes = [], errors = [] } = answer;
  if (errors.length) {
    result.append(element("p", `${errors.length} problem(s); nothing ${applied ? "was" : "would be"} stored:`, { class: "error-title" }));
    const list = element("ul", undefined, { class: "paste-errors" });
    for (const problem of errors) list.append(element("li", problem.message));
    result.append(list);
  }
  if (!changes.length) {
    if (!errors.length) result.append(element("p", "Nothing would change."));
    return;
  }
  result.append(element("p", `${changes.length} cell(s) would change:`));
  const table = element("table", undefined, { class: "data compact paste-changes" });
  table.append(element("caption", "Cells the paste changes", { class: "visually-hidden" }));
  const head = element("tr");
  for (const name of ["Row", "Dyad", "Column", "Now", "After"]) head.append(element("th", name, { scope: "col" }));
  const thead = element("thead");
  thead.append(head);
  table.append(thead);
  const body = element("tbody");
  for (const change of changes) {
    const tr = element("tr");
    for (const value of [change.row, change.dyad, change.column, change.before || "—", change.after || "—"]) {
      tr.append(element("td", String(value)));
    }
    body.append(tr);
  }
  table.append(body);
  result.append(table);
}

async function paste(apply) {
  const text = document.getElementById("paste-text").value;
  const result = document.getElementById("paste-result");
  if (!text.trim()) {
    result.replaceChildren(element("p", "Paste rows into the box first.", { class: "paste-errors" }));
    return;
  }
  try {
    const answer = await api(`/api/v1/studies/${slug}/dyads/paste/`, {
      method: "POST",
      body: { text, apply },
    });
    if (answer.applied) {
      reloadWith(`Pasted: ${answer.changes.length} cell(s) changed.`);
      return;
    }
    showPaste(result, answer, false);
  } catch (error) {
    const problems = error instanceof ApiError ? (error.fields.text || []) : [];
    if (problems.length) {
      showPaste(result, { errors: problems.map((message) => ({ message })) }, true);
    } else {
      result.replaceChildren(element("p", `Not pasted: ${errorText(error)}`, { class: "paste-errors" }));
    }
  }
}

// --- Wiring -----------------------------------------------------------------------------------

if (root && root.hasAttribute("data-editable")) {
  for (const control of root.querySelectorAll(".cell-control")) {
    control.dataset.saved = controlValue(control);
    control.addEventListener("change", () => save(control));
  }
  const addForm = document.getElementById("add-dyad-form");
  if (addForm) addForm.addEventListener("submit", addDyad);
  const defineForm = document.getElementById("define-attribute-form");
  if (defineForm) defineForm.addEventListener("submit", defineAttribute);
  const attributes = root.querySelector(".attributes-table");
  if (attributes) attributes.addEventListener("click", attributeAction);
  const pasteForm = document.getElementById("paste-form");
  if (pasteForm) {
    pasteForm.addEventListener("submit", (event) => {
      event.preventDefault();
      paste(false);
    });
    pasteForm.querySelector("[data-action=apply]").addEventListener("click", () => paste(true));
  }
  const flash = sessionStorage.getItem(FLASH);
  if (flash) {
    sessionStorage.removeItem(FLASH);
    say(status, flash);
  }
}
