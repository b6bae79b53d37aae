// Telling the user: toasts (with undo), announcements, errors, the help dialog, and a signed-out notice.

import { ApiError } from "../api.js";
import { els } from "./state.js";
import { undo } from "./writes.js";

export function openHelp() {
  if (!els.help.open) els.help.showModal();
}
els.helpOpen.addEventListener("click", openHelp);

let toastTimer = 0;
export function toast(message, { error = false, undo: withUndo = false } = {}) {
  clearTimeout(toastTimer);
  const text = document.createElement("span");
  text.textContent = message;
  const parts = [text];
  if (withUndo) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "linklike";
    button.textContent = "Undo";
    button.setAttribute("aria-keyshortcuts", "Control+Z");
    button.addEventListener("click", () => undo());
    parts.push(button);
  }
  els.toast.replaceChildren(...parts);
  els.toast.classList.toggle("is-error", error);
  els.toast.classList.add("is-shown");
  toastTimer = setTimeout(hideToast, withUndo ? 12000 : 6000);
}

export function hideToast() {
  els.toast.classList.remove("is-shown");
}

export function announce(message) {
  toast(message);
}

export function showError(message) {
  els.error.textContent = message;
  els.error.hidden = false;
}

/** A write failed: say why; when the session has ended, say how to go on. */
export function failed(error) {
  toast(error.message, { error: true });
  if (error instanceof ApiError && error.status === 401) showSignedOut();
}

export function showSignedOut() {
  const link = document.createElement("a");
  link.href = `/accounts/login/?next=${encodeURIComponent(location.pathname + location.search)}`;
  link.textContent = "Log in again";
  els.live.textContent = "Signed out";
  els.live.classList.add("is-offline");
  els.error.replaceChildren(
    "Your session has ended, so other coders' changes no longer arrive and nothing can be saved. ",
    link,
    ".",
  );
  els.error.hidden = false;
}
