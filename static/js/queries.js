// The Queries page: a builder for the JSON grammar of coding queries (docs/queries.md), the JSON
// it builds (editable), running a query and showing its segments and counts, saving it, and the
// saved list's re-run, edit and delete. Everything goes through the REST API (api.js).

import { api } from "./api.js";

const data = JSON.parse(document.getElementById("query-builder-data").textContent);
const builderBox = document.getElementById("query-builder");
const jsonBox = document.getElementById("query-json");
const status = document.getElementById("query-status");
const OPERATORS = {
  term: "a code",
  all: "all of (same place)",
  not: "first, but not second (same place)",
  any: "any of",
  near: "near (within N turns)",
  followed_by: "followed by (within N turns)",
};
const WITHIN = {
  overlap: "overlapping",
  turn: "in the same turn",
  interview: "in the same interview",
  dyad: "in the same dyad",
};
const STORE = `healing-query-${data.slug}`;
const base = `/api/v1/studies/${encodeURIComponent(data.slug)}/queries/`;

let state = newTerm();
let lastCursor = null;
let lastBody = null;

function newTerm(code) {
  return { type: "term", code: code || (data.codes[0] ? data.codes[0].key : ""), descendants: true, role: "", perspective: "", coder: "" };
}

function newOperator(type, children) {
  return { type, children, within: "overlap", turns: 1, count: "participant" };
}

function firstTerm(node) {
  if (node.type === "term") return node;
  return firstTerm(node.children[0]);
}

// --- The query as JSON and back -------------------------------------------------------------

function toQuery(node) {
  if (node.type === "term") {
    const term = { code: node.code };
    if (!node.descendants) term.descendants = false;
    for (const key of ["role", "perspective", "coder"]) if (node[key]) term[key] = node[key];
    return term;
  }
  const out = { [node.type]: node.children.map(toQuery) };
  if (node.type === "all" || node.type === "not") out.within = node.within;
  if (node.type === "near" || node.type === "followed_by") {
    out.turns = node.turns;
    out.count = node.count;
  }
  return out;
}

function fromQuery(query, depth = 1) {
  if (!query || typeof query !== "object" || Array.isArray(query)) {
    throw new Error("A query is a JSON object.");
  }
  const op = Object.keys(query).find((key) => key in OPERATORS && key !== "term");
  if (!op) {
    if (typeof query.code !== "string") throw new Error("A term needs a \"code\".");
    return {
      type: "term",
      code: query.code,
      descendants: query.descendants !== false,
      role: query.role || "",
      perspective: query.perspective || "",
      coder: query.coder || "",
    };
  }
  if (!Array.isArray(query[op])) throw new Error(`"${op}" takes a list of queries.`);
  if (depth > data.maxDepth) throw new Error(`Operators nest at most ${data.maxDepth} levels.`);
  const node = newOperator(op, query[op].map((child) => fromQuery(child, depth + 1)));
  if (query.within) node.within = query.within;
  if (query.turns !== undefined) node.turns = query.turns;
  if (query.count) node.count = query.count;
  return node;
}

function showJson() {
  jsonBox.value = JSON.stringify(toQuery(state), null, 2);
}

// --- Rendering the builder ------------------------------------------------------------------

function element(tag, attrs = {}, children = []) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") el.textContent = value;
    else if (key === "class") el.className = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

function field(id, labelText, control, extraClass = "") {
  return element("div", { class: `field ${extraClass}`.trim() }, [
    element("label", { for: id, text: labelText }),
    control,
  ]);
}

function select(id, options, value, onChange) {
  const el = element("select", { id });
  for (const [optionValue, label] of options) {
    const option = element("option", { value: optionValue, text: label });
    if (optionValue === value) option.selected = true;
    el.append(option);
  }
  el.addEventListener("change", () => onChange(el.value));
  return el;
}

function render() {
  const focused = document.activeElement && document.activeElement.id;
  builderBox.replaceChildren(renderNode(state, "q", 1, null, 0));
  builderBox.dataset.ready = "true";
  showJson();
  if (focused) {
    const again = document.getElementById(focused);
    if (again) again.focus();
  }
}

function replaceNode(parent, index, node) {
  if (parent === null) state = node;
  else parent.children[index] = node;
}

