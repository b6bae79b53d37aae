// Follows a running REFI-QDA job: polls its state and reloads the page once it has finished.
const data = JSON.parse(document.getElementById("job-poll").textContent);
const bar = document.getElementById("job-progress");
const message = document.getElementById("job-message");
const label = document.querySelector("[data-testid=job-state-label]");

async function poll() {
  try {
    const response = await fetch(data.url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (response.ok) {
      const job = await response.json();
      if (bar) bar.value = job.progress;
      if (message) message.textContent = job.message;
      if (label) label.textContent = job.state;
      if (job.state === "succeeded" || job.state === "failed") {
        window.location.reload();
        return;
      }
    }
  } catch (error) {
    // A blip in the network: try again at the next tick.
  }
  window.setTimeout(poll, 1000);
}

window.setTimeout(poll, 500);
