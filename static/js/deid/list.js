// The side list of identifiers: one option per span (kind, words, status, confidence, source,
// replacement), drawn once and then updated item by item.

const STATUS = { proposed: "proposed", accepted: "accepted", rejected: "rejected", applied: "applied" };

export class SpanList {
  /** root: the listbox; describe(span) → {short, label, words, replacement, source}. */
  constructor({ root, describe, onPick }) {
    this.root = root;
    this.describe = describe;
    this.items = new Map(); // span id → li
    this.current = null;
    root.addEventListener("click", (event) => {
      const item = event.target.closest("li[data-id]");
      if (item) onPick(Number(item.dataset.id));
    });
  }

  render(spans) {
    const fragment = document.createDocumentFragment();
    this.items = new Map();
    for (const span of spans) fragment.append(this.item(span));
    this.root.replaceChildren(fragment);
    if (this.current !== null) this.setCurrent(this.current, false);
  }

  item(span) {
    const li = document.createElement("li");
    li.id = `dp-item-${span.id}`;
    li.dataset.id = String(span.id);
    li.setAttribute("role", "option");
    this.fill(li, span);
    this.items.set(span.id, li);
    return li;
  }

  fill(li, span) {
    const about = this.describe(span);
    li.className = `dp-item st-${span.status}${span.id === this.current ? " is-current" : ""}`;
    li.setAttribute("aria-selected", span.id === this.current ? "true" : "false");
    const kind = document.createElement("span");
    kind.className = `dp-kind k-${span.kind}`;
    kind.textContent = about.short;
    const words = document.createElement("span");
    words.className = "dp-words";
    words.textContent = about.words;
    const facts = document.createElement("span");
    facts.className = "dp-item-facts small";
    const parts = [STATUS[span.status] || span.status];
    if (span.status !== "applied" && !["reviewer", "entity"].includes(span.source)) parts.push(`${Math.round(span.confidence * 100)} % · ${about.source}`);
    if (about.replacement) parts.push(`→ ${about.replacement}`);
    facts.textContent = parts.join(" · ");
    li.replaceChildren(kind, " ", words, " ", facts);
  }

  update(span) {
    const li = this.items.get(span.id);
    if (li) this.fill(li, span);
  }

  setCurrent(id, scroll = true) {
    const old = this.items.get(this.current);
    if (old) {
      old.classList.remove("is-current");
      old.setAttribute("aria-selected", "false");
    }
    this.current = id;
    const li = this.items.get(id);
    if (li) {
      li.classList.add("is-current");
      li.setAttribute("aria-selected", "true");
      this.root.setAttribute("aria-activedescendant", li.id);
      if (scroll) li.scrollIntoView({ block: "nearest" });
    } else {
      this.root.removeAttribute("aria-activedescendant");
    }
  }
}
