"""Memos in Chromium: a coder writes a study memo on the Memos tab and a code memo on the
codebook page, finds both in the Memos tab filtered by type and by code, edits one, writes a dyad
memo, and axe finds no serious or critical violation on the Memos page."""

from __future__ import annotations

from typing import Any

import pytest

from coding.models import Memo
from coding.services import memo_create
from interviews.models import Interview, Study
from tests.browser.conftest import login
from tests.browser.workspace_helpers import axe_violations, open_workspace
from tests.factories import code

pytestmark = pytest.mark.django_db(transaction=True)


def test_write_a_study_and_a_code_memo_and_find_both_in_the_memos_tab(
    page: Any, study: Study, interview: Interview
) -> None:
    login(page, "coder")
    page.goto("/studies/study/codebook/")
    page.get_by_role("link", name="Memos", exact=True).click()
    page.wait_for_url("**/studies/study/memos/")
    assert page.get_by_text("No memos match.").is_visible()

    # A study memo, methodological.
    form = page.locator("form.memo-form[data-kind=study]")
    form.get_by_label("Type").select_option("methodological")
    form.get_by_label("Title (optional)").fill("Sampling")
    form.get_by_label("Memo").fill("We stop at saturation.")
    form.get_by_role("button", name="Save memo").click()
    page.get_by_text("We stop at saturation.").wait_for()

    # A code memo, reflexive, from the code's place in the codebook.
    hope = code(study, "OUT.HOPE")
    page.goto(f"/studies/study/codebook/#code-{hope.pk}")
    item = page.locator(f"#code-{hope.pk}")
    item.get_by_text("Write a memo on OUT.HOPE").click()  # the link to the code opened it
    code_form = item.locator("form.memo-form")
    code_form.get_by_label("Type").select_option("reflexive")
    code_form.get_by_label("Memo").fill("Hope shows late in the interview.")
    code_form.get_by_role("button", name="Save memo").click()
    # The page reloads at the code, open, with the memo under its definition.
    page.locator(f"#code-{hope.pk}").get_by_text("Hope shows late in the interview.").wait_for()

    # Both in the Memos tab; each filter finds its own.
    page.goto("/studies/study/memos/")
    assert page.locator("article.memo").count() == 2
    page.get_by_label("Type").first.select_option("reflexive")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**type=reflexive**")
    assert page.locator("article.memo").all_inner_texts()[0].count("Hope shows late") == 1
    assert page.locator("article.memo").count() == 1
    page.goto("/studies/study/memos/")
    page.locator("#f-code").select_option(str(hope.pk))
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(f"**code={hope.pk}**")
    assert page.locator("article.memo").count() == 1
    link = page.locator("article.memo").get_by_role("link", name="Code OUT.HOPE")
    assert link.get_attribute("href") == f"/studies/study/codebook/#code-{hope.pk}"
    page.goto("/studies/study/memos/?type=methodological")
    assert page.locator("article.memo").count() == 1
    assert page.get_by_text("We stop at saturation.").is_visible()

    # Edit one's own memo in place.
    page.locator("article.memo").get_by_role("button", name="Edit").first.click()
    edit = page.locator("form.memo-edit-form")
    edit.get_by_label("Type").select_option("other")
    edit.get_by_label("Memo").fill("We stop at saturation, checked twice.")
    edit.get_by_role("button", name="Save").click()
    edit.wait_for(state="detached")  # saved: the page reloads
    page.goto("/studies/study/memos/?type=other")
    page.get_by_text("We stop at saturation, checked twice.").wait_for()

    stored = {memo.body: (memo.type, memo.code_id) for memo in Memo.objects.all()}
    assert stored == {
        "We stop at saturation, checked twice.": ("other", None),
        "Hope shows late in the interview.": ("reflexive", hope.pk),
    }
    assert page.script_errors == []


def test_a_dyad_memo_written_on_the_dyad_page(
    page: Any, study: Study, interview: Interview
) -> None:
    login(page, "coder")
    page.goto(f"/dyads/{interview.dyad_id}/")
    form = page.locator("form.memo-form[data-kind=dyad]")
    form.get_by_label("Type").select_option("case_note")
    form.get_by_label("Memo").fill("Warm, long-standing relationship.")
    form.get_by_role("button", name="Save memo").click()
    page.get_by_text("Warm, long-standing relationship.").wait_for()
    memo = Memo.objects.get()
    assert (memo.dyad_id, memo.type) == (interview.dyad_id, "case_note")
    assert page.script_errors == []


def test_the_memos_page_has_no_serious_accessibility_violation(
    page: Any, study: Study, interview: Interview
) -> None:
    memo_create(study=study, author=study.memberships.get(role="lead").user, title="Plan",
                body="A plan.", dyad=interview.dyad, type="case_note")  # fmt: skip
    login(page, "lead")
    page.goto("/studies/study/memos/")
    assert axe_violations(page) == []


def test_a_codes_memos_in_the_workspace_definition_panel(
    page: Any, study: Study, interview: Interview, lead: Any
) -> None:
    hope = code(study, "OUT.HOPE")
    memo_create(study=study, author=lead, body="Look for the future tense.", code=hope,
                type="methodological")  # fmt: skip
    login(page, "coder")
    open_workspace(page, interview.pk)
    page.get_by_role("button", name=f"Definition of OUT.HOPE {hope.name}").click()
    panel = page.locator("#ws-definition")
    panel.get_by_text("Look for the future tense.").wait_for()
    assert "Methodological" in panel.inner_text()
    panel.get_by_label("Memo on OUT.HOPE").fill("Also hope for the clinician.")
    panel.get_by_role("button", name="Add code memo").click()
    panel.get_by_text("Also hope for the clinician.").wait_for()
    assert Memo.objects.filter(code=hope, author__username="coder").count() == 1
    assert page.script_errors == []
