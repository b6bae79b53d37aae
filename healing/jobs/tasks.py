"""The Celery task that runs a job: it takes the job's id; state lives in the Job row."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from healing.jobs.runner import (
    TRANSIENT_ERRORS,
    WORKER_LOST,
    job_execute,
    job_fail,
    jobs_sweep_lost,
)


# The name it had in coding/tasks.py, so messages already queued in Redis still find it. Handlers
# are in the registry: every app registered its kinds in ready() before a worker takes a task.
@shared_task(name="healing.jobs.tasks.run_job", bind=True, max_retries=3, acks_late=True)
def run_job(self: Any, job_id: int) -> None:
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


@shared_task(name="healing.jobs.tasks.sweep_lost_jobs", ignore_result=True)
def sweep_lost_jobs() -> int:
    """Run by Celery beat (``CELERY_BEAT_SCHEDULE``, every minute): fail the jobs whose worker
    died, or start them once more where their kind allows. Returns how many it restarted."""
    restart = jobs_sweep_lost()
    for job_id in restart:
        try:
            run_job.apply_async((job_id,), retry=False)
        except Exception:
            job_fail(job_id, WORKER_LOST)
    return len(restart)
