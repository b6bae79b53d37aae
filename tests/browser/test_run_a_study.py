"""A study run from first login to the dashboard in Chromium, with no API token and no admin
page (issue 13): a fresh staff user, in an empty database, creates a study from the healing
codebook, invites two coders (who accept), imports two transcripts, defines three attributes of
different types and fills them inline and by pasting rows, corrects a speaker's role, autocodes
the interviewer turns, writes a study memo and a code memo and finds both in the Memos tab,
assigns both interviews, and sees the dashboard. Then the stored data are read back through
the REST API with the same browser session."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from coding.models import Code
from tests.browser.conftest import login
from tests.browser.test_dyads_table import define
from tests.browser.workspace_helpers import axe_violations
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "rural-clinics"
D01 = (
    "KM: How have your visits with Dr Lee been this year?\n\n"
    "Rosa: She listened to every word I said, and I trust her.\n\n"
    "KM: What changed for you?\n\n"
    "Rosa: I felt hope again.\n"
)
D02 = (
    "KM: Tell me about your clinician.\n\n"
    "Maria: Dr Lee never gave up on me, even when I missed visits.\n"
)


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/**")


def accept_invitation(page: Any, username: str) -> None:
    login(page, username)
    page.goto("/invitations/")
    page.get_by_role("button", name="Accept").first.click()
    page.get_by_text("You joined Healing in rural clinics.").wait_for()
    log_out(page)


def import_transcript(page: Any, name: str, text: str, dyad: str, patient: str) -> None:
    page.goto(f"/studies/{SLUG}/")
    page.get_by_role("link", name="Import transcripts").first.click()
    page.get_by_label("Transcript files").set_input_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": text.encode()}]
    )
    page.get_by_label("Dyad label").fill(dyad)
    page.get_by_label("Interview", exact=True).select_option("patient")
    page.get_by_label("Clinician (pseudonym, optional)").fill("Dr Lee")
    page.get_by_label("Patient (pseudonym, optional)").fill(patient)
    page.get_by_role("button", name="Import").click()
    page.get_by_text("1 file imported").wait_for()


def tab(page: Any, name: str) -> None:
    link = page.get_by_role("navigation", name="Study sections").get_by_role(
        "link", name=name, exact=True
    )
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{href}")
    page.wait_for_load_state()


def test_a_lead_runs_a_study_from_first_login_to_the_dashboard(page: Any, settings: Any) -> None:
    settings.STUDY_CREATORS = "staff"
    UserFactory(username="lena", first_name="Lena", last_name="Ortiz", is_staff=True)
    UserFactory(username="jo", first_name="Jo", last_name="Park")
    UserFactory(username="sam", first_name="Sam", last_name="Reyes")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    # 1. A new study from the healing-relationships codebook.
    login(page, "lena")
    page.get_by_role("link", name="New study").click()
    page.wait_for_url("**/studies/new/")
    page.wait_for_load_state()
    page.get_by_label("Title").fill("Healing in rural clinics")
    expect(page.get_by_label("Slug")).to_have_value("healing-in-rural-clinics")
    page.get_by_label("Slug").fill(SLUG)
    page.get_by_label("The healing-relationships codebook").check()
    page.get_by_role("button", name="Create the study").click()
    page.wait_for_url(f"**/studies/{SLUG}/")
    expect(page.locator("#setup-checklist")).to_contain_text("4 of 4 steps open")

    # 2. Two coders, invited by the lead; each accepts on their Invitations page.
    page.locator("#setup-checklist").get_by_role("link", name="Invite coders and viewers").click()
    for username in ("jo", "sam"):
        page.get_by_label("Username").fill(username)
        page.get_by_label("Role", exact=True).select_option("coder")
        page.get_by_role("button", name="Invite").click()
        page.get_by_role("rowheader", name=username).wait_for()
    log_out(page)
    accept_invitation(page, "jo")
    accept_invitation(page, "sam")
    login(page, "lena")

    # 3. Two transcripts, each a new dyad with the same clinician.
    import_transcript(page, "d01-patient.txt", D01, "D01", "Rosa")
    import_transcript(page, "d02-patient.txt", D02, "D02", "Maria")

    # 4. Three attributes of different types, filled inline and by pasting rows.
    page.goto(f"/studies/{SLUG}/")
    tab(page, "Dyads")
    define(page, "clinician", "Years in practice", "years", "integer")
    define(page, "dyad", "Setting", "setting", "choice", "clinic, home")
    define(page, "dyad", "First visit", "first_visit", "date")
    status = page.locator("#dyads-status")
    years = page.get_by_label("Clinician: Years in practice of D01", exact=True)
    years.fill("12")
    years.press("Tab")
    expect(status).to_contain_text("Saved: Clinician: Years in practice of D01 is 12")
    expect(page.get_by_label("Clinician: Years in practice of D02", exact=True)).to_have_value("12")
    page.get_by_label("Dyad: Setting of D01", exact=True).select_option("home")
    expect(status).to_contain_text("Saved: Dyad: Setting of D01 is home")
    page.get_by_label("Rows to paste (tab-separated)").fill(
        "Dyad\tDyad: Setting\tDyad: First visit\nD01\thome\t2024-05-01\nD02\tclinic\t2024-06-01\n"
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#paste-result")).to_contain_text("3 cell(s) would change")
    page.get_by_role("button", name="Apply").click()
    expect(status).to_contain_text("Pasted: 3 cell(s) changed.")

    # 5. A speaker's role corrected, then the interviewer turns autocoded in every interview.
    page.goto(f"/studies/{SLUG}/dyads/")
    page.get_by_role("link", name="Dyad D01", exact=True).click()
    page.get_by_role("link", name="Speakers").first.click()
    row = page.locator("tr", has=page.get_by_role("rowheader", name="KM"))
    expect(row.get_by_label("Role of KM")).not_to_have_value("interviewer")
    row.get_by_label("Role of KM").select_option("interviewer")
    row.get_by_role("button", name="Save the role of KM").click()
    expect(page.get_by_role("status")).to_contain_text("KM is now interviewer in 2 turns.")
    page.goto(f"/studies/{SLUG}/dyads/")
    page.get_by_role("link", name="Dyad D02", exact=True).click()
    page.get_by_role("link", name="Speakers").first.click()
    row = page.locator("tr", has=page.get_by_role("rowheader", name="KM"))
    row.get_by_label("Role of KM").select_option("interviewer")
    row.get_by_role("button", name="Save the role of KM").click()
    expect(page.get_by_role("status")).to_contain_text("KM is now interviewer in 1 turn")
    page.get_by_role("link", name="Autocode by speaker…").first.click()
    page.get_by_label("Where").select_option("")
    page.get_by_label("Every turn with the role").check()
    page.get_by_label("Role", exact=True).select_option("interviewer")
    page.get_by_label("Code").select_option(label="POW.EDU — Education")
    page.get_by_role("button", name="Start autocoding").click()
    expect(page.locator("[data-field=autocode-summary]")).to_contain_text(
        "Coded 3 interviewer turns in 2 interviews with POW.EDU"
    )

    # 6. A study memo and a code memo, both found in the Memos tab.
    write_memos(page)

    # 7. Both interviews assigned to both coders.
    page.goto(f"/studies/{SLUG}/assignments/")
    for dyad in ("D01", "D02"):
        page.get_by_label(f"Select {dyad} Patient").check()
    for name in ("Jo Park", "Sam Reyes"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="Assign selected interviews").click()
    page.get_by_text("Jo Park").first.wait_for()

    # 8. The dashboard: checklist done, every interview with both coders' progress, the curve.
    page.goto(f"/studies/{SLUG}/")
    expect(page.locator("#setup-checklist")).to_have_count(0)
    for name in ("Jo Park", "Sam Reyes"):
        expect(page.get_by_text(name).first).to_be_visible()
    expect(page.locator("svg#chart-saturation")).to_be_visible()
    assert axe_violations(page) == []

    # No API token, no admin page: every request went to the app's pages or, from its own
    # scripts, to the API with the session.
    assert not [url for url in requested if "/admin/" in url], requested
    assert not [url for url in requested if "/api/v1/tokens" in url], requested
    assert page.script_errors == []

    check_through_the_api(page)


def write_memos(page: Any) -> None:
    page.goto(f"/studies/{SLUG}/")
    tab(page, "Memos")
    form = page.locator("form.memo-form[data-kind=study]")
    form.get_by_label("Type").select_option("methodological")
    form.get_by_label("Memo").fill("Two rural clinics first; a third if codes still appear.")
    form.get_by_role("button", name="Save memo").click()
    page.get_by_text("Two rural clinics first").wait_for()

    trust = Code.objects.get(codebook__study__slug=SLUG, key="OUT.TRUST")
    page.goto(f"/studies/{SLUG}/codebook/#code-{trust.pk}")
    item = page.locator(f"#code-{trust.pk}")
    item.get_by_text("Write a memo on OUT.TRUST").click()
    code_form = item.locator("form.memo-form")
    code_form.get_by_label("Type").select_option("analytic")
    code_form.get_by_label("Memo").fill("Trust is named by patients, rarely by clinicians.")
    code_form.get_by_role("button", name="Save memo").click()
    page.get_by_text("Trust is named by patients, rarely by clinicians.").wait_for()

    tab(page, "Memos")
    memos = page.locator("article.memo")
    expect(memos).to_have_count(2)
    page.get_by_label("Type").first.select_option("analytic")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**type=analytic**")
    expect(memos).to_have_count(1)
    expect(memos.first).to_contain_text("Trust is named by patients")
    expect(memos.first.get_by_role("link", name="Code OUT.TRUST")).to_be_visible()
    assert axe_violations(page) == []


def check_through_the_api(page: Any) -> None:
    def get(path: str) -> Any:
        response = page.request.get(path)
        assert response.status == 200, (path, response.status, response.text())
        return response.json()

    def results(body: Any) -> list[Any]:
        return body["results"] if isinstance(body, dict) and "results" in body else body

    study = get(f"/api/v1/studies/{SLUG}/")
    assert study["title"] == "Healing in rural clinics"
    members = {m["username"]: m["role"] for m in results(get(f"/api/v1/studies/{SLUG}/members/"))}
    assert members == {"lena": "lead", "jo": "coder", "sam": "coder"}
    dyads = {d["label"]: d for d in results(get(f"/api/v1/dyads/?study={SLUG}"))}
    assert dyads["D01"]["attributes"] == {"setting": "home", "first_visit": "2024-05-01"}
    assert dyads["D02"]["attributes"] == {"setting": "clinic", "first_visit": "2024-06-01"}
    clinicians = results(get(f"/api/v1/participants/?study={SLUG}&role=clinician"))
    assert [(c["pseudonym"], c["attributes"]) for c in clinicians] == [("Dr Lee", {"years": 12})]
    attributes = {a["key"]: a["type"] for a in results(get(f"/api/v1/attributes/?study={SLUG}"))}
    assert attributes == {"years": "integer", "setting": "choice", "first_visit": "date"}
    codings = results(get(f"/api/v1/codings/?study={SLUG}"))
    # The interviewer's three turns, coded in the lead's layer, exactly the turns' text.
    assert (
        sorted((c["code_key"], c["coder_username"]) for c in codings) == [("POW.EDU", "lena")] * 3
    )
    turns = [
        (interview["id"], t["start"], t["end"], t["role"])
        for interview in results(get(f"/api/v1/interviews/?study={SLUG}"))
        for t in get(f"/api/v1/interviews/{interview['id']}/")["turns"]
        if t["speaker"] == "KM"
    ]
    assert sorted((c["interview"], c["start"], c["end"], "interviewer") for c in codings) == sorted(
        turns
    )
    assert {c["quote"] for c in codings} >= {"What changed for you?"}
    memos = results(get(f"/api/v1/memos/?study={SLUG}"))
    assert {m["type"] for m in memos} == {"methodological", "analytic"}
    assignments = results(get(f"/api/v1/studies/{SLUG}/assignments/"))
    assert len(assignments) == 4
