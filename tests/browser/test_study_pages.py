"""Logging in, the studies list, a study's dyads, a dyad and a printable transcript, in Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from interviews.models import Interview, Study
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coder_logs_in_and_walks_from_studies_to_a_transcript(
    page: Any, study: Study, interview: Interview
) -> None:
    login(page, "coder")
    page.get_by_role("link", name="Study", exact=True).click()
    page.get_by_role("link", name="D01", exact=True).click()
    page.get_by_role("link", name="Read / print").first.click()
    assert page.get_by_text("Café talk, really 🙂").is_visible()
    assert page.locator(".turn .speaker").all_inner_texts() == [
        "Interviewer",
        "Maria",
        "Interviewer",
        "Maria",
    ]
    assert page.script_errors == []


def test_wrong_password_is_refused(page: Any, study: Study) -> None:
    login_page = page
    login_page.goto("/accounts/login/")
    login_page.get_by_label("Username").fill("coder")
    login_page.get_by_label("Password").fill("not the password")
    login_page.get_by_role("button", name="Log in").click()
    assert login_page.get_by_role("alert").is_visible()
    assert "/accounts/login/" in login_page.url


def test_log_out_returns_to_the_login_page(page: Any, study: Study) -> None:
    login(page, "viewer")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    page.goto("/")
    assert "/accounts/login/" in page.url


def test_a_lead_imports_a_transcript_and_finds_the_new_dyad(page: Any, study: Study) -> None:
    login(page, "lead")
    page.goto("/studies/study/")
    page.get_by_role("link", name="Import transcripts").first.click()
    page.get_by_label("Transcript files").set_input_files(
        files=[
            {
                "name": "d09-patient.txt",
                "mimeType": "text/plain",
                "buffer": b"Interviewer: How is it going?\n\nRosa: Dr Lee never gave up on me.\n",
            }
        ]
    )
    page.get_by_label("Dyad label").fill("D09")
    page.get_by_label("Interview", exact=True).select_option("patient")
    page.get_by_role("button", name="Import").click()
    page.get_by_text("1 file imported").wait_for()
    page.goto("/studies/study/")
    page.get_by_role("link", name="D09", exact=True).click()
    assert page.get_by_role("heading", name="Dyad D09").is_visible()
    assert page.script_errors == []
