"""Coded segments: one row per coding, as CSV, JSON Lines and XLSX.

Each row has the study, the dyad with every dyad attribute, the clinician and the patient with
theirs (columns ``dyad.*``, ``clinician.*``, ``patient.*``), the interview and its perspective,
the speaker turn the coding starts in (index, speaker, role, timestamp), the code (key, name,
group, the keys of its ancestors), the coder and layer, the span ``[start, end)`` in code
points, the quote, the memo, the codebook version it was made with and when; then the export
stamp (see ``coding.exchange.tabular``).

Rows go interview by interview (in the order the interviews were imported) and, within one, in
text order. They stream with flat memory: the codings come from one query over a server-side
cursor (a ``values_list`` query read with ``fetchmany``, no model objects), and each coding's
turn is found by walking the interview's turns alongside it (both in the same order), not by a
query per row.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.db import connection, transaction
from django.db.models import CharField, F, Func, QuerySet

from coding.exchange.people import StudyFrame, codings_selected, progress_every, study_frame
from coding.exchange.registry import (
    ExportOptions,
    register_streamed_study_export,
    register_study_export,
)
from coding.exchange.tabular import (
    ROWS_PER_CHUNK,
    STAMP_COLUMNS,
    XLSX_CONTENT_TYPE,
    ExportStamp,
    Sheet,
    about_sheet,
    export_stamp,
    jsonl_chunks,
    safe_cells,
    spreadsheet_safe,
    write_xlsx,
)
from coding.models import Coding
from interviews.models import Study, Turn

CHUNK_SIZE = 5000

SEGMENT_COLUMNS_BEFORE = ["study", "dyad"]
SEGMENT_COLUMNS_AFTER = [
    "interview_id",
    "perspective",
    "turn_index",
    "speaker",
    "speaker_role",
    "timestamp",
    "code_key",
    "code_name",
    "code_group",
    "code_parent_path",
    "coder",
    "layer",
    "start",
    "end",
    "quote",
    "memo",
    "codebook_version",
    "created",
    "coding_id",
]
PATH_SEPARATOR = " > "


def format_timestamp(ms: int | None) -> str | None:
    """``H:MM:SS`` (``.mmm`` when there are milliseconds), or None."""
    if ms is None:
        return None
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours:d}:{minutes:02d}:{seconds:02d}"
    return f"{text}.{millis:03d}" if millis else text


class IsoUtc(Func):
    """A timestamp as ISO 8601 text in UTC, made by the database (``2024-05-01T09:30:00.000123Z``):
    building a datetime object per row and formatting it again costs more than the rest."""

    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', "
            '\'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\')',
            **extra,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django keeps SQLite datetimes as UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]".
        return self.as_sql(
            compiler, connection, template="replace(%(expressions)s, ' ', 'T') || 'Z'", **extra
        )


NO_TURN: tuple[Any, ...] = (None, None, None, None)
CODING_COLUMNS = (
    "interview_id",
    "code_id",
    "coder_id",
    "layer",
    "start",
    "end",
    "quote",
    "memo",
    "codebook_version",
    "created_out",
    "id",
)


def stream_rows(queryset: QuerySet[Any, tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """A ``values_list`` query's rows as the driver returns them, from a server-side cursor in
    chunks (no per-row conversion: for columns that need none, such as numbers and text)."""
    sql, params = queryset.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_SIZE):
            yield from rows
            if len(rows) < CHUNK_SIZE:
                break


class TurnWalk:
    """The turn each coding starts in — the first turn of its interview that ends after the
    coding's start — found by walking the study's turns alongside the codings (both ordered by
    interview, then by position in the text), with no query per row."""

    def __init__(self, study: Study) -> None:
        # Turns in index order are in text order (they follow each other without overlap).
        self._turns = stream_rows(
            Turn.objects.filter(interview__dyad__study=study)
            .order_by("interview_id", "index")
            .values_list("interview_id", "index", "speaker", "role", "end", "timestamp_ms")
        )
        self._turn = next(self._turns, None)
        self._for: tuple[Any, Any] = (None, None)
        self._found: tuple[Any, tuple[Any, ...]] = ((None, None), NO_TURN)
        # The answer stands for this interview's codings that start before this offset.
        self.valid: tuple[Any, float] = (None, 0)

    def at(self, interview_id: int, start: int) -> tuple[Any, tuple[Any, ...]]:
        """(a key that changes with the turn, its cells: index, speaker, role, timestamp)."""
        turn = self._turn
        while turn is not None and (
            turn[0] < interview_id or (turn[0] == interview_id and turn[4] <= start)
        ):
            turn = next(self._turns, None)
        self._turn = turn
        if self._for[0] is not turn or self._for[1] != interview_id:
            self._for = (turn, interview_id)
            if turn is not None and turn[0] == interview_id:
                cells = (turn[1], turn[2], turn[3], format_timestamp(turn[5]))
                self._found = ((interview_id, turn[1]), cells)
            else:
                self._found = ((interview_id, None), NO_TURN)
        found_here = turn is not None and turn[0] == interview_id
        self.valid = (interview_id, turn[4] if found_here and turn is not None else math.inf)
        return self._found


@dataclass
class SegmentTable:
    """The coded-segments table of a study: its header, stamp and rows, read lazily."""

    study: Study
    header: list[str]
    stamp: ExportStamp
    codings: QuerySet[Coding]
    frame: StudyFrame
    options: ExportOptions

    def __post_init__(self) -> None:
        self._codes = {
            code.pk: (
                code.key,
                code.name,
                code.group,
                PATH_SEPARATOR.join(self.frame.code_path.get(code.pk, [])),
            )
            for code in self.frame.codes
        }
        self._usernames = dict(self.frame.usernames)

    def prefix(self, interview_id: int) -> tuple[Any, ...]:
        """The cells of an interview's dyad, people and perspective."""
        dyad = self.frame.dyad_of_interview[interview_id]
        return (
            self.study.slug,
            dyad.label,
            *dyad.cells,
            interview_id,
            self.frame.perspective_of_interview[interview_id],
        )

    def code(self, code_id: int) -> tuple[Any, ...]:
        return self._codes[code_id]

    def coder(self, user_id: int) -> str:
        return self._usernames.get(user_id) or self.frame.username(user_id)

    def _query(self, *, created_as_text: bool) -> QuerySet[Coding, tuple[Any, ...]]:
        # Interview by interview (in the order they were imported), each in text order: the
        # database streams this from the interview index with a small sort per interview,
        # where an order by dyad label would sort every row at once.
        return (
            self.codings.order_by("interview_id", "start", "end", "id")
            .annotate(created_out=IsoUtc("created") if created_as_text else F("created"))
            .values_list(*CODING_COLUMNS)
        )

    def _progress(self) -> tuple[int, Any]:
        total = self.codings.count() if self.options.progress else 0
        return progress_every(self.options, total, "Exporting codings")

    def raw_rows(self) -> Iterator[tuple[Any, ...]]:
        """The codings' own columns straight from a server-side cursor (``created`` as ISO
        text): no model objects and no per-row conversion, for the CSV writer."""
        every, report = self._progress()
        done = 0
        for row in stream_rows(self._query(created_as_text=True)):
            yield row
            if report is not None:
                done += 1
                if done % every == 0:
                    report(done)

    def rows(self, *, created_as_text: bool = True) -> Iterator[tuple[Any, ...]]:
        """Whole rows in header order (``created`` as ISO text, or as a datetime)."""
        every, report = self._progress()
        with transaction.atomic():  # see segments_csv_chunks
            turns = TurnWalk(self.study)
            stamp = tuple(self.stamp.values)
            interview = None
            prefix: tuple[Any, ...] = ()
            done = 0
            query = self._query(created_as_text=created_as_text)
            for row in query.iterator(chunk_size=CHUNK_SIZE):
                if row[0] != interview:
                    interview = row[0]
                    prefix = self.prefix(interview)
                _, turn = turns.at(row[0], row[4])
                yield prefix + turn + self.code(row[1]) + (self.coder(row[2]),) + row[3:] + stamp
                if report is not None:
                    done += 1
                    if done % every == 0:
                        report(done)


