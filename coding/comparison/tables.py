"""Each comparison view as one table, and that table as CSV or XLSX.

The page's downloads (``?format=csv|xlsx`` on the comparison URL) and nothing else use these; the
figures come from ``coding.comparison.selectors.*`` with the page's own filters, so a download
always holds what the page shows. XLSX has the table and an About sheet stating the layer,
the dyad subset and the view's settings; CSV is the bare table (UTF-8, header row first).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from coding.comparison.selectors.cooccurrence import PairFigures
from coding.comparison.selectors.crosstab import Crosstab
from coding.comparison.selectors.framework import FrameworkMatrix
from coding.comparison.selectors.matrix import Matrix
from coding.comparison.selectors.prevalence import Prevalence
from coding.comparison.selectors.relations import Relations
from coding.comparison.selectors.scope import Scope
from coding.comparison.selectors.subgroups import Subgroups
from coding.comparison.selectors.words import WordFrequencies
from coding.exchange.tabular import Sheet, about_sheet, safe_cells, write_xlsx
from coding.selectors import LayerUsage

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Table:
    name: str  # the file name's stem, e.g. "prevalence"
    title: str
    header: list[str]
    rows: list[list[Any]]
    settings: list[tuple[str, str]]  # the view's own settings (measure, side, window, …)


def _percent(share: float) -> float:
    return round(share * 100, 1)


def matrix_table(matrix: Matrix, *, measure: str, side: str) -> Table:
    rows = [
        [row.dyad.label, row.dyad.clinician, row.dyad.patient]
        + [
            round(value, 6) if measure == "coverage" else int(value)
            for value in (cell.value(measure=measure, side=side) for cell in row.cells)
        ]
        + [row.layer_used]
        for row in matrix.rows
    ]
    return Table(
        name=f"matrix-{measure}-{side}",
        title="Dyad × code matrix",
        header=["Dyad", "Clinician", "Patient", *(n.key for n in matrix.codes), "Layer used"],
        rows=rows,
        settings=[("Measure", measure), ("Side", side), ("Codes", "parents rolled up")],
    )


def prevalence_table(rows: list[Prevalence], *, threshold: int, basis: str) -> Table:
    return Table(
        name="prevalence",
        title="Prevalence per code",
        header=[
            "Code",
            "Name",
            "Group",
            "Depth",
            "Dyads (N)",
            "Either side (n)",
            "Either side (%)",
            "Patient (n)",
            "Patient (%)",
            "Clinician (n)",
            "Clinician (%)",
            "Both sides (n)",
            "Both sides (%)",
            f"Common (≥ {threshold}% on {basis})",
        ],
        rows=[
            [
                p.code.key,
                p.code.name,
                p.code.group,
                p.code.depth,
                p.dyads,
                p.either,
                _percent(p.share("either")),
                p.patient,
                _percent(p.share("patient")),
                p.clinician,
                _percent(p.share("clinician")),
                p.both,
                _percent(p.share("both")),
                "yes" if p.dyads and p.share(basis) * 100 >= threshold - 1e-9 else "no",
            ]
            for p in rows
        ],
        settings=[("Common components", f"at least {threshold}% of dyads, {basis}")],
    )


def turn_words(window: int, turns: str) -> str:
    who = "participant turns (interviewer turns skipped)" if turns == "participant" else "turns"
    return f"{window} {who}"


def process_outcome_table(
    rows: list[PairFigures], *, window: int, sub_codes: bool, turns: str = "participant"
) -> Table:
    return Table(
        name="process-outcome",
        title="Process → outcome",
        header=[
            "Process",
            "Process name",
            "Outcome",
            "Outcome name",
            "Dyads with both",
            "Dyads where passages overlap",
            f"Dyads with passages within {turn_words(window, turns)}",
            "Overlapping passage pairs",
            f"Passage pairs within {turn_words(window, turns)}",
        ],
        rows=[
            [
                r.first.key,
                r.first.name,
                r.second.key,
                r.second.name,
                r.dyads_both,
                r.dyads_overlap,
                r.dyads_near,
                r.overlaps,
                r.near,
            ]
            for r in rows
        ],
        settings=[
            ("Window", f"same or next {turn_words(window, turns)}"),
            ("Processes", "every process code" if sub_codes else "top-level, rolled up"),
        ],
    )


def subgroups_table(result: Subgroups, *, basis: str, side: str) -> Table:
    header = ["Code", "Name"]
    for group in result.grouping.groups:
        header += [
            f"{group.label}: {basis} (n)",
            f"{group.label}: {basis} (%)",
            f"{group.label}: mean count",
            f"{group.label}: mean coverage",
        ]
    rows = []
    for index, node in enumerate(result.codes):
        row: list[Any] = [node.key, node.name]
        for figures in result.figures:
            f = figures[index]
            row += [
                f.n[basis],
                _percent(f.share(basis)),
                round(f.mean_count, 3),
                round(f.mean_coverage, 6),
            ]
        rows.append(row)
    sizes = ", ".join(f"{g.label}: {len(g.dyad_ids)}" for g in result.grouping.groups)
    return Table(
        name="subgroups",
        title=f"Subgroups by {result.grouping.label}",
        header=header,
        rows=rows,
        settings=[
            ("Grouped by", f"{result.grouping.label} ({result.grouping.how})"),
            ("Group sizes (dyads)", sizes),
            ("Prevalence on", basis),
            ("Mean count and coverage on", side),
        ],
    )


def framework_table(framework: FrameworkMatrix) -> Table:
    return Table(
        name="framework",
        title="Framework matrix",
        header=["Dyad", *(n.key for n in framework.components)],
        rows=[
            [dyad.label, *(cell.synthesis for cell in cells)]
            for dyad, cells in zip(framework.dyads, framework.cells, strict=True)
        ],
        settings=[("Cells", "the case study's synthesis for each component")],
    )


def relations_table(relations: Relations) -> Table:
    """One row per pair of codes (each pair once)."""
    return Table(
        name=f"code-relations-{relations.cooccur}",
        title="Code relations",
        header=[
            "Code",
            "Code name",
            "Other code",
            "Other code name",
            "Passages of code (n1)",
            "Passages of other code (n2)",
            "Co-occurrences (n12)",
            "Dyads where they co-occur",
            "c-coefficient",
            "c out of range (n12 > min(n1, n2))",
        ],
        rows=[
            [
                a.code.key,
                a.code.name,
                b.code.key,
                b.code.name,
                a.passages,
                b.passages,
                cell.n12,
                cell.dyads,
                "" if cell.c is None else round(cell.c, 4),
                "yes" if cell.out_of_range else "no",
            ]
            for a, b, cell in relations.pairs()
        ],
        settings=[
            ("Co-occurrence", relations.described),
            ("Codes", "every code" if relations.sub_codes else "top-level, sub-codes rolled up"),
            ("c-coefficient", "n12 / (n1 + n2 - n12), as in ATLAS.ti"),
        ],
    )


def crosstab_table(crosstab: Crosstab) -> Table:
    header = ["Code", "Name"]
    for column in crosstab.columns:
        header += [
            f"{column.label}: dyads with code",
            f"{column.label}: dyads",
            f"{column.label}: coverage (%)",
        ]
    rows = []
    for node, cells in zip(crosstab.codes, crosstab.cells, strict=True):
        row: list[Any] = [node.key, node.name]
        for cell in cells:
            row += [cell.dyads_with, cell.dyads, round(cell.coverage * 100, 3)]
        rows.append(row)
    return Table(
        name=f"crosstab-{crosstab.attribute}",
        title=f"Codes by {crosstab.label}",
        header=header,
        rows=rows,
        settings=[
            ("Attribute", f"{crosstab.label} ({crosstab.how})"),
            ("Present on", crosstab.basis),
            ("Coverage", "code points coded over the code points of the dyads' interviews"),
        ],
    )


def words_table(frequencies: WordFrequencies) -> Table:
    header = ["Word", "Total", "Per 1,000 words"]
    for group in frequencies.groups:
        header += [f"{group}", f"{group}: per 1,000 words"]
    rows = []
    for row in frequencies.rows:
        line: list[Any] = [row.word, row.total, round(frequencies.rate(row.total), 3)]
        for index, count in enumerate(row.counts):
            line += [count, round(frequencies.rate(count, index), 3)]
        rows.append(line)
    what = {
        "code": f"the passages of {frequencies.code.key if frequencies.code else ''}, by side",
        "perspective": "every word said, by the interview's perspective",
        "role": "every word said, by the speaker's role",
    }[frequencies.source]
    return Table(
        name=f"words-{frequencies.source}",
        title="Word frequencies",
        header=header,
        rows=rows,
        settings=[
            ("Words of", what),
            ("Words counted", ", ".join(f"{g}: {t}" for g, t in
                                        zip(frequencies.groups, frequencies.totals, strict=True))),
            ("Stop words", "English function words and the study's own: "
             + (", ".join(frequencies.extra_stop_words) or "(none)")),
        ],
    )  # fmt: skip


def table_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_cells(table.header))
    writer.writerows(safe_cells(row) for row in table.rows)
    return out.getvalue().encode("utf-8")


def table_xlsx(table: Table, scope: Scope, usage: LayerUsage | None = None) -> bytes:
    about = about_sheet(
        [
            ("Study", scope.study.title),
            ("Table", table.title),
            ("Layer", scope.layer_label),
            *([("Layer used", usage.description or usage.warning)] if usage else []),
            ("Dyads", scope.subset.describe()),
            *table.settings,
        ]
    )
    out = io.BytesIO()
    # Excel refuses : \ / ? * [ ] in a sheet's name (an attribute's label has a colon).
    title = re.sub(r"[:\\/?*\[\]]", "-", table.title.replace("→", "to"))[:31]
    write_xlsx(out, [Sheet(title, table.header, table.rows), about])
    return out.getvalue()


def table_download(
    table: Table, scope: Scope, fmt: str, usage: LayerUsage | None = None
) -> tuple[bytes, str, str]:
    """(bytes, content type, file name) of the table in ``fmt`` (csv or xlsx)."""
    data = table_csv(table) if fmt == "csv" else table_xlsx(table, scope, usage)
    return data, CONTENT_TYPES[fmt], f"{scope.study.slug}-{table.name}.{fmt}"
