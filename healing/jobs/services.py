"""Background jobs: create one (inputs kept in the database), run it in a worker, report progress.

A job handler is a function ``handler(job, progress) -> dict`` registered per kind (see
``healing.jobs.registry``, filled in the apps' ``ready()``); the Celery task
``healing.jobs.tasks.run_job`` loads the job and calls it through :func:`job_execute`.
Handlers raise ``JobError`` for a failure the user should read; anything else is logged and
reported as an internal error.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import APIException

from healing.celery import app
from healing.jobs.models import ACTIVE_STATES, Job, JobFile, JobState
from healing.jobs.registry import Handler, Progress, job_handler, job_kind_handler
from healing.jobs.runner import (
    TRANSIENT_ERRORS,
    WORKER_LOST,
    JobError,
    job_execute,
    job_fail,
    jobs_sweep_lost,
)
from healing.jobs.tasks import run_job, sweep_lost_jobs

logger = logging.getLogger(__name__)


__all__ = [
    "TRANSIENT_ERRORS",
    "WORKER_LOST",
    "Handler",
    "JobError",
    "JobInput",
    "JobsUnavailable",
    "Progress",
    "TooManyJobs",
    "job_add_output",
    "job_cancel",
    "job_create",
    "job_execute",
    "job_fail",
    "job_handler",
    "job_inputs",
    "jobs_sweep_lost",
    "sweep_lost_jobs",
]


class JobsUnavailable(APIException):
    """The broker refused the job (Redis down): nothing was kept, the user tries again later."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Background jobs are unavailable, try again in a few minutes."
    default_code = "jobs_unavailable"


class TooManyJobs(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "too_many_jobs"


@dataclass(frozen=True)
class JobInput:
    name: str
    data: bytes
    content_type: str = "application/octet-stream"


def job_create(
    *,
    kind: str,
    user: Any,
    study: Any = None,
    params: dict[str, Any] | None = None,
    inputs: Sequence[JobInput] = (),
) -> Job:
    """Store the job and its input files, and enqueue it once the transaction commits.

    The job is stored ``pending`` (no list shows it) and becomes ``queued`` once the broker took
    it. If the broker refuses it (Redis down), the job and its files are deleted and
    :class:`JobsUnavailable` (503) is raised: a job is visible only once it is enqueued, and an
    outage leaves nothing behind. Call it outside any transaction of the caller's, so that the
    enqueue (and its failure) happens before the request answers.

    A user has at most ``HEALING_MAX_ACTIVE_JOBS_PER_USER`` jobs pending, queued or running;
    one more is refused with :class:`TooManyJobs` (429).

    ``study`` is an ``interviews.Study`` or None; ``kind`` must be registered.
    """
    if job_kind_handler(kind) is None:
        raise ValueError(f"No app registered jobs of kind {kind!r}.")
    limit = settings.HEALING_MAX_ACTIVE_JOBS_PER_USER
    with transaction.atomic():
        active = Job.objects.filter(user=user, state__in=ACTIVE_STATES).count()
        if active >= limit:
            raise TooManyJobs(
                f"You have {active} background jobs waiting or running, the most one person may "
                "have at once: wait for one to finish (or cancel one), then start this again."
            )
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
        transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: Job) -> None:
    try:
        # retry=False and the short broker timeouts in settings: an outage answers in seconds.
        run_job.apply_async((job.pk,), retry=False)
    except Exception as exc:
        if app.conf.task_always_eager:
            raise  # an eager job's own error, not the broker's
        logger.warning("The broker refused job %s (%s): %s", job.pk, job.kind, exc)
        Job.objects.filter(pk=job.pk).delete()
        raise JobsUnavailable() from exc
    Job.objects.filter(pk=job.pk, state=JobState.PENDING).update(state=JobState.QUEUED)


def job_cancel(*, job: Job, actor: Any) -> bool:
    """Cancel a job that has work ahead: a queued job never runs, a running one is revoked (its
    worker process is terminated) and its runner stops at its next progress report. Who may
    cancel is the caller's check (the job's owner, or a lead of its study). False if the job had
    already ended."""
    cancelled = Job.objects.filter(pk=job.pk, state__in=ACTIVE_STATES).update(
        state=JobState.CANCELLED,
        cancelled_by=actor,
        message=f"Cancelled by {actor.get_username()}",
        finished=timezone.now(),
    )
    if cancelled and job.task_id and not app.conf.task_always_eager:
        try:
            app.control.revoke(job.task_id, terminate=True)
        except Exception:  # the state already says cancelled; the runner checks it
            logger.warning("Could not revoke job %s's task %s", job.pk, job.task_id)
    return bool(cancelled)


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
