"""Rebuild a study from a whole-study JSON document (``coding.exchange.study_json``): entry point.

The file is untrusted input: its shape is checked against a JSON Schema (``schema``), then every
reference, span and attribute value is checked (``references``), and only then is anything
written (``writing``) — all in one transaction, so a file that fails leaves nothing behind. Rows
are inserted in bulk and keep their creation and change times (a raw insert, as ``loaddata``
does).

Provenance (issue 14): a file is a claim. No account is matched, created or enrolled from it:
every person it names becomes a placeholder (``people``), every row is created now, and the
file's authors, members and times are kept as imported metadata in the import's one audit
event. Only staff may import a whole study unless ``HEALING_STUDY_IMPORT=any``
(``study_import_allowed``); the importer becomes the new study's only member, its lead.

The rooms: ``reading`` (the bytes: gzip, JSON, format and version), ``schema`` (the shape),
``references`` (the checks beyond the shape), ``people`` (usernames to accounts), ``writing``
(the rows), ``errors`` (``StudyImportError``). Callers use ``study_import``, ``parse_document``
and ``StudyImportError`` from here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from coding.exchange.study_import.errors import StudyImportError
from coding.exchange.study_import.reading import load_document, parse_document
from coding.exchange.study_import.references import check_references
from coding.exchange.study_import.schema import check_shape
from coding.exchange.study_import.writing import Progress, write_study
from interviews.models import RESERVED_STUDY_SLUGS, Study

__all__ = [
    "StudyImportError",
    "load_document",
    "parse_document",
    "study_import",
    "study_import_allowed",
    "study_import_check",
]

REFUSED = "Only staff may import a whole study on this server (HEALING_STUDY_IMPORT=staff)."


def study_import_allowed(user: Any) -> bool:
    """May ``user`` create a study from a whole-study file (JSON or REFI-QDA)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return settings.HEALING_STUDY_IMPORT == "any" or bool(user.is_staff)


def study_import_check(user: Any) -> None:
    """Refuse (PermissionDenied) a whole-study import by someone the setting does not allow."""
    if not study_import_allowed(user):
        raise PermissionDenied(REFUSED)


def study_import(
    *,
    data: bytes | dict[str, Any],
    actor: Any = None,
    slug: str | None = None,
    progress: Progress | None = None,
) -> Study:
    """Create a study from a whole-study document; all or nothing.

    ``slug`` renames it (the file's slug may be taken here). The ``actor`` (who imports) is
    recorded in the audit trail and made the new study's lead so they can open it; they must be
    allowed to import (``study_import_check``). ``actor=None`` is code of the server itself.
    """
    if actor is not None:
        study_import_check(actor)
    report = progress or (lambda percent, message: None)
    report(1, "Reading the file")
    document = data if isinstance(data, dict) else load_document(data)
    if isinstance(data, dict):
        check_shape(document)
    check_references(document)
    slug = slug or document["study"]["slug"]
    if slug in RESERVED_STUDY_SLUGS:
        raise StudyImportError(
            f"{slug!r} is reserved for the site's own pages; import it under another slug."
        )
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
