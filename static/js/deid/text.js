// Draws the transcript once, a line per element, each span a <mark> labelled with its kind
// (colour is never the only cue), and afterwards redraws only the lines a change touches.
// Every piece of interview text goes into the DOM as a text node, never as HTML. Each element
// with `data-s` holds one text node starting at that code point (offsets.js maps the DOM).

import { mappedElements, rangeToSpan, spanToRange } from "../offsets.js";
import { lineAt, lineTable, pieces } from "./model.js";

export class DeidText {
  /** root: the transcript element; index: offsets.js TextIndex of the text; kinds: value → short label. */
  constructor({ root, index, kinds }) {
    this.root = root;
    this.index = index;
    this.kinds = kinds;
    this.lines = lineTable(index.text);
    this.lineElements = [];
    this.marks = new Map(); // span id → [mark elements]
    this.current = null;
    this.elements = null;
  }

  /** Draw every line with these spans (sorted by start). */
  render(spans) {
    const fragment = document.createDocumentFragment();
    this.marks = new Map();
    this.lineElements = this.lines.map((line, i) => {
      const element = document.createElement("div");
      element.className = "dp-line";
      element.dataset.line = String(i);
      this.fill(element, line, spans);
      fragment.append(element);
      return element;
    });
    this.root.replaceChildren(fragment);
    this.elements = null;
    if (this.current !== null) this.setCurrent(this.current);
  }

  fill(element, line, spans) {
    if (line.end === line.start) {
      element.classList.add("is-empty");
      element.replaceChildren();
      return;
    }
    element.classList.remove("is-empty");
    const children = [];
    for (const piece of pieces(line.start, line.end, spans)) {
      const text = this.index.slice(piece.start, piece.end);
      let node;
      if (piece.span) {
        node = document.createElement("mark");
        node.dataset.id = String(piece.span.id);
        this.look(node, piece.span);
        const list = this.marks.get(piece.span.id);
        if (list) list.push(node);
        else this.marks.set(piece.span.id, [node]);
      } else {
        node = document.createElement("span");
      }
      node.dataset.s = String(piece.start);
      node.textContent = text;
      children.push(node);
    }
    element.replaceChildren(...children);
  }

  look(node, span) {
    node.className = `dp-span k-${span.kind} st-${span.status}${span.id === this.current ? " is-current" : ""}`;
    node.dataset.short = this.kinds.get(span.kind) || span.kind;
  }

  /** Redraw the lines covering these code point ranges ([[start, end], …]) with the spans. */
  redraw(ranges, spans) {
    const dirty = new Set();
    for (const [start, end] of ranges) {
      const first = lineAt(this.lines, start);
      const last = lineAt(this.lines, Math.max(start, end - 1));
      for (let i = first; i <= last; i++) dirty.add(i);
    }
    for (const i of dirty) {
      const element = this.lineElements[i];
      for (const mark of element.querySelectorAll("mark[data-id]")) {
        const id = Number(mark.dataset.id);
        const list = (this.marks.get(id) || []).filter((m) => m !== mark);
        if (list.length) this.marks.set(id, list);
        else this.marks.delete(id);
      }
      this.fill(element, this.lines[i], spans);
    }
    this.elements = null;
    if (this.current !== null) this.setCurrent(this.current);
    return dirty.size;
  }

  /** Restyle one span's marks (its kind or status changed, not its bounds). */
  restyle(span) {
    for (const mark of this.marks.get(span.id) || []) this.look(mark, span);
  }

  setCurrent(id) {
    for (const mark of this.root.querySelectorAll("mark.is-current")) mark.classList.remove("is-current");
    this.current = id;
    const marks = this.marks.get(id) || [];
    for (const mark of marks) mark.classList.add("is-current");
    return marks[0] || null;
  }

  mapped() {
    if (!this.elements) this.elements = mappedElements(this.root);
    return this.elements;
  }

  rangeFor(start, end) {
    return spanToRange(this.root, start, end, this.mapped());
  }

  /** The selection inside the transcript as a code point span, or null. */
  selectionSpan() {
    const selection = getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return null;
    return rangeToSpan(this.root, selection.getRangeAt(0));
  }
}
