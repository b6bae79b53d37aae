"""Shared pieces of the tabular exports (CSV, JSON Lines, XLSX): the export stamp, row-by-row
CSV and JSON Lines encoders, an XLSX writer, and the audit record every export leaves.

**Where the metadata is.** Every row of a tabular export ends with three columns that say what
was exported and when: ``export_layer`` (which codings: ``all``, ``consensus``, ``individual``,
optionally ``…:username``), ``export_codebook_version`` (the study's codebook version at export
time; each coding's own ``codebook_version`` is a column too) and ``exported_at`` (ISO 8601,
UTC). So ``pandas.read_csv(url)`` reads the file directly, with no comment lines to skip, and a
row copied elsewhere still says where it came from. XLSX files carry the same columns and an
"About" sheet; API responses repeat the stamp in ``X-Healing-*`` headers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.utils import timezone

from coding.exchange.registry import ExportOptions
from coding.models import Codebook
from healing.audit.services import audit_record
from interviews.models import Study

STAMP_COLUMNS = ["export_layer", "export_codebook_version", "exported_at"]
ROWS_PER_CHUNK = 1000


@dataclass(frozen=True)
class ExportStamp:
    """What an export contains and when it was made, stated in every file."""

    layer: str
    codebook_version: int
    exported_at: str

    @property
    def values(self) -> list[Any]:
        return [self.layer, self.codebook_version, self.exported_at]

    def headers(self) -> dict[str, str]:
        return {
            "X-Healing-Layer": self.layer,
            "X-Healing-Codebook-Version": str(self.codebook_version),
            "X-Healing-Exported-At": self.exported_at,
        }

    def about(self, study: Study) -> list[tuple[str, Any]]:
        return [
            ("study", study.slug),
            ("title", study.title),
            ("layer", self.layer),
            ("codebook version", self.codebook_version),
            ("exported at (UTC)", self.exported_at),
        ]


def layer_label(options: ExportOptions) -> str:
    return f"{options.layer}:{options.coder}" if options.coder else options.layer


def export_stamp(*, study: Study, options: ExportOptions) -> ExportStamp:
    if isinstance(options.stamp, ExportStamp):
        return options.stamp

    version = Codebook.objects.filter(study=study).values_list("version", flat=True).first()
    now = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    return ExportStamp(
        layer=layer_label(options),
        codebook_version=version or 0,
        exported_at=now.isoformat().replace("+00:00", "Z"),
    )


# --- Encoders -----------------------------------------------------------------------------------

# Text a spreadsheet would evaluate as a formula when it opens the file (OWASP, "CSV Injection"):
# a leading =, +, -, @, tab or carriage return. Exports prefix such text with an apostrophe, which
# spreadsheets show as text; scripts that want the raw values ask for them (``raw``).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` with an apostrophe before it when it is text a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_cells(values: Iterable[Any], *, raw: bool = False) -> list[Any]:
    return list(values) if raw else [spreadsheet_safe(value) for value in values]


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, raw: bool = False
) -> Iterator[bytes]:
    """UTF-8 CSV (RFC 4180, no BOM) in chunks of a few hundred rows: flat memory.

    None is written as an empty cell; other values as ``str()`` does; text a spreadsheet would
    evaluate is neutralised (:func:`spreadsheet_safe`) unless ``raw``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_cells(header, raw=raw))
    rows = iter(rows) if raw else (safe_cells(row) for row in rows)
    while True:
        before = buffer.tell()
        writer.writerows(itertools.islice(rows, ROWS_PER_CHUNK))
        if buffer.tell() == before:
            break
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def jsonl_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """JSON Lines: one object per row, keys in the column order, native JSON types."""
    encode = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode
    lines: list[str] = []
    for row in rows:
        lines.append(encode(dict(zip(header, row, strict=True))))
        if len(lines) == ROWS_PER_CHUNK:
            yield ("\n".join(lines) + "\n").encode("utf-8")
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode("utf-8")


# --- XLSX ---------------------------------------------------------------------------------------

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limit for one cell; longer text is cut and marked.
XLSX_CELL_LIMIT = 32_767
_CUT_MARK = " …[cut: Excel cells hold 32,767 characters]"
# Control characters XML 1.0 (and so XLSX) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: dict[int, float] | None = None


def write_xlsx(out: BinaryIO, sheets: Sequence[Sheet], *, raw: bool = False) -> None:
    """Write sheets with openpyxl's write-only mode (rows go to disk, not memory).

    Text is always a text cell, never a formula: a transcript line beginning with "=" stays
    text; unless ``raw``, text a spreadsheet would evaluate also gets the apostrophe CSV files
    get (so it stays text when the sheet is saved as CSV). Datetimes are written in UTC without
    a zone (Excel has none); the About sheet says so.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.title[:31])
        worksheet.freeze_panes = "A2"
        for index, width in (sheet.widths or {}).items():
            worksheet.column_dimensions[_column_letter(index)].width = width
        bold = Font(bold=True)
        header_cells = []
        for name in sheet.header:
            cell = WriteOnlyCell(worksheet, value=_xlsx_text(str(name)))
            cell.font = bold
            cell.data_type = "s"
            header_cells.append(cell)
        worksheet.append(header_cells)
        for row in sheet.rows:
            worksheet.append(
                [
                    _xlsx_value(worksheet, value if raw else spreadsheet_safe(value), WriteOnlyCell)
                    for value in row
                ]
            )
    workbook.save(out)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _xlsx_text(value: str) -> str:
    value = _ILLEGAL_XML.sub("\ufffd", value)
    if len(value) > XLSX_CELL_LIMIT:
        value = value[: XLSX_CELL_LIMIT - len(_CUT_MARK)] + _CUT_MARK
    return value


def _xlsx_value(worksheet: Any, value: Any, cell_class: Callable[..., Any]) -> Any:
    if isinstance(value, str):
        text = _xlsx_text(value)
        if text.startswith("="):
            # openpyxl would store this as a formula; keep it as the text it is.
            cell = cell_class(worksheet, value=text)
            cell.data_type = "s"
            return cell
        return text
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def about_sheet(rows: Sequence[tuple[str, Any]]) -> Sheet:
    return Sheet(
        "About",
        ["", ""],
        [*rows, ("times", "UTC (ISO 8601 in CSV and JSON Lines)")],
        widths={0: 24, 1: 60},
    )


# --- Audit --------------------------------------------------------------------------------------


def export_record(
    *, study: Study, actor: Any, target: str, fmt: str, options: ExportOptions, via: str
) -> None:
    """Record an export in the study's audit trail (who exported what, how, and when)."""
    audit_record(
        study_id=study.pk,
        actor=actor,
        action="export",
        object_type=target,
        object_id=study.slug,
        after={"format": fmt, "layer": options.layer, "coder": options.coder, "via": via},
        summary=f"{target.capitalize()} exported as {fmt} ({layer_label(options)}) via {via}",
    )
