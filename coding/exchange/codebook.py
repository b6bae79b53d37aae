"""The codebook as CSV, XLSX, and Markdown for a paper's appendix.

CSV and XLSX have one row per code (hierarchy order: each code followed by its sub-codes) with
its key, name, group, parent, full path, depth, definition, inclusion and exclusion criteria,
example, colour, order, whether it is in use, and GUID; then the codebook's title, version and
the export time. The Markdown groups codes by model component group with nested headings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from django.utils import timezone

from coding.exchange.registry import register_codebook_export, write_chunks
from coding.exchange.tabular import (
    XLSX_CONTENT_TYPE,
    Sheet,
    about_sheet,
    csv_cell,
    csv_chunks,
    write_xlsx,
)
from coding.models import Code, Codebook, CodeGroup

CODEBOOK_COLUMNS = [
    "key",
    "name",
    "group",
    "parent",
    "path",
    "depth",
    "definition",
    "inclusion",
    "exclusion",
    "example",
    "color",
    "order",
    "is_active",
    "guid",
    "codebook",
    "codebook_version",
    "exported_at",
]


def _now() -> str:
    moment = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def codes_in_tree_order(codebook: Codebook) -> list[tuple[Code, int, list[str]]]:
    """Each code with its depth and path (keys from the root), parents before their children."""
    codes = list(codebook.codes.order_by("order", "id"))
    children: dict[int | None, list[Code]] = {}
    ids = {code.pk for code in codes}
    for code in codes:
        parent = code.parent_id if code.parent_id in ids else None
        children.setdefault(parent, []).append(code)
    ordered: list[tuple[Code, int, list[str]]] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int, path: list[str]) -> None:
        for code in children.get(parent, []):
            if code.pk in seen:
                continue
            seen.add(code.pk)
            ordered.append((code, depth, [*path, code.key]))
            walk(code.pk, depth + 1, [*path, code.key])

    walk(None, 0, [])
    return ordered


def codebook_rows(codebook: Codebook) -> tuple[list[str], Iterator[list[Any]]]:
    exported_at = _now()
    by_id = {code.pk: code for code in codebook.codes.all()}

    def rows() -> Iterator[list[Any]]:
        for code, depth, path in codes_in_tree_order(codebook):
            parent = by_id.get(code.parent_id) if code.parent_id else None
            yield [
                code.key,
                code.name,
                code.group,
                parent.key if parent else "",
                " > ".join(path),
                depth,
                code.definition,
                code.inclusion,
                code.exclusion,
                code.example,
                code.color,
                code.order,
                code.is_active,
                str(code.guid),
                codebook.title,
                codebook.version,
                exported_at,
            ]

    return list(CODEBOOK_COLUMNS), rows()


@register_codebook_export(
    "csv", extension="csv", content_type="text/csv; charset=utf-8", description="codebook (CSV)"
)
def export_codebook_csv(*, codebook: Codebook, out: BinaryIO) -> None:
    header, rows = codebook_rows(codebook)
    write_chunks(out, csv_chunks(header, ([csv_cell(v) for v in row] for row in rows)))


@register_codebook_export(
    "xlsx", extension="xlsx", content_type=XLSX_CONTENT_TYPE, description="codebook (Excel)"
)
def export_codebook_xlsx(*, codebook: Codebook, out: BinaryIO) -> None:
    header, rows = codebook_rows(codebook)
    write_xlsx(
        out,
        [
            Sheet("Codebook", header, rows, widths={0: 18, 1: 32, 4: 30, 6: 60, 7: 40, 8: 40}),
            about_sheet(
                [
                    ("study", codebook.study.slug),
                    ("codebook", codebook.title),
                    ("codebook version", codebook.version),
                    ("exported at (UTC)", _now()),
                ]
            ),
        ],
    )


# --- Markdown -----------------------------------------------------------------------------------

# Characters Markdown reads as inline markup; escaped so names and definitions stay text.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]|~])")
# What makes a paragraph a heading, list or rule when it starts a line.
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#+=-]|\d+[.)])", re.MULTILINE)


def md_text(value: str) -> str:
    """Text as literal Markdown: HTML is escaped and markup characters are backslashed."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MARKDOWN_INLINE.sub(r"\\\1", value)
    return _MARKDOWN_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), value)


def md_paragraphs(value: str) -> str:
    return "\n\n".join(md_text(part.strip()) for part in value.split("\n\n") if part.strip())


def codebook_markdown(codebook: Codebook) -> str:
    study = codebook.study
    lines = [
        f"# {md_text(codebook.title)}",
        "",
        f"Codebook version {codebook.version} of the study “{md_text(study.title)}”, "
        f"exported {_now()} (UTC).",
        "",
    ]
    if codebook.description.strip():
        lines += [md_paragraphs(codebook.description), ""]
    ordered = codes_in_tree_order(codebook)
    groups = [group for group in CodeGroup.values if any(c.group == group for c, _, _ in ordered)]
    roots_by_group: dict[str, list[int]] = {group: [] for group in groups}
    for index, (code, depth, _) in enumerate(ordered):
        if depth == 0:
            roots_by_group.setdefault(code.group, []).append(index)
    for group in groups:
        lines += [f"## {CodeGroup(group).label}", ""]
        for root in roots_by_group.get(group, []):
            end = root + 1
            while end < len(ordered) and ordered[end][1] > 0:
                end += 1
            for code, depth, _ in ordered[root:end]:
                level = "#" * min(6, 3 + depth)
                inactive = " (no longer used)" if not code.is_active else ""
                lines += [f"{level} {md_text(code.key)} — {md_text(code.name)}{inactive}", ""]
                for label, text in (
                    ("Definition", code.definition),
                    ("Include when", code.inclusion),
                    ("Exclude when", code.exclusion),
                ):
                    if text.strip():
                        lines += [f"**{label}.** {md_paragraphs(text)}", ""]
                if code.example.strip():
                    quoted = "\n>\n".join(
                        f"> {md_text(part.strip())}"
                        for part in code.example.split("\n\n")
                        if part.strip()
                    )
                    lines += ["**Example.**", "", quoted, ""]
    return "\n".join(lines).rstrip() + "\n"


@register_codebook_export(
    "md",
    extension="md",
    content_type="text/markdown; charset=utf-8",
    description="codebook as Markdown, for a paper's appendix",
)
def export_codebook_markdown(*, codebook: Codebook, out: BinaryIO) -> None:
    out.write(codebook_markdown(codebook).encode("utf-8"))
