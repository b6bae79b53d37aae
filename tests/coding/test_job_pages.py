"""The jobs list and job page: who sees which job, the import report, live progress hooks."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coding.job_kinds import JobKind
from healing.jobs.models import Job, JobState
from healing.jobs.services import JobInput, job_add_output, job_create
from interviews.models import Membership, Role, Study

pytestmark = pytest.mark.django_db


def browser_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _import_job(study: Study, user: Any, capture: Any) -> Job:
    with capture(execute=True):
        job = job_create(
            kind=JobKind.IMPORT_TRANSCRIPTS,
            user=user,
            study=study,
            params={"items": [
                {"file": "good.txt", "dyad": "D01", "perspective": "patient"},
                {"file": "bad.txt", "dyad": "D02", "perspective": "patient"},
            ]},
            inputs=[
                JobInput("good.txt", b"Interviewer: Hi?\nAna: <b>Hello</b>.\n"),
                JobInput("bad.txt", b""),
            ],
        )  # fmt: skip
    job.refresh_from_db()
    return job


def test_job_page_shows_each_files_outcome_escaped(
    study: Study, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _import_job(study, lead, django_capture_on_commit_callbacks)
    body = browser_for(lead).get(f"/jobs/{job.pk}/").content.decode()
    assert "1 file imported, 1 not imported" in body
    assert "bad.txt is empty" in body
    assert 'data-state="succeeded"' in body


def test_the_job_list_and_page_follow_who_may_see_a_job(
    study: Study,
    lead: Any,
    coder: Any,
    coder2: Any,
    viewer: Any,
    outsider: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Imports are the leads' (a second lead here); lowered to coder, they no longer see it.
    Membership.objects.filter(study=study, user=coder).update(role=Role.LEAD)
    mine = _import_job(study, coder, django_capture_on_commit_callbacks)
    assert browser_for(coder).get(f"/jobs/{mine.pk}/").status_code == 200
    assert (
        browser_for(lead).get(f"/jobs/{mine.pk}/").status_code == 200
    )  # leads see the study's jobs
    for other in (coder2, viewer, outsider):
        assert browser_for(other).get(f"/jobs/{mine.pk}/").status_code == 404
    assert f"/jobs/{mine.pk}/" in browser_for(lead).get("/studies/study/jobs/").content.decode()
    assert (
        f"/jobs/{mine.pk}/" not in browser_for(coder2).get("/studies/study/jobs/").content.decode()
    )
    assert browser_for(outsider).get("/studies/study/jobs/").status_code == 404
    assert Client().get("/studies/study/jobs/").status_code == 302
    Membership.objects.filter(study=study, user=coder).update(role=Role.CODER)
    assert browser_for(coder).get(f"/jobs/{mine.pk}/").status_code == 404


def test_output_files_are_downloadable_by_who_sees_the_job(
    study: Study, lead: Any, viewer: Any
) -> None:
    job = Job.objects.create(kind=JobKind.EXPORT, user=lead, study=study, state=JobState.SUCCEEDED)
    output = job_add_output(
        job=job, name="segments.csv", data=b"a,b\n1,2\n", content_type="text/csv"
    )
    page = browser_for(lead).get(f"/jobs/{job.pk}/").content.decode()
    assert f"/api/v1/jobs/{job.pk}/files/{output.pk}/" in page
    download = browser_for(lead).get(f"/api/v1/jobs/{job.pk}/files/{output.pk}/")
    assert download.content == b"a,b\n1,2\n"
    assert download["Content-Disposition"] == 'attachment; filename="segments.csv"'
    assert browser_for(viewer).get(f"/api/v1/jobs/{job.pk}/files/{output.pk}/").status_code == 404


def test_job_list_queries_do_not_grow_with_jobs(study: Study, lead: Any) -> None:
    client = browser_for(lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/studies/study/jobs/").status_code == 200
        return len(captured.captured_queries)

    Job.objects.create(kind=JobKind.EXPORT, user=lead, study=study)
    few = count()
    for _ in range(10):
        job = Job.objects.create(kind=JobKind.EXPORT, user=lead, study=study)
        job_add_output(job=job, name="x.csv", data=b"x", content_type="text/csv")
    assert count() == few
