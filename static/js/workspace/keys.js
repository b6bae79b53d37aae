// The workspace's keyboard shortcuts as a table: which action a key press asks for, given where
// focus is and what is selected. Pure (no DOM changes); workspace.js carries the actions out.
// The help dialog in templates/coding/workspace.html and docs/workspace.md list the same keys.

/**
 * The action for a keydown event, or null to let the browser have the key.
 * `context`: {focusInText, hasSelection, editing, canCode, canEditSelected}.
 * Returns {name, args}; names: help, undo, escape, moveTurn, modify, applyRecent, saveEdit,
 * pickForSelection, changeCode, needSelection, codeTurn, toggleSnap, nextCoding, editSpan,
 * editMemo, deleteCoding, focusLayer.
 */
export function keyAction(event, context) {
  const { key } = event;
  const ctrl = event.ctrlKey || event.metaKey;
  const lower = key.length === 1 ? key.toLowerCase() : key;
  const action = (name, ...args) => ({ name, args });

  if (key === "?" || (key === "/" && event.shiftKey)) return action("help");
  if ((ctrl && !event.shiftKey && lower === "z") || (!ctrl && !event.altKey && key === "u")) {
    return action("undo");
  }
  if (key === "Escape") return action("escape");
  if (ctrl && key !== "ArrowLeft" && key !== "ArrowRight") return null;

  if (key.startsWith("Arrow") || key === "Home" || key === "End") {
    if (!context.focusInText) return null;
    const forward = key === "ArrowRight" || key === "ArrowDown" || key === "End";
    const direction = forward ? "forward" : "backward";
    if (key === "ArrowDown" || key === "ArrowUp") {
      return event.shiftKey
        ? action("modify", "extend", direction, "line")
        : action("moveTurn", forward ? 1 : -1);
    }
    if (key === "Home" || key === "End") {
      return event.shiftKey
        ? action("modify", "extend", direction, "lineboundary")
        : action("moveTurn", forward ? Infinity : -Infinity);
    }
    const granularity = ctrl ? "word" : "character";
    return event.shiftKey
      ? action("modify", "extend", direction, granularity, { moveStart: event.altKey })
      : action("modify", "move", direction, granularity);
  }
  if (event.altKey) return null;
  if (/^[1-9]$/.test(key)) return context.canCode ? action("applyRecent", Number(key)) : null;
  if (key === "Enter" && context.editing && context.focusInText) return action("saveEdit");
  if ((lower === "c" || (key === "Enter" && context.focusInText)) && context.canCode) {
    if (context.hasSelection && !context.editing) return action("pickForSelection");
    if (lower === "c" && context.canEditSelected) return action("changeCode");
    return lower === "c" ? action("needSelection") : null;
  }
  if (lower === "t") return context.canCode ? action("codeTurn") : null;
  if (lower === "w") return action("toggleSnap");
  if (lower === "n" || lower === "p") return action("nextCoding", lower === "n" ? 1 : -1);
  if (lower === "e" && context.canEditSelected) return action("editSpan");
  if (lower === "m" && context.canEditSelected) return action("editMemo");
  if ((key === "Delete" || key === "Backspace") && context.canEditSelected) {
    return action("deleteCoding");
  }
  if (lower === "l") return action("focusLayer");
  return null;
}
