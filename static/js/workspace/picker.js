// The code picker: filter codes by key or name as you type, recent codes with number keys,
// several codes at once, and the definition of the highlighted code shown while choosing.

import { filterCodes, preview, safeColor } from "./model.js";

export class Picker {
  /**
   * element: the #ws-picker dialog. codes: active codes in codebook order. recent: RecentSlots.
   * onApply(codeIds) is called with the chosen codes; showDefinition(code) mirrors the
   * highlighted code's definition elsewhere (the codebook panel).
   */
  constructor({ element, codes, paths, recent, onApply, onClose = () => {}, showDefinition }) {
    this.element = element;
    this.input = element.querySelector("#ws-picker-filter");
    this.list = element.querySelector("#ws-picker-list");
    this.title = element.querySelector("#ws-picker-title");
    this.quote = element.querySelector("#ws-picker-quote");
    this.definition = element.querySelector("#ws-picker-definition");
    this.applyButton = element.querySelector("#ws-picker-apply");
    this.codes = codes;
    this.paths = paths;
    this.recent = recent;
    this.onApply = onApply;
    this.onClose = onClose;
    this.showDefinition = showDefinition;
    this.options = [];
    this.active = -1;
    this.checked = new Set();
    this.multiple = true;
    this.returnFocus = null;

    this.input.addEventListener("input", () => this.renderList());
    this.input.addEventListener("keydown", (event) => this.onKey(event));
    this.list.addEventListener("mousedown", (event) => event.preventDefault());
    this.list.addEventListener("click", (event) => this.onClick(event));
    this.applyButton.addEventListener("click", () => this.apply());
    element.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        this.close();
      }
    });
    element.addEventListener("focusout", (event) => {
      if (this.isOpen && event.relatedTarget && !element.contains(event.relatedTarget)) {
        this.close(false);
      }
    });
  }

  get isOpen() {
    return !this.element.hidden;
  }

  /** Open for a target: {title, quote, multiple, anchor (a DOMRect), current (code id)}. */
  open({ title, quote = "", multiple = true, anchor = null, current = null }) {
    this.returnFocus = document.activeElement;
    this.multiple = multiple;
    this.checked = new Set();
    this.current = current;
    this.title.textContent = title;
    this.quote.textContent = quote ? `“${preview(quote, 120)}”` : "";
    this.quote.hidden = !quote;
    this.list.setAttribute("aria-multiselectable", String(multiple));
    this.applyButton.textContent = multiple ? "Apply" : "Change code";
    this.input.value = "";
    this.element.hidden = false;
    this.renderList();
    this.place(anchor);
    this.input.focus();
  }

  close(restoreFocus = true, applied = false) {
    if (!this.isOpen) return;
    this.element.hidden = true;
    this.input.removeAttribute("aria-activedescendant");
    if (restoreFocus && this.returnFocus && this.returnFocus.isConnected) {
      this.returnFocus.focus({ preventScroll: true });
    }
    this.onClose(applied);
  }

  place(anchor) {
    const box = this.element.getBoundingClientRect();
    const margin = 8;
    let left = anchor ? anchor.left : (window.innerWidth - box.width) / 2;
    let top = anchor ? anchor.bottom + margin : (window.innerHeight - box.height) / 3;
    if (top + box.height > window.innerHeight - margin && anchor) {
      top = Math.max(margin, anchor.top - box.height - margin);
    }
    left = Math.min(Math.max(margin, left), window.innerWidth - box.width - margin);
    top = Math.min(Math.max(margin, top), window.innerHeight - box.height - margin);
    this.element.style.left = `${left}px`;
    this.element.style.top = `${top}px`;
  }

  /** The entries shown: recent codes (numbered) while nothing is typed, then every match. */
  entries() {
    const query = this.input.value.trim();
    const usable = new Map(this.codes.map((code) => [code.id, code]));
    const entries = [];
    if (!query) {
      for (const { number, codeId } of this.recent.entries((id) => usable.has(id))) {
        entries.push({ code: usable.get(codeId), number, section: "recent" });
      }
    }
    for (const code of filterCodes(this.codes, query)) {
      entries.push({ code, number: null, section: "all" });
    }
    return entries;
  }

  renderList() {
    const entries = this.entries();
    const previous = this.options[this.active]?.code.id;
    this.options = entries;
    const items = [];
    let section = null;
    entries.forEach((entry, i) => {
      if (entry.section !== section) {
        section = entry.section;
        const heading = document.createElement("li");
        heading.className = "ws-picker-section";
        heading.setAttribute("role", "presentation");
        heading.textContent = section === "recent" ? "Recent" : "All codes";
        items.push(heading);
      }
      const item = document.createElement("li");
      item.id = `ws-option-${i}`;
      item.className = "ws-option";
      item.setAttribute("role", "option");
      item.dataset.index = String(i);
      const depth = Math.max(0, (this.paths.get(entry.code.id)?.length || 1) - 1);
      if (section === "all") item.style.paddingLeft = `${0.5 + depth * 0.9}rem`;
      const check = document.createElement("span");
      check.className = "ws-option-check";
      check.setAttribute("aria-hidden", "true");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = safeColor(entry.code.color);
      const key = document.createElement("span");
      key.className = "ws-option-key";
      key.textContent = entry.code.key;
      const name = document.createElement("span");
      name.className = "ws-option-name";
      name.textContent = entry.code.name;
      item.append(check, swatch, key, name);
      if (entry.number !== null) {
        const number = document.createElement("kbd");
        number.textContent = String(entry.number);
        number.setAttribute("aria-label", `key ${entry.number}`);
        item.append(number);
      }
      if (entry.code.id === this.current) item.classList.add("is-current");
      items.push(item);
    });
    if (!entries.length) {
      const empty = document.createElement("li");
      empty.className = "ws-picker-empty muted small";
      empty.setAttribute("role", "presentation");
      empty.textContent = "No code matches.";
      items.push(empty);
    }
    this.list.replaceChildren(...items);
    let active = entries.findIndex((entry) => entry.code.id === previous);
    if (active < 0) active = entries.length ? 0 : -1;
    this.setActive(active);
    this.syncChecks();
  }

  setActive(i) {
    this.active = i;
    for (const item of this.list.querySelectorAll(".ws-option")) {
      item.classList.toggle("is-active", Number(item.dataset.index) === i);
    }
    const entry = this.options[i];
    if (!entry) {
      this.input.removeAttribute("aria-activedescendant");
      this.definition.replaceChildren();
      return;
    }
    const item = this.list.querySelector(`#ws-option-${i}`);
    this.input.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
    this.renderDefinition(entry.code);
    this.showDefinition(entry.code);
    this.updateApplyLabel();
  }

  renderDefinition(code) {
    const parts = [];
    for (const [label, text] of [
      ["Definition", code.definition],
      ["Use when", code.inclusion],
      ["Not when", code.exclusion],
    ]) {
      if (!text) continue;
      const p = document.createElement("p");
      const strong = document.createElement("strong");
      strong.textContent = `${label}: `;
      p.append(strong, document.createTextNode(text));
      parts.push(p);
    }
    this.definition.replaceChildren(...parts);
  }

  syncChecks() {
    for (const item of this.list.querySelectorAll(".ws-option")) {
      const entry = this.options[Number(item.dataset.index)];
      const checked = this.checked.has(entry.code.id);
      item.setAttribute("aria-selected", String(checked));
      item.classList.toggle("is-checked", checked);
    }
    this.updateApplyLabel();
  }

  updateApplyLabel() {
    if (!this.multiple) return;
    const active = this.options[this.active];
    const count = this.checked.size + (active && !this.checked.has(active.code.id) ? 1 : 0);
    this.applyButton.textContent = count > 1 ? `Apply ${count} codes` : "Apply";
  }

  toggle(i) {
    const entry = this.options[i];
    if (!entry || !this.multiple) return;
    if (this.checked.has(entry.code.id)) this.checked.delete(entry.code.id);
    else this.checked.add(entry.code.id);
    this.syncChecks();
  }

  onKey(event) {
    const count = this.options.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!count) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.setActive((this.active + step + count) % count);
    } else if (event.key === "Home" && event.ctrlKey) {
      event.preventDefault();
      this.setActive(count ? 0 : -1);
    } else if (event.key === "End" && event.ctrlKey) {
      event.preventDefault();
      this.setActive(count - 1);
    } else if (event.key === "Enter" && event.shiftKey) {
      event.preventDefault();
      this.toggle(this.active);
    } else if (event.key === "Enter") {
      event.preventDefault();
      this.apply();
    } else if (/^[1-9]$/.test(event.key) && !this.input.value && !event.ctrlKey && !event.altKey) {
      const codeId = this.recent.codeFor(Number(event.key));
      if (codeId !== null && this.codes.some((code) => code.id === codeId)) {
        event.preventDefault();
        this.apply([codeId]);
      }
    }
  }

  onClick(event) {
    const item = event.target.closest(".ws-option");
    if (!item) return;
    const i = Number(item.dataset.index);
    this.setActive(i);
    if (this.multiple && (event.target.closest(".ws-option-check") || event.ctrlKey || event.metaKey)) {
      this.toggle(i);
      this.input.focus();
      return;
    }
    this.apply([this.options[i].code.id]);
  }

  /**
   * Apply the marked codes and the highlighted one (Enter, the Apply button), or the marked
   * codes and the given ones (a number key, a click on a code).
   */
  apply(extra = null) {
    const chosen = new Set(this.checked);
    if (extra) extra.forEach((id) => chosen.add(id));
    else if (this.options[this.active]) chosen.add(this.options[this.active].code.id);
    if (!chosen.size) return;
    const ids = this.multiple ? [...chosen] : [[...chosen].at(-1)];
    this.close(true, true);
    this.onApply(ids);
  }
}
