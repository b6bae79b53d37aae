"""Coding's answers to the interviews app's hooks (registered in CodingConfig.ready())."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from coding.models import Coding
from coding.services import codebook_create
from interviews.hooks import coded_count_register, study_created_register
from interviews.models import Interview, Study


def study_codebook_create(
    *, study: Study, actor: Any, codebook: str, copy_codebook_from: Study | None
) -> None:
    """A new study gets its codebook: the shipped one, an empty one, or a copy of another's."""
    codebook_create(study=study, template=codebook, copy_from=copy_codebook_from, actor=actor)


def interviews_codings_count(interviews: QuerySet[Interview]) -> int:
    return Coding.objects.filter(interview__in=interviews).count()


def register() -> None:
    study_created_register(study_codebook_create)
    coded_count_register(interviews_codings_count)
