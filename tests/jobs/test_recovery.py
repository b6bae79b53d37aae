"""Finding 4 of issue 14: jobs that recover — heartbeat and the sweep for jobs whose worker died,
the broker settings, a broker outage answering 503 with nothing left behind, cancel, and the
per-user limit on active jobs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from coding.job_kinds import JobKind
from healing.celery import app
from healing.jobs.models import Job, JobFile, JobState
from healing.jobs.registry import job_kind_register
from healing.jobs.services import WORKER_LOST, job_create, jobs_sweep_lost
from healing.jobs.tasks import run_job, sweep_lost_jobs
from interviews.models import Study

pytestmark = pytest.mark.django_db

RAN: list[int] = []
EXCHANGE = "/studies/study/exchange/"
EXPORT_FORM = {"action": "export-data", "what": "study:csv"}


def _record(job: Job, progress: Any) -> dict[str, Any]:
    RAN.append(job.pk)
    progress(50, "Halfway")
    return {"ok": True}


job_kind_register(kind="test_record", label="Test", handler=_record)
job_kind_register(
    kind="test_once", label="Test once", handler=_record, restart_after_worker_loss=False
)


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Any) -> Any:
    return django_capture_on_commit_callbacks


def _lost(study: Study, user: Any, kind: str, **fields: Any) -> Job:
    """A job a killed worker left "running 1%", its heartbeat three minutes old."""
    old = timezone.now() - timedelta(minutes=3)
    return Job.objects.create(
        kind=kind, user=user, study=study, state=JobState.RUNNING, progress=1,
        heartbeat=old, started=old, **fields,
    )  # fmt: skip


def test_the_broker_settings_fit_the_longest_job() -> None:
    assert settings.CELERY_TASK_ACKS_LATE
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.CELERY_TASK_TIME_LIMIT + 60
    assert "sweep-lost-jobs" in settings.CELERY_BEAT_SCHEDULE


def test_the_runner_beats_while_the_job_runs(study: Study, lead: Any, capture: Any) -> None:
    with capture(execute=True):
        job = job_create(kind="test_record", user=lead, study=study)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert job.heartbeat is not None
    assert job.heartbeat >= job.started


def test_a_job_whose_worker_died_is_restarted_once_then_failed(study: Study, lead: Any) -> None:
    RAN.clear()
    job = _lost(study, lead, "test_record")
    fresh = Job.objects.create(
        kind="test_record", user=lead, study=study, state=JobState.RUNNING,
        heartbeat=timezone.now(),
    )  # fmt: skip
    assert sweep_lost_jobs.apply().get() == 1  # restarted (eagerly run here)
    job.refresh_from_db()
    assert (job.state, job.restarts, RAN) == (JobState.SUCCEEDED, 1, [job.pk])
    fresh.refresh_from_db()
    assert fresh.state == JobState.RUNNING  # a live worker's job is left alone

    # Killed again after its restart: failed, with the message.
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, heartbeat=timezone.now() - timedelta(minutes=3)
    )
    assert jobs_sweep_lost() == []
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, WORKER_LOST)
    page = Client()
    page.force_login(lead)
    assert WORKER_LOST in page.get(f"/jobs/{job.pk}/").content.decode()


def test_a_kind_that_may_not_run_twice_fails_at_once(study: Study, lead: Any) -> None:
    job = _lost(study, lead, "test_once")
    assert jobs_sweep_lost() == []
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, WORKER_LOST)


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_answers_503_and_leaves_nothing(
    study: Study, lead: Any, settings: Any
) -> None:
    closed = "redis://127.0.0.1:1/0"
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = closed
    app.conf.task_always_eager = False
    app.pool.force_close_all()
    app._pool = None
    try:
        jobs, files = Job.objects.count(), JobFile.objects.count()
        api = APIClient()
        api.force_authenticate(lead)
        answer = api.post("/api/v1/studies/study/exports/", {"format": "csv"}, format="json")
        assert answer.status_code == 503, answer.content
        assert "Background jobs are unavailable, try again" in answer.content.decode()
        page = Client()
        page.force_login(lead)
        answer = page.post(EXCHANGE, EXPORT_FORM)
        assert answer.status_code == 503, answer.content
        assert (Job.objects.count(), JobFile.objects.count()) == (jobs, files)
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        app.pool.force_close_all()
        app._pool = None


def test_a_user_cancels_a_queued_job_which_never_runs(
    study: Study, lead: Any, coder: Any, coder2: Any
) -> None:
    RAN.clear()
    job = Job.objects.create(kind="test_record", user=coder, study=study, state=JobState.QUEUED)
    api = APIClient()
    api.force_authenticate(coder2)
    assert api.post(f"/api/v1/jobs/{job.pk}/cancel/").status_code == 404  # not theirs to see
    api.force_authenticate(coder)
    answer = api.post(f"/api/v1/jobs/{job.pk}/cancel/")
    assert (answer.status_code, answer.json()["state"]) == (200, "cancelled")
    run_job.apply(args=[job.pk])  # the message arrives anyway
    job.refresh_from_db()
    assert (job.state, job.cancelled_by, RAN) == (JobState.CANCELLED, coder, [])


def test_a_lead_cancels_a_running_job_on_its_page(study: Study, lead: Any, coder: Any) -> None:
    job = Job.objects.create(kind="test_record", user=coder, study=study, state=JobState.QUEUED)
    page = Client()
    page.force_login(lead)
    assert "Cancel this job" in page.get(f"/jobs/{job.pk}/").content.decode()
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    assert page.post(f"/jobs/{job.pk}/cancel/").status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED
    assert "Cancel this job" not in page.get(f"/jobs/{job.pk}/").content.decode()


def test_a_running_handler_stops_at_its_next_progress_once_cancelled(
    study: Study, lead: Any, capture: Any
) -> None:
    steps: list[int] = []

    def slow(job: Job, progress: Any) -> dict[str, Any]:
        for step in range(1, 4):
            progress(step * 10, f"Step {step}")
            steps.append(step)
            if step == 1:
                Job.objects.filter(pk=job.pk).update(state=JobState.CANCELLED)
        return {"done": True}

    job_kind_register(kind="test_slow", label="Slow", handler=slow)
    with capture(execute=True):
        job = job_create(kind="test_slow", user=lead, study=study)
    job.refresh_from_db()
    assert (job.state, steps, job.result) == (JobState.CANCELLED, [1], {})


def test_a_fourth_active_job_is_refused_with_429(study: Study, coder: Any, settings: Any) -> None:
    settings.HEALING_MAX_ACTIVE_JOBS_PER_USER = 3
    for state in (JobState.QUEUED, JobState.RUNNING, JobState.PENDING):
        Job.objects.create(kind=JobKind.EXPORT, user=coder, study=study, state=state)
    Job.objects.create(kind=JobKind.EXPORT, user=coder, study=study, state=JobState.SUCCEEDED)
    before = Job.objects.count()
    api = APIClient()
    api.force_authenticate(coder)
    answer = api.post("/api/v1/studies/study/exports/", {"format": "csv"}, format="json")
    assert answer.status_code == 429, answer.content
    assert "wait for one to finish" in answer.content.decode()
    page = Client()
    page.force_login(coder)
    answer = page.post(EXCHANGE, EXPORT_FORM)
    assert answer.status_code == 429
    assert Job.objects.count() == before
