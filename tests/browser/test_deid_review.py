"""The de-identification review page in Chromium, by keyboard: propose, accept and reject with
a key, narrow and widen a span, add a missed name by selecting its text, accept an entity
study-wide, rename its replacement, apply — then the database holds the de-identified text with
every coding moved onto the same words; axe finds nothing serious. And the page on a
20,000-word transcript with 1,000 proposals, timed with the page's performance marks."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from coding.models import Coding, Layer
from coding.services import CodingInput, codings_bulk_create
from interviews.models import DeidSpan, DeidStatus, Study
from tests.browser.conftest import login
from tests.browser.workspace_helpers import axe_violations, drag_select
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "Interviewer: How did you first meet Dr. Okafor?\n\n"
    "Maria: 🙂🙂 Evelyn Shaw sent me to her, at Oak Street Clinic in Millbrook. She called me "
    "on 555-201-7788 the next day.\n\n"
    "Interviewer: And now?\n\n"
    "Maria: Evelyn still listens, by the grace of God. I hope she stays. Then bibi came by with "
    "the soup, and Evelyn laughed.\n"
)
OTHER = "Interviewer: Who helps?\n\nJo: Evelyn does, every week.\n"


def ready(page: Any) -> None:
    page.wait_for_selector("body[data-deid=ready]")


def updates(page: Any) -> int:
    return int(page.evaluate("Number(document.body.dataset.deidUpdates || 0)"))


def press_and_wait(page: Any, key: str) -> None:
    """Press a key that writes, and wait for the page to redraw what changed."""
    before = updates(page)
    page.keyboard.press(key)
    page.wait_for_function("(n) => Number(document.body.dataset.deidUpdates || 0) > n", arg=before)


def go_to(page: Any, words: str, occurrence: int = 0) -> None:
    """Press J until the current identifier is these words (the given occurrence)."""
    seen = 0
    for _ in range(60):
        page.keyboard.press("j")
        if page.locator("#dp-detail-quote").text_content() == words:
            if seen == occurrence:
                return
            seen += 1
    raise AssertionError(f"no identifier {words!r}")


def test_review_by_keyboard_and_apply(
    page: Any, study: Study, lead: Any, coder: Any, folder: Path
) -> None:
    interview = make_interview(study=study, text=TEXT, by=lead)
    other = make_interview(study=study, dyad="D02", text=OTHER, by=lead)
    text = interview.text
    val = code(study, "VAL").pk

    def at(words: str, until: str) -> CodingInput:
        start = text.index(words)
        return CodingInput(val, start, text.index(until) + len(until))

    codings_bulk_create(
        interview=interview,
        coder=coder,
        items=[at("Evelyn still", "grace of God."), at("Then bibi", "the soup")],
    )
    codings_bulk_create(
        interview=interview, coder=lead, layer=Layer.CONSENSUS,
        items=[at("sent me", "Oak Street Clinic")],
    )  # fmt: skip
    quotes = dict(Coding.objects.filter(interview=interview).values_list("pk", "quote"))

    login(page, "lead")
    page.goto(f"/interviews/{interview.pk}/deid/")
    ready(page)
    assert axe_violations(page) == []
    expect(page.locator("#dp-progress-text")).to_contain_text("No identifier found yet")

    # Run the detector from the keyboard.
    page.locator("#dp-propose").focus()
    press_and_wait(page, "Enter")
    expect(page.locator("#dp-notice")).to_contain_text("proposed")
    assert page.locator("#dp-list [role=option]").count() >= 6
    page.locator("#transcript").focus()

    # Accept Dr. Okafor's name; reject a false "Clinic"; accept the street and the town.
    go_to(page, "Okafor")
    press_and_wait(page, "a")
    expect(page.locator("#dp-detail-status")).to_have_text("accepted")
    expect(page.locator("#transcript mark.is-current")).to_have_class(
        "dp-span k-PERSON st-accepted is-current"
    )
    if page.locator("#dp-list [role=option]", has_text="Clinic").count():
        go_to(page, "Clinic")
        press_and_wait(page, "r")
        expect(page.locator("#dp-detail-status")).to_have_text("rejected")
    go_to(page, "Oak Street")
    press_and_wait(page, "2")  # kind: location (already), then accept
    press_and_wait(page, "a")
    go_to(page, "Millbrook")
    press_and_wait(page, "a")
    go_to(page, "555-201-7788")
    press_and_wait(page, "a")

    # Narrow "Evelyn Shaw" to "Evelyn" and widen it back, then accept it.
    go_to(page, "Evelyn Shaw")
    press_and_wait(page, "Shift+ArrowLeft")
    expect(page.locator("#dp-detail-quote")).to_have_text("Evelyn")
    press_and_wait(page, "Shift+ArrowRight")
    expect(page.locator("#dp-detail-quote")).to_have_text("Evelyn Shaw")
    press_and_wait(page, "a")

    # A missed name: select "bibi" with the mouse, add it as a person with the keyboard.
    assert not page.locator("#dp-list [role=option]", has_text="bibi").count()
    drag_select(page, "bibi")
    expect(page.locator("#dp-selection-quote")).to_have_text("bibi")
    press_and_wait(page, "s")
    expect(page.locator("#dp-notice")).to_contain_text("Added “bibi” as person")

    # Every "Evelyn" of the study at once, and its replacement renamed.
    go_to(page, "Evelyn")
    press_and_wait(page, "e")
    expect(page.locator("#dp-notice")).to_contain_text("in 2 interview(s)")
    assert DeidSpan.objects.filter(interview=other, status="accepted", source="entity").count() == 1
    page.locator("#dp-replacement-input").fill("Ella")
    press_and_wait(page, "Enter")
    expect(page.locator("#dp-notice")).to_contain_text("Replaced by “Ella” everywhere")
    expect(page.locator("#dp-list .is-current")).to_contain_text("→ Ella")

    page.screenshot(path=folder / "deid-review.png")

    # Apply, confirmed in a dialog that says what happens to the original.
    page.locator("#dp-apply-open").focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#dp-apply-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("The original text is destroyed")
    expect(page.locator("#dp-apply-left")).to_contain_text("still undecided")
    assert axe_violations(page) == []
    expect(page.locator("#dp-apply-cancel")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#dp-apply")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_selector("#dp-complete-note")
    ready(page)
    assert axe_violations(page) == []

    interview.refresh_from_db()
    assert interview.deid_status == DeidStatus.COMPLETE
    for gone in ("Okafor", "Evelyn", "Shaw", "Millbrook", "555-201-7788", "bibi", "Oak Street"):
        assert gone not in interview.text, gone
    assert "Ella" in interview.text
    assert "🙂🙂" in interview.text
    for coding in Coding.objects.filter(interview=interview):
        assert coding.quote == interview.text[coding.start : coding.end]
    moved = dict(Coding.objects.filter(interview=interview).values_list("pk", "quote"))
    evelyn = next(pk for pk, quote in quotes.items() if quote.startswith("Evelyn still"))
    assert moved[evelyn] == quotes[evelyn].replace("Evelyn", "Ella")
    bibi = next(pk for pk, quote in quotes.items() if "bibi" in quote)
    assert moved[bibi].startswith("Then ")
    assert moved[bibi].endswith(" came by with the soup")
    consensus = Coding.objects.get(interview=interview, layer=Layer.CONSENSUS)
    assert consensus.quote.startswith("sent me to her, at ")
    assert "Oak" not in consensus.quote
    # The other interview keeps its text until its own review is applied.
    other.refresh_from_db()
    assert "Evelyn" in other.text


def big_text(words: int) -> tuple[str, list[tuple[int, int]]]:
    """A transcript of about ``words`` words with an emoji before some names, and the
    positions of 1,000 names in it."""
    rng = random.Random(17)
    filler = [
        "the",
        "clinic",
        "was",
        "quiet",
        "and",
        "she",
        "listened",
        "to",
        "me",
        "about",
        "my",
        "diabetes",
        "every",
        "week",
    ]
    lines: list[str] = []
    spans: list[tuple[int, int]] = []
    at = 0
    count = 0
    while count < words:
        speaker = "Interviewer: " if len(lines) % 2 == 0 else "Maria: "
        line = speaker
        for i in range(40):
            if i % 4 == 2 and len(spans) < 1000:
                name = rng.choice(["Evelyn", "Okafor", "Millbrook", "Tobias"])
                prefix = "🙂 " if rng.random() < 0.2 else ""
                line += prefix
                spans.append((at + len(line), at + len(line) + len(name)))
                line += name + " "
            else:
                line += rng.choice(filler) + " "
            count += 1
        line = line.rstrip() + "."
        lines.append(line)
        at += len(line) + 2
    return "\n\n".join(lines) + "\n", spans


def test_a_long_transcript_with_1000_proposals_does_not_lag(
    page: Any, study: Study, lead: Any
) -> None:
    text, positions = big_text(20_000)
    interview = make_interview(study=study, text=text, by=lead)
    interview.refresh_from_db()
    assert len(interview.text.split()) >= 20_000
    DeidSpan.objects.bulk_create(
        DeidSpan(
            interview=interview, start=s, end=e, kind="PERSON", confidence=0.8, source="gazetteer"
        )
        for s, e in positions
    )
    assert DeidSpan.objects.filter(interview=interview).count() == 1000
    login(page, "lead")
    page.goto(f"/interviews/{interview.pk}/deid/")
    ready(page)
    render = page.evaluate("performance.getEntriesByName('deid-render')[0].duration")
    loaded = page.evaluate("performance.getEntriesByName('deid-render-end')[0].startTime")
    assert page.locator("#transcript mark").count() == 1000
    assert page.locator("#dp-list [role=option]").count() == 1000
    # Each mark shows its own words (emoji before names: code points, not UTF-16 units).
    marks = page.evaluate(
        "Array.from(document.querySelectorAll('#transcript mark'), (m) => m.textContent)"
    )
    assert set(marks) <= {"Evelyn", "Okafor", "Millbrook", "Tobias"}
    page.locator("#transcript").focus()
    timings = []
    for _ in range(10):
        page.keyboard.press("n")
        started = page.evaluate("performance.now()")
        press_and_wait(page, "a")
        timings.append(page.evaluate("performance.now()") - started)
    updates_ms = page.evaluate("performance.getEntriesByName('deid-update').map((e) => e.duration)")
    move = page.evaluate(
        """() => {
          const t = performance.now();
          for (let i = 0; i < 50; i++) {
            document.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true }));
          }
          return (performance.now() - t) / 50;
        }"""
    )
    median = sorted(updates_ms)[len(updates_ms) // 2]
    print(
        f"\nready {loaded:.0f} ms after navigation; render {render:.0f} ms; "
        f"update (DOM only) median {median:.1f} ms, "
        f"max {max(updates_ms):.1f} ms; key to redrawn (with the request) median "
        f"{sorted(timings)[len(timings) // 2]:.0f} ms; next identifier {move:.1f} ms"
    )
    assert render < 2000
    assert max(updates_ms) < 50
    assert move < 50
    assert DeidSpan.objects.filter(interview=interview, status="accepted").count() == 10
