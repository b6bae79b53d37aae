"""The dyads table in Chromium: the lead defines attributes, fills cells inline, pastes rows
(preview, then apply), and sees a refused paste name its cell; axe finds nothing serious."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from interviews.models import Dyad, Participant, Study
from interviews.services import dyad_get_or_create, participant_get_or_create
from tests.browser.conftest import login
from tests.browser.workspace_helpers import axe_violations
from tests.factories import make_interview

pytestmark = pytest.mark.django_db(transaction=True)


def define(page: Any, entity: str, label: str, key: str, type: str, choices: str = "") -> None:
    form = page.locator("#define-attribute-form")
    form.get_by_label("Of").select_option(entity)
    form.get_by_label("Label").fill(label)
    form.get_by_label("Key").fill(key)
    form.get_by_label("Type").select_option(type)
    form.get_by_label("Choices (for a list)").fill(choices)
    form.get_by_role("button", name="Define attribute").click()
    heading = f"{entity.capitalize()}: {label}"
    page.locator(".dyads-table").get_by_role("columnheader", name=heading, exact=True).wait_for()


def test_the_lead_fills_the_dyads_table_inline_and_by_pasting(
    page: Any, study: Study, lead: Any, folder: Path
) -> None:
    lee = participant_get_or_create(study=study, role="clinician", pseudonym="Dr Lee")
    maria = participant_get_or_create(study=study, role="patient", pseudonym="Maria")
    make_interview(study=study, dyad="D01", by=lead)
    dyad_get_or_create(study=study, label="D01", clinician=lee, patient=maria)
    dyad_get_or_create(study=study, label="D02", clinician=lee)

    login(page, "lead")
    page.goto("/studies/study/")
    page.get_by_role("navigation", name="Study sections").get_by_role("link", name="Dyads").click()
    page.get_by_role("heading", name="Dyads").wait_for()

    define(page, "clinician", "Years in practice", "years", "integer")
    define(page, "dyad", "Setting", "setting", "choice", "clinic, home")
    define(page, "dyad", "First visit", "first_visit", "date")

    # Inline: a clinician's value shows (and is saved) in each of their dyads.
    status = page.locator("#dyads-status")
    page.get_by_label("Clinician: Years in practice of D01", exact=True).fill("12")
    page.get_by_label("Clinician: Years in practice of D01", exact=True).press("Tab")
    expect(status).to_contain_text("Saved: Clinician: Years in practice of D01 is 12")
    expect(page.get_by_label("Clinician: Years in practice of D02", exact=True)).to_have_value("12")
    page.get_by_label("Dyad: Setting of D01", exact=True).select_option("home")
    expect(status).to_contain_text("Saved: Dyad: Setting of D01 is home")
    page.get_by_label("Dyad: First visit of D01", exact=True).fill("2024-05-01")
    page.get_by_label("Dyad: First visit of D01", exact=True).press("Tab")
    expect(status).to_contain_text("Saved: Dyad: First visit of D01")

    # A new dyad: its clinician chosen from the list (her values follow), its patient new.
    add = page.locator("#add-dyad-form")
    add.get_by_label("Dyad label").fill("D03")
    add.get_by_label("Clinician", exact=True).select_option(label="Dr Lee")
    add.get_by_label("Patient", exact=True).select_option("new")
    add.get_by_label("New patient's pseudonym").fill("Rosa")
    add.get_by_role("button", name="Add dyad").click()
    expect(status).to_contain_text("Dyad D03 added.")
    expect(page.get_by_label("Clinician: Years in practice of D03", exact=True)).to_have_value("12")
    expect(page.get_by_label("Patient of D03", exact=True)).to_have_value(
        str(Participant.objects.get(pseudonym="Rosa").pk)
    )

    # A refused cell says why and goes back to its saved value.
    page.get_by_label("Label of dyad D02", exact=True).fill("D01")
    page.get_by_label("Label of dyad D02", exact=True).press("Tab")
    expect(
        page.locator("tr", has=page.get_by_label("Label of dyad D02")).locator(".cell-msg").first
    ).to_contain_text("already has a dyad with this label")
    expect(page.get_by_label("Label of dyad D02", exact=True)).to_have_value("D02")

    # A refused paste names its cell and stores nothing.
    box = page.get_by_label("Rows to paste (tab-separated)")
    result = page.locator("#paste-result")
    box.fill("Dyad\tClinician: Years in practice\tDyad: Setting\nD01\tten\tclinic\n")
    page.get_by_role("button", name="Preview").click()
    expect(result).to_contain_text(
        "row 2, 'Clinician: Years in practice': 'ten' is not a whole number"
    )
    page.get_by_role("button", name="Apply").click()
    expect(result).to_contain_text("nothing was stored")
    expect(result).to_contain_text("'ten' is not a whole number")

    # A good paste: preview, then apply.
    box.fill("Dyad\tDyad: Setting\tDyad: First visit\r\nD02\tclinic\t2024-06-01\r\n")
    page.get_by_role("button", name="Preview").click()
    expect(result).to_contain_text("2 cell(s) would change")
    expect(result.get_by_role("cell", name="2024-06-01")).to_be_visible()
    page.get_by_role("button", name="Apply").click()
    expect(status).to_contain_text("Pasted: 2 cell(s) changed.")
    expect(page.get_by_label("Dyad: Setting of D02", exact=True)).to_have_value("clinic")

    assert Participant.objects.get(pk=lee.pk).attributes == {"years": 12}
    assert Dyad.objects.get(label="D01").attributes == {
        "setting": "home",
        "first_visit": "2024-05-01",
    }
    assert Dyad.objects.get(label="D02").attributes == {
        "setting": "clinic",
        "first_visit": "2024-06-01",
    }

    assert axe_violations(page) == []
    page.set_viewport_size({"width": 1440, "height": 900})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(folder / "dyads-table.png"), full_page=True)
    assert page.script_errors == []


def test_a_viewer_reads_the_table_without_controls(page: Any, study: Study, lead: Any) -> None:
    lee = participant_get_or_create(
        study=study, role="clinician", pseudonym="Dr Lee", attributes={"years": "12"}
    )
    dyad_get_or_create(study=study, label="D01", clinician=lee)
    login(page, "viewer")
    page.goto("/studies/study/dyads/")
    table = page.get_by_test_id("dyads-table")
    expect(table.get_by_role("cell", name="12")).to_be_visible()
    assert table.locator("input, select").count() == 0
    assert axe_violations(page) == []
    assert page.script_errors == []
