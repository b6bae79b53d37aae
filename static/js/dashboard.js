// The study dashboard: hide the set-up checklist for this page view, and save the saturation
// chart as PNG (drawn in the browser from the server's SVG, like the comparison's charts).
import { saveBlob, svgToPngBlob } from "./charts.js";

for (const button of document.querySelectorAll("[data-dismiss]")) {
  button.addEventListener("click", () => {
    const target = document.getElementById(button.dataset.dismiss);
    if (target) target.hidden = true;
    document.getElementById("interviews-heading")?.focus();
  });
}

for (const button of document.querySelectorAll("[data-chart-png]")) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const response = await fetch(button.dataset.chartPng, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`The chart could not be loaded (${response.status}).`);
      const blob = await svgToPngBlob(await response.text());
      saveBlob(blob, button.dataset.name);
    } catch (error) {
      button.title = String(error.message || error);
    } finally {
      button.disabled = false;
    }
  });
}
