"""Autocode by speaker: every turn of a role or a label coded with one code into a layer, as a
job; idempotent; only the lead writes into another's layer; undone as one step, once."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.test import APIClient

from coding.autocode.services import autocode_check, autocode_start, autocode_undo
from coding.models import Coding, Layer
from coding.services import coding_update
from healing.audit.models import AuditEvent
from healing.jobs.models import Job
from interviews.models import Interview, Study, Turn
from interviews.services import study_update
from tests.coding.test_job_pages_in_words import page_text
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db


def run(study: Study, user: Any, capture: Any, **request: Any) -> Job:
    checked = autocode_check(study=study, user=user, is_lead=True, **request)
    with capture(execute=True):
        job = autocode_start(study=study, user=user, request=checked)
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    return job


def spans(interview: Interview, **turns: Any) -> list[tuple[int, int]]:
    return list(
        Turn.objects.filter(interview=interview, **turns)
        .order_by("index")
        .values_list("start", "end")
    )


def test_codes_every_turn_of_a_role_exactly(
    study: Study, interview: Interview, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = run(study, lead, django_capture_on_commit_callbacks, code="OUT.TRUST", role="interviewer")
    codings = list(Coding.objects.filter(interview=interview).order_by("start"))
    assert [(c.start, c.end) for c in codings] == spans(interview, role="interviewer")
    assert all(
        c.code.key == "OUT.TRUST" and c.coder == lead and c.layer == Layer.INDIVIDUAL
        for c in codings
    )
    assert all(c.quote == interview.text[c.start : c.end] for c in codings)
    assert not any(c.quote.startswith("Interviewer") for c in codings)
    assert job.result["coding_ids"] == [c.pk for c in codings]
    assert job.result["summary"] == (
        "Coded 2 interviewer turns in 1 interview with OUT.TRUST into Lena Ortiz's layer"
    )
    run_event = AuditEvent.objects.get(object_type="autocode")
    assert run_event.actor == lead
    assert run_event.after is not None
    assert run_event.after["created"] == 2
    assert AuditEvent.objects.filter(object_type="coding", action="create", actor=lead).count() == 2


def test_a_speaker_label_in_one_interview_or_in_all(
    study: Study, interview: Interview, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    second = make_interview(study=study, dyad="D02", by=lead)
    run(
        study,
        lead,
        django_capture_on_commit_callbacks,
        code="VAL",
        speaker="Maria",
        interview=interview.pk,
    )
    assert Coding.objects.filter(interview=interview).count() == 2
    assert not Coding.objects.filter(interview=second).exists()
    job = run(study, lead, django_capture_on_commit_callbacks, code="VAL", speaker="Maria")
    assert Coding.objects.filter(interview=second).count() == 2
    # Idempotent: the first interview's turns were coded already.
    assert (job.result["created"], job.result["skipped"], job.result["interviews"]) == (2, 2, 2)
    assert job.result["summary"].endswith("; 2 already coded")
    again = run(study, lead, django_capture_on_commit_callbacks, code="VAL", speaker="Maria")
    assert (again.result["created"], again.result["skipped"]) == (0, 4)
    assert Coding.objects.count() == 4


def test_into_a_coders_layer_only_by_the_lead(
    study: Study,
    interview: Interview,
    lead: Any,
    coder: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = run(
        study, lead, django_capture_on_commit_callbacks, code="VAL", role="patient", coder=coder.pk
    )
    assert set(Coding.objects.values_list("coder_id", flat=True)) == {coder.pk}
    assert "into Ana Ruiz's layer" in job.result["summary"]
    # The lead did it: the audit trail names the lead, not the coder.
    assert set(
        AuditEvent.objects.filter(object_type="coding").values_list("actor_id", flat=True)
    ) == {lead.pk}
    with pytest.raises(PermissionDenied):
        autocode_check(
            study=study, user=coder, is_lead=False, code="VAL", role="patient", coder=lead.pk
        )


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        ({"code": "VAL", "role": "patient", "speaker": "Maria"}, "role"),
        ({"code": "VAL"}, "role"),
        ({"code": "VAL", "role": "boss"}, "role"),
        ({"code": "NOPE", "role": "patient"}, "code"),
        ({"code": "VAL", "speaker": "Nobody"}, "speaker"),
        ({"code": "VAL", "role": "patient", "interview": "other"}, "interview"),
        ({"code": "VAL", "role": "patient", "coder": "outsider"}, "coder"),
        ({"code": "VAL", "role": "patient", "coder": "viewer"}, "coder"),
    ],
)
def test_bad_requests_name_the_field(
    study: Study,
    interview: Interview,
    lead: Any,
    personas: dict[str, Any],
    other_study: Study,
    request_: dict[str, Any],
    field: str,
) -> None:
    other = make_interview(study=other_study, dyad="O1")
    values = dict(request_)
    if values.get("interview") == "other":
        values["interview"] = other.pk
    if "coder" in values:
        values["coder"] = personas[values["coder"]].pk
    client = APIClient()
    client.force_authenticate(lead)
    response = client.post(f"/api/v1/studies/{study.slug}/autocode/", values, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"], response.json()
    assert not Job.objects.exists()
    assert not Coding.objects.exists()


def test_undo_removes_the_runs_codings_once(
    study: Study,
    interview: Interview,
    lead: Any,
    coder: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    kept = Coding.objects.create(
        interview=interview, code=code(study, "VAL"), coder=lead, start=0, end=5, quote="Inter"
    )
    job = run(study, lead, django_capture_on_commit_callbacks, code="VAL", role="interviewer")
    report = autocode_undo(job=job, actor=lead)
    assert (report["deleted"], report["kept"], report["gone"]) == (2, [], 0)
    assert list(Coding.objects.all()) == [kept]
    assert AuditEvent.objects.filter(object_type="coding", action="delete").count() == 2
    assert AuditEvent.objects.filter(object_type="autocode", action="delete").count() == 1
    with pytest.raises(ValidationError, match="already undone"):
        autocode_undo(job=Job.objects.get(pk=job.pk), actor=lead)
    assert list(Coding.objects.all()) == [kept]


def test_undo_keeps_codings_changed_since(
    study: Study, interview: Interview, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = run(study, lead, django_capture_on_commit_callbacks, code="VAL", role="patient")
    first, _second = Coding.objects.order_by("start")
    coding_update(coding=first, actor=lead, end=first.end - 1)
    report = autocode_undo(job=job, actor=lead)
    assert (report["deleted"], report["kept"]) == (1, [first.pk])
    assert list(Coding.objects.all()) == [first]
    assert "kept 1 changed since" in report["summary"]


def test_the_api_starts_and_undoes(
    study: Study, interview: Interview, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = APIClient()
    client.force_authenticate(lead)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            f"/api/v1/studies/{study.slug}/autocode/",
            {"code": code(study, "VAL").pk, "role": "interviewer", "interview": interview.pk},
            format="json",
        )
    assert started.status_code == 202, started.content
    job_id = started.json()["id"]
    assert Job.objects.get(pk=job_id).result["created"] == 2
    undone = client.post(f"/api/v1/studies/{study.slug}/autocode/{job_id}/undo/")
    assert undone.status_code == 200
    assert undone.json()["result"]["undone"]["deleted"] == 2
    twice = client.post(f"/api/v1/studies/{study.slug}/autocode/{job_id}/undo/")
    assert twice.status_code == 400
    assert "job" in twice.json()["error"]["fields"]


def test_a_run_started_before_archiving_codes_nothing(
    study: Study, interview: Interview, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = APIClient()
    client.force_authenticate(lead)
    # The job is created, then the study archived before a worker runs it.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        started = client.post(
            f"/api/v1/studies/{study.slug}/autocode/",
            {"code": code(study, "VAL").pk, "role": "interviewer"},
            format="json",
        )
    assert started.status_code == 202, started.content
    study_update(study=study, actor=lead, archived=True)
    for callback in callbacks:
        callback()
    job = Job.objects.get(pk=started.json()["id"])
    assert job.state == "failed"
    assert "archived" in job.error
    assert not Coding.objects.filter(interview__dyad__study=study).exists()


def test_the_pages(
    study: Study,
    interview: Interview,
    personas: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = f"/studies/{study.slug}/autocode/"
    got = {}
    for name, user in personas.items():
        client = Client()
        client.force_login(user)
        got[name] = client.get(url).status_code
    assert got == {"lead": 200, "coder": 403, "coder2": 403, "viewer": 403, "outsider": 404}
    assert Client().get(url).status_code == 302
    lead = Client()
    lead.force_login(personas["lead"])
    refused = lead.post(url, {"by": "speaker", "speaker": "Nobody", "code": code(study, "VAL").pk})
    assert refused.status_code == 400
    assert "No turns of “Nobody”" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = lead.post(
            url,
            {
                "by": "role",
                "role": "interviewer",
                "code": code(study, "VAL").pk,
                "interview": interview.pk,
            },
        )
    assert started.status_code == 302
    page = lead.get(started["Location"]).content.decode()
    assert "Coded 2 interviewer turns in 1 interview with VAL into Lena Ortiz&#x27;s layer." in page
    job = Job.objects.get()
    coder = Client()
    coder.force_login(personas["coder"])
    assert coder.post(f"/studies/{study.slug}/autocode/{job.pk}/undo/").status_code == 403
    done = lead.post(f"/studies/{study.slug}/autocode/{job.pk}/undo/", follow=True).content.decode()
    assert "Removed 2 of the 2 codings this run made" in done
    assert "Undo this autocode run" not in done
    assert not Coding.objects.exists()


def test_a_thousand_turns_in_well_under_a_few_seconds(
    study: Study, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    text = "".join(
        f"Interviewer: Question {i}?\n\nMaria: Answer number {i}.\n\n" for i in range(1000)
    )
    interview = make_interview(study=study, dyad="D09", text=text, by=lead)
    started = time.perf_counter()
    job = run(
        study,
        lead,
        django_capture_on_commit_callbacks,
        code="VAL",
        role="interviewer",
        interview=interview.pk,
    )
    elapsed = time.perf_counter() - started
    assert job.result["created"] == 1000
    assert elapsed < 3, elapsed
    started = time.perf_counter()
    autocode_undo(job=job, actor=lead)
    assert time.perf_counter() - started < 3
    assert not Coding.objects.exists()


def test_the_job_page_reports_in_words(
    study: Study, interview: Interview, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = run(study, lead, django_capture_on_commit_callbacks, code="VAL", role="patient")
    first = Coding.objects.order_by("start").first()
    assert first is not None
    coding_update(coding=first, actor=lead, memo="changed")
    text = page_text(lead, job)
    assert "Coded 2 patient turns in 1 interview with VAL into Lena Ortiz&#x27;s layer." in text
    autocode_undo(job=job, actor=lead)
    text = page_text(lead, Job.objects.get(pk=job.pk))
    assert "Removed 1 of the 2 codings this run made; kept 1 changed since." in text
    assert "1 coding changed after the run was kept" in text
