// The workspace's side panels: the codebook tree (with counts and definitions), the selected
// coding, and the interview's memos. Text that people typed always goes in with textContent.

import { GROUPS, codebookTree, preview, safeColor } from "./model.js";

function el(tag, { className, text, attrs } = {}, children = []) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = text;
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value !== null && value !== undefined && value !== false) {
        element.setAttribute(name, value === true ? "" : String(value));
      }
    }
  }
  element.append(...children);
  return element;
}

const MEMO_TYPES = { analytic: "Analytic", methodological: "Methodological", reflexive: "Reflexive", case_note: "Case note", other: "Other" };

function swatch(color) {
  const span = el("span", { className: "swatch", attrs: { "aria-hidden": "true" } });
  span.style.background = safeColor(color);
  return span;
}

/** Definition, inclusion and exclusion criteria (and example) as a definition list. */
export function criteriaList(code) {
  const list = el("dl", { className: "ws-criteria" });
  for (const [label, text] of [
    ["Definition", code.definition],
    ["Use when", code.inclusion],
    ["Not when", code.exclusion],
    ["Example", code.example],
  ]) {
    if (text) list.append(el("dt", { text: label }), el("dd", { text }));
  }
  if (!list.children.length) list.append(el("dd", { className: "muted", text: "No definition yet." }));
  return list;
}

/**
 * The codebook panel: codes by group (processes, outcomes, competencies, other) in their
 * hierarchy, each with its colour, its number of codings in the layer shown, and its
 * definition behind a disclosure button. `canCode` adds a button per code that applies it to
 * the selected text.
 */
export function renderCodebook(container, { codes, counts, canCode, onApply, onInfo }) {
  const groups = codebookTree(codes);
  const sections = [];
  for (const [group, roots] of groups) {
    if (!roots.length) continue;
    const meta = GROUPS[group];
    const heading = el("h3", { className: "ws-group-title", text: meta.label });
    const section = el("section", { className: `ws-group group-${group}` }, [
      heading,
      el("ul", { className: "ws-codes" }, roots.map((node) => codeItem(node, 0))),
    ]);
    section.style.setProperty("--group-color", meta.color);
    sections.push(section);
  }
  if (!sections.length) sections.push(el("p", { className: "muted small", text: "This codebook has no codes yet." }));
  container.replaceChildren(...sections);
  container.removeAttribute("aria-busy");

  function codeItem(node, depth) {
    const { code } = node;
    const count = counts.get(code.id) || 0;
    const label = [swatch(code.color), el("span", { className: "ws-code-name", text: code.name }), el("span", { className: "ws-code-key", text: code.key })];
    let main;
    if (canCode && code.is_active) {
      main = el("button", { className: "ws-code-apply", attrs: { type: "button", "data-code": code.id, title: `Apply ${code.key} to the selected text` } }, label);
      main.addEventListener("mousedown", (event) => event.preventDefault());
      main.addEventListener("click", () => onApply(code.id));
    } else {
      main = el("span", { className: "ws-code-label" }, label);
    }
    const info = el("button", {
      className: "ws-code-info",
      text: "i",
      attrs: { type: "button", "aria-expanded": "false", "aria-label": `Definition of ${code.key} ${code.name}` },
    });
    const details = el("div", { className: "ws-code-details", attrs: { hidden: true } }, [criteriaList(code)]);
    info.addEventListener("mousedown", (event) => event.preventDefault());
    info.addEventListener("click", () => {
      const open = info.getAttribute("aria-expanded") !== "true";
      info.setAttribute("aria-expanded", String(open));
      details.hidden = !open;
      if (open) onInfo(code.id);
    });
    const row = el("div", { className: `ws-code-row${code.is_active ? "" : " is-inactive"}`, attrs: { "data-code-row": code.id } }, [
      main,
      el("span", { className: "ws-count", text: String(count), attrs: { title: `${count} coding${count === 1 ? "" : "s"} in this layer`, "data-count": code.id } }),
      info,
    ]);
    row.style.setProperty("--depth", String(depth));
    if (!code.is_active) row.append(el("span", { className: "visually-hidden", text: " (inactive)" }));
    const item = el("li", {}, [row, details]);
    if (node.children.length) {
      item.append(el("ul", { className: "ws-codes" }, node.children.map((child) => codeItem(child, depth + 1))));
    }
    return item;
  }
}

