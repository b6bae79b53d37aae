"""Jobs: state, progress and results recorded by the task; a real worker on the real broker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import OperationalError, connection

from coding.job_kinds import JobKind
from healing.jobs.models import Job, JobState
from healing.jobs.services import JobError, JobInput, job_create, job_handler
from healing.jobs.tasks import run_job
from interviews.models import Interview, Study
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]

TWO_FILES = [
    JobInput("d01-patient.txt", b"Interviewer: Hello?\nJane: Hello there.\n", "text/plain"),
    JobInput("d01-clinician.txt", b"Interviewer: Hi?\nDr. Lee: Good morning.\n", "text/plain"),
]
ITEMS = [
    {
        "file": "d01-patient.txt",
        "dyad": "D01",
        "perspective": "patient",
        "dyad_attributes": {"years_together": "12"},
    },
    {"file": "d01-clinician.txt", "dyad": "D01", "perspective": "clinician"},
]


def _import_job(
    study: Study, user: Any, items: list[dict[str, Any]], inputs: list[JobInput]
) -> Job:
    return job_create(
        kind=JobKind.IMPORT_TRANSCRIPTS,
        user=user,
        study=study,
        params={"items": items},
        inputs=inputs,
    )


@pytest.mark.django_db
def test_an_import_job_runs_on_commit_and_records_its_result(
    study: Study, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = _import_job(study, lead, ITEMS, TWO_FILES)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert job.progress == 100
    assert job.result["imported"] == 2
    assert job.result["failed"] == 0
    assert job.started is not None
    assert job.finished is not None
    assert Interview.objects.filter(dyad__label="D01").count() == 2
    assert Interview.objects.get(perspective="patient").dyad.attributes == {"years_together": 12}


@pytest.mark.django_db
def test_a_batch_reports_each_file_and_keeps_the_good_ones(
    study: Study, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    inputs = [*TWO_FILES, JobInput("empty.txt", b"")]
    items = [*ITEMS, {"file": "empty.txt", "dyad": "D02", "perspective": "patient"}]
    with django_capture_on_commit_callbacks(execute=True):
        job = _import_job(study, lead, items, inputs)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert job.result["imported"] == 2
    assert job.result["failed"] == 1
    failed = [f for f in job.result["files"] if not f["ok"]]
    assert failed[0]["file"] == "empty.txt"
    assert "empty" in failed[0]["message"]
    # The failed file left nothing behind, not even its dyad.
    assert not study.dyads.filter(label="D02").exists()


@pytest.mark.django_db
def test_a_batch_where_nothing_imports_fails_with_the_reasons(
    study: Study, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = _import_job(
            study,
            lead,
            [{"file": "x.txt", "dyad": "D9", "perspective": "patient"}],
            [JobInput("x.txt", b"\x00\x01")],
        )
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "x.txt" in job.error
    assert job.result["files"][0]["ok"] is False


@pytest.mark.django_db
def test_an_unexpected_error_marks_the_job_failed_without_leaking_details(
    study: Study, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    @job_handler("test_crash")
    def crash(job: Job, progress: Any) -> dict[str, Any]:
        raise KeyError("secret internals")

    with pytest.raises(KeyError), django_capture_on_commit_callbacks(execute=True):
        job = job_create(kind="test_crash", user=lead, study=study)
    job = Job.objects.get(kind="test_crash")
    assert job.state == JobState.FAILED
    assert "internal error" in job.error
    assert "secret" not in job.error


@pytest.mark.django_db
def test_a_job_error_is_shown_to_the_user(
    study: Study, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    @job_handler("test_refuse")
    def refuse(job: Job, progress: Any) -> dict[str, Any]:
        progress(40, "Halfway")
        raise JobError("The file has no codes.")

    with django_capture_on_commit_callbacks(execute=True):
        job = job_create(kind="test_refuse", user=lead, study=study)
    job.refresh_from_db()
    assert (job.state, job.error, job.progress) == (JobState.FAILED, "The file has no codes.", 40)


@pytest.mark.django_db
def test_time_limit_and_transient_errors_are_reported(study: Study, lead: Any) -> None:
    job = Job.objects.create(kind=JobKind.IMPORT_TRANSCRIPTS, user=lead, study=study)
    with mock.patch("healing.jobs.tasks.job_execute", side_effect=SoftTimeLimitExceeded()):
        run_job.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "longer than its limit" in job.error

    job2 = Job.objects.create(kind=JobKind.IMPORT_TRANSCRIPTS, user=lead, study=study)
    with (
        mock.patch(
            "healing.jobs.tasks.job_execute", side_effect=OperationalError("connection lost")
        ),
        pytest.raises(OperationalError),
    ):
        run_job.apply(args=[job2.pk], throw=True)
    job2.refresh_from_db()
    assert job2.state == JobState.FAILED
    assert "unreachable" in job2.error


def _database_url_for_worker() -> str | None:
    database = connection.settings_dict
    if connection.vendor != "postgresql":
        return None
    user = database.get("USER") or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_runs_the_job_through_redis(study: Study, lead: Any) -> None:
    database_url = _database_url_for_worker()
    if not settings.REDIS_URL or database_url is None:
        skip_or_fail("needs REDIS_URL and PostgreSQL (DATABASE_URL) to share jobs with a worker")
    from healing.celery import app

    queue = f"healing-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
    }
    env.pop("TEST_DATABASE_NAME", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "healing", "worker", "--pool", "solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        job = _import_job(study, lead, ITEMS, TWO_FILES)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.state in (JobState.SUCCEEDED, JobState.FAILED):
                break
            time.sleep(0.2)
    finally:
        app.conf.task_default_queue = previous_queue
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert job.state == JobState.SUCCEEDED, f"{job.state} {job.error}\n{output}"
    assert job.task_id
    _host, _, pid = job.worker.partition(" pid ")
    assert int(pid) == worker.pid
    assert int(pid) != os.getpid()
    assert Interview.objects.filter(dyad__study=study).count() == 2
