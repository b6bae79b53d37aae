"""The case study page in Chromium: excerpt links open the workspace at the passage, a
synthesis is saved and survives a reload, evidence is attached from an excerpt."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from coding.models import CaseStudySection
from interviews.models import Study
from tests.browser.conftest import login
from tests.casestudy.conftest import Coded, make_coded

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def coded(study: Study, lead: Any, coder: Any, coder2: Any) -> Coded:
    return make_coded(study=study, lead=lead, coder=coder, coder2=coder2)


XSS = '<img src=x onerror="window.__xss = 1">'


def open_case_study(page: Any, coded: Coded) -> None:
    page.goto(f"/dyads/{coded.dyad.pk}/case-study/")
    # The dyad's interviews are consensus-complete: the best layer reads their consensus.
    expect(page.locator("#layer-note")).to_contain_text("patient: consensus; clinician: consensus")


def test_excerpt_link_opens_the_workspace_at_the_passage(
    page: Any,
    study: Study,
    coded: Coded,
) -> None:
    login(page, "viewer")
    open_case_study(page, coded)
    section = page.locator("#component-VAL\\.CON")
    section.locator(".cs-clinician a.cs-open").first.click()
    page.wait_for_selector("body[data-workspace=ready]")
    assert f"/interviews/{coded.clinician.pk}/" in page.url
    assert f"#span-{coded.c0}-{coded.c0 + 8}" in page.url
    target = page.locator("#transcript .mk-target")
    expect(target.first).to_be_in_viewport()
    assert "".join(target.all_text_contents()) == "We decid"
    assert page.script_errors == []


def test_write_a_synthesis_and_see_it_after_reload(
    page: Any,
    study: Study,
    coded: Coded,
) -> None:
    login(page, "coder")
    open_case_study(page, coded)
    section = page.locator("#component-OUT\\.TRUST")
    section.get_by_label("Synthesis of Trust").fill(f"Trust built over years. {XSS}")
    section.get_by_role("button", name="Save").first.click()
    expect(section.locator("[data-role=status]").first).to_have_text("Saved.")
    expect(section.locator("[data-role=stamp]").first).to_contain_text("Ana Ruiz")
    page.reload()
    section = page.locator("#component-OUT\\.TRUST")
    expect(section.get_by_label("Synthesis of Trust")).to_have_value(
        f"Trust built over years. {XSS}"
    )
    expect(section.locator("[data-role=stamp]").first).to_contain_text("Last edited by Ana Ruiz")
    expect(section.locator(".cs-history summary").first).to_have_text("History (1)")
    assert page.evaluate("window.__xss") is None
    # Someone else saves meanwhile: this page's save is refused, their text shown, ours kept.
    other = CaseStudySection.objects.get(code__key="OUT.TRUST")
    other.synthesis = "Ben's version."
    other.save()
    box = section.get_by_label("Synthesis of Trust")
    box.fill("My later version.")
    section.get_by_role("button", name="Save").first.click()
    expect(section.locator("[data-role=conflict-text]")).to_have_text("Ben's version.")
    expect(box).to_have_value("My later version.")
    assert CaseStudySection.objects.get(code__key="OUT.TRUST").synthesis == "Ben's version."
    section.get_by_role("button", name="Save").first.click()  # deliberate, after seeing theirs
    expect(section.locator("[data-role=status]").first).to_have_text("Saved.")
    assert CaseStudySection.objects.get(code__key="OUT.TRUST").synthesis == "My later version."
    assert page.script_errors == []


def test_attach_evidence_from_an_excerpt(
    page: Any,
    study: Study,
    coded: Coded,
) -> None:
    login(page, "lead")
    open_case_study(page, coded)
    section = page.locator("#component-POW\\.PART")
    section.get_by_role("button", name="attach as evidence").first.click()
    evidence = section.locator("[data-role=evidence] li")
    expect(evidence).to_have_count(1)
    expect(evidence.first).to_contain_text("We decided t")
    expect(evidence.first).to_contain_text("Dr. Lee")
    expect(section.locator("[data-action=attach]").first).to_be_disabled()
    page.reload()
    evidence = page.locator("#component-POW\\.PART [data-role=evidence] li")
    expect(evidence).to_have_count(1)
    page.locator("#component-POW\\.PART").get_by_role("button", name="detach").click()
    expect(page.locator("#component-POW\\.PART [data-role=evidence] li")).to_have_text(
        "No evidence attached."
    )
    assert page.script_errors == []


def test_print_keeps_synthesis_and_passages_and_hides_controls(
    page: Any, study: Study, coded: Coded, lead: Any
) -> None:
    from coding.casestudy.services import case_study_section_save
    from tests.factories import code

    case_study_section_save(dyad=coded.dyad, code=code(study, "VAL.CON"), actor=lead,
                            text="Printed synthesis.", based_on=None)  # fmt: skip
    login(page, "coder")
    open_case_study(page, coded)
    page.emulate_media(media="print")
    section = page.locator("#component-VAL\\.CON")
    expect(section.locator("[data-role=text]").first).to_have_text("Printed synthesis.")
    expect(section.locator("[data-role=form]").first).to_be_hidden()
    expect(section.locator("[data-action=attach]").first).to_be_hidden()
    expect(page.locator(".cs-controls")).to_be_hidden()
    expect(section.locator(".cs-excerpt blockquote").first).to_be_visible()
    page.emulate_media(media="screen")
    expect(section.locator("[data-role=text]").first).to_be_hidden()  # the form shows it
    expect(section.get_by_label("Synthesis of Connecting")).to_have_value("Printed synthesis.")
