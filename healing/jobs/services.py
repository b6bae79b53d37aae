"""Background jobs: create one (inputs kept in the database), run it in a worker, report progress.

A job handler is a function ``handler(job, progress) -> dict`` registered per kind (see
``healing.jobs.registry``, filled in the apps' ``ready()``); the Celery task
``healing.jobs.tasks.run_job`` loads the job and calls it through :func:`job_execute`.
Handlers raise ``JobError`` for a failure the user should read; anything else is logged and
reported as an internal error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from healing.jobs.models import Job, JobFile
from healing.jobs.registry import Handler, Progress, job_handler, job_kind_handler
from healing.jobs.runner import TRANSIENT_ERRORS, JobError, job_execute, job_fail
from healing.jobs.tasks import run_job

__all__ = [
    "TRANSIENT_ERRORS",
    "Handler",
    "JobError",
    "JobInput",
    "Progress",
    "job_add_output",
    "job_create",
    "job_execute",
    "job_fail",
    "job_handler",
    "job_inputs",
]


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

    ``study`` is an ``interviews.Study`` or None; ``kind`` must be registered.
    """
    if job_kind_handler(kind) is None:
        raise ValueError(f"No app registered jobs of kind {kind!r}.")
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
