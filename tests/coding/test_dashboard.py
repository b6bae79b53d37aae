"""The study dashboard (the study's overview): the lead's set-up checklist, per interview the
coding progress, the last report's agreement, consensus and open disagreements (hidden from a
blinded coder), per code the dyads on the best layer, and a query count that does not grow."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coding.dashboard import setup_checklist, study_dashboard
from coding.job_kinds import JobKind
from coding.models import Adjudication, Assignment, Layer
from coding.selectors import LayerChoice
from coding.services import CodingInput, codings_bulk_create
from coding.team.reports import (
    AgreementRequest,
    agreement_report_compute,
    latest_agreement_by_interview,
)
from coding.team.selectors import open_disagreement_count, open_disagreement_counts
from healing.jobs.models import Job, JobState
from interviews.models import Interview, Study
from interviews.selectors import study_get_for_user
from interviews.services import attribute_define, invitation_create, membership_set
from tests.factories import UserFactory, code, make_interview, make_study

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _code_all(study: Study, interview: Interview, coder: Any, keys: list[str], at: int = 0) -> None:
    codings_bulk_create(
        interview=interview,
        coder=coder,
        items=[
            CodingInput(code(study, key).pk, at + 10 * n, at + 10 * n + 8)
            for n, key in enumerate(keys)
        ],
    )


def _report(study: Study, lead: Any, coders: list[int]) -> Job:
    """An agreement report as the job stores it (computed now, finished now)."""
    result = agreement_report_compute(
        study=study, request=AgreementRequest(scope="study", unit="character", coders=coders)
    )
    return Job.objects.create(
        kind=JobKind.AGREEMENT,
        study=study,
        user=lead,
        state=JobState.SUCCEEDED,
        result=result,
        finished=timezone.now(),
        progress=100,
    )


# --- The set-up checklist -----------------------------------------------------------------------


def test_checklist_steps_are_done_one_by_one(lead: Any, coder: Any) -> None:
    fresh = make_study(lead=lead, slug="fresh")

    def done() -> dict[str, bool]:
        return {step.key: step.done for step in setup_checklist(study=fresh)}

    assert done() == dict.fromkeys(["members", "transcripts", "attributes", "assignments"], False)
    invitation_create(study=fresh, username="someone", role="coder", actor=lead)
    assert done()["members"] is True
    interview = make_interview(study=fresh)
    assert done()["transcripts"] is True
    attribute_define(study=fresh, entity="dyad", key="years", type="integer", actor=lead)
    assert done()["attributes"] is True
    Assignment.objects.create(interview=interview, coder=lead)
    assert all(done().values())
    steps = {step.key: step for step in setup_checklist(study=fresh)}
    assert steps["members"].url == "/studies/fresh/members/"
    assert steps["transcripts"].url == "/studies/fresh/import/"
    assert steps["attributes"].url == "/studies/fresh/dyads/"
    assert steps["assignments"].url == "/studies/fresh/assignments/"


def test_another_member_completes_the_first_step(lead: Any, coder: Any) -> None:
    fresh = make_study(lead=lead, slug="fresh", coder="coder")
    assert setup_checklist(study=fresh)[0].done is True


def test_the_lead_sees_the_checklist_of_a_fresh_study_members_do_not(
    lead: Any, coder: Any, viewer: Any
) -> None:
    make_study(lead=lead, slug="fresh", coder="coder", viewer="viewer")
    body = _client(lead).get("/studies/fresh/").content.decode()
    assert 'id="setup-checklist"' in body
    assert "Import transcripts" in body
    assert 'href="/studies/fresh/dyads/"' in body
    for member in (coder, viewer):
        page = _client(member).get("/studies/fresh/").content.decode()
        assert 'id="setup-checklist"' not in page
        assert "No interviews yet." in page


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("lead", 200), ("coder", 200), ("coder2", 200), ("viewer", 200), ("outsider", 404)],
)
def test_dashboard_access(
    personas: dict[str, Any], interview: Interview, persona: str, status: int
) -> None:
    assert _client(personas[persona]).get("/studies/study/").status_code == status


def test_anonymous_is_sent_to_log_in(interview: Interview) -> None:
    response = Client().get("/studies/study/")
    assert response.status_code == 302
    assert "/login" in response["Location"] or "/accounts/" in response["Location"]


# --- Per interview --------------------------------------------------------------------------------


@pytest.fixture
def two_coders(study: Study, lead: Any, coder: Any, coder2: Any) -> dict[str, Interview]:
    """D01 patient: coder VAL + POW, coder2 VAL (same span) + OUT.TRUST: two open disagreements
    (POW only a, OUT.TRUST only b). D01 clinician: both code VAL on the same span (none open).
    D02 patient: only coder, assigned to both (coder2 counts, uncoded): VAL only a — one open."""
    d1p = make_interview(study=study, dyad="D01", perspective="patient")
    d1c = make_interview(study=study, dyad="D01", perspective="clinician")
    d2p = make_interview(study=study, dyad="D02", perspective="patient")
    _code_all(study, d1p, coder, ["VAL", "POW"])
    _code_all(study, d1p, coder2, ["VAL"])
    codings_bulk_create(
        interview=d1p, coder=coder2, items=[CodingInput(code(study, "OUT.TRUST").pk, 40, 48)]
    )
    _code_all(study, d1c, coder, ["VAL"])
    _code_all(study, d1c, coder2, ["VAL"])
    _code_all(study, d2p, coder, ["VAL"])
    for interview in (d1p, d1c, d2p):
        Assignment.objects.create(interview=interview, coder=coder)
        Assignment.objects.create(interview=interview, coder=coder2, done=interview == d1c)
    return {"d1p": d1p, "d1c": d1c, "d2p": d2p}


def test_open_disagreement_counts_in_bulk_match_one_by_one(
    study: Study, two_coders: dict[str, Interview], lead: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        counts = open_disagreement_counts(study=study)
    assert counts == {
        interview.pk: open_disagreement_count(interview=interview)
        for interview in two_coders.values()
    }
    assert counts == {two_coders["d1p"].pk: 2, two_coders["d1c"].pk: 0, two_coders["d2p"].pk: 1}
    # A consensus coding over POW's passage settles it.
    codings_bulk_create(
        interview=two_coders["d1p"],
        coder=lead,
        items=[CodingInput(code(study, "POW").pk, 10, 18)],
        layer=Layer.CONSENSUS,
    )
    assert open_disagreement_counts(study=study)[two_coders["d1p"].pk] == 1


def test_the_last_report_that_covers_an_interview_gives_its_agreement(
    study: Study, two_coders: dict[str, Interview], lead: Any, coder: Any, coder2: Any
) -> None:
    first = _report(study, lead, [coder.pk, coder2.pk])
    found = latest_agreement_by_interview(study=study)
    assert set(found) == {i.pk for i in two_coders.values()}
    row = found[two_coders["d1c"].pk]
    assert row["report"] == first.pk
    assert row["measure"] == "kappa"
    assert row["value"] == pytest.approx(1.0)
    assert row["text"] == "κ 1.00"
    # A newer report on one interview only takes over for that interview.
    newer = Job.objects.create(
        kind=JobKind.AGREEMENT,
        study=study,
        user=lead,
        state=JobState.SUCCEEDED,
        finished=timezone.now(),
        result={
            "unit": "turn",
            "per_interview": [{"interview": two_coders["d1p"].pk, "kappa": 0.5, "alpha": 0.4}],
        },
    )
    Job.objects.create(  # a failed report is never read
        kind=JobKind.AGREEMENT,
        study=study,
        user=lead,
        state=JobState.FAILED,
        finished=timezone.now(),
        result={"per_interview": [{"interview": two_coders["d1c"].pk, "kappa": 0.1}]},
    )
    found = latest_agreement_by_interview(study=study)
    assert found[two_coders["d1p"].pk]["report"] == newer.pk
    assert found[two_coders["d1p"].pk]["text"] == "κ 0.50"
    assert found[two_coders["d1c"].pk]["report"] == first.pk


def test_dashboard_rows_for_the_lead(
    study: Study, two_coders: dict[str, Interview], lead: Any, coder: Any, coder2: Any
) -> None:
    attribute_define(study=study, entity="dyad", key="years", type="integer", actor=lead)
    report = _report(study, lead, [coder.pk, coder2.pk])
    Interview.objects.filter(pk=two_coders["d1c"].pk).update(consensus_complete=True)
    Adjudication.objects.create(
        interview=two_coders["d1p"],
        code=code(study, "POW"),
        start=10,
        end=18,
        decision=Adjudication.Decision.NEW,
        decided_by=lead,
    )
    _, access = study_get_for_user(user=lead, slug="study")
    data = study_dashboard(study=study, access=access, user=lead)
    rows = {row["interview"].pk: row for dyad in data["dyads"] for row in dyad["interviews"]}
    assert [d["label"] for d in data["dyads"]] == ["D01", "D02"]
    assert rows[two_coders["d1c"].pk]["consensus"] == "complete"
    assert rows[two_coders["d1p"].pk]["consensus"] == "adjudicating"
    assert rows[two_coders["d2p"].pk]["consensus"] == "open"
    assert rows[two_coders["d1p"].pk]["agreement"]["report"] == report.pk
    assert rows[two_coders["d1p"].pk]["disagreements"] == 1  # the decision settled POW
    names = {entry["name"] for entry in rows[two_coders["d1p"].pk]["progress"]}
    assert names == {"Ana Ruiz", "Ben Clarke"}
    body = _client(lead).get("/studies/study/").content.decode()
    assert f'href="/studies/study/agreement/{report.pk}/"' in body
    assert f"report #{report.pk}" in body
    assert f'href="/interviews/{two_coders["d1p"].pk}/disagreements/"' in body
    assert "adjudicating" in body
    assert 'id="setup-checklist"' not in body  # every step is done: the checklist goes


def test_a_blinded_coder_sees_only_their_own_progress(
    study: Study, two_coders: dict[str, Interview], lead: Any, coder: Any, coder2: Any
) -> None:
    _report(study, lead, [coder.pk, coder2.pk])
    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    _, access = study_get_for_user(user=coder2, slug="study")
    data = study_dashboard(study=study, access=access, user=coder2)
    for dyad in data["dyads"]:
        for row in dyad["interviews"]:
            assert {entry["name"] for entry in row["progress"]} <= {"Ben Clarke", "Consensus"}
            assert row["agreement"] is None
            assert row["disagreements"] is None
    body = _client(coder2).get("/studies/study/").content.decode()
    assert "Ana Ruiz" not in body
    assert "Agreement (last report)" not in body
    assert "Open disagreements" not in body
    assert "/disagreements/" not in body
    assert "report #" not in body
    # The lead (never blinded) still sees everything.
    lead_body = _client(lead).get("/studies/study/").content.decode()
    assert "Ana Ruiz" in lead_body
    assert "Open disagreements" in lead_body


# --- Per code and the layer ---------------------------------------------------------------------


def test_codes_count_dyads_on_the_best_layer(
    study: Study, two_coders: dict[str, Interview], lead: Any
) -> None:
    """D01's clinician interview is consensus-complete with only OUT.HOPE: its VAL no longer
    counts there, but D01 still has VAL from its patient side (union of coders)."""
    d1c = two_coders["d1c"]
    codings_bulk_create(
        interview=d1c,
        coder=lead,
        items=[CodingInput(code(study, "OUT.HOPE").pk, 0, 8)],
        layer=Layer.CONSENSUS,
    )
    Interview.objects.filter(pk=d1c.pk).update(consensus_complete=True)
    codings_bulk_create(
        interview=two_coders["d2p"],
        coder=lead,
        items=[CodingInput(code(study, "POW.EDU").pk, 30, 38)],
    )
    _, access = study_get_for_user(user=lead, slug="study")
    data = study_dashboard(study=study, access=access, user=lead)
    dyads = {row["key"]: row["dyads"] for row in data["codes"]}
    assert data["dyad_total"] == 2
    assert dyads["VAL"] == 2
    assert dyads["POW.EDU"] == 1
    assert dyads["POW"] == 2  # a parent counts the dyads of its sub-codes
    assert dyads["OUT.TRUST"] == 1
    assert dyads["OUT.HOPE"] == 1
    assert dyads["ABI"] == 0
    assert data["layer"] == {
        "name": "best",
        "consensus": 1,
        "other": 2,
        "other_name": "coders' union",
    }
    body = _client(lead).get("/studies/study/").content.decode()
    assert "Layer: best — consensus for 1 interview, coders&#x27; union for 2" in body


def test_the_page_shows_the_saturation_chart_with_its_table(
    study: Study, two_coders: dict[str, Interview], viewer: Any
) -> None:
    body = _client(viewer).get("/studies/study/?order=dyad").content.decode()
    assert 'id="chart-saturation"' in body
    assert 'aria-labelledby="chart-saturation-title chart-saturation-desc"' in body
    assert "The figures as a table" in body
    assert "D01 · Clinician" in body
    assert 'href="/studies/study/saturation.svg?order=dyad&amp;download=1"' in body
    assert 'data-chart-png="/studies/study/saturation.svg?order=dyad"' in body
    assert '<option value="dyad" selected>' in body
    # An unknown order falls back to import order.
    assert (
        '<option value="import" selected>'
        in _client(viewer).get("/studies/study/?order=nope").content.decode()
    )


# --- Queries ------------------------------------------------------------------------------------


def _queries(client: Client) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/studies/study/").status_code == 200
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def _grow(study: Study, coder: Any, coder2: Any, lead: Any, start: int) -> None:
    for n in range(start, start + 3):
        for perspective in ("patient", "clinician"):
            interview = make_interview(study=study, dyad=f"D{n:02}", perspective=perspective)
            _code_all(study, interview, coder, ["VAL", "POW.EDU", "OUT.HOPE"])
            _code_all(study, interview, coder2, ["VAL", "COMP.EMO"])
            Assignment.objects.create(interview=interview, coder=coder)
            Assignment.objects.create(interview=interview, coder=coder2)
            Adjudication.objects.create(
                interview=interview,
                code=code(study, "COMP.EMO"),
                start=10,
                end=18,
                decision=Adjudication.Decision.NEW,
                decided_by=lead,
            )
    extra = UserFactory(username=f"extra{start}")
    membership_set(study=study, user=extra, role="coder", actor=lead)
    _code_all(study, interview, extra, ["ABI", "VAL.CON"], at=100)


@pytest.mark.parametrize("persona", ["lead", "coder"])
def test_query_count_does_not_grow_with_dyads_interviews_coders_or_codes(
    study: Study, two_coders: dict[str, Interview], personas: dict[str, Any], persona: str
) -> None:
    lead, coder, coder2 = personas["lead"], personas["coder"], personas["coder2"]
    _report(study, lead, [coder.pk, coder2.pk])
    client = _client(personas[persona])
    client.get("/studies/study/")
    small, _ = _queries(client)
    _grow(study, coder, coder2, lead, start=3)
    _report(study, lead, [coder.pk, coder2.pk])
    large, sql = _queries(client)
    assert large == small, "\n".join(sql)
    # session, user, study + access; interviews, progress (codings, assignments), adjudicated
    # interviews, the reports' per-interview figures, disagreements (coded pairs, assigned
    # pairs, codes, individual codings, consensus, decisions); per code (codebook, dyads,
    # interview lengths, code stats); saturation; [lead] the checklist, or [coder] their
    # assignments panel.
    assert large == {"lead": 21, "coder": 20}[persona], "\n".join(sql)


def test_saturation_layer_for_a_blinded_coder_is_their_own(
    study: Study, two_coders: dict[str, Interview], coder2: Any
) -> None:
    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    _, access = study_get_for_user(user=coder2, slug="study")
    data = study_dashboard(study=study, access=access, user=coder2)
    assert data["saturation"].layer == LayerChoice("best", coder2.pk)
    assert data["saturation"].total == 2  # coder2 used VAL and OUT.TRUST


def test_an_unknown_saturation_order_is_said_on_the_page(
    study: Study, interview: Interview, lead: Any
) -> None:
    client = _client(lead)
    body = client.get("/studies/study/?order=backwards").content.decode()
    assert "There is no order “backwards”: the interviews are shown in import order" in body
    assert "There is no order" not in client.get("/studies/study/?order=dyad").content.decode()
