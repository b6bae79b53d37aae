"""Helpers for driving the interview workspace in Chromium: open it, select text with the mouse
(found by its words, so tests say what a person would select), read highlights, run axe-core."""

from __future__ import annotations

from typing import Any

# Finds text drawn in the transcript and returns the screen boxes of its first and last
# characters (the text may run across several highlight segments).
_LOCATE_JS = """
([needle, occurrence]) => {
  const root = document.getElementById("transcript");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, text.length]);
    text += walker.currentNode.data;
  }
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) return null;
  }
  const locate = (pos) => {
    for (let i = nodes.length - 1; i >= 0; i--) {
      if (nodes[i][1] <= pos) return [nodes[i][0], pos - nodes[i][1]];
    }
    return null;
  };
  const lastChar = Array.from(needle).at(-1);
  const [startNode, startOffset] = locate(at);
  const [endNode, endOffset] = locate(at + needle.length - lastChar.length);
  startNode.parentElement.scrollIntoView({ block: "center" });
  const first = document.createRange();
  first.setStart(startNode, startOffset);
  first.setEnd(startNode, startOffset + Array.from(needle)[0].length);
  const last = document.createRange();
  last.setStart(endNode, endOffset);
  last.setEnd(endNode, endOffset + lastChar.length);
  const a = first.getClientRects()[0];
  const b = last.getClientRects()[0];
  return { x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2 };
}
"""

# The coded passages as shown: runs of adjacent highlighted segments, joined.
_HIGHLIGHTS_JS = """
() => {
  const runs = [];
  let current = null;
  for (const element of document.querySelectorAll("#transcript [data-s]")) {
    if (element.matches("mark.hl")) {
      if (current === null) { current = ""; }
      current += element.textContent;
    } else if (current !== null) {
      runs.push(current);
      current = null;
    }
  }
  if (current !== null) runs.push(current);
  return runs;
}
"""


def open_workspace(page: Any, interview_id: int, suffix: str = "") -> None:
    page.goto(f"/interviews/{interview_id}/{suffix}")
    page.wait_for_selector("body[data-workspace=ready]")


def locate(page: Any, needle: str, occurrence: int = 0) -> dict[str, float]:
    box = page.evaluate(_LOCATE_JS, [needle, occurrence])
    assert box, f"{needle!r} is not drawn in the transcript"
    return box


def drag_select(page: Any, start: str, end: str | None = None) -> None:
    """Select with the mouse from the first character of ``start`` to the last one of ``end``
    (or of ``start``)."""
    first = locate(page, start)
    last = locate(page, end) if end else first
    page.mouse.move(first["x1"], first["y1"])
    page.mouse.down()
    page.mouse.move((first["x1"] + last["x2"]) / 2, (first["y1"] + last["y2"]) / 2, steps=3)
    page.mouse.move(last["x2"], last["y2"], steps=3)
    page.mouse.up()


def highlighted(page: Any) -> list[str]:
    return page.evaluate(_HIGHLIGHTS_JS)


def selection_text(page: Any) -> str:
    return page.evaluate("getSelection().toString()")


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[Any]:
    """Run the vendored axe-core on the page; the violations of the given impacts."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # From the server, like the app's own scripts: the CSP refuses inline script.
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    found = page.evaluate(
        """async () => {
          const results = await axe.run(document, { resultTypes: ["violations"] });
          return results.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
          }));
        }"""
    )
    return [violation for violation in found if violation["impact"] in impacts]


def csrf_post(page: Any, url: str, body: dict[str, Any]) -> int:
    """POST JSON from the page as its own scripts do (session cookie and CSRF token)."""
    return page.evaluate(
        """async ([url, body]) => {
          const token = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";
          const response = await fetch(url, {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-CSRFToken": token },
            body: JSON.stringify(body),
          });
          return response.status;
        }""",
        [url, body],
    )
