"""Running a job in a worker: state, progress, result or error recorded on its Job row."""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

from django.db import InterfaceError, OperationalError
from django.utils import timezone

from healing.jobs.models import Job, JobState
from healing.jobs.registry import job_kind_handler

logger = logging.getLogger(__name__)

# Transient: the database connection blinked. These are retried; anything else is not.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class JobError(Exception):
    """A failure the user can understand and act on; its message is shown as the job's error."""


def _worker_name() -> str:
    return f"{socket.gethostname()} pid {os.getpid()}"


def job_execute(job_id: int, *, task_id: str = "") -> None:
    """Run a job's handler, recording state, progress, result or error on the Job row."""
    updated = Job.objects.filter(pk=job_id, state__in=[JobState.QUEUED, JobState.RUNNING]).update(
        state=JobState.RUNNING,
        started=timezone.now(),
        worker=_worker_name(),
        task_id=task_id,
        progress=0,
        message="Started",
    )
    if not updated:
        logger.warning("Job %s is missing or already finished; nothing to do.", job_id)
        return
    job = Job.objects.select_related("study", "user").get(pk=job_id)
    handler = job_kind_handler(job.kind)

    def progress(percent: int, message: str) -> None:
        Job.objects.filter(pk=job_id).update(
            progress=max(0, min(100, int(percent))), message=message[:300]
        )

    try:
        if handler is None:
            raise JobError(f"No handler is registered for jobs of kind {job.kind!r}.")
        result = handler(job, progress)
    except JobError as exc:
        _finish(job_id, state=JobState.FAILED, error=str(exc), message="Failed")
        return
    except TRANSIENT_ERRORS:
        Job.objects.filter(pk=job_id).update(
            state=JobState.QUEUED, message="Waiting to retry after a database error"
        )
        raise
    except Exception:
        logger.exception("Job %s (%s) failed", job_id, job.kind)
        _finish(
            job_id,
            state=JobState.FAILED,
            error="An internal error stopped this job; the server log has the details.",
            message="Failed",
        )
        raise
    _finish(job_id, state=JobState.SUCCEEDED, result=result, message="Done", progress=100)


def _finish(
    job_id: int,
    *,
    state: str,
    message: str,
    error: str = "",
    result: dict[str, Any] | None = None,
    progress: int | None = None,
) -> None:
    fields: dict[str, Any] = {
        "state": state,
        "message": message,
        "error": error,
        "finished": timezone.now(),
    }
    if result is not None:
        fields["result"] = result
    if progress is not None:
        fields["progress"] = progress
    Job.objects.filter(pk=job_id).update(**fields)


def job_fail(job_id: int, error: str) -> None:
    _finish(job_id, state=JobState.FAILED, message="Failed", error=error)
