"""Coding queries in Chromium: a coder builds a ``followed_by`` query with the builder's form
controls (nested one level), sees the JSON it makes, runs it, saves it with a name, re-runs it
from the saved list and finds its last counts there; axe finds no serious or critical violation
on the page."""

from __future__ import annotations

import json
from typing import Any

import pytest

from coding.models import SavedQuery
from coding.services import CodingInput, codings_bulk_create
from interviews.models import Interview, Study
from tests.browser.conftest import login
from tests.browser.workspace_helpers import axe_violations
from tests.factories import code
from tests.team.conftest import span

pytestmark = pytest.mark.django_db(transaction=True)


def test_build_save_and_rerun_a_followed_by_query(
    page: Any, study: Study, interview: Interview, coder: Any
) -> None:
    # Valuing in the patient's first answer, trust in the next answer (turns 1 and 3; the
    # interviewer's question between them is skipped when counting participant turns).
    listened = span(interview, "she listened to every word")
    explained = span(interview, "She explained the diabetes")
    codings_bulk_create(
        interview=interview,
        coder=coder,
        items=[
            CodingInput(code(study, "VAL.PRES.ATT").pk, *listened),
            CodingInput(code(study, "OUT.TRUST").pk, *explained),
        ],
    )
    login(page, "coder")
    page.goto("/studies/study/")
    page.get_by_role("link", name="Queries", exact=True).click()
    page.wait_for_url("**/studies/study/queries/")
    page.locator("#query-builder[data-ready=true]").wait_for()

    page.locator("#q-op").select_option("followed_by")
    first = page.locator("fieldset[data-path=q-0]")
    first.get_by_label("Code", exact=True).select_option("VAL")
    second = page.locator("fieldset[data-path=q-1]")
    second.get_by_label("Code", exact=True).select_option("OUT.TRUST")
    second.get_by_label("Said by").select_option("patient")
    page.get_by_label("Within N turns (0–50)").fill("1")
    page.get_by_label("Counting").select_option("participant")
    page.get_by_text("Query as JSON").click()
    built = json.loads(page.locator("#query-json").input_value())
    assert built == {
        "followed_by": [{"code": "VAL"}, {"code": "OUT.TRUST", "role": "patient"}],
        "turns": 1,
        "count": "participant",
    }

    page.get_by_role("button", name="Run").click()
    page.locator("#results-total").get_by_text("1 segment in 1 dyad").wait_for()
    hit = page.locator("#results-list li").first
    assert "she listened to every word" in hit.inner_text()
    link = hit.get_by_role("link", name="Open in the workspace")
    assert link.get_attribute("href").startswith(f"/interviews/{interview.pk}/#coding-")
    assert page.locator("#counts-by-code").get_by_text("VAL.PRES.ATT").is_visible()

    # Turns 0 finds nothing: the trust passage is in the next participant turn.
    page.get_by_label("Within N turns (0–50)").fill("0")
    page.get_by_role("button", name="Run").click()
    page.locator("#results-total").get_by_text("0 segments in 0 dyads").wait_for()
    page.get_by_label("Within N turns (0–50)").fill("1")

    page.get_by_label("Name").fill("Valuing, then trust")
    page.get_by_role("button", name="Save query").click()
    page.wait_for_url("**/studies/study/queries/?saved=*")
    row = page.locator("#saved-queries tbody tr", has_text="Valuing, then trust")
    row.get_by_text("not run yet").wait_for()
    assert page.locator("#query-status").get_by_text("Saved “Valuing, then trust”.").is_visible()
    saved = SavedQuery.objects.get(name="Valuing, then trust")
    assert saved.query["followed_by"][1] == {
        "code": "OUT.TRUST", "descendants": True, "role": "patient",
    }  # fmt: skip

    row.get_by_role("button", name="Re-run Valuing, then trust").click()
    row.locator(".last-counts").get_by_text("1 segment in 1 dyad").wait_for()
    page.locator("#results-heading").get_by_text("Results of “Valuing, then trust”").wait_for()
    assert page.locator("#results-list li").count() == 1
    saved.refresh_from_db()
    assert (saved.last_total, saved.last_dyads, saved.last_run_by_id) == (1, 1, coder.pk)

    # Back into the builder from the saved list.
    page.locator("#q-op").select_option("term")
    row.get_by_role("button", name="Edit in builder: Valuing, then trust").click()
    assert page.locator("#q-op").input_value() == "followed_by"
    assert axe_violations(page) == []
    assert page.script_errors == []
