"""Memos on a coding in Chromium: a coder selects a coding in the workspace, writes a reflexive
memo on it, sees it listed, finds it in the Memos tab (About: a coding) and follows the link back
to the coding, which the workspace selects; an archived study's workspace shows the banner and
offers no write. axe finds no serious or critical violation with the coding panel open."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from coding.models import Memo
from coding.services import CodingInput, codings_bulk_create, memo_create
from interviews.models import Interview, Study
from interviews.services import study_update
from tests.browser.conftest import login
from tests.browser.workspace_helpers import axe_violations, drag_select, open_workspace
from tests.factories import code

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = "We met at the clinic"


def a_coding(study: Study, interview: Interview, coder: Any) -> Any:
    start = interview.text.index(WORDS)
    return codings_bulk_create(
        interview=interview,
        coder=coder,
        items=[CodingInput(code(study, "OUT.HOPE").pk, start, start + len(WORDS))],
    )[0]


def test_write_a_coding_memo_and_come_back_to_it_from_the_memos_tab(
    page: Any, study: Study, interview: Interview, coder: Any
) -> None:
    coding = a_coding(study, interview, coder)
    login(page, "coder")
    open_workspace(page, interview.pk)
    page.locator(".stripe").first.click()
    panel = page.locator("#ws-coding-memos")
    expect(panel).to_contain_text("Memos on this coding (0)")
    panel.get_by_label("Type", exact=True).select_option("reflexive")
    panel.get_by_label("Title (optional)", exact=True).fill("My own hope")
    body = panel.get_by_label("Memo on this coding", exact=True)
    body.fill("I read <b>hope</b> here because I hoped so.")
    panel.get_by_role("button", name="Add coding memo").click()
    expect(panel).to_contain_text("Memos on this coding (1)")
    expect(panel.locator("[data-coding-memo]")).to_contain_text("I read <b>hope</b> here")
    expect(panel.locator("[data-coding-memo]")).to_contain_text("Reflexive · coder")
    memo = Memo.objects.get()
    assert (memo.coding_id, memo.type, memo.title) == (coding.pk, "reflexive", "My own hope")
    assert axe_violations(page) == []

    page.goto("/studies/study/memos/")
    page.get_by_label("About").select_option("coding")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/memos/?*target=coding*")
    card = page.locator("article.memo")
    expect(card).to_have_count(1)
    card.get_by_role("link", name="Coding OUT.HOPE", exact=False).click()
    page.wait_for_url(f"**/interviews/{interview.pk}/**#coding-{coding.pk}")
    page.wait_for_selector("body[data-workspace=ready]")
    expect(page.locator("#ws-coding")).to_be_visible()
    expect(page.locator("#ws-coding-body .ws-quote")).to_have_text(WORDS)
    expect(page.locator("#ws-coding-memos")).to_contain_text("I read <b>hope</b> here")
    assert page.script_errors == []


def test_an_archived_studys_workspace_is_read_only(
    page: Any, study: Study, interview: Interview, lead: Any, coder: Any
) -> None:
    coding = a_coding(study, interview, coder)
    memo_create(study=study, author=coder, body="Written before the archive.", coding=coding)
    study_update(study=study, actor=lead, archived=True)
    login(page, "coder")
    open_workspace(page, interview.pk)
    expect(page.locator("#ws-archived")).to_contain_text("Archived — read-only")
    expect(page.locator("#ws-layer-note")).to_contain_text("archived")
    assert page.locator(".ws-code-apply").count() == 0
    expect(page.locator("#ws-memo-form")).to_be_hidden()

    drag_select(page, "she listened to every word")
    expect(page.locator("#ws-selection-actions")).to_be_hidden()
    expect(page.locator("#ws-toolbar")).to_be_hidden()
    page.keyboard.press("c")
    expect(page.locator("#ws-picker")).to_be_hidden()

    page.locator(".stripe").first.click()
    expect(page.locator("#ws-coding")).to_be_visible()
    memos = page.locator("#ws-coding-memos")
    expect(memos).to_contain_text("Written before the archive.")
    expect(memos.locator("form")).to_have_count(0)
    expect(memos.get_by_role("button", name="Edit", exact=False)).to_have_count(0)
    expect(page.locator("#ws-coding-body textarea")).to_have_count(0)
    expect(page.locator("#ws-coding-body")).to_contain_text("Read-only")
    assert axe_violations(page) == []
    assert page.script_errors == []
