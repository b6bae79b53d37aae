// Live progress for job lists, job pages and the agreement report: polls the small job status
// API (GET /api/v1/jobs/ID/) every 300 ms while a job is queued or running. When a job on a page
// marked data-refresh-when-done ends, the page's main content is fetched again and swapped in
// (no full-page reload, no <meta refresh>), so its report or files appear as soon as they exist.
const RUNNING = new Set(["queued", "running"]);
const POLL_MS = 300;

function update(element, job) {
  element.dataset.state = job.state;
  const state = element.querySelector('[data-field="state"]');
  if (state) {
    state.textContent = job.state.charAt(0).toUpperCase() + job.state.slice(1);
    state.className = `badge job-state ${job.state}`;
  }
  const bar = element.querySelector('[data-field="bar"]');
  if (bar) {
    bar.style.width = `${job.progress}%`;
    bar.parentElement.setAttribute("aria-valuenow", String(job.progress));
  }
  const message = element.querySelector('[data-field="message"]');
  if (message) message.textContent = `${job.progress}% · ${job.message}`;
}

// The page as the server renders it now: its <main> replaces ours, then any job still running
// in it is followed again. A failure falls back to a plain reload.
async function refreshMain() {
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) throw new Error(String(response.status));
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const main = document.querySelector("main");
    const freshMain = fresh.querySelector("main");
    if (!main || !freshMain) throw new Error("no main");
    main.replaceChildren(...freshMain.childNodes);
    if (fresh.title) document.title = fresh.title;
    main.dataset.refreshed = String(Number(main.dataset.refreshed || 0) + 1);
    main.focus({ preventScroll: true }); // screen readers hear that the result is there
    follow(main);
  } catch {
    window.location.reload();
  }
}

async function poll(element) {
  const id = element.dataset.job;
  while (RUNNING.has(element.dataset.state)) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    let response;
    try {
      response = await fetch(`/api/v1/jobs/${id}/`, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    } catch {
      continue; // the network blinked: try again on the next tick
    }
    if (!response.ok) return;
    const job = await response.json();
    update(element, job);
    if (!RUNNING.has(job.state) && element.hasAttribute("data-refresh-when-done")) {
      await refreshMain(); // show the report and files rendered by the server
    }
  }
}

function follow(root) {
  for (const element of root.querySelectorAll("[data-job]")) {
    if (RUNNING.has(element.dataset.state)) poll(element);
  }
}

follow(document);
