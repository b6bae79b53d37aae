"""Memos as CSV (study export format ``memos``): one row per memo the exporting member may read
(``memos_visible_to``, so blind coding holds; a command-line export, which has no member, takes
every memo of the study), newest first, with its type, what it is about and its author.

Columns: ``id, type, about, dyad, interview, code, coding, coding_code, author, title, body,
created, updated`` — ``about`` is ``study``, ``dyad``, ``interview``, ``code`` or ``coding``;
``dyad`` is the label of the memo's dyad (or the dyad of its interview or coding), ``interview``
``<dyad label> <perspective>``, ``code`` the key of a code memo, ``coding`` the id of a coding
memo and ``coding_code`` that coding's code key. Text a spreadsheet would evaluate is
neutralised (``coding.exchange.tabular.spreadsheet_safe``) unless ``raw=true``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from coding.exchange.registry import ExportOptions, register_streamed_study_export
from coding.exchange.tabular import csv_chunks
from coding.models import Memo
from coding.selectors import memos_visible_to
from interviews.models import Study

MEMO_COLUMNS = [
    "id",
    "type",
    "about",
    "dyad",
    "interview",
    "code",
    "coding",
    "coding_code",
    "author",
    "title",
    "body",
    "created",
    "updated",
]

_VALUES = (
    "id",
    "type",
    "dyad_id",
    "dyad__label",
    "interview_id",
    "interview__dyad__label",
    "interview__perspective",
    "code_id",
    "code__key",
    "coding_id",
    "coding__code__key",
    "coding__interview__dyad__label",
    "coding__interview__perspective",
    "author__username",
    "title",
    "body",
    "created",
    "updated",
)


def _about(row: dict[str, Any]) -> str:
    for kind in ("dyad", "interview", "code", "coding"):
        if row[f"{kind}_id"]:
            return kind
    return "study"


def memo_rows(*, study: Study, user: Any) -> Iterator[list[Any]]:
    """The CSV rows (one query, read in chunks)."""
    memos = (memos_visible_to(user=user) if user is not None else Memo.objects.all()).filter(
        study=study
    )
    for row in memos.order_by("-updated", "-id").values(*_VALUES).iterator(chunk_size=1000):
        dyad = (
            row["dyad__label"]
            or row["interview__dyad__label"]
            or row["coding__interview__dyad__label"]
        )
        perspective = row["interview__perspective"] or row["coding__interview__perspective"]
        yield [
            row["id"],
            row["type"],
            _about(row),
            dyad,
            f"{dyad} {perspective}" if perspective else None,
            row["code__key"],
            row["coding_id"],
            row["coding__code__key"],
            row["author__username"],
            row["title"],
            row["body"],
            row["created"],
            row["updated"],
        ]


@register_streamed_study_export(
    "memos",
    extension="csv",
    content_type="text/csv; charset=utf-8",
    description="memos, one row per memo with its type, target and author (CSV, UTF-8)",
)
def memos_csv_stream(*, study: Study, options: ExportOptions) -> Iterator[bytes]:
    return csv_chunks(MEMO_COLUMNS, memo_rows(study=study, user=options.actor), raw=options.raw)
