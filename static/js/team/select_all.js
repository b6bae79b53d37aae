// A "select all" checkbox: <input type="checkbox" data-select-all="NAME"> ticks every
// checkbox named NAME in the same form.
for (const toggle of document.querySelectorAll("input[data-select-all]")) {
  toggle.addEventListener("change", () => {
    const boxes = toggle.form.querySelectorAll(`input[type=checkbox][name="${toggle.dataset.selectAll}"]`);
    for (const box of boxes) box.checked = toggle.checked;
  });
}
