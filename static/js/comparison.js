// The comparison page: controls submit on change, tables sort by a column, the matrix opens
// and closes sub-code columns, and charts download as PNG (drawn from the SVG on a canvas).
import { pngButtons } from "./charts.js";

const form = document.getElementById("comparison-controls");
if (form) {
  // Changing a menu shows the result at once; text and number fields wait for Enter or "Show".
  form.addEventListener("change", (event) => {
    if (event.target.matches("select, input[type=checkbox]")) form.requestSubmit();
  });
  // Empty fields stay out of the URL, so a shared link is short and says only what was chosen.
  form.addEventListener("formdata", (event) => {
    for (const [name, value] of [...event.formData.entries()]) {
      if (value === "") event.formData.delete(name);
    }
  });
}

function cellValue(row, index) {
  const cell = row.children[index];
  if (!cell) return "";
  const raw = cell.dataset.sort ?? cell.textContent.trim();
  const number = Number.parseFloat(raw);
  return Number.isNaN(number) ? raw.toLowerCase() : number;
}

function sortBy(table, th) {
  const headRow = th.parentElement;
  // With two header rows (subgroups) the lower row's cells follow the first cell of the upper.
  let index = [...headRow.children].indexOf(th);
  if (headRow.previousElementSibling) index += 1;
  const descending = th.getAttribute("aria-sort") !== "descending";
  for (const other of table.querySelectorAll("thead th")) other.removeAttribute("aria-sort");
  th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  const body = table.tBodies[0];
  const rows = [...body.rows];
  rows.sort((a, b) => {
    const x = cellValue(a, index);
    const y = cellValue(b, index);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return descending ? -order : order;
  });
  body.append(...rows);
}

for (const table of document.querySelectorAll("table.sortable")) {
  table.querySelector("thead").addEventListener("click", (event) => {
    const button = event.target.closest("button.sort");
    if (button) sortBy(table, button.closest("th"));
  });
}

// Matrix: parents with sub-codes get a toggle; sub-code columns start hidden (calmer).
const matrix = document.getElementById("matrix-table");
if (matrix) {
  const heads = [...matrix.querySelectorAll("thead th[data-code]")];
  const parentOf = new Map(heads.map((th) => [th.dataset.code, th.dataset.parent || null]));
  const hasChildren = new Set([...parentOf.values()].filter(Boolean));
  const open = new Set();
  const visible = (code) => {
    for (let parent = parentOf.get(code); parent; parent = parentOf.get(parent)) {
      if (!open.has(parent)) return false;
    }
    return true;
  };
  // Each cell remembers its column, so hiding and reordering agree after either. Numbered on
  // the first change, not at load: at 500 dyads the table has 12,000 cells, and the server
  // already hides the sub-code columns.
  let numbered = false;
  const number = () => {
    if (numbered) return;
    for (const row of matrix.rows) {
      for (const cell of row.cells) cell.dataset.column = String(cell.cellIndex);
    }
    numbered = true;
  };
  const columns = () => heads.map((th) => [th.dataset.column, th.dataset.code]);
  const apply = () => {
    number();
    const hidden = new Set(columns().filter(([, code]) => !visible(code)).map(([index]) => index));
    for (const row of matrix.rows) {
      for (const cell of row.cells) cell.hidden = hidden.has(cell.dataset.column);
    }
    for (const th of heads) {
      const toggle = th.querySelector("button.toggle");
      if (toggle) toggle.setAttribute("aria-expanded", open.has(th.dataset.code) ? "true" : "false");
    }
  };
  for (const th of heads) {
    if (!hasChildren.has(th.dataset.code)) continue;
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "toggle";
    toggle.setAttribute("aria-label", `Sub-codes of ${th.textContent.trim()}`);
    toggle.textContent = "▸";
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", () => {
      if (open.has(th.dataset.code)) open.delete(th.dataset.code);
      else open.add(th.dataset.code);
      apply();
    });
    th.prepend(toggle);
  }
  // Columns sort too: codebook order, or the codes with the largest column total first.
  const order = document.getElementById("column-order");
  order?.addEventListener("change", () => {
    number();
    const original = heads.map((th) => th.dataset.column);
    const totals = new Map(original.map((column) => [column, 0]));
    for (const row of matrix.tBodies[0].rows) {
      for (const cell of row.cells) {
        if (totals.has(cell.dataset.column)) {
          totals.set(cell.dataset.column, totals.get(cell.dataset.column) + (Number.parseFloat(cell.dataset.sort) || 0));
        }
      }
    }
    const wanted = order.value === "total"
      ? [...original].sort((a, b) => totals.get(b) - totals.get(a) || Number(a) - Number(b))
      : original;
    for (const row of matrix.rows) {
      const byColumn = new Map([...row.cells].map((cell) => [cell.dataset.column, cell]));
      for (const column of wanted) row.append(byColumn.get(column));
    }
  });
  document.getElementById("expand-all")?.addEventListener("click", () => {
    for (const code of hasChildren) open.add(code);
    apply();
  });
  document.getElementById("collapse-all")?.addEventListener("click", () => {
    open.clear();
    apply();
  });
  // The hover text of a cell, made when the pointer first reaches it.
  matrix.tBodies[0]?.addEventListener("mouseover", (event) => {
    const cell = event.target.closest("td[data-n]");
    if (!cell || cell.title) return;
    const [patient, clinician] = cell.dataset.n.split("/");
    const concordant = Number(patient) > 0 && Number(clinician) > 0;
    cell.title = `patient ${patient} / clinician ${clinician} passages${concordant ? " · concordant" : ""}`;
  });
}

pngButtons();
