"""Background jobs: create one (inputs kept in the database), run it in a worker, report progress.

A job handler is a function ``handler(job, progress) -> dict`` registered per kind with
``@job_handler(kind)``; the Celery task ``coding.tasks.run_job`` loads the job and calls it.
Handlers raise ``JobError`` for a failure the user should read; anything else is logged and
reported as an internal error.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from coding.models import Job, JobFile, JobState
from interviews.models import Study

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
Handler = Callable[[Job, Progress], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}

# Transient: the database connection blinked. These are retried; anything else is not.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class JobError(Exception):
    """A failure the user can understand and act on; its message is shown as the job's error."""


@dataclass(frozen=True)
class JobInput:
    name: str
    data: bytes
    content_type: str = "application/octet-stream"


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        _HANDLERS[kind] = function
        return function

    return register


def job_create(
    *,
    kind: str,
    user: Any,
    study: Study | None = None,
    params: dict[str, Any] | None = None,
    inputs: Sequence[JobInput] = (),
) -> Job:
    """Store the job and its input files, and enqueue it once the transaction commits."""
    from coding.tasks import run_job

    with transaction.atomic():
        job = Job.objects.create(kind=kind, user=user, study=study, params=params or {})
        JobFile.objects.bulk_create(
            [
                JobFile(
                    job=job,
                    direction=JobFile.Direction.INPUT,
                    name=item.name[-255:],
                    content_type=item.content_type,
                    size=len(item.data),
                    data=item.data,
                )
                for item in inputs
            ]
        )
        transaction.on_commit(lambda: run_job.delay(job.pk))
    return job


def job_inputs(job: Job) -> list[JobFile]:
    return list(job.files.filter(direction=JobFile.Direction.INPUT).order_by("id"))


def job_add_output(*, job: Job, name: str, data: bytes, content_type: str) -> JobFile:
    return JobFile.objects.create(
        job=job,
        direction=JobFile.Direction.OUTPUT,
        name=name,
        content_type=content_type,
        size=len(data),
        data=data,
    )


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
    handler = _HANDLERS.get(job.kind)

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
