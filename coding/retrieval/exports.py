"""Retrieved segments as CSV, XLSX and a Word report (quotes with context, grouped by dyad and
code, the filters stated at the top). Every file says which layer and filters it used."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from coding.exchange.tabular import Sheet, about_sheet, csv_chunks, write_xlsx
from interviews.models import Study

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

COLUMNS = [
    "dyad",
    "perspective",
    "interview_id",
    "turn",
    "speaker",
    "role",
    "code",
    "code_name",
    "coder",
    "layer",
    "start",
    "end",
    "before",
    "quote",
    "after",
    "memo",
    "coding_id",
    "workspace",
]


def _row(segment: dict[str, Any], base_url: str) -> list[Any]:
    return [
        segment["dyad"],
        segment["perspective"],
        segment["interview"],
        segment["turn"],
        segment["speaker"],
        segment["role"],
        segment["code"],
        segment["code_name"],
        segment["coder"],
        segment["layer"],
        segment["start"],
        segment["end"],
        segment["before"],
        segment["quote"],
        segment["after"],
        segment["memo"],
        segment["id"],
        f"{base_url}/interviews/{segment['interview']}/#coding-{segment['id']}",
    ]


def describe_lines(
    *, study: Study, layer_label: str, filters: list[str], context: int
) -> list[tuple[str, str]]:
    return [
        ("study", study.title),
        ("layer", layer_label),
        ("filters", "; ".join(filters) or "none (every segment in the layer)"),
        ("context", f"{context} characters on each side, widened to whole words"),
        ("offsets", "Unicode code points, [start, end)"),
        ("exported_at", timezone.now().isoformat(timespec="seconds")),
    ]


def segments_csv(
    segments: Iterable[dict[str, Any]], about: list[tuple[str, str]], base_url: str
) -> Iterator[bytes]:
    """The About lines first (``# name: value``), then one row per segment."""
    head = "".join(f"# {name}: {value}\n" for name, value in about)
    yield head.encode("utf-8")
    yield from csv_chunks(COLUMNS, (_row(s, base_url) for s in segments))


def segments_xlsx(
    segments: Iterable[dict[str, Any]], about: list[tuple[str, str]], base_url: str
) -> bytes:
    out = io.BytesIO()
    widths: dict[int, float] = {0: 10, 5: 12, 6: 14, 12: 40, 13: 50, 14: 40, 15: 30}
    write_xlsx(
        out,
        [
            Sheet("Segments", COLUMNS, (_row(s, base_url) for s in segments), widths=widths),
            about_sheet(about),
        ],
    )
    return out.getvalue()


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _ILLEGAL_XML.sub("\ufffd", text or "")


def segments_docx(
    segments: Iterable[dict[str, Any]], about: list[tuple[str, str]], *, title: str
) -> bytes:
    """A report: the filters at the top, then per dyad a heading, per code a sub-heading, and
    each quote with its context (the quote in bold) and where it was said."""
    from docx import Document
    from docx.shared import RGBColor

    document = Document()
    document.add_heading(_clean(title), level=0)
    for name, value in about:
        line = document.add_paragraph()
        line.add_run(f"{name.capitalize()}: ").bold = True
        line.add_run(_clean(str(value)))
    grouped: dict[str, dict[tuple[str, str], list[dict[str, Any]]]] = {}
    count = 0
    for segment in segments:
        count += 1
        by_code = grouped.setdefault(segment["dyad"], {})
        by_code.setdefault((segment["code"], segment["code_name"]), []).append(segment)
    document.add_paragraph(f"{count} segment{'s' if count != 1 else ''}.")
    grey = RGBColor(0x59, 0x59, 0x59)
    for dyad in sorted(grouped):
        document.add_heading(f"Dyad {_clean(dyad)}", level=1)
        for (key, name), items in grouped[dyad].items():
            document.add_heading(f"{_clean(key)} {_clean(name)} ({len(items)})", level=2)
            for segment in items:
                quote = document.add_paragraph(style="Quote")
                if segment["before"]:
                    quote.add_run("… " + _clean(segment["before"])).font.color.rgb = grey
                quote.add_run(_clean(segment["quote"])).bold = True
                if segment["after"]:
                    quote.add_run(_clean(segment["after"]) + " …").font.color.rgb = grey
                where = (
                    f"{segment['perspective']} interview {segment['interview']}, turn "
                    f"{segment['turn']} ({_clean(segment['speaker']) or 'no speaker'}, "
                    f"{segment['role'] or 'no role'}), characters {segment['start']}–"
                    f"{segment['end']}; coded by {_clean(segment['coder'])} ({segment['layer']})"
                )
                meta = document.add_paragraph(where)
                meta.runs[0].font.color.rgb = grey
                if segment["memo"]:
                    document.add_paragraph("Memo: " + _clean(segment["memo"]))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
