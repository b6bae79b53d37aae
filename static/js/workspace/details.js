// The selected coding: choosing one (from the text or a stripe), its details panel, and the
// stripes' focus and tooltips.

import { showCodingMemos } from "./code_memos.js";
import { preview } from "./model.js";
import { renderCoding, renderHere } from "./panels.js";
import { cancelEdit, openPickerForChange, saveEdit, startEdit } from "./editing.js";
import { redraw, showDefinition } from "./render.js";
import { canEdit, codingList, describe, els, quoteOf, state } from "./state.js";
import { deleteCoding, updateCoding } from "./writes.js";

export function selectCoding(id, { scroll = false, keepHere = false, focusStripe = false } = {}) {
  const previous = state.codings.get(state.selectedId);
  if (!keepHere) state.here = id === null ? [] : [id];
  state.selectedId = id;
  const current = state.codings.get(id);
  if (state.editing && state.editing !== id) state.editing = null;
  const spans = [previous, current].filter(Boolean);
  if (spans.length) redraw(spans);
  if (current) {
    if (scroll) {
      const range = state.transcript.rangeFor(current.start, current.end);
      const node = range && range.startContainer.parentElement;
      if (node) node.scrollIntoView({ block: "center" });
    }
    history.replaceState(null, "", `${location.pathname}${location.search}#coding-${id}`);
  } else if (location.hash.startsWith("#coding-")) {
    history.replaceState(null, "", `${location.pathname}${location.search}`);
  }
  for (const stripe of els.margin.querySelectorAll(".stripe.is-selected")) stripe.classList.remove("is-selected");
  const stripe = current && state.transcript.stripeFor(id);
  if (stripe) {
    stripe.classList.add("is-selected");
    for (const other of els.margin.querySelectorAll('.stripe[tabindex="0"]')) other.tabIndex = -1;
    stripe.tabIndex = 0;
    if (focusStripe) stripe.focus({ preventScroll: !scroll });
  }
  showCoding();
}

export function showCoding() {
  const coding = state.codings.get(state.selectedId);
  if (!coding) {
    els.coding.hidden = true;
    return;
  }
  const { code, coderName } = describe(coding);
  els.coding.hidden = false;
  renderHere(els.here, {
    codings: state.here.map((id) => state.codings.get(id)).filter(Boolean),
    selectedId: state.selectedId,
    describe,
    onChoose: (id) => selectCoding(id, { keepHere: true }),
  });
  renderCoding(els.codingBody, {
    coding,
    code,
    coderName,
    quote: quoteOf(coding),
    canEdit: canEdit(coding),
    editing: state.editing === coding.id,
    handlers: {
      saveMemo: (memo) => updateCoding(coding.id, { memo }, "Note saved."),
      changeCode: () => openPickerForChange(coding.id),
      editSpan: () => startEdit(coding.id),
      remove: () => deleteCoding(coding.id),
      saveSpan: () => saveEdit(),
      cancelEdit: () => cancelEdit(),
      focusBack: () => focusSelectedStripe(),
    },
  });
  showCodingMemos(coding, els.codingMemos);
  if (code) showDefinition(code);
}

function focusSelectedStripe() {
  const stripe = state.transcript.stripeFor(state.selectedId);
  if (stripe) stripe.focus();
}

els.margin.addEventListener("click", (event) => {
  const stripe = event.target.closest(".stripe");
  if (!stripe) return;
  selectCoding(Number(stripe.dataset.coding), { scroll: false, focusStripe: true });
});

els.margin.addEventListener("keydown", (event) => {
  const stripe = event.target.closest(".stripe");
  if (!stripe || event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    const next = event.key === "ArrowDown" ? stripe.nextElementSibling : stripe.previousElementSibling;
    if (next) selectCoding(Number(next.dataset.coding), { scroll: true, focusStripe: true });
  }
});

function showTip(stripe) {
  const coding = state.codings.get(Number(stripe.dataset.coding));
  if (!coding) return;
  const { code, coderName } = describe(coding);
  const lines = [];
  const head = document.createElement("strong");
  head.textContent = code ? `${code.key} ${code.name}` : "Unknown code";
  lines.push(head);
  const who = document.createElement("span");
  who.textContent = coderName;
  lines.push(who);
  if (coding.memo) {
    const memo = document.createElement("span");
    memo.className = "ws-tip-memo";
    memo.textContent = `Note: ${preview(coding.memo, 200)}`;
    lines.push(memo);
  }
  els.tip.replaceChildren(...lines);
  els.tip.hidden = false;
  stripe.setAttribute("aria-describedby", "ws-tip");
  const rect = stripe.getBoundingClientRect();
  const box = els.tip.getBoundingClientRect();
  let left = rect.left - box.width - 8;
  if (left < 8) left = rect.right + 8;
  const top = Math.min(Math.max(8, rect.top), window.innerHeight - box.height - 8);
  els.tip.style.left = `${left}px`;
  els.tip.style.top = `${top}px`;
}

function hideTip(stripe) {
  els.tip.hidden = true;
  if (stripe) stripe.removeAttribute("aria-describedby");
}

/** A column header's tooltip: the code's key and full name, and how many codings it has here. */
function showColumnTip(label) {
  const code = state.codes.get(Number(label.dataset.code));
  const head = document.createElement("strong");
  head.textContent = code ? `${code.key} ${code.name}` : "Unknown code";
  const count = codingList().filter((coding) => coding.code === Number(label.dataset.code)).length;
  const many = document.createElement("span");
  many.textContent = `${count} coding${count === 1 ? "" : "s"} in this layer`;
  els.tip.replaceChildren(head, many);
  els.tip.hidden = false;
  label.setAttribute("aria-describedby", "ws-tip");
  const rect = label.getBoundingClientRect();
  const box = els.tip.getBoundingClientRect();
  let left = rect.left - box.width - 8;
  if (left < 8) left = rect.right + 8;
  const top = Math.min(Math.max(8, rect.top), window.innerHeight - box.height - 8);
  els.tip.style.left = `${left}px`;
  els.tip.style.top = `${top}px`;
}

function tipTarget(event) {
  return event.target.closest ? event.target.closest(".stripe, .ws-col") : null;
}

function showTipFor(target) {
  if (target.classList.contains("ws-col")) showColumnTip(target);
  else showTip(target);
}

els.margin.addEventListener("mouseover", (event) => {
  const target = tipTarget(event);
  if (target) showTipFor(target);
});
els.margin.addEventListener("mouseout", (event) => {
  const target = tipTarget(event);
  if (target) hideTip(target);
});
els.margin.addEventListener("focusin", (event) => {
  const target = tipTarget(event);
  if (target) showTipFor(target);
});
els.margin.addEventListener("focusout", (event) => hideTip(tipTarget(event)));

// Column headers: one Tab stop; arrow keys move between them (a roving tabindex).
els.margin.addEventListener("keydown", (event) => {
  const label = event.target.closest && event.target.closest(".ws-col");
  if (!label || event.altKey || event.ctrlKey || event.metaKey) return;
  const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
  if (!step) return;
  event.preventDefault();
  const next = step > 0 ? label.nextElementSibling : label.previousElementSibling;
  if (!next) return;
  label.tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
});
