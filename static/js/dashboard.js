// The study dashboard: hide the set-up checklist for this page view, and save the saturation
// chart as PNG (drawn in the browser from the server's SVG, like the comparison's charts).
import { pngButtons } from "./charts.js";

for (const button of document.querySelectorAll("[data-dismiss]")) {
  button.addEventListener("click", () => {
    const target = document.getElementById(button.dataset.dismiss);
    if (target) target.hidden = true;
    document.getElementById("interviews-heading")?.focus();
  });
}

pngButtons();