function operandName(type, index) {
  if (type === "any") return index === 0 ? "segments of" : "or of";
  if (index === 0) return "segments of";
  return { all: "with a segment of", not: "without a segment of", near: "near a segment of", followed_by: "followed by a segment of" }[type];
}

function renderNode(node, path, depth, parent, index) {
  const legend = parent === null ? "Query" : `${index + 1}. ${operandName(parent.type, index)}`;
  const box = element("fieldset", { class: `query-node depth-${Math.min(depth, 5)}`, "data-path": path }, [
    element("legend", { text: legend }),
  ]);
  const kinds = Object.entries(OPERATORS).filter(([key]) => key === "term" || depth <= data.maxDepth);
  box.append(
    field(`${path}-op`, "Operator", select(`${path}-op`, kinds, node.type, (value) => {
      let next;
      if (value === "term") next = firstTerm(node);
      else if (node.type === "term") next = newOperator(value, [node, newTerm(node.code)]);
      else {
        const children = value === "not" || value === "near" || value === "followed_by"
          ? node.children.slice(0, 2) : node.children;
        next = { ...node, type: value, children };
      }
      replaceNode(parent, index, next);
      render();
    })),
  );
  if (node.type === "term") {
    box.append(renderTerm(node, path));
  } else {
    box.append(renderOperatorOptions(node, path));
    const list = element("ol", { class: "query-operands" });
    node.children.forEach((child, i) => {
      const item = element("li", {}, [renderNode(child, `${path}-${i}`, depth + 1, node, i)]);
      if ((node.type === "all" || node.type === "any") && node.children.length > 2) {
        const remove = element("button", {
          type: "button", class: "button secondary small", id: `${path}-${i}-remove`,
          text: `Remove ${i + 1}`, "aria-label": `Remove operand ${i + 1} of ${OPERATORS[node.type]}`,
        });
        remove.addEventListener("click", () => {
          node.children.splice(i, 1);
          render();
          document.getElementById(`${path}-op`).focus();
        });
        item.append(remove);
      }
      list.append(item);
    });
    box.append(list);
    if ((node.type === "all" || node.type === "any") && node.children.length < data.maxOperands) {
      const add = element("button", {
        type: "button", class: "button secondary small", id: `${path}-add`,
        text: "Add operand", "aria-label": `Add an operand to ${OPERATORS[node.type]}`,
      });
      add.addEventListener("click", () => {
        node.children.push(newTerm());
        render();
      });
      box.append(add);
    }
  }
  return box;
}

function renderTerm(node, path) {
  const row = element("div", { class: "row query-term" });
  const codes = data.codes.map((code) => [code.key, `${"\u2003".repeat(code.depth)}${code.key} ${code.name}`]);
  if (!data.codes.some((code) => code.key === node.code)) codes.unshift([node.code, `${node.code} (not in the codebook)`]);
  row.append(field(`${path}-code`, "Code", select(`${path}-code`, codes, node.code, (v) => { node.code = v; showJson(); })));
  const sub = element("input", { type: "checkbox", id: `${path}-descendants` });
  sub.checked = node.descendants;
  sub.addEventListener("change", () => { node.descendants = sub.checked; showJson(); });
  row.append(element("div", { class: "field inline-check" }, [sub, element("label", { for: `${path}-descendants`, text: "with sub-codes" })]));
  const roles = [["", "anyone"], ...data.roles.map((r) => [r, r])];
  row.append(field(`${path}-role`, "Said by", select(`${path}-role`, roles, node.role, (v) => { node.role = v; showJson(); })));
  const sides = [["", "either side"], ...data.perspectives.map((p) => [p, `${p} interviews`])];
  row.append(field(`${path}-perspective`, "Interview", select(`${path}-perspective`, sides, node.perspective, (v) => { node.perspective = v; showJson(); })));
  const coders = [["", "any coder (the layer's)"], ...data.coders.map((c) => [c, c])];
  if (node.coder && !data.coders.includes(node.coder)) coders.push([node.coder, node.coder]);
  row.append(field(`${path}-coder`, "Coder", select(`${path}-coder`, coders, node.coder, (v) => { node.coder = v; showJson(); })));
  return row;
}

