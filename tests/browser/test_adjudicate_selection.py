"""Adjudication, "Write a new coding…": the lead selects the new span in the passage's text.

Two coders disagree on a passage with an emoji (two UTF-16 units, one code point) before the
words the lead settles on, and accented letters around them; the selection, made with the mouse
or the keyboard, must reach the consensus layer as the exact code point span.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from coding.models import Coding, Layer
from coding.services import CodingInput, codings_bulk_create
from interviews.models import Interview, Study
from tests.browser.conftest import login
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "Interviewer: How was the visit with Dr. Núñez?\n"
    "\n"
    "María: Honestly? I felt 😊 she truly listened to me 🙏, and I cried a little.\n"
)
TARGET = "truly listened"


def span(interview: Interview, words: str) -> tuple[int, int]:
    start = interview.text.index(words)  # Python: code points
    return start, start + len(words)


@pytest.fixture
def disagreement(study: Study, lead: Any, coder: Any, coder2: Any) -> Interview:
    interview = make_interview(study=study, dyad="D07", text=TEXT, by=lead)
    attention = code(study, "VAL.PRES.ATT").pk
    for person, words in [
        (coder, "I felt 😊 she truly listened"),
        (coder2, "she truly listened to me"),
    ]:
        start, end = span(interview, words)
        codings_bulk_create(
            interview=interview,
            coder=person,
            items=[CodingInput(code_id=attention, start=start, end=end)],
        )
    return interview


def open_new_coding(page: Any, interview: Interview, coder: Any, coder2: Any) -> Any:
    login(page, "lead")
    page.goto(f"/interviews/{interview.pk}/disagreements/?a={coder.pk}&b={coder2.pk}")
    passage = page.locator("article.passage")
    expect(passage).to_have_count(1)
    expect(passage.get_by_text("boundaries differ")).to_be_visible()
    passage.get_by_text("Write a new coding…").click()
    return passage


def assert_consensus_is_the_target(page: Any, interview: Interview) -> None:
    expect(page.get_by_text("Decision recorded in the consensus layer.")).to_be_visible()
    start, end = span(interview, TARGET)
    consensus = Coding.objects.filter(interview=interview, layer=Layer.CONSENSUS)
    assert [(c.code.key, c.start, c.end, c.quote) for c in consensus] == [
        ("VAL.PRES.ATT", start, end, TARGET)
    ]
    assert page.script_errors == []


# The client rectangle of the first occurrence of `words` in the passage's selectable text.
WORDS_RECT = """([selector, words]) => {
  const block = document.querySelector(selector);
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(words);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + words.length);
    const rect = range.getBoundingClientRect();
    return {left: rect.left, right: rect.right, top: rect.top, height: rect.height};
  }
  return null;
}"""


def test_a_mouse_selection_after_an_emoji_becomes_the_consensus_span(
    page: Any, disagreement: Interview, coder: Any, coder2: Any
) -> None:
    passage = open_new_coding(page, disagreement, coder, coder2)
    pick = passage.locator("[data-pick-text]")
    expect(pick).to_be_visible()
    # The passage with a little context from its line (outside both coders' spans).
    expect(pick).to_have_text(
        "María: Honestly? I felt 😊 she truly listened to me 🙏, and I cried a little."
    )
    write = passage.get_by_role("button", name="Write it")
    expect(write).to_be_disabled()
    expect(
        passage.get_by_text("Select the words of the new coding in the passage above")
    ).to_be_visible()
    # Only the JavaScript selection is sent: the fallback number inputs are not in the form.
    expect(passage.locator("input[type=number]")).to_have_count(0)
    assert "new_start" not in passage.inner_text()  # nor drawn as text

    rect = page.evaluate(WORDS_RECT, ["article.passage [data-pick-text]", TARGET])
    assert rect is not None
    y = rect["top"] + rect["height"] / 2
    page.mouse.move(rect["left"] + 1, y)
    page.mouse.down()
    page.mouse.move((rect["left"] + rect["right"]) / 2, y, steps=4)
    page.mouse.move(rect["right"] - 1, y, steps=4)
    page.mouse.up()

    start, end = span(disagreement, TARGET)
    status = passage.locator("[data-pick-status]")
    expect(status).to_have_text(f"Selected: “{TARGET}” [{start}, {end})")
    expect(passage.locator("input[name=new_start]")).to_have_value(str(start))
    expect(passage.locator("input[name=new_end]")).to_have_value(str(end))
    # Choosing the code does not lose the selection.
    attention = code(disagreement.dyad.study, "VAL.PRES.ATT")
    passage.get_by_label("Code").select_option(str(attention.pk))
    expect(status).to_have_text(f"Selected: “{TARGET}” [{start}, {end})")
    expect(write).to_be_enabled()
    write.click()
    assert_consensus_is_the_target(page, disagreement)


def test_a_keyboard_selection_with_shift_arrows(
    page: Any, disagreement: Interview, coder: Any, coder2: Any
) -> None:
    passage = open_new_coding(page, disagreement, coder, coder2)
    pick = passage.locator("[data-pick-text]")
    pick.focus()
    # Put the caret before "truly" (as arrow keys from the start would), then extend by keys.
    page.evaluate(
        """([selector, words]) => {
          const block = document.querySelector(selector);
          const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(words);
            if (at >= 0) { getSelection().collapse(node, at); return; }
          }
        }""",
        ["article.passage [data-pick-text]", TARGET],
    )
    for _ in range(len("truly listene")):
        page.keyboard.press("Shift+ArrowRight")
    start, end = span(disagreement, TARGET)
    status = passage.locator("[data-pick-status]")
    expect(status).to_have_text(f"Selected: “truly listene” [{start}, {end - 1})")
    page.keyboard.press("Shift+ArrowRight")
    expect(status).to_have_text(f"Selected: “{TARGET}” [{start}, {end})")
    # Clicking elsewhere on the page keeps the chosen span.
    passage.get_by_label("Note").fill("Neither coder: the listening alone.")
    expect(status).to_have_text(f"Selected: “{TARGET}” [{start}, {end})")
    passage.get_by_role("button", name="Write it").click()
    assert_consensus_is_the_target(page, disagreement)
