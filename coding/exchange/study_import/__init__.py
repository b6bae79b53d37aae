"""Rebuild a study from a whole-study JSON document (``coding.exchange.study_json``): entry point.

The file is untrusted input: its shape is checked against a JSON Schema (``schema``), then every
reference, span and attribute value is checked (``references``), and only then is anything
written (``writing``) — all in one transaction, so a file that fails leaves nothing behind. Rows
are inserted in bulk and keep their creation and change times (a raw insert, as ``loaddata``
does).

People are matched by username (``people``). Someone the target server does not know is created
as an inactive account without a password (so they cannot sign in until an administrator
activates them and they set one); their work keeps their name.

The rooms: ``reading`` (the bytes: gzip, JSON, format and version), ``schema`` (the shape),
``references`` (the checks beyond the shape), ``people`` (usernames to accounts), ``writing``
(the rows), ``errors`` (``StudyImportError``). Callers use ``study_import``, ``parse_document``
and ``StudyImportError`` from here.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from coding.exchange.study_import.errors import StudyImportError
from coding.exchange.study_import.reading import load_document, parse_document
from coding.exchange.study_import.references import check_references
from coding.exchange.study_import.schema import check_shape
from coding.exchange.study_import.writing import Progress, write_study
from interviews.models import Study

__all__ = ["StudyImportError", "load_document", "parse_document", "study_import"]


def study_import(
    *,
    data: bytes | dict[str, Any],
    actor: Any = None,
    slug: str | None = None,
    progress: Progress | None = None,
) -> Study:
    """Create a study from a whole-study document; all or nothing.

    ``slug`` renames it (the file's slug may be taken here). The ``actor`` (who imports) is
    recorded in the audit trail and made a lead of the new study so they can open it.
    """
    report = progress or (lambda percent, message: None)
    report(1, "Reading the file")
    document = data if isinstance(data, dict) else load_document(data)
    if isinstance(data, dict):
        check_shape(document)
    check_references(document)
    slug = slug or document["study"]["slug"]
    if Study.objects.filter(slug=slug).exists():
        raise StudyImportError(
            f"A study with the slug {slug!r} already exists here; import it under another slug."
        )
    try:
        with transaction.atomic():
            study = write_study(document, slug=slug, actor=actor, report=report)
    except IntegrityError as exc:
        raise StudyImportError(
            f"The file breaks a rule of the database, so nothing was imported: {exc}"
        ) from None
    report(100, f"Imported {study.slug}")
    return study
