"""Blind double coding to consensus, in Chromium.

Two coders code the same interview blind, through the REST API from inside their signed-in
browser (the same session, cookies and CSRF token the workspace uses; the workspace's own clicks
are tested in test_workspace.py). The lead then reveals, opens the disagreements and the
side-by-side view, settles two passages and marks the consensus complete; the consensus is then
checked through the API, and the comparison page, whose default layer ("best") reads it.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from coding.models import Adjudication, Layer
from coding.team.services import study_update
from interviews.models import Interview, Study
from tests.browser.conftest import login
from tests.browser.workspace_helpers import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def csrf(page: Any) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def code_through_the_api(page: Any, interview: Interview, items: list[tuple[str, str]]) -> None:
    for key, words in items:
        start = interview.text.index(words)
        response = page.request.post(
            "/api/v1/codings/",
            data={"interview": interview.pk, "code_key": key, "start": start,
                  "end": start + len(words)},
            headers={"X-CSRFToken": csrf(page)},
        )  # fmt: skip
        assert response.status == 201, response.text()


def passage(page: Any, key: str) -> Any:
    heading = page.get_by_role("heading", name=key)
    return page.locator("article.passage").filter(has=heading)


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")


def test_two_coders_blind_then_the_lead_reveals_and_settles_a_consensus(
    page: Any, study: Study, interview: Interview, lead: Any, coder: Any, coder2: Any
) -> None:
    study_update(study=study, actor=lead, blind_coding=True)

    login(page, "coder")
    code_through_the_api(
        page,
        interview,
        [("VAL.PRES.ATT", "she listened to every word"),
         ("POW.EDU", "She explained the diabetes with a drawing"),
         ("ABI.NGU", "she never gave up on me")],
    )  # fmt: skip
    log_out(page)

    login(page, "coder2")
    code_through_the_api(
        page,
        interview,
        [("VAL.PRES.ATT", "listened to every word"),
         ("OUT.TRUST", "We met at the clinic in 2009"),
         ("ABI.NGU", "she never gave up on me")],
    )  # fmt: skip
    # Blind: coder2 sees only their own codings, and no disagreements page.
    mine = page.request.get(f"/api/v1/codings/?interview={interview.pk}").json()["results"]
    assert {row["coder_username"] for row in mine} == {"coder2"}
    response = page.goto(f"/interviews/{interview.pk}/disagreements/")
    assert response.status == 403
    log_out(page)

    login(page, "lead")
    page.get_by_role("link", name="Study", exact=True).click()
    page.get_by_role("link", name="Team").click()
    page.get_by_role("button", name="Reveal all layers").click()
    # A server-side confirmation step states the consequence first.
    expect(page.get_by_role("heading", name="Reveal all layers?")).to_be_visible()
    expect(page.get_by_text("Coders will see each other's codings")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Reveal all layers").click()
    expect(page.get_by_text("Revealed: every coder now sees every layer.")).to_be_visible()

    page.get_by_role("link", name="Consensus").click()
    page.get_by_role("row", name="D01 · Patient").get_by_role("link", name="disagreements").click()
    expect(page.locator("article.passage")).to_have_count(3)
    attention = passage(page, "VAL.PRES.ATT")
    expect(attention.get_by_text("boundaries differ")).to_be_visible()

    # The side-by-side view of the first passage, then back.
    attention.get_by_role("link", name="open side by side").click()
    page.wait_for_url("**/compare/**")
    expect(page.locator("#compare thead th")).to_have_text(["Ana Ruiz", "Ben Clarke"])
    expect(page.locator("mark.focus")).to_have_count(2)
    page.go_back()
    page.wait_for_url("**/disagreements/**")

    attention = passage(page, "VAL.PRES.ATT")
    attention.get_by_label("Note").fill("The listening itself, not who listened.")
    attention.get_by_role("button", name="Accept Ben Clarke").click()
    expect(page.get_by_text("Decision recorded in the consensus layer.")).to_be_visible()
    expect(page.locator("article.passage")).to_have_count(2)
    passage(page, "POW.EDU").get_by_role("button", name="Merge both").click()
    expect(page.locator("article.passage")).to_have_count(1)  # OUT.TRUST is left open
    # One disagreement is still open: completing needs a confirmation and a reason.
    expect(page.locator("#open-disagreements")).to_contain_text("1 disagreement")
    page.get_by_label("Mark it complete with 1 open disagreement").check()
    page.get_by_label("Reason").fill("OUT.TRUST: the team left it out on purpose.")
    page.get_by_role("button", name="Mark consensus complete").click()
    expect(page.locator("#complete-badge")).to_be_visible()

    page.get_by_label("Show").select_option("settled")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url("**show=settled**")
    expect(page.get_by_text("The listening itself, not who listened.")).to_be_visible()

    consensus = page.request.get(
        f"/api/v1/codings/?interview={interview.pk}&layer={Layer.CONSENSUS}"
    ).json()["results"]
    # The two settled passages, and ABI.NGU, which both coders applied alike ("agreed").
    assert sorted((row["code_key"], row["quote"]) for row in consensus) == [
        ("ABI.NGU", "she never gave up on me"),
        ("POW.EDU", "She explained the diabetes with a drawing"),
        ("VAL.PRES.ATT", "listened to every word"),
    ]
    assert Adjudication.objects.exclude(decision="agreed").count() == 2
    assert Adjudication.objects.filter(decision="agreed").count() == 1
    interview.refresh_from_db()
    assert interview.consensus_complete
    # The comparison's default, "best", now reads this interview's consensus: the settled codes
    # and the agreed one (rolled up to their processes).
    page.goto("/studies/study/")
    page.get_by_role("link", name="Comparison").click()
    page.get_by_role("link", name="Prevalence").click()
    scope = page.locator("#comparison-scope")
    expect(scope.locator("[data-layer]")).to_contain_text("Best available")
    expect(scope).to_contain_text("(the default)")
    expect(scope).to_contain_text("consensus for 1 of 1 dyads")

    def dyads_with(key: str) -> str:
        row = page.locator(f"#prevalence-table tbody tr[data-code='{key}']")
        return str(row.locator("th, td").nth(3).inner_text()).split()[0]

    assert dyads_with("VAL") == "1"
    assert dyads_with("POW") == "1"
    assert dyads_with("ABI") == "1"
    assert page.script_errors == []
