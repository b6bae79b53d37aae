// The case study page: save the summary and each component's synthesis (optimistic
// concurrency: a stale save shows the other person's text and keeps yours), attach and detach
// evidence. Everything the server sends is put in the page as text, never as HTML.
import { ApiError, api, csrfToken } from "./api.js";

/** PUT a text; a 409 rejects with the ApiError carrying the text saved meanwhile (current). */
async function putText(url, body) {
  let response;
  try {
    response = await fetch(url, {
      method: "PUT",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "The server could not be reached; check the connection.");
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = (data && data.error) || {};
    const error = new ApiError(
      response.status,
      detail.message || `The server answered ${response.status}.`,
      detail.fields || {},
    );
    error.current = detail.current;
    throw error;
  }
  return data;
}

function stamp(node, saved) {
  const when = saved.updated ? saved.updated.slice(0, 16).replace("T", " ") : "";
  node.textContent = saved.updated_by ? `Last edited by ${saved.updated_by}, ${when} (UTC)` : "";
}

function showText(container, text) {
  container.replaceChildren();
  if (!text) {
    const empty = document.createElement("p");
    empty.className = "muted";
    empty.textContent = "Not written yet.";
    container.append(empty);
    return;
  }
  for (const block of text.split(/\n{2,}/)) {
    const paragraph = document.createElement("p");
    block.split("\n").forEach((line, index) => {
      if (index) paragraph.append(document.createElement("br"));
      paragraph.append(document.createTextNode(line));
    });
    container.append(paragraph);
  }
}

function setupWriting(block) {
  const form = block.querySelector("[data-role=form]");
  if (!form) return;
  const status = form.querySelector("[data-role=status]");
  const conflict = form.querySelector("[data-role=conflict]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.textContent = "Saving…";
    const text = form.elements.text.value;
    try {
      const saved = await putText(block.dataset.url, {
        text,
        updated: block.dataset.updated || null,
      });
      block.dataset.updated = saved.updated;
      showText(block.querySelector("[data-role=text]"), saved.text);
      stamp(block.querySelector("[data-role=stamp]"), saved);
      conflict.hidden = true;
      status.textContent = "Saved.";
    } catch (error) {
      if (error.status === 409 && error.current) {
        // Keep the writer's text in the box; show theirs; the next save is deliberate.
        block.dataset.updated = error.current.updated || "";
        conflict.querySelector("[data-role=conflict-message]").textContent = error.message;
        conflict.querySelector("[data-role=conflict-text]").textContent = error.current.text;
        conflict.hidden = false;
        status.textContent = "Not saved.";
      } else {
        status.textContent = `Not saved: ${error.message}`;
      }
    } finally {
      button.disabled = false;
    }
  });
}

function evidenceItem(excerpt, canWrite) {
  const item = document.createElement("li");
  item.dataset.coding = excerpt.coding;
  const quote = document.createElement("blockquote");
  quote.textContent = excerpt.quote;
  const meta = document.createElement("span");
  meta.className = "small";
  meta.append(
    `${excerpt.speaker || "(no speaker)"} · ${excerpt.perspective} interview · ${excerpt.code} · `,
  );
  const link = document.createElement("a");
  link.href = excerpt.link;
  link.textContent = "open in the workspace";
  meta.append(link);
  if (canWrite) {
    meta.append(" · ");
    const detach = document.createElement("button");
    detach.type = "button";
    detach.className = "linklike no-print";
    detach.dataset.action = "detach";
    detach.dataset.coding = excerpt.coding;
    detach.textContent = "detach";
    meta.append(detach);
  }
  item.append(quote, " ", meta);
  return item;
}

function renderEvidence(component, evidence) {
  const list = component.querySelector(":scope > .cs-synthesis [data-role=evidence]");
  list.replaceChildren(...evidence.map((excerpt) => evidenceItem(excerpt, true)));
  if (!evidence.length) {
    const none = document.createElement("li");
    none.className = "muted small";
    none.dataset.role = "no-evidence";
    none.textContent = "No evidence attached.";
    list.append(none);
  }
  const attached = new Set(evidence.map((excerpt) => String(excerpt.coding)));
  for (const button of component.querySelectorAll(
    ":scope > .cs-sides [data-action=attach]",
  )) {
    const on = attached.has(button.dataset.coding);
    button.disabled = on;
    button.textContent = on ? "evidence" : "attach as evidence";
  }
}

async function changeEvidence(button, method) {
  const component = button.closest(".cs-component");
  const list = component.querySelector(":scope > .cs-synthesis [data-role=evidence]");
  button.disabled = true;
  try {
    const result = await api(list.dataset.url, {
      method,
      body: { coding: Number(button.dataset.coding) },
    });
    renderEvidence(component, result.evidence);
  } catch (error) {
    button.disabled = false;
    window.alert(error.message);
  }
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  if (button.dataset.action === "attach") changeEvidence(button, "POST");
  else if (button.dataset.action === "detach") changeEvidence(button, "DELETE");
  else if (button.dataset.action === "print") window.print();
});

// Printing keeps the passages: open every list before, restore after.
let closed = [];
window.addEventListener("beforeprint", () => {
  closed = [...document.querySelectorAll("details.cs-excerpts:not([open])")];
  closed.forEach((details) => (details.open = true));
});
window.addEventListener("afterprint", () => {
  closed.forEach((details) => (details.open = false));
  closed = [];
});

for (const block of document.querySelectorAll(".cs-writing")) setupWriting(block);