def segment_table(
    *, study: Study, options: ExportOptions, stamp: ExportStamp | None = None
) -> SegmentTable:
    """The study's coded-segments table. Checks the options at once (a ValidationError before
    any row is read); the rows are read when iterated."""
    codings = codings_selected(study=study, options=options)
    frame = study_frame(study=study)
    stamp = stamp or export_stamp(study=study, options=options)
    header = [
        *SEGMENT_COLUMNS_BEFORE,
        *frame.columns.header(),
        *SEGMENT_COLUMNS_AFTER,
        *STAMP_COLUMNS,
    ]
    return SegmentTable(
        study=study, header=header, stamp=stamp, codings=codings, frame=frame, options=options
    )


def _csv_cells(writer: Any, scratch: io.StringIO, values: Sequence[Any]) -> str:
    """Cells as CSV text without the line end (quoted exactly as in a whole row)."""
    scratch.seek(0)
    scratch.truncate()
    writer.writerow(values)
    return scratch.getvalue()[:-2]


def csv_text(value: str) -> str:
    """A text cell exactly as the csv module writes it (QUOTE_MINIMAL, quotes doubled), at the
    speed of a few substring searches."""
    if '"' in value:
        return '"' + value.replace('"', '""') + '"'
    if "," in value or "\n" in value or "\r" in value:
        return '"' + value + '"'
    return value


