"""The code-by-dyad matrix: for each dyad and perspective, how often each code was applied
(``count``) and whether it was (``present``), as CSV or XLSX.

- Rows: each dyad × each perspective the study has (patient, clinician, other) and ``dyad``
  (all of the dyad's interviews together). The ``interviews`` column says how many interviews
  of that perspective the dyad has, so "no interview" (0) is not read as "not coded".
- Columns: the dyad, its attributes and people, then one column per code key in codebook order.
- A parent code's figures include its sub-codes' codings (roll-up), as in the analyses: a code
  is present when the layer has at least one coding of it or of a descendant.
- In the CSV a ``measure`` column (``count`` or ``present``, 1/0) separates the two matrices;
  the XLSX has them on two sheets.

Counted in SQL (one aggregate query per export, grouped by dyad, perspective and code).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from django.db.models import Count

from coding.exchange.people import StudyFrame, codings_selected, study_frame
from coding.exchange.registry import (
    ExportOptions,
    register_streamed_study_export,
    register_study_export,
)
from coding.exchange.tabular import (
    STAMP_COLUMNS,
    XLSX_CONTENT_TYPE,
    ExportStamp,
    Sheet,
    about_sheet,
    csv_cell,
    csv_chunks,
    export_stamp,
    write_xlsx,
)
from interviews.models import Perspective, Study

WHOLE_DYAD = "dyad"
MEASURES = ("count", "present")


def matrix_counts(
    *, study: Study, options: ExportOptions, frame: StudyFrame
) -> dict[tuple[int, str, int], int]:
    """(dyad id, perspective or "dyad", code id) -> codings of the code or its descendants."""
    rows = (
        codings_selected(study=study, options=options)
        .values_list("interview__dyad_id", "interview__perspective", "code_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_key = {code.key: code.pk for code in frame.codes}
    lineage = {
        code.pk: [code.pk, *(by_key[key] for key in frame.code_path.get(code.pk, []))]
        for code in frame.codes
    }
    counts: dict[tuple[int, str, int], int] = {}
    for dyad_id, perspective, code_id, n in rows:
        for counted in lineage.get(code_id, [code_id]):
            for where in (perspective, WHOLE_DYAD):
                key = (dyad_id, where, counted)
                counts[key] = counts.get(key, 0) + n
    return counts


def perspectives_of(frame: StudyFrame) -> list[str]:
    present = {p for dyad in frame.dyads for p in dyad.interviews}
    return [p for p in Perspective.values if p in present] + [WHOLE_DYAD]


def matrix_rows(
    *, study: Study, options: ExportOptions, measures: tuple[str, ...], stamp: ExportStamp
) -> tuple[list[str], Iterator[list[Any]]]:
    frame = study_frame(study=study)
    counts = matrix_counts(study=study, options=options, frame=frame)
    code_ids = [code.pk for code in frame.codes]
    header = [
        "study",
        "dyad",
        *frame.columns.header(),
        "perspective",
        "interviews",
        "layer_used",
        *(["measure"] if len(measures) > 1 else []),
        *(code.key for code in frame.codes),
        *STAMP_COLUMNS,
    ]
    perspectives = perspectives_of(frame)

    def rows() -> Iterator[list[Any]]:
        for dyad in frame.dyads:
            for perspective in perspectives:
                interviews = (
                    sum(dyad.interviews.values())
                    if perspective == WHOLE_DYAD
                    else dyad.interviews.get(perspective, 0)
                )
                cells = [counts.get((dyad.id, perspective, code_id), 0) for code_id in code_ids]
                for measure in measures:
                    values = cells if measure == "count" else [int(n > 0) for n in cells]
                    yield [
                        study.slug,
                        dyad.label,
                        *dyad.cells,
                        perspective,
                        interviews,
                        dyad.layer_used(
                            options.layer, None if perspective == WHOLE_DYAD else perspective
                        ),
                        *([measure] if len(measures) > 1 else []),
                        *values,
                        *stamp.values,
                    ]

    return header, rows()


@register_streamed_study_export(
    "matrix-csv",
    extension="csv",
    content_type="text/csv; charset=utf-8",
    description="code-by-dyad matrix, counts and presence by perspective (CSV)",
)
def matrix_csv_stream(*, study: Study, options: ExportOptions) -> Iterator[bytes]:
    stamp = export_stamp(study=study, options=options)
    header, rows = matrix_rows(study=study, options=options, measures=MEASURES, stamp=stamp)
    return csv_chunks(header, ([csv_cell(value) for value in row] for row in rows), raw=options.raw)


@register_study_export(
    "matrix-xlsx",
    extension="xlsx",
    content_type=XLSX_CONTENT_TYPE,
    description="code-by-dyad matrix, counts and presence by perspective (Excel workbook)",
)
def export_matrix_xlsx(*, study: Study, out: BinaryIO, options: ExportOptions) -> None:
    stamp = export_stamp(study=study, options=options)
    count_header, count_rows = matrix_rows(
        study=study, options=options, measures=("count",), stamp=stamp
    )
    present_header, present_rows = matrix_rows(
        study=study, options=options, measures=("present",), stamp=stamp
    )
    frame = study_frame(study=study)
    write_xlsx(
        out,
        [
            Sheet("Counts", count_header, count_rows),
            Sheet("Presence", present_header, present_rows),
            Sheet(
                "Codes",
                ["key", "name", "group", "parent path"],
                (
                    [code.key, code.name, code.group, " > ".join(frame.code_path[code.pk])]
                    for code in frame.codes
                ),
            ),
            about_sheet(
                [
                    *stamp.about(study),
                    ("counts", "codings of the code or any of its sub-codes"),
                    ("presence", "1 when the count is at least 1"),
                    ("perspective 'dyad'", "all of the dyad's interviews together"),
                ]
            ),
        ],
        raw=options.raw,
    )
