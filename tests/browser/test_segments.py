"""Retrieved segments in Chromium: a coder picks a code, the patient's side and one attribute
value, gets exactly the matching passages with their context, and opens one in the workspace,
which scrolls to it and selects it; axe finds no serious or critical violation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from coding.models import Coding
from interviews.models import Study
from tests.browser.conftest import login
from tests.browser.workspace_helpers import axe_violations
from tests.retrieval.test_segments import reference
from tests.retrieval.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_retrieve_patient_side_segments_for_an_attribute_and_open_one(
    page: Any, study: Study, lead: Any, coder: Any, coder2: Any
) -> None:
    world = build_world(study=study, lead=lead, coder=coder, coder2=coder2, dyads=5)
    expected = reference(
        world, codes=["VAL"], perspective="patient", attrs=[("dyad", "setting", "eq", "rural")]
    )
    assert expected

    login(page, "coder")
    page.goto("/studies/study/")
    page.get_by_role("link", name="Segments", exact=True).click()
    page.wait_for_url("**/studies/study/segments/")
    page.get_by_label("Codes", exact=True).select_option(["VAL"])
    page.get_by_label("Interview", exact=True).select_option("patient")
    page.get_by_label("Dyad: Setting").select_option(["rural"])
    page.get_by_label("Context (characters each side)").fill("60")
    page.get_by_role("button", name="Retrieve").click()
    page.wait_for_url("**perspective=patient**")
    assert "attr.setting=rural" in page.url

    shown = [int(x) for x in page.locator("li.segment").evaluate_all(
        "items => items.map(item => item.dataset.coding)"
    )]  # fmt: skip
    assert shown == expected
    heading = page.locator("#result-heading").inner_text()
    assert heading.startswith(f"{len(expected)} segment")
    scope = page.locator("#segment-scope").inner_text()
    assert "code VAL with sub-codes" in scope
    assert "Setting = rural" in scope
    # The form shows the filters it ran with.
    assert page.get_by_label("Interview", exact=True).input_value() == "patient"
    assert axe_violations(page) == []

    first = Coding.objects.get(pk=expected[0])
    item = page.locator(f"li.segment[data-coding='{first.pk}']")
    assert first.quote in item.locator("mark.quote").inner_text()
    item.get_by_role("link", name="Open in the workspace").click()
    page.wait_for_url(f"**/interviews/{first.interview_id}/**#coding-{first.pk}")
    page.locator("body[data-workspace=ready]").wait_for()
    # The workspace opens the coding (in its own layer when it is not the reader's).
    expect(page.locator("#ws-coding .ws-quote")).to_have_text(first.quote.strip() or first.quote)
    expect(page.locator("#transcript .mk-selected").first).to_be_in_viewport()
