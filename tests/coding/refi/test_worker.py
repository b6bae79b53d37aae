"""REFI-QDA jobs on a real Celery worker through Redis: the handlers are registered in the
worker, the export's file and the import's report come back through the database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings

from coding.exchange.refi.services import refi_export_start, refi_import_confirm, refi_inspect_start
from coding.models import Coding
from healing.jobs.models import Job, JobState
from interviews.models import Study
from tests.coding.refi.conftest import ROOT
from tests.coding.refi.test_pages import small_project
from tests.coding.test_jobs import _database_url_for_worker
from tests.conftest import skip_or_fail


@contextmanager
def celery_worker() -> Iterator[None]:
    database_url = _database_url_for_worker()
    if not settings.REDIS_URL or database_url is None:
        skip_or_fail("needs REDIS_URL and PostgreSQL (DATABASE_URL) to share jobs with a worker")
    from healing.celery import app

    queue = f"healing-test-{uuid.uuid4().hex[:12]}"
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": settings.REDIS_URL}
    env["CELERY_QUEUE"] = queue
    env.pop("TEST_DATABASE_NAME", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "healing", "worker", "--pool", "solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield
    finally:
        app.conf.task_default_queue = previous
        worker.terminate()
        worker.communicate(timeout=30)


def finished(job: Job) -> Job:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in (JobState.SUCCEEDED, JobState.FAILED):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} did not finish: {job.state} {job.message}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_export_and_import_jobs_run_on_a_real_worker(study: Study, lead: Any) -> None:
    with celery_worker():
        export = finished(refi_export_start(study=study, user=lead, format="qdpx"))
        assert export.state == JobState.SUCCEEDED, export.error
        assert export.files.get(direction="output").name == "study.qdpx"
        inspect = finished(
            refi_inspect_start(user=lead, filename="x.qdpx", data=small_project(), study=study)
        )
        assert inspect.state == JobState.SUCCEEDED, inspect.error
        imported = finished(refi_import_confirm(inspect_job=inspect, user=lead, mapping=None))
    assert imported.state == JobState.SUCCEEDED, imported.error
    assert imported.worker.partition(" pid ")[2] != str(os.getpid())
    assert Coding.objects.filter(interview__dyad__study=study).count() == 1