def segments_csv_chunks(table: SegmentTable) -> Iterator[bytes]:
    """The rows as CSV (see ``_segments_csv``), read in one transaction: the server-side
    cursors then stream, where in autocommit PostgreSQL would first copy each whole result aside
    to hold it past the commit."""
    with transaction.atomic():
        yield from _segments_csv(table)


def _segments_csv(table: SegmentTable) -> Iterator[bytes]:
    """The rows as CSV, byte for byte what ``csv.writer`` writes for whole rows (a test holds
    it to that). The cells that repeat — the interview's dyad, attributes and people, the turn,
    the code, the export stamp — are rendered once by ``csv.writer`` and reused; a row's own
    cells are numbers, fixed words, and three texts quoted by ``csv_text``."""
    scratch = io.StringIO()
    render = csv.writer(scratch, lineterminator="\r\n")
    raw = table.options.raw
    # Text a spreadsheet would evaluate is neutralised (see tabular.spreadsheet_safe).
    safe: Callable[[Any], Any] = (lambda value: value) if raw else spreadsheet_safe

    def cells(values: Sequence[Any]) -> str:
        return _csv_cells(render, scratch, safe_cells(values, raw=raw))

    lines: list[str] = [cells(table.header) + "\r\n"]
    stamp = "," + cells(table.stamp.values) + "\r\n"
    turns = TurnWalk(table.study)
    code_text: dict[int, str] = {}
    coder_text: dict[int, str] = {}
    interview = turn_key = valid_interview = None
    valid_until: float = 0
    turn: Any = None
    turn_cells: tuple[Any, ...] = NO_TURN
    head = interview_text = ""
    for (interview_id, code_id, coder_id, layer, start, end, quote, memo, version, created,
         coding_id) in table.raw_rows():  # fmt: skip
        if interview_id != interview:
            interview = interview_id
            interview_text = cells(table.prefix(interview_id)) + ","
            turn_key = None
        if interview_id != valid_interview or start >= valid_until:
            turn, turn_cells = turns.at(interview_id, start)
            valid_interview, valid_until = turns.valid
        if turn != turn_key:
            turn_key = turn
            head = interview_text + cells(turn_cells) + ","
        code = code_text.get(code_id)
        if code is None:
            code = code_text[code_id] = cells(table.code(code_id)) + ","
        coder = coder_text.get(coder_id)
        if coder is None:
            coder = coder_text[coder_id] = csv_text(safe(table.coder(coder_id)))
        lines.append(
            f"{head}{code}{coder},{layer},{start},{end},{csv_text(safe(quote))},"
            f"{csv_text(safe(memo)) if memo else ''},{version},{created},{coding_id}{stamp}"
        )
        if len(lines) >= ROWS_PER_CHUNK:
            yield "".join(lines).encode("utf-8")
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8")


@register_streamed_study_export(
    "csv",
    extension="csv",
    content_type="text/csv; charset=utf-8",
    description="coded segments, one row per coding (CSV, UTF-8)",
)
def segments_csv_stream(*, study: Study, options: ExportOptions) -> Iterator[bytes]:
    return segments_csv_chunks(segment_table(study=study, options=options))


@register_streamed_study_export(
    "jsonl",
    extension="jsonl",
    content_type="application/x-ndjson; charset=utf-8",
    description="coded segments, one JSON object per line per coding",
)
def segments_jsonl_stream(*, study: Study, options: ExportOptions) -> Iterator[bytes]:
    table = segment_table(study=study, options=options)
    return jsonl_chunks(table.header, table.rows())


@register_study_export(
    "xlsx",
    extension="xlsx",
    content_type=XLSX_CONTENT_TYPE,
    description="coded segments, one row per coding (Excel workbook)",
)
def export_segments_xlsx(*, study: Study, out: BinaryIO, options: ExportOptions) -> None:
    stamp = export_stamp(study=study, options=options)
    table = segment_table(study=study, options=options, stamp=stamp)
    write_xlsx(
        out,
        [
            Sheet("Coded segments", table.header, table.rows(created_as_text=False)),
            about_sheet(
                [
                    *stamp.about(study),
                    ("rows", "one per coding; span [start, end) in Unicode code points"),
                ]
            ),
        ],
        raw=options.raw,
    )