function renderOperatorOptions(node, path) {
  const row = element("div", { class: "row query-options" });
  if (node.type === "all" || node.type === "not") {
    row.append(field(`${path}-within`, "Same place", select(`${path}-within`, Object.entries(WITHIN), node.within, (v) => { node.within = v; showJson(); })));
  }
  if (node.type === "near" || node.type === "followed_by") {
    const turns = element("input", { type: "number", id: `${path}-turns`, min: "0", max: String(data.maxTurns), value: String(node.turns) });
    turns.addEventListener("input", () => {
      const value = Number.parseInt(turns.value, 10);
      node.turns = Number.isNaN(value) ? turns.value : value;
      showJson();
    });
    row.append(field(`${path}-turns`, "Within N turns (0–50)", turns));
    const counts = [["participant", "participant turns (skip the interviewer's)"], ["all", "every turn"]];
    row.append(field(`${path}-count`, "Counting", select(`${path}-count`, counts, node.count, (v) => { node.count = v; showJson(); })));
  }
  return row;
}

// --- Running and showing results ------------------------------------------------------------

function say(message, isError = false) {
  status.textContent = message;
  status.classList.toggle("warn", isError);
}

function currentQuery() {
  return toQuery(state);
}

function runOptions() {
  const layer = document.getElementById("query-layer").value;
  return {
    layer,
    context: Number.parseInt(document.getElementById("query-context").value || "200", 10),
    order: document.getElementById("query-order").value,
    page_size: 50,
  };
}

function segmentItem(seg) {
  // The markup of retrieved segments (templates/coding/queries/_segment.html, retrieval.css).
  const quote = element("blockquote", { class: "kwic" }, [
    element("span", { class: "context", text: seg.before ? `…${seg.before}` : "" }),
    element("mark", { class: "quote", text: seg.quote }),
    element("span", { class: "context", text: seg.after ? `${seg.after}…` : "" }),
  ]);
  const who = `turn ${seg.turn === null ? "–" : seg.turn} ${seg.speaker}${seg.role ? ` (${seg.role})` : ""}`;
  const meta = element("p", { class: "small meta" }, [
    element("strong", { text: seg.dyad }),
    ` · ${seg.perspective} interview · `,
    element("strong", { text: seg.code }),
    ` ${seg.code_name} · ${who} · coded by ${seg.coder}${seg.layer === "consensus" ? " (consensus)" : ""} · `,
    element("a", { href: seg.workspace, text: "Open in the workspace" }),
  ]);
  return element("li", { class: "segment", "data-coding": String(seg.id) }, [quote, meta]);
}

function countRows(tbody, rows, label) {
  tbody.replaceChildren(
    ...rows.map((row) => element("tr", {}, [
      element("th", { scope: "row" }, label(row)),
      element("td", { text: String(row.count) }),
    ])),
  );
}

function showAnswer(answer, { append = false, title = "" } = {}) {
  const section = document.getElementById("results");
  section.hidden = false;
  const list = document.getElementById("results-list");
  const items = answer.results.map(segmentItem);
  if (append) list.append(...items);
  else {
    list.replaceChildren(...items);
    document.getElementById("results-heading").textContent = title ? `Results of “${title}”` : "Results";
    document.getElementById("results-description").textContent = `${answer.description} · layer: ${answer.layer.label}`;
    const { total, dyads } = answer.counts;
    document.getElementById("results-total").replaceChildren(
      element("strong", { text: `${total} segment${total === 1 ? "" : "s"} in ${dyads} dyad${dyads === 1 ? "" : "s"}` }),
    );
    countRows(document.querySelector("#counts-by-dyad tbody"), answer.counts.by_dyad, (row) => [row.dyad]);
    countRows(document.querySelector("#counts-by-code tbody"), answer.counts.by_code, (row) => [
      element("span", { class: "code-key", text: row.code }), ` ${row.name}`,
    ]);
    const link = document.getElementById("results-more-link");
    if (link) link.parentElement.remove();
  }
  lastCursor = answer.next_cursor;
  document.getElementById("results-more").hidden = !lastCursor;
}