/** Refresh the per-code counts in the codebook panel without rebuilding it. */
export function updateCounts(container, counts) {
  for (const badge of container.querySelectorAll("[data-count]")) {
    const count = counts.get(Number(badge.dataset.count)) || 0;
    badge.textContent = String(count);
    badge.title = `${count} coding${count === 1 ? "" : "s"} in this layer`;
    badge.classList.toggle("is-zero", count === 0);
  }
}

/** The selected coding: code, coder, layer, quote, memo and what may be done with it. */
export function renderCoding(container, { coding, code, coderName, quote, canEdit, editing, handlers }) {
  const parts = [];
  parts.push(
    el("p", { className: "ws-coding-code" }, [
      swatch(code?.color),
      el("strong", { className: "ws-code-key", text: code ? code.key : "?" }),
      document.createTextNode(" "),
      el("span", { text: code ? code.name : "Unknown code" }),
    ]),
  );
  const layer = coding.layer === "consensus" ? "consensus layer" : "individual layer";
  parts.push(el("p", { className: "small muted", text: `${coderName} · ${layer} · characters ${coding.start}–${coding.end}` }));
  parts.push(el("blockquote", { className: "ws-quote", text: quote }));
  if (editing) {
    parts.push(
      el("p", { className: "ws-editing small", attrs: { role: "note" } }, [
        document.createTextNode("Select the new passage (mouse, or "),
        el("kbd", { text: "Shift" }),
        document.createTextNode("+arrows for the end, "),
        el("kbd", { text: "Alt" }),
        document.createTextNode("+"),
        el("kbd", { text: "Shift" }),
        document.createTextNode("+arrows for the start), then save."),
      ]),
    );
    const save = el("button", { className: "button", text: "Save span", attrs: { type: "button", "aria-keyshortcuts": "Enter" } });
    const cancel = el("button", { className: "button secondary", text: "Cancel", attrs: { type: "button", "aria-keyshortcuts": "Escape" } });
    save.addEventListener("mousedown", (event) => event.preventDefault());
    save.addEventListener("click", handlers.saveSpan);
    cancel.addEventListener("click", handlers.cancelEdit);
    parts.push(el("div", { className: "ws-actions" }, [save, cancel]));
  } else if (canEdit) {
    const memoId = "ws-coding-memo";
    const memo = el("textarea", { attrs: { id: memoId, rows: 3, maxlength: 10000, "aria-keyshortcuts": "Control+Enter" } });
    memo.value = coding.memo || "";
    memo.dataset.coding = String(coding.id);
    const saveMemo = el("button", { className: "button secondary small-button", text: "Save note", attrs: { type: "button" } });
    saveMemo.addEventListener("click", () => handlers.saveMemo(memo.value));
    memo.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        handlers.saveMemo(memo.value);
      } else if (event.key === "Escape") {
        event.preventDefault();
        memo.value = coding.memo || "";
        handlers.focusBack();
      }
    });
    parts.push(el("label", { className: "small", text: "Note on this coding", attrs: { for: memoId } }), memo, el("div", { className: "ws-actions" }, [saveMemo]));
    const change = el("button", { className: "button secondary small-button", attrs: { type: "button", "aria-keyshortcuts": "C" } }, [document.createTextNode("Change code "), el("kbd", { text: "C" })]);
    const edit = el("button", { className: "button secondary small-button", attrs: { type: "button", "aria-keyshortcuts": "E" } }, [document.createTextNode("Edit span "), el("kbd", { text: "E" })]);
    const remove = el("button", { className: "button danger small-button", attrs: { type: "button", "aria-keyshortcuts": "Delete" } }, [document.createTextNode("Delete "), el("kbd", { text: "Del" })]);
    change.addEventListener("click", handlers.changeCode);
    edit.addEventListener("click", handlers.editSpan);
    remove.addEventListener("click", handlers.remove);
    parts.push(el("div", { className: "ws-actions" }, [change, edit, remove]));
  } else {
    if (coding.memo) parts.push(el("p", { className: "small" }, [el("strong", { text: "Note: " }), document.createTextNode(coding.memo)]));
    parts.push(el("p", { className: "small muted", text: "Read-only here: only its coder (or, for the consensus, an adjudicator) changes it." }));
  }
  const link = el("a", { className: "small", text: "Link to this coding", attrs: { href: `#coding-${coding.id}` } });
  parts.push(el("p", {}, [link]));
  container.replaceChildren(...parts);
}

