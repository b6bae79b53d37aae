// Live progress for job lists and job pages: polls the jobs API while a job is queued or running.
const RUNNING = new Set(["queued", "running"]);
const POLL_MS = 1000;

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
    if (!RUNNING.has(job.state) && element.hasAttribute("data-reload-when-done")) {
      window.location.reload(); // show the report and files rendered by the server
    }
  }
}

for (const element of document.querySelectorAll("[data-job]")) {
  if (RUNNING.has(element.dataset.state)) poll(element);
}
