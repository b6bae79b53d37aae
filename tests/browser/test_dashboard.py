"""The study dashboard in Chromium: the lead's set-up checklist on a fresh study, and on the
coded demo study the interviews, codes and the saturation chart (SVG and PNG downloads), with
axe-core finding no serious or critical violation; the screenshot for docs/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from coding.demo.build import DEMO_USERS, demo_load
from interviews.models import Study
from tests.browser.conftest import login
from tests.browser.workspace_helpers import axe_violations
from tests.factories import make_study

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_lead_sees_the_checklist_on_a_fresh_study(page: Any, study: Study, lead: Any) -> None:
    make_study(lead=lead, slug="fresh")
    login(page, "lead")
    page.goto("/studies/fresh/")
    checklist = page.locator("#setup-checklist")
    expect(checklist).to_be_visible()
    expect(checklist.get_by_role("heading", name="Set up the study")).to_contain_text(
        "4 of 4 steps open"
    )
    for action in (
        "Invite coders and viewers",
        "Import transcripts",
        "Define attributes on the dyads page",
        "Assign interviews to coders",
    ):
        expect(checklist.get_by_role("link", name=action)).to_be_visible()
    expect(page.locator(".card.empty")).to_contain_text("No interviews yet.")
    expect(page.locator("svg#chart-saturation")).to_have_count(0)
    assert axe_violations(page) == []
    checklist.get_by_role("button", name="Hide the checklist for now").click()
    expect(checklist).to_be_hidden()
    page.reload()
    expect(page.locator("#setup-checklist")).to_be_visible()  # hidden for one page view only
    checklist.get_by_role("link", name="Import transcripts").click()
    page.wait_for_url("**/studies/fresh/import/")
    assert page.script_errors == []


def test_the_dashboard_of_a_coded_study_with_the_saturation_chart(page: Any, folder: Path) -> None:
    demo_load()
    password = next(user.password for user in DEMO_USERS if user.username == "lead")
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, "lead", password)
    page.goto("/studies/demo/")
    table = page.locator("table.dashboard-interviews")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Agreement (last report)")).to_be_visible()
    expect(page.locator("table.dashboard-codes tbody tr").first).to_be_visible()
    expect(page.get_by_text("Layer: best — consensus for")).to_be_visible()
    chart = page.locator("svg#chart-saturation")
    expect(chart).to_be_visible()
    assert chart.get_attribute("role") == "img"
    expect(chart.locator("desc")).to_contain_text("Cumulative distinct codes over")
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "dashboard.png"), full_page=True)
    page.get_by_text("The figures as a table").click()
    rows = page.locator("table.saturation-table tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 2
    assert axe_violations(page) == []

    with page.expect_download() as png:
        page.get_by_role("button", name="PNG").click()
    assert png.value.suggested_filename == "demo-saturation.png"
    with page.expect_download() as svg:
        page.get_by_role("link", name="SVG").click()
    assert svg.value.suggested_filename.endswith(".svg")

    page.get_by_label("Order the interviews by").select_option("dyad")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/studies/demo/?order=dyad")
    expect(page.locator("svg#chart-saturation")).to_contain_text("by dyad label")
    assert page.script_errors == []
