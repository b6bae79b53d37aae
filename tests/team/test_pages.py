"""Teamwork pages: every page and write for every persona, blind coding, escaping, and query
counts that do not grow with the rows shown."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coding.models import Adjudication, Assignment, Code, Coding, Layer
from coding.services import CodingInput, codings_bulk_create
from coding.team.reports import AgreementRequest, agreement_report_start
from healing.audit.models import AuditEvent
from healing.jobs.models import Job
from interviews.models import Interview, Invitation, Membership, Study
from tests.factories import UserFactory, code, make_interview
from tests.team.conftest import coding_of

pytestmark = pytest.mark.django_db

PERSONAS = ["lead", "coder", "coder2", "viewer", "outsider", "anonymous"]


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def run_report(study: Study, user: Any, request: AgreementRequest, capture: Any) -> Job:
    with capture(execute=True):
        job = agreement_report_start(study=study, user=user, request=request)
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    return job


@pytest.fixture
def report(
    study: Study,
    coded: Interview,
    lead: Any,
    coder: Any,
    coder2: Any,
    django_capture_on_commit_callbacks: Any,
) -> Job:
    return run_report(
        study,
        lead,
        AgreementRequest(scope="study", unit="character", coders=[coder.pk, coder2.pk]),
        django_capture_on_commit_callbacks,
    )


def page_urls(study: Study, interview: Interview, job: Job) -> dict[str, str]:
    va = code(study, "VAL.PRES.ATT").pk
    return {
        "members": "/studies/study/members/",
        "assignments": "/studies/study/assignments/",
        "agreement": "/studies/study/agreement/",
        "report": f"/studies/study/agreement/{job.pk}/",
        "export": f"/studies/study/agreement/{job.pk}/export.csv",
        "consensus": "/studies/study/consensus/",
        "disagreements": f"/interviews/{interview.pk}/disagreements/",
        "compare": f"/interviews/{interview.pk}/compare/",
        "codebook": "/studies/study/codebook/",
        "versions": "/studies/study/codebook/versions/",
        "version": "/studies/study/codebook/versions/1/",
        "code_edit": f"/studies/study/codebook/codes/{va}/",
        "code_split": f"/studies/study/codebook/codes/{va}/split/",
        "code_codings": f"/studies/study/codebook/codes/{va}/codings/",
        "audit": "/studies/study/audit/",
        "interview_audit": f"/interviews/{interview.pk}/audit/",
    }


# What each member may open (not blind): 200, else 403. Outsiders get 404, anonymous a login.
LEAD_ONLY = {"assignments", "code_edit", "code_split", "code_codings", "audit", "interview_audit"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_for_every_persona(
    personas: dict[str, Any], study: Study, coded: Interview, report: Job, persona: str
) -> None:
    user = personas.get(persona)
    client = client_for(user)
    for name, url in page_urls(study, coded, report).items():
        response = client.get(url)
        if persona == "anonymous":
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/")
        elif persona == "outsider":
            assert response.status_code == 404, url
        elif name in LEAD_ONLY and persona != "lead":
            assert response.status_code == 403, (persona, url)
        else:
            assert response.status_code == 200, (persona, url)


BLIND_HIDDEN = {"agreement", "report", "export", "consensus", "disagreements", "compare"}


def test_blind_coders_see_no_other_layer_until_the_lead_reveals(
    personas: dict[str, Any], study: Study, coded: Interview, report: Job, coder: Any
) -> None:
    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    urls = page_urls(study, coded, report)
    blind = client_for(coder)
    for name in BLIND_HIDDEN:
        assert blind.get(urls[name]).status_code == 403, name
    # Their own layer beside the consensus is fine.
    assert blind.get(f"{urls['compare']}?a={coder.pk}&b=consensus").status_code == 200
    assert blind.get(f"{urls['compare']}?a={coder.pk}&b={personas['coder2'].pk}").status_code == 403
    # Viewers and leads still see everything; a coder named adjudicator is blinded like any
    # coder and told that adjudication opens with the reveal.
    for persona in ("lead", "viewer"):
        for name in BLIND_HIDDEN:
            assert client_for(personas[persona]).get(urls[name]).status_code == 200
    Membership.objects.filter(study=study, user=personas["coder2"]).update(adjudicator=True)
    refused = client_for(personas["coder2"]).get(urls["disagreements"])
    assert refused.status_code == 403
    assert "adjudication opens when the lead reveals" in refused.content.decode()
    body = blind.get("/studies/study/").content.decode()
    assert "Agreement" not in body
    # Reveal.
    response = client_for(personas["lead"]).post(
        "/studies/study/members/", {"action": "reveal", "confirm": "yes"}
    )
    assert response.status_code == 302
    assert blind.get(urls["disagreements"]).status_code == 200
    assert client_for(personas["coder2"]).get(urls["disagreements"]).status_code == 200
    event = AuditEvent.objects.filter(object_type="study").latest("id")
    assert event.after["revealed"] is True
    assert event.actor == personas["lead"]


# --- Writes -------------------------------------------------------------------------------------


def test_members_page_writes_by_the_lead_only(
    personas: dict[str, Any], study: Study, lead: Any
) -> None:
    newcomer = UserFactory(username="nora")
    for persona in ("coder", "viewer"):
        response = client_for(personas[persona]).post(
            "/studies/study/members/", {"action": "add", "username": "nora", "role": "coder"}
        )
        assert response.status_code == 403
    response = client_for(personas["outsider"]).post(
        "/studies/study/members/", {"action": "add", "username": "nora", "role": "coder"}
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(user=newcomer).exists()
    lead_client = client_for(lead)
    lead_client.post(
        "/studies/study/members/",
        {"action": "add", "username": "nora", "role": "coder", "adjudicator": "on"},
    )
    assert not Membership.objects.filter(user=newcomer).exists()  # invited, not enrolled
    invitation = Invitation.objects.get(study=study, user=newcomer)
    client_for(newcomer).post("/invitations/", {"invitation": invitation.pk, "answer": "accept"})
    membership = Membership.objects.get(study=study, user=newcomer)
    assert (membership.role, membership.adjudicator) == ("coder", True)
    lead_client.post(
        "/studies/study/members/",
        {"action": "change", "membership": membership.pk, "role": "viewer"},
    )
    membership.refresh_from_db()
    assert (membership.role, membership.adjudicator) == ("viewer", False)
    lead_client.post("/studies/study/members/", {"action": "remove", "membership": membership.pk})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    types = list(
        AuditEvent.objects.filter(object_type="membership", object_id=str(membership.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert types == ["create", "update", "delete"]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"username": "nora", "role": "emperor"}, "Unknown role"),
        ({"username": "", "role": "coder"}, "Give a username"),
    ],
)
def test_bad_member_input_is_refused_with_a_message(
    study: Study, lead: Any, payload: dict[str, str], message: str
) -> None:
    UserFactory(username="nora")
    before = Membership.objects.count()
    response = client_for(lead).post(
        "/studies/study/members/", {"action": "add", **payload}, follow=True
    )
    assert message in response.content.decode()
    assert Membership.objects.count() == before


def test_the_last_lead_cannot_leave(study: Study, lead: Any) -> None:
    membership = Membership.objects.get(study=study, user=lead)
    response = client_for(lead).post(
        "/studies/study/members/", {"action": "remove", "membership": membership.pk}, follow=True
    )
    assert "at least one lead" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_lead_assigns_in_bulk_and_coders_see_and_finish_their_assignments(
    study: Study, interview: Interview, lead: Any, coder: Any, coder2: Any, viewer: Any
) -> None:
    second = make_interview(study=study, dyad="D02", perspective="clinician")
    response = client_for(lead).post(
        "/studies/study/assignments/",
        {
            "action": "assign",
            "interviews": [interview.pk, second.pk],
            "coders": [coder.pk, coder2.pk],
        },
    )
    assert response.status_code == 302
    assert Assignment.objects.count() == 4
    # Assigning again changes nothing.
    client_for(lead).post(
        "/studies/study/assignments/",
        {"action": "assign", "interviews": [interview.pk], "coders": [coder.pk]},
    )
    assert Assignment.objects.count() == 4
    # A viewer cannot be assigned; an interview of another study is refused.
    response = client_for(lead).post(
        "/studies/study/assignments/",
        {"action": "assign", "interviews": [interview.pk], "coders": [viewer.pk]},
        follow=True,
    )
    assert "viewers do not code" in response.content.decode()
    other = make_interview(study=Study.objects.get(slug="other-study"), dyad="X1")
    response = client_for(lead).post(
        "/studies/study/assignments/",
        {"action": "assign", "interviews": [other.pk], "coders": [coder.pk]},
        follow=True,
    )
    assert "Not interviews of this study" in response.content.decode()
    assert Assignment.objects.count() == 4

    overview = client_for(coder).get("/studies/study/").content.decode()
    assert "My assignments" in overview
    assert "0 of 2 done" in overview
    # Each assignment opens the interview where the coder works: the workspace.
    assert f'href="/interviews/{interview.pk}/" title="Open in the coding workspace"' in overview
    mine = Assignment.objects.get(coder=coder, interview=interview)
    theirs = Assignment.objects.get(coder=coder2, interview=interview)
    done_url = f"/studies/study/assignments/{mine.pk}/done/"
    assert client_for(coder).post(done_url, {"done": "1"}).status_code == 302
    mine.refresh_from_db()
    assert mine.done
    assert "1 of 2 done" in client_for(coder).get("/studies/study/").content.decode()
    other_url = f"/studies/study/assignments/{theirs.pk}/done/"
    assert client_for(coder).post(other_url, {"done": "1"}).status_code == 403
    assert client_for(viewer).post(other_url, {"done": "1"}).status_code == 403
    assert client_for(lead).post(other_url, {"done": "1"}).status_code == 302
    response = client_for(lead).post(
        "/studies/study/assignments/",
        {"action": "unassign", "interviews": [second.pk], "coders": [coder.pk, coder2.pk]},
    )
    assert Assignment.objects.count() == 2
    assert AuditEvent.objects.filter(object_type="assignment", action="delete").count() == 2


def test_agreement_page_starts_a_report_and_shows_its_unit(
    study: Study,
    coded: Interview,
    viewer: Any,
    coder: Any,
    coder2: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/studies/study/agreement/",
            {"scope": "study", "unit": "turn", "coders": [coder.pk, coder2.pk], "threshold": "50"},
        )
    job = Job.objects.get(kind="agreement")
    assert response["Location"] == f"/studies/study/agreement/{job.pk}/"
    body = client.get(response["Location"]).content.decode()
    assert "speaker turns" in body
    assert "How uncoded text counts" in body
    assert "Turns that neither coder gave a code count as agreement" in body
    # Bad input: one coder, an interview of another study.
    for data in (
        {"scope": "study", "unit": "turn", "coders": [coder.pk]},
        {"scope": "interview", "unit": "turn", "coders": [coder.pk, coder2.pk],
         "target_interview": "999999"},
        {"scope": "study", "unit": "word", "coders": [coder.pk, coder2.pk]},
    ):  # fmt: skip
        response = client.post("/studies/study/agreement/", data, follow=True)
        assert response.status_code == 200
        assert Job.objects.filter(kind="agreement").count() == 1


def test_export_is_a_file_and_is_audited(study: Study, report: Job, viewer: Any) -> None:
    response = client_for(viewer).get(f"/studies/study/agreement/{report.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    event = AuditEvent.objects.get(action="export")
    assert event.actor == viewer
    assert event.after["format"] == "xlsx"
    assert (
        client_for(viewer).get(f"/studies/study/agreement/{report.pk}/export.pdf").status_code
        == 302
    )


def test_adjudicating_from_the_disagreements_page(
    study: Study, coded: Interview, lead: Any, coder: Any, coder2: Any, viewer: Any
) -> None:
    url = f"/interviews/{coded.pk}/disagreements/?a={coder.pk}&b={coder2.pk}"
    body = client_for(lead).get(url).content.decode()
    assert body.count('class="passage open"') == 3
    # The passage both coded alike is settled ("agreed by both"), not yet in the consensus.
    agreed = client_for(lead).get(url + "&show=settled").content.decode()
    assert agreed.count("agreed by both · enters the consensus at the next decision") == 1
    attention = code(study, "VAL.PRES.ATT")
    start = coded.text.index("she listened")
    end = start + len("she listened to every word")
    form = {
        "a": coder.pk,
        "b": coder2.pk,
        "code": attention.pk,
        "start": start,
        "end": end,
        "decision": "accept_b",
        "note": "Only the listening <b>itself</b>.",
    }
    for persona in (coder, viewer):
        assert (
            client_for(persona).post(f"/interviews/{coded.pk}/adjudicate/", form).status_code == 403
        )
    assert not Coding.objects.filter(layer=Layer.CONSENSUS).exists()
    response = client_for(lead).post(f"/interviews/{coded.pk}/adjudicate/", form)
    assert response.status_code == 302
    consensus = Coding.objects.get(layer=Layer.CONSENSUS, code=attention)
    assert consensus.quote == "listened to every word"
    # The decision took the agreed passage into the consensus first.
    assert Coding.objects.filter(layer=Layer.CONSENSUS, code__key="ABI.NGU").exists()
    body = client_for(lead).get(url).content.decode()
    assert body.count('class="passage open"') == 2
    assert "2 disagreements between this interview" in body
    assert 'name="confirm_open"' in body
    settled = client_for(lead).get(url + "&show=settled").content.decode()
    assert "Only the listening &lt;b&gt;itself&lt;/b&gt;." in settled
    # Mark complete (lead), not by a coder.
    complete = f"/interviews/{coded.pk}/consensus-complete/"
    assert client_for(coder).post(complete, {"complete": "1"}).status_code == 403
    refused = client_for(lead).post(complete, {"complete": "1"}, follow=True)
    assert "2 disagreements are still open" in refused.content.decode()
    coded.refresh_from_db()
    assert not coded.consensus_complete
    client_for(lead).post(
        complete, {"complete": "1", "confirm_open": "1", "reason": "Minor boundary issues."}
    )
    coded.refresh_from_db()
    assert coded.consensus_complete
    # A named adjudicator may decide too.
    Membership.objects.filter(study=study, user=coder2).update(adjudicator=True)
    edu = code(study, "POW.EDU")
    s = coded.text.index("She explained")
    form.update(
        {"code": edu.pk, "start": s, "end": s + len("She explained the diabetes with a drawing"),
         "decision": "merge", "note": ""}
    )  # fmt: skip
    assert client_for(coder2).post(f"/interviews/{coded.pk}/adjudicate/", form).status_code == 302
    assert Adjudication.objects.exclude(decision="agreed").count() == 2


def test_a_bad_decision_changes_nothing(study: Study, coded: Interview, lead: Any, coder: Any,
                                        coder2: Any) -> None:  # fmt: skip
    url = f"/interviews/{coded.pk}/adjudicate/"
    base = {"a": coder.pk, "b": coder2.pk, "code": code(study, "OUT.TRUST").pk, "start": 0}
    cases = [
        {**base, "end": 10**6, "decision": "merge"},
        {**base, "end": 5, "decision": "annul"},
        {**base, "end": 5, "decision": "new", "new_start": 9, "new_end": 3},
        {**base, "code": code(Study.objects.get(slug="other-study"), "VAL").pk, "end": 5,
         "decision": "merge"},
        {**base, "b": coder.pk, "end": 5, "decision": "merge"},
    ]  # fmt: skip
    for form in cases:
        response = client_for(lead).post(url, form, follow=True)
        assert response.status_code == 200
        assert b'class="message error"' in response.content, form
    assert not Coding.objects.filter(layer=Layer.CONSENSUS).exists()
    assert not Adjudication.objects.exists()  # not even the agreed passage


def test_compare_view_shows_both_layers_and_the_focused_passage(
    study: Study, coded: Interview, lead: Any, coder: Any, coder2: Any
) -> None:
    start = coded.text.index("We met")
    response = client_for(lead).get(
        f"/interviews/{coded.pk}/compare/?a={coder.pk}&b={coder2.pk}&focus={start}-{start + 10}"
    )
    body = response.content.decode()
    assert "Ana Ruiz" in body
    assert "Ben Clarke" in body
    assert 'data-codes="OUT.TRUST"' in body
    assert 'id="focus"' in body
    assert body.count('data-codes="ABI.NGU"') == 2  # both coders coded it
    # The consensus as a column; an unknown column is 404.
    assert (
        client_for(lead)
        .get(f"/interviews/{coded.pk}/compare/?a=consensus&b={coder.pk}")
        .status_code
        == 200
    )
    assert client_for(lead).get(f"/interviews/{coded.pk}/compare/?a=nope").status_code == 404


def test_codebook_page_adds_merges_splits_and_moves(
    study: Study, coded: Interview, lead: Any, coder: Any
) -> None:
    client = client_for(lead)
    version = study.codebook.version
    client.post(
        "/studies/study/codebook/",
        {"action": "add", "key": "NEW.ONE", "name": "New one", "group": "other"},
    )
    assert Code.objects.filter(codebook__study=study, key="NEW.ONE").exists()
    study.codebook.refresh_from_db()
    assert study.codebook.version == version + 1
    # Coders cannot change the codebook.
    response = client_for(coder).post(
        "/studies/study/codebook/", {"action": "add", "key": "X", "name": "X"}
    )
    assert response.status_code == 403
    trust = code(study, "OUT.TRUST")
    hope = code(study, "OUT.HOPE")
    client.post(
        "/studies/study/codebook/",
        {"action": "merge", "source": trust.pk, "into": hope.pk, "confirm": "yes"},
    )
    trust.refresh_from_db()
    assert (trust.is_active, trust.merged_into_id) == (False, hope.pk)
    assert Coding.objects.filter(code=hope).count() == 1
    # Split VAL.PRES.ATT and move coder's coding to a sub-code.
    attention = code(study, "VAL.PRES.ATT")
    response = client.post(
        f"/studies/study/codebook/codes/{attention.pk}/split/",
        {"child_key": ["ATT.EYE", "ATT.EAR", ""], "child_name": ["Eyes", "Ears", ""],
         "child_definition": ["", "", ""]},
    )  # fmt: skip
    assert response["Location"] == f"/studies/study/codebook/codes/{attention.pk}/codings/"
    ear = Code.objects.get(codebook__study=study, key="ATT.EAR")
    assert ear.parent_id == attention.pk
    mine = Coding.objects.get(code=attention, coder=coder)
    client.post(
        f"/studies/study/codebook/codes/{attention.pk}/codings/",
        {"codings": [mine.pk], "target": ear.pk},
    )
    mine.refresh_from_db()
    assert mine.code_id == ear.pk
    # Edit: rename, switch off.
    client.post(
        f"/studies/study/codebook/codes/{ear.pk}/",
        {"key": "ATT.EAR", "name": "Listening", "group": "process", "order": "3",
         "parent": attention.pk, "is_active": "0", "color": "#112233"},
    )  # fmt: skip
    ear.refresh_from_db()
    assert (ear.name, ear.is_active, ear.color) == ("Listening", False, "#112233")
    versions = client.get("/studies/study/codebook/versions/").content.decode()
    assert "Merged OUT.TRUST into OUT.HOPE" in versions
    assert "Split VAL.PRES.ATT into ATT.EYE, ATT.EAR" in versions
    study.codebook.refresh_from_db()
    diff = client.get(
        f"/studies/study/codebook/versions/{study.codebook.version}/"
    ).content.decode()
    assert "Listening" in diff
    assert "Ears" in diff


def test_audit_page_filters_and_shows_before_and_after(
    study: Study, coded: Interview, lead: Any, coder: Any
) -> None:
    coding = Coding.objects.filter(coder=coder).first()
    assert coding is not None
    from coding.services import coding_update

    coding_update(coding=coding, actor=coder, memo="a first thought")
    client = client_for(lead)
    body = client.get(f"/studies/study/audit/?action=update&actor={coder.pk}").content.decode()
    assert "a first thought" in body
    assert body.count('id="event-') == 1
    body = client.get(f"/interviews/{coded.pk}/audit/?object_type=coding").content.decode()
    assert body.count('id="event-') == 7  # six created, one changed


# --- Escaping -----------------------------------------------------------------------------------


def test_user_text_is_escaped_on_every_page(
    study: Study, lead: Any, coder: Any, coder2: Any, django_capture_on_commit_callbacks: Any
) -> None:
    evil = "<script>alert(1)</script>"
    interview = make_interview(
        study=study, text=f"Interviewer: {evil} and <img src=x onerror=alert(2)>\n", dyad="<b>D</b>"
    )
    va = code(study, "VAL")
    Code.objects.filter(pk=va.pk).update(name=evil, definition=evil, color="#0;}a{b")
    get_user = type(coder)
    get_user.objects.filter(pk=coder.pk).update(first_name="<img src=x onerror=alert(3)>")
    codings_bulk_create(interview=interview, coder=coder,
                        items=[CodingInput(code_id=va.pk, start=13, end=30)])  # fmt: skip
    codings_bulk_create(interview=interview, coder=coder2,
                        items=[CodingInput(code_id=va.pk, start=14, end=30)])  # fmt: skip
    job = run_report(
        study,
        lead,
        AgreementRequest(scope="study", unit="segment", coders=[coder.pk, coder2.pk]),
        django_capture_on_commit_callbacks,
    )
    client = client_for(lead)
    for url in page_urls(study, interview, job).values():
        if url.endswith(".csv"):
            continue
        body = client.get(url).content.decode()
        assert "<script>alert" not in body, url
        assert "<img src=x" not in body, url
        assert "#0;}a{b" not in body, url


# --- Query counts -------------------------------------------------------------------------------


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _grow(study: Study, lead: Any, coder: Any, coder2: Any) -> None:
    """More of everything: members, interviews, codings, assignments, decisions, events."""
    for n in range(3):
        user = UserFactory(username=f"extra{n}")
        Membership.objects.create(study=study, user=user, role="coder")
    for n in range(3):
        interview = make_interview(study=study, dyad=f"G{n}", by=lead)
        for who in (coder, coder2):
            codings_bulk_create(
                interview=interview,
                coder=who,
                items=[
                    coding_of(interview, study, who, "VAL.PRES.ATT", "she listened to every word"),
                    coding_of(interview, study, who, "ABI", "she never gave up on me"),
                ],
            )
        Assignment.objects.create(interview=interview, coder=coder)


# Each view's queries, named: session + user (2) are in every count.
PINNED = {
    # session, user, study+role, members, coding counts, assignment counts, pending invitations
    "members": 7,
    # session, user, study+role, interviews, assignments, coders
    "assignments": 6,
    # session, user, study+role, coders with codings, coder members, dyads, interviews, reports
    "agreement": 8,
    # session, user, study+role, job
    "report": 4,
    # session, user, study+role, interviews, layer counts, decision counts
    "consensus": 6,
    # session, user, interview+role, coders, codes, both layers, consensus, decisions; for the
    # adjudicator the open count over every pair: coders, codes, codings, consensus, decisions
    "disagreements": 13,
    # session, user, interview+role, coders, names, members, coders of the study, codes,
    # turns, codings
    "compare": 10,
    # session, user, study+role, codebook, codes, counts, the codes' memos
    "codebook": 7,
    # session, user, study+role, codebook, versions
    "versions": 5,
    # session, user, study+role, codebook, versions
    "version": 5,
    # session, user, study+role, count, page, object types, coders, viewers, and one per kind of
    # object named on the page (coding_audit_names: codes, codings, dyads, interviews, members)
    "audit": 13,
    # session, user, interview+role, count, page, object types, coders, viewers, and the names
    # (codes, codings, interviews)
    "interview_audit": 11,
    # session, user, study+role, code, count, page, targets
    "code_codings": 7,
}


def test_query_counts_do_not_grow_with_rows(
    study: Study, coded: Interview, report: Job, lead: Any, coder: Any, coder2: Any
) -> None:
    Adjudication.objects.create(
        interview=coded, code=code(study, "VAL"), start=0, end=5, decision="merge",
        coder_a=coder, coder_b=coder2, decided_by=lead,
    )  # fmt: skip
    client = client_for(lead)
    urls = page_urls(study, coded, report)
    before = {name: _count(client, urls[name]) for name in PINNED}
    _grow(study, lead, coder, coder2)
    after = {name: _count(client, urls[name]) for name in PINNED}
    assert after == before
    assert after == PINNED


def test_study_overview_gains_one_query_for_my_assignments(
    study: Study, interview: Interview, coder: Any, django_assert_max_num_queries: Any
) -> None:
    Assignment.objects.create(interview=interview, coder=coder)
    client = client_for(coder)
    client.get("/studies/study/")
    # The dashboard's queries (tests/coding/test_dashboard.py) and one for the panel.
    with django_assert_max_num_queries(20):
        assert "My assignments" in client.get("/studies/study/").content.decode()


def test_every_write_is_refused_to_those_who_may_not(
    personas: dict[str, Any], study: Study, coded: Interview, lead: Any, coder: Any
) -> None:
    attention = code(study, "VAL.PRES.ATT")
    assignment = Assignment.objects.create(interview=coded, coder=lead)
    writes = {
        "/studies/study/members/": {"action": "blind", "blind": "on"},
        "/studies/study/assignments/": {"interviews": [coded.pk], "coders": [coder.pk]},
        f"/studies/study/assignments/{assignment.pk}/done/": {"done": "1"},
        f"/interviews/{coded.pk}/adjudicate/": {"code": attention.pk, "decision": "merge"},
        f"/interviews/{coded.pk}/consensus-complete/": {"complete": "1"},
        "/studies/study/codebook/": {"action": "add", "key": "NOPE", "name": "Nope"},
        f"/studies/study/codebook/codes/{attention.pk}/": {"name": "Renamed"},
        f"/studies/study/codebook/codes/{attention.pk}/split/": {"child_key": ["X"],
                                                                 "child_name": ["X"]},
        f"/studies/study/codebook/codes/{attention.pk}/codings/": {"target": attention.pk},
    }  # fmt: skip

    def counts() -> tuple[int, ...]:
        return (
            Membership.objects.count(),
            Assignment.objects.filter(done=True).count(),
            Adjudication.objects.count(),
            Code.objects.count(),
            AuditEvent.objects.exclude(study=None).count(),  # sign-ins are not writes
            Study.objects.filter(blind_coding=True).count(),
        )

    before = counts()
    for persona in ("coder", "viewer", "outsider", "anonymous"):
        client = client_for(personas.get(persona))
        for url, data in writes.items():
            response = client.post(url, data)
            expected = {"outsider": 404, "anonymous": 302}.get(persona, 403)
            assert response.status_code == expected, (persona, url)
    assert counts() == before
    assert code(study, "VAL.PRES.ATT").name != "Renamed"


def test_the_job_page_links_to_the_report(study: Study, report: Job, lead: Any) -> None:
    body = client_for(lead).get(f"/jobs/{report.pk}/").content.decode()
    assert f"/studies/study/agreement/{report.pk}/" in body
    assert "per_interview" not in body  # a summary, not the raw result


def test_writes_do_not_redirect_off_site(study: Study, interview: Interview, coder: Any) -> None:
    assignment = Assignment.objects.create(interview=interview, coder=coder)
    response = client_for(coder).post(
        f"/studies/study/assignments/{assignment.pk}/done/",
        {"done": "1", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/studies/study/"
    response = client_for(coder).post(
        f"/studies/study/assignments/{assignment.pk}/done/",
        {"done": "0", "next": "/studies/study/members/"},
    )
    assert response["Location"] == "/studies/study/members/"


def test_agreement_report_page_states_missing_pairs_the_unused_codes_and_every_statistic(
    study: Study, coded: Interview, viewer: Any, coder: Any, coder2: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    other = make_interview(study=study, dyad="D02")
    codings_bulk_create(interview=other, coder=coder,
                        items=[coding_of(other, study, coder, "VAL", "Café talk")])  # fmt: skip
    request = AgreementRequest(scope="study", unit="character", coders=[coder.pk, coder2.pk])
    job = run_report(study, viewer, request, django_capture_on_commit_callbacks)
    body = client_for(viewer).get(f"/studies/study/agreement/{job.pk}/").content.decode()
    assert "1 coder–interview pair missing" in body
    assert "Ben Clarke · D02 · patient" in body
    assert "Scott&#x27;s pi" in body or "Scott's pi" in body
    assert "Unitizing α (Krippendorff 2004 §12.4)" in body
    # Codes nobody used: one folded line (a <details>), not a row (and a note) each.
    assert body.count("Not used by any coder in scope:") == 0
    unused = job.result["unused_labels"]
    assert len(unused) > 1
    folded = (
        f'<details id="unused-codes"><summary>{len(unused)} codes not used by either coder in '
        f"scope</summary>{', '.join(unused)}</details>"
    )
    assert body.count(folded) == 1
    assert body.count('<td class="note">') <= len(job.result["codes"]) + 2
    assert "Contributes nothing: only one coder counts" in body
    api = client_for(viewer).get(f"/api/v1/studies/study/agreement/{job.pk}/").json()
    assert [m["coder_name"] for m in api["result"]["missing"]] == ["Ben Clarke"]
    assert api["result"]["overall"]["pi"] is not None
