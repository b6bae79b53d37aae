// The memos on a code, under its definition in the workspace's codebook panel, and the memos on
// the selected coding, in the coding panel: both through target_memos.js (read, add, and the
// author's or a lead's edit and delete).

import { targetMemos } from "./target_memos.js";

const codeMemos = targetMemos("code", {
  listParams: { target: "code" }, // ?code= alone would also list memos on codings with the code
  subtitle: (code, count) => `Memos on ${code.key} (${count})`,
  bodyLabel: (code) => `Memo on ${code.key}`,
  formLabel: (code) => `Write a memo on code ${code.key}`,
  addLabel: "Add code memo",
  addedText: "Code memo added.",
});

const codingMemos = targetMemos("coding", {
  subtitle: (coding, count) => `Memos on this coding (${count})`,
  bodyLabel: () => "Memo on this coding",
  formLabel: () => "Write a memo on this coding",
  addLabel: "Add coding memo",
  addedText: "Coding memo added.",
});

/** Show the code's memos (and the form) in `container`, loading them the first time. */
export function showCodeMemos(code, container) {
  return codeMemos.show(code, container);
}

/** Show the coding's memos (and the form) in `container`, loading them the first time. */
export function showCodingMemos(coding, container) {
  return codingMemos.show(coding, container);
}
