"""The job kinds and their handlers, filled by the apps above in their ``AppConfig.ready()``.

The ground floor lists no kind of its own: ``interviews`` registers the transcript import,
``coding`` its exports, reports and REFI-QDA jobs. ``Job.kind`` takes its choices from here, so a
kind nobody registered fails validation, and the job pages show each kind's label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from healing.jobs.models import Job

Progress = Callable[[int, str], None]
Handler = Callable[["Job", Progress], dict[str, Any]]


@dataclass(frozen=True)
class JobKindEntry:
    kind: str
    label: str
    handler: Handler
    # Whether a job whose worker died is started once more. True for every kind so far: exports
    # and reports only read, and imports write in one transaction (all or nothing), so a second
    # run never finds half of the first. A kind with side effects outside the database says False.
    restart_after_worker_loss: bool = True


_KINDS: dict[str, JobKindEntry] = {}


def job_kind_register(
    *, kind: str, label: str, handler: Handler, restart_after_worker_loss: bool = True
) -> None:
    """Register a kind of job and the function that runs it (registering again replaces it)."""
    _KINDS[kind] = JobKindEntry(
        kind=str(kind),
        label=str(label),
        handler=handler,
        restart_after_worker_loss=restart_after_worker_loss,
    )


def job_handler(kind: Any) -> Callable[[Handler], Handler]:
    """Decorator form of :func:`job_kind_register` for a ``TextChoices`` member (value, label)."""

    def register(function: Handler) -> Handler:
        job_kind_register(kind=str(kind), label=str(getattr(kind, "label", kind)), handler=function)
        return function

    return register


def job_kind_handler(kind: str) -> Handler | None:
    entry = _KINDS.get(kind)
    return entry.handler if entry is not None else None


def job_kind_restarts(kind: str) -> bool:
    entry = _KINDS.get(kind)
    return entry is not None and entry.restart_after_worker_loss


def job_kind_choices() -> list[tuple[str, str]]:
    """(kind, label) of every registered kind, in registration order: ``Job.kind``'s choices."""
    return [(entry.kind, entry.label) for entry in _KINDS.values()]
