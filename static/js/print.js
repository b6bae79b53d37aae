// Buttons marked data-action="print" print the page (no inline handlers: the CSP forbids them).
for (const button of document.querySelectorAll('[data-action="print"]')) {
  button.addEventListener("click", () => window.print());
}
