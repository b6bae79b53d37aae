"""Running a job in a worker: state, progress, result or error recorded on its Job row."""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from healing.jobs.models import ACTIVE_STATES, Job, JobState
from healing.jobs.registry import job_kind_handler, job_kind_restarts

logger = logging.getLogger(__name__)

# Transient: the database connection blinked. These are retried; anything else is not.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)

WORKER_LOST = "The worker running this job stopped; start it again."


class JobError(Exception):
    """A failure the user can understand and act on; its message is shown as the job's error."""


class JobCancelled(Exception):
    """Raised from the progress callback once the job was cancelled: the handler stops there."""


def _worker_name() -> str:
    return f"{socket.gethostname()} pid {os.getpid()}"


def job_execute(job_id: int, *, task_id: str = "") -> None:
    """Run a job's handler, recording state, progress, result or error on the Job row."""
    # PENDING too: the worker may take the message before job_create marked the job queued.
    now = timezone.now()
    updated = Job.objects.filter(
        pk=job_id, state__in=[JobState.PENDING, JobState.QUEUED, JobState.RUNNING]
    ).update(
        state=JobState.RUNNING,
        started=now,
        heartbeat=now,
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

    interval = settings.HEALING_JOB_HEARTBEAT_SECONDS
    last = {"beat": time.monotonic(), "percent": -1}

    def progress(percent: int, message: str) -> None:
        """Record progress and beat the heart, at most every ``interval`` seconds unless the
        percentage moved; a job cancelled meanwhile stops here (the update finds it no longer
        running)."""
        percent = max(0, min(100, int(percent)))
        now = time.monotonic()
        if percent == last["percent"] and now - last["beat"] < interval:
            return
        last.update(beat=now, percent=percent)
        running = Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
            progress=percent, message=message[:300], heartbeat=timezone.now()
        )
        if not running:
            raise JobCancelled

    try:
        if handler is None:
            raise JobError(f"No handler is registered for jobs of kind {job.kind!r}.")
        result = handler(job, progress)
    except JobCancelled:
        logger.info("Job %s (%s) was cancelled while it ran.", job_id, job.kind)
        return
    except JobError as exc:
        _finish(job_id, state=JobState.FAILED, error=str(exc), message="Failed")
        return
    except TRANSIENT_ERRORS:
        Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(
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
    # A job cancelled (or swept as lost) meanwhile keeps that ending.
    Job.objects.filter(pk=job_id, state__in=ACTIVE_STATES).update(**fields)


def job_fail(job_id: int, error: str) -> None:
    _finish(job_id, state=JobState.FAILED, message="Failed", error=error)


def jobs_sweep_lost() -> list[int]:
    """Running jobs whose heartbeat is older than ``HEALING_JOB_HEARTBEAT_TIMEOUT`` lost their
    worker (killed, out of memory, machine gone). Each is queued once more where its kind allows
    (``restart_after_worker_loss``) and it was not restarted before — their ids are returned, for
    the caller to enqueue — else marked failed with :data:`WORKER_LOST`. Jobs stored but never
    enqueued (the web process died between commit and enqueue) are deleted after the same bound.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.HEALING_JOB_HEARTBEAT_TIMEOUT)
    Job.objects.filter(state=JobState.PENDING, created__lt=cutoff).delete()
    restart: list[int] = []
    lost = Job.objects.filter(state=JobState.RUNNING, heartbeat__lt=cutoff)
    for job in lost.only("pk", "kind", "restarts"):
        still_lost = Job.objects.filter(pk=job.pk, state=JobState.RUNNING, heartbeat__lt=cutoff)
        if job.restarts == 0 and job_kind_restarts(job.kind):
            if still_lost.update(
                state=JobState.QUEUED,
                restarts=job.restarts + 1,
                heartbeat=None,
                progress=0,
                message="Its worker stopped; started again",
            ):
                restart.append(job.pk)
        else:
            still_lost.update(
                state=JobState.FAILED,
                message="Failed",
                error=WORKER_LOST,
                finished=timezone.now(),
            )
            logger.warning("Job %s (%s) lost its worker; marked failed.", job.pk, job.kind)
    return restart
