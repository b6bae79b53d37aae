"""What the interviews app asks of the apps above it, without importing them.

The apps above fill these hooks in their ``AppConfig.ready()``: ``coding`` gives a new study its
codebook, and counts the codings that keep an interview or a dyad from being deleted. With no
app registered, a study starts without a codebook and nothing is coded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from interviews.models import Interview, Study

StudyCreated = Callable[..., None]
CodedCount = Callable[[QuerySet[Interview]], int]

_study_created: list[StudyCreated] = []
_coded_counts: list[CodedCount] = []


def study_created_register(hook: StudyCreated) -> None:
    """``hook(*, study, actor, codebook, copy_codebook_from)`` runs inside ``study_create``'s
    transaction, so a failure leaves no half-made study."""
    if hook not in _study_created:
        _study_created.append(hook)


def study_created_run(
    *, study: Study, actor: Any, codebook: str, copy_codebook_from: Study | None
) -> None:
    for hook in _study_created:
        hook(study=study, actor=actor, codebook=codebook, copy_codebook_from=copy_codebook_from)


def coded_count_register(hook: CodedCount) -> None:
    """``hook(interviews)`` counts the coded work in those interviews (one query)."""
    if hook not in _coded_counts:
        _coded_counts.append(hook)


def coded_count(*, interviews: QuerySet[Interview]) -> int:
    """How much coded work the interviews hold; a delete refuses while it is not zero."""
    return sum(hook(interviews) for hook in _coded_counts)
