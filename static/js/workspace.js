// The interview workspace (/interviews/<id>/): read a transcript by turns, select text with the
// mouse or the keyboard, code it, see every coding as highlights and margin stripes, edit and
// delete codings (with undo), switch layers, and see other coders' work arrive while coding.
//
// This is the page's entry: it loads the rooms below (each registers its own listeners), keeps
// the stripes in step with the text's width, and loads the first layer. Offsets are code points
// (see offsets.js); nothing users typed is ever parsed as HTML.
//
//   workspace/state.js      configuration, page elements, the one `state` object and reads of it
//   workspace/load.js       loading a layer and drawing everything from it; the layer menu
//   workspace/render.js     text, highlights and stripes, the codebook, layer and memo panels
//   workspace/selection.js  selecting text, snapping to words, the toolbar, turns and the caret
//   workspace/details.js    the selected coding, its details panel, stripe focus and tooltips
//   workspace/writes.js     applying, changing and deleting codings, undo
//   workspace/editing.js    the picker opened for a selection, a turn or a coding; span editing
//   workspace/keyboard.js   the keyboard (keys.js names the action for each key)
//   workspace/notices.js    toasts, announcements, errors, help
//   workspace/links.js      deep links (#coding-<id>, #span-<start>-<end>)
//   workspace/changes.js    live updates: other coders' changes arriving (live.js polls)
//   and, without DOM state of their own: model.js, transcript.js, panels.js, picker.js, keys.js,
//   live.js.

import "./workspace/details.js";
import "./workspace/keyboard.js";
import "./workspace/links.js";
import "./workspace/changes.js";
import "./workspace/notices.js";
import { openPickerForSelection } from "./workspace/editing.js";
import { load } from "./workspace/load.js";
import { layoutStripes } from "./workspace/render.js";
import { drawCaret } from "./workspace/selection.js";
import { els, state } from "./workspace/state.js";

// The stripes follow the text when it reflows (a narrower window, a larger font).
let observedWidth = 0;
const resize = new ResizeObserver((entries) => {
  const width = entries[entries.length - 1].contentRect.width;
  if (width === observedWidth) return;
  observedWidth = width;
  layoutStripes();
  drawCaret();
});
resize.observe(els.transcript);
els.center.addEventListener("scroll", () => {
  if (!els.tip.hidden) els.tip.hidden = true;
}, { passive: true });

els.codeSelection.addEventListener("mousedown", (event) => event.preventDefault());
els.codeSelection.addEventListener("click", () => openPickerForSelection());

load(state.layer);
