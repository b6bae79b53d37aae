// The new-study form: suggest a slug from the title (until the slug is typed by hand), check it
// against /api/v1/studies/slug-check/ as you type, and show the study select only for "copy".
// Without this script the form still works: the server checks everything again.

import { api } from "./api.js";

const form = document.querySelector("[data-testid=study-new]");
const title = document.getElementById("study-title");
const slug = document.getElementById("study-slug");
const status = document.getElementById("study-slug-status");
const copyField = document.getElementById("copy-from-field");

/** A slug from a title: lowercase ASCII letters and digits joined by single hyphens. */
export function slugify(text) {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/, "");
}

if (form && title && slug && status) {
  // A slug the person typed is theirs: the title no longer overwrites it.
  let typedByHand = slug.value !== "" && slug.value !== slugify(title.value);
  let timer = 0;
  let controller = null;

  const show = (text, state) => {
    status.textContent = text;
    status.classList.toggle("available", state === "available");
    status.classList.toggle("taken", state === "taken");
  };

  const check = () => {
    window.clearTimeout(timer);
    if (controller) controller.abort();
    const value = slug.value.trim();
    if (!value) {
      show("", "");
      return;
    }
    timer = window.setTimeout(async () => {
      controller = new AbortController();
      const url = `${slug.dataset.checkUrl}?slug=${encodeURIComponent(value)}`;
      try {
        const answer = await api(url, { signal: controller.signal });
        if (answer.slug !== slug.value.trim()) return; // typed on since
        show(answer.message, answer.available ? "available" : "taken");
        slug.setAttribute("aria-invalid", answer.available ? "false" : "true");
      } catch (error) {
        if (error.name !== "AbortError") show("The slug could not be checked now; it is checked again when you create the study.", "");
      }
    }, 250);
  };

  title.addEventListener("input", () => {
    if (typedByHand) return;
    slug.value = slugify(title.value);
    check();
  });
  slug.addEventListener("input", () => {
    typedByHand = slug.value !== "";
    check();
  });
  if (slug.value) check();

  if (copyField) {
    const radios = form.querySelectorAll("input[name=codebook]");
    const sync = () => {
      const chosen = form.querySelector("input[name=codebook]:checked");
      copyField.hidden = !chosen || chosen.value !== "copy";
    };
    radios.forEach((radio) => radio.addEventListener("change", sync));
    sync();
  }
}
