"""Speakers after import in Chromium: the lead corrects a speaker's role on the speaker page,
autocodes the interviewer turns with a code, reads the job's outcome in words and undoes it;
the workspace shows each speaker label once; axe finds nothing serious on the speaker page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from coding.models import Coding
from interviews.models import Interview, Study, Turn
from tests.browser.conftest import login
from tests.browser.workspace_helpers import axe_violations, open_workspace
from tests.factories import make_interview

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "Interviewer: How did you first meet her?\n\n"
    "Dr. Lee: At the clinic, years ago.\n\n"
    "Interviewer: What did you notice?\n\n"
    "Dr. Lee: That she listened.\n"
)


@pytest.fixture
def clinician_interview(study: Study, lead: Any) -> Interview:
    interview = make_interview(study=study, perspective="clinician", text=TEXT, by=lead)
    # As a file without a speaker map may leave it: the clinician taken for someone else.
    Turn.objects.filter(interview=interview, speaker="Dr. Lee").update(role="other")
    return interview


def test_correct_a_role_autocode_and_undo(
    page: Any, study: Study, clinician_interview: Interview
) -> None:
    interview = clinician_interview
    text_before = interview.text
    login(page, "lead")
    page.goto(f"/dyads/{interview.dyad_id}/")
    page.get_by_role("link", name="Speakers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Speakers of")
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Dr. Lee"))
    expect(row.get_by_role("cell").nth(1)).to_have_text("2")
    assert axe_violations(page) == []

    row.get_by_label("Role of Dr. Lee").select_option("clinician")
    row.get_by_role("button", name="Save the role of Dr. Lee").click()
    expect(page.get_by_role("status")).to_contain_text("Dr. Lee is now clinician in 2 turns.")
    assert set(
        Turn.objects.filter(interview=interview, speaker="Dr. Lee").values_list("role", flat=True)
    ) == {"clinician"}
    interview.refresh_from_db()
    assert interview.text == text_before

    # Autocode the interviewer turns of this interview with OUT.TRUST into the lead's layer.
    page.get_by_role("link", name="Autocode by speaker…").click()
    expect(page.get_by_label("Where")).to_have_value(str(interview.pk))
    page.get_by_label("Every turn with the role").check()
    page.get_by_label("Role", exact=True).select_option("interviewer")
    page.get_by_label("Code").select_option(label="OUT.TRUST — Trust")
    page.get_by_role("button", name="Start autocoding").click()
    summary = page.locator("[data-field=autocode-summary]")
    expect(summary).to_have_text(
        "Coded 2 interviewer turns in 1 interview with OUT.TRUST into Lena Ortiz's layer."
    )
    codings = list(Coding.objects.order_by("start"))
    turns = list(Turn.objects.filter(interview=interview, role="interviewer").order_by("index"))
    assert [(c.start, c.end) for c in codings] == [(t.start, t.end) for t in turns]

    page.get_by_role("button", name="Undo this autocode run").click()
    expect(page.get_by_role("status")).to_contain_text("Removed 2 of the 2 codings")
    expect(page.locator("[data-field=autocode-undone]")).to_be_visible()
    expect(page.get_by_role("button", name="Undo this autocode run")).to_have_count(0)
    assert not Coding.objects.exists()
    assert page.script_errors == []


def test_the_workspace_shows_each_label_once(
    page: Any, study: Study, clinician_interview: Interview
) -> None:
    login(page, "lead")
    open_workspace(page, clinician_interview.pk)
    turns = page.locator("#transcript .ws-turn")
    expect(turns).to_have_count(4)
    tags = turns.evaluate_all(
        "(all) => all.map((t) => [t.querySelector('.ws-label').textContent.trim(), "
        "getComputedStyle(t, '::before').content, t.getAttribute('aria-label')])"
    )
    # "Interviewer:" needs no INTERVIEWER tag; "Dr. Lee:" (other) gets a subtle role tag.
    assert tags[0][0] == "Interviewer:"
    assert tags[0][1] in ("none", "normal")
    assert tags[0][2] == "Turn 1: Interviewer"
    assert tags[1][0] == "Dr. Lee:"
    assert "Other" in tags[1][1]
    assert tags[1][2] == "Turn 2: Dr. Lee, other"
    assert page.locator("#transcript").inner_text().count("Interviewer") == 2
    assert page.script_errors == []