/** Several codings cover the clicked text: a list to choose one. */
export function renderHere(container, { codings, selectedId, describe, onChoose }) {
  if (codings.length < 2) {
    container.replaceChildren();
    return;
  }
  const items = codings.map((coding) => {
    const { code, coderName } = describe(coding);
    const button = el("button", { className: "ws-here-item", attrs: { type: "button", "aria-pressed": String(coding.id === selectedId) } }, [
      swatch(code?.color),
      el("span", { className: "ws-code-key", text: code ? code.key : "?" }),
      el("span", { className: "muted", text: ` ${coderName}` }),
    ]);
    button.addEventListener("click", () => onChoose(coding.id));
    return el("li", {}, [button]);
  });
  container.replaceChildren(el("p", { className: "small muted", text: `${codings.length} codings here:` }), el("ul", { className: "ws-here-list" }, items));
}

/** The interview's memos, newest first; the author (or a lead) edits and deletes. */
export function renderMemos(container, { memos, me, isLead, writable, handlers }) {
  if (!memos.length) {
    container.replaceChildren(el("p", { className: "muted small", text: "No memos on this interview yet." }));
    return;
  }
  container.replaceChildren(
    ...memos.map((memo) => {
      const card = el("article", { className: "ws-memo", attrs: { "data-memo": memo.id } });
      if (memo.title) card.append(el("h3", { className: "ws-memo-title", text: memo.title }));
      card.append(el("p", { className: "ws-memo-body", text: memo.body }));
      const when = new Date(memo.updated);
      card.append(el("p", { className: "small muted", text: `${MEMO_TYPES[memo.type] || memo.type || ""}${memo.type ? " · " : ""}${memo.author_name} · ${when.toLocaleString()}` }));
      if (writable && (memo.author === me || isLead)) {
        const edit = el("button", { className: "linklike small", text: "Edit", attrs: { type: "button" } });
        const remove = el("button", { className: "linklike small danger-link", text: "Delete", attrs: { type: "button" } });
        edit.addEventListener("click", () => editMemo(card, memo, handlers));
        remove.addEventListener("click", () => {
          if (remove.dataset.confirm) handlers.remove(memo);
          else {
            remove.dataset.confirm = "1";
            remove.textContent = "Delete — sure?";
          }
        });
        card.append(el("p", { className: "ws-memo-actions" }, [edit, remove]));
      }
      return card;
    }),
  );
}

function editMemo(card, memo, handlers) {
  const id = `ws-memo-edit-${memo.id}`;
  const body = el("textarea", { attrs: { id, rows: 4, maxlength: 50000 } });
  body.value = memo.body;
  const save = el("button", { className: "button secondary small-button", text: "Save", attrs: { type: "submit" } });
  const cancel = el("button", { className: "linklike small", text: "Cancel", attrs: { type: "button" } });
  const form = el("form", { className: "ws-memo-form" }, [el("label", { className: "small", text: "Memo", attrs: { for: id } }), body, el("div", { className: "ws-actions" }, [save, cancel])]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    handlers.save(memo, body.value);
  });
  cancel.addEventListener("click", () => handlers.refresh());
  card.replaceChildren(form);
  body.focus();
}

export function previewQuote(quote) {
  return preview(quote, 400);
}
