"""Celery tasks. They take ids, load, and call services; state lives in the Job row."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from coding.jobs import TRANSIENT_ERRORS, job_execute, job_fail


@shared_task(bind=True, max_retries=3, acks_late=True)
def run_job(self: Any, job_id: int) -> None:
    # Handlers register themselves when these modules are imported.
    import coding.job_handlers  # noqa: F401
    import interviews.job_handlers  # noqa: F401

    try:
        job_execute(job_id, task_id=self.request.id or "")
    except SoftTimeLimitExceeded:
        seconds = settings.CELERY_TASK_SOFT_TIME_LIMIT
        job_fail(
            job_id, f"The job took longer than its limit of {seconds} seconds and was stopped."
        )
    except TRANSIENT_ERRORS as exc:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            job_fail(job_id, f"The database was unreachable; gave up after retrying ({exc}).")
            raise
        raise self.retry(exc=exc, countdown=5 * (self.request.retries + 1)) from exc