async function run() {
  say("Running…");
  lastBody = { url: `${base}run/`, body: { query: currentQuery(), ...runOptions() }, title: "" };
  try {
    const answer = await api(lastBody.url, { method: "POST", body: lastBody.body });
    showAnswer(answer);
    say(`Found ${answer.counts.total} segment${answer.counts.total === 1 ? "" : "s"}.`);
  } catch (error) {
    say(error.message, true);
  }
}

async function more() {
  if (!lastCursor || !lastBody) return;
  try {
    const answer = await api(lastBody.url, { method: "POST", body: { ...lastBody.body, cursor: lastCursor } });
    showAnswer(answer, { append: true });
  } catch (error) {
    say(error.message, true);
  }
}

async function save() {
  const name = document.getElementById("query-name").value.trim();
  if (!name) {
    say("Give the query a name to save it.", true);
    document.getElementById("query-name").focus();
    return;
  }
  const layer = document.getElementById("query-layer").value;
  try {
    const saved = await api(base, { method: "POST", body: { name, query: currentQuery(), layer: layer === "best" ? "" : layer } });
    sessionStorage.setItem(STORE, JSON.stringify({ query: currentQuery(), saved: name }));
    window.location.assign(`${window.location.pathname}?saved=${saved.id}#saved`);
  } catch (error) {
    say(error.message, true);
  }
}

async function rerun(form) {
  const row = form.closest("tr");
  const id = row.dataset.id;
  const name = row.querySelector("th").textContent.trim();
  say(`Running “${name}”…`);
  const body = { context: runOptions().context, order: runOptions().order, page_size: 50 };
  lastBody = { url: `${base}${id}/run/`, body, title: name };
  try {
    const answer = await api(lastBody.url, { method: "POST", body });
    showAnswer(answer, { title: name });
    const { total, dyads } = answer.counts;
    if (answer.saved && answer.saved.counts_kept) {
      row.querySelector(".last-run").replaceChildren(
        element("span", { class: "last-counts", text: `${total} segment${total === 1 ? "" : "s"} in ${dyads} dyad${dyads === 1 ? "" : "s"}` }),
        element("br"),
        element("span", { class: "small muted", text: "just now" }),
      );
    }
    say(`“${name}” found ${total} segment${total === 1 ? "" : "s"}.`);
  } catch (error) {
    say(error.message, true);
  }
}

function load(button) {
  try {
    state = fromQuery(JSON.parse(button.dataset.query));
  } catch (error) {
    say(error.message, true);
    return;
  }
  const layer = document.getElementById("query-layer");
  if (button.dataset.layer) layer.value = button.dataset.layer;
  render();
  document.getElementById("q-op").focus();
  say("The saved query is in the builder.");
}

async function remove(button) {
  const row = button.closest("tr");
  const name = row.querySelector("th").textContent.trim();
  if (!window.confirm(`Delete the saved query “${name}”?`)) return;
  try {
    await api(`${base}${row.dataset.id}/`, { method: "DELETE" });
    row.remove();
    say(`“${name}” deleted.`);
  } catch (error) {
    say(error.message, true);
  }
}

// --- Wiring ---------------------------------------------------------------------------------

document.getElementById("query-run").addEventListener("click", run);
document.getElementById("results-more").addEventListener("click", more);
const saveButton = document.getElementById("query-save");
if (saveButton) saveButton.addEventListener("click", save);
document.getElementById("query-json-apply").addEventListener("click", () => {
  try {
    state = fromQuery(JSON.parse(jsonBox.value));
    render();
    say("The builder follows the JSON.");
  } catch (error) {
    say(`The JSON could not be used: ${error.message}`, true);
  }
});
for (const form of document.querySelectorAll(".rerun-form")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    rerun(form);
  });
}
for (const button of document.querySelectorAll(".load-query")) {
  button.hidden = false;
  button.addEventListener("click", () => load(button));
}
for (const button of document.querySelectorAll(".delete-query")) {
  button.hidden = false;
  button.addEventListener("click", () => remove(button));
}

const kept = sessionStorage.getItem(STORE);
if (kept) {
  sessionStorage.removeItem(STORE);
  try {
    const restored = JSON.parse(kept);
    state = fromQuery(restored.query);
    say(`Saved “${restored.saved}”.`);
  } catch {
    state = newTerm();
  }
}
render();
