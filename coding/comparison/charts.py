"""Charts as SVG made on the server: the prevalence bars, the process → outcome bars, the
matrix heatmap, the saturation curve, the code relations and code × attribute grids and the
word frequency bars. Each has a <title> and <desc> (its text alternative,
with the data table the page shows beside it) and carries its own styles, so a downloaded file
looks like the page.

Every text that comes from the study (code keys and names, dyad labels) is escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from coding.comparison.selectors.cooccurrence import PairFigures
from coding.comparison.selectors.crosstab import Crosstab
from coding.comparison.selectors.matrix import Matrix
from coding.comparison.selectors.prevalence import Prevalence
from coding.comparison.selectors.relations import Relations
from coding.comparison.selectors.saturation import Saturation
from coding.comparison.selectors.words import WordFrequencies

FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"
SERIES_COLOURS = {
    "patient": "#2b6cb0",
    "clinician": "#b7791f",
    "both": "#2f855a",
    "either": "#4a5568",
    "overlap": "#2f855a",
    "near": "#2b6cb0",
    "dyads_both": "#a0aec0",
    "interviewer": "#805ad5",
    "other": "#718096",
}


@dataclass(frozen=True)
class Series:
    key: str
    label: str


@dataclass(frozen=True)
class BarRow:
    label: str
    indent: int
    values: dict[str, float]  # series key → value
    notes: dict[str, str]  # series key → text shown at the bar's end


def _svg_open(width: int, height: int, chart_id: str, title: str, desc: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" style="{FONT}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
    )


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[BarRow],
    series: Sequence[Series],
    maximum: float,
    axis_label: str,
    marker: float | None = None,
    marker_label: str = "",
) -> str:
    """Horizontal grouped bars: one group per row, one bar per series."""
    label_width, plot_width, bar, gap = 230, 420, 9, 10
    group = bar * len(series) + gap
    top = 62 if marker is not None else 48
    height = top + group * len(rows) + 36
    width = label_width + plot_width + 90
    maximum = maximum or 1
    parts = [_svg_open(width, height, chart_id, title, desc)]
    parts.append(
        f'<text x="8" y="18" font-size="14" font-weight="600" fill="#1a202c">{escape(title)}</text>'
    )
    x = label_width
    for s in series:  # legend
        parts.append(
            f'<rect x="{x}" y="26" width="10" height="10" fill="{SERIES_COLOURS[s.key]}"/>'
            f'<text x="{x + 14}" y="35" font-size="11" fill="#2d3748">{escape(s.label)}</text>'
        )
        x += 14 + 7 * len(s.label) + 16
    for tick in range(5):  # grid
        gx = label_width + plot_width * tick / 4
        parts.append(
            f'<line x1="{gx:.1f}" y1="{top - 4}" x2="{gx:.1f}" y2="{height - 30}" '
            f'stroke="#e2e8f0"/><text x="{gx:.1f}" y="{height - 16}" font-size="10" '
            f'text-anchor="middle" fill="#4a5568">{_tick(maximum * tick / 4)}</text>'
        )
    parts.append(
        f'<text x="{label_width + plot_width / 2:.0f}" y="{height - 3}" font-size="10" '
        f'text-anchor="middle" fill="#4a5568">{escape(axis_label)}</text>'
    )
    for index, row in enumerate(rows):
        y = top + index * group
        parts.append(
            f'<text x="{8 + 12 * row.indent}" y="{y + group / 2 + 2:.1f}" font-size="11" '
            f'fill="#1a202c">{escape(_clip(row.label, 34 - 2 * row.indent))}</text>'
        )
        for n, s in enumerate(series):
            value = row.values.get(s.key, 0)
            w = plot_width * value / maximum
            by = y + n * bar
            parts.append(
                f'<rect x="{label_width}" y="{by}" width="{w:.1f}" height="{bar - 1}" '
                f'fill="{SERIES_COLOURS[s.key]}"><title>{escape(row.label)} · '
                f"{escape(s.label)}: {escape(row.notes.get(s.key, _tick(value)))}</title></rect>"
            )
            if row.notes.get(s.key):
                parts.append(
                    f'<text x="{label_width + w + 4:.1f}" y="{by + bar - 2}" font-size="8" '
                    f'fill="#4a5568">{escape(row.notes[s.key])}</text>'
                )
    if marker is not None:
        mx = label_width + plot_width * marker / maximum
        parts.append(
            f'<line x1="{mx:.1f}" y1="{top - 6}" x2="{mx:.1f}" y2="{height - 30}" '
            f'stroke="#c53030" stroke-dasharray="4 3"/><text x="{mx + 3:.1f}" y="{top - 7}" '
            f'font-size="10" fill="#c53030">{escape(marker_label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _tick(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def prevalence_chart(rows: Sequence[Prevalence], *, threshold: int, basis: str) -> str:
    dyads = rows[0].dyads if rows else 0
    series = [
        Series("patient", "Patient side"),
        Series("clinician", "Clinician side"),
        Series("both", "Both (concordant)"),
    ]
    bars = [
        BarRow(
            label=f"{p.code.key} {p.code.name}",
            indent=p.code.depth,
            values={s.key: p.share(s.key) * 100 for s in series},
            notes={s.key: f"{getattr(p, s.key)}/{p.dyads}" for s in series},
        )
        for p in rows
    ]
    return bar_chart(
        chart_id="chart-prevalence",
        title=f"Prevalence per code ({dyads} dyads)",
        desc=(
            "Share of dyads in which each code is present on the patient side, the clinician "
            f"side and both sides; the dashed line marks {threshold}% ({basis}). The table below "
            "the chart gives the same figures."
        ),
        rows=bars,
        series=series,
        maximum=100,
        axis_label="% of dyads",
        marker=threshold,
        marker_label=f"{threshold}%",
    )


def process_outcome_chart(
    rows: Sequence[PairFigures], *, window: int, turns: str = "participant"
) -> str:
    counted = "participant turns" if turns == "participant" else "turns"
    series = [
        Series("dyads_both", "Both codes in the dyad"),
        Series("near", f"Within {window} {counted}"),
        Series("overlap", "Passages overlap"),
    ]
    bars = [
        BarRow(
            label=f"{r.first.key} → {r.second.key}",
            indent=0,
            values={"dyads_both": r.dyads_both, "near": r.dyads_near, "overlap": r.dyads_overlap},
            notes={
                "dyads_both": str(r.dyads_both),
                "near": f"{r.dyads_near} ({r.near} pairs)",
                "overlap": f"{r.dyads_overlap} ({r.overlaps} pairs)",
            },
        )
        for r in rows
    ]
    return bar_chart(
        chart_id="chart-process-outcome",
        title="Process → outcome: dyads",
        desc=(
            "For each process and outcome: the dyads where both codes are present, where their "
            f"passages come within {window} {counted}, and where they overlap. The table below the "
            "chart gives the same figures with the numbers of passage pairs."
        ),
        rows=bars,
        series=series,
        maximum=max((r.dyads_both for r in rows), default=0),
        axis_label="dyads",
    )


def _blue(share: float) -> str:
    """A calm single-hue scale: white for 0 to deep blue for the maximum."""
    low, high = (247, 251, 255), (8, 69, 148)
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def heat_colour(value: float, maximum: float) -> str:
    return _blue(min(1.0, value / maximum) if maximum else 0.0)


# An upper bound of a character's width at font-size 10 in the system sans-serif fonts, so a
# label's space is reserved from its length (the server cannot measure text).
CHAR_WIDTH = 6.5
KEY_ANGLE = 60  # degrees the column keys are turned up from the horizontal
KEY_LIMIT = 20  # characters of a code key shown (longer keys end in "…")
ROW_LIMIT = 16  # characters of a dyad label shown
LEGEND_WIDTH, LEGEND_HEIGHT = 160, 10


@dataclass(frozen=True)
class HeatmapLayout:
    """Where everything in the heatmap goes: sized from the labels' lengths and the numbers of
    rows and columns, so the last column's key and the legend fit inside the picture (and the
    PNG drawn from it)."""

    cell: int
    label_width: int
    top: int
    width: int
    height: int
    legend_x: int
    legend_y: int


def heatmap_layout(*, code_keys: Sequence[str], row_labels: Sequence[str]) -> HeatmapLayout:
    cell = 16
    longest_key = max((len(_clip(k, KEY_LIMIT)) for k in code_keys), default=0) * CHAR_WIDTH
    longest_row = max((len(_clip(r, ROW_LIMIT)) for r in row_labels), default=0) * CHAR_WIDTH
    rise = longest_key * 0.8661  # sin 60°: how far a turned key reaches up
    reach = longest_key * 0.5  # cos 60°: how far it reaches right of its column
    label_width = max(60, round(longest_row) + 14)
    top = max(40, round(rise) + 16)
    grid_right = label_width + cell * len(code_keys)
    legend_x = label_width
    legend_y = top + cell * len(row_labels) + 14
    # The legend: a caption line, the gradient bar, then its end labels.
    height = legend_y + 14 + LEGEND_HEIGHT + 18
    width = max(
        grid_right + round(reach) + 3 + 12,  # the last key, turned, and a margin
        legend_x + LEGEND_WIDTH + 60,  # the legend and its maximum's label
    )
    return HeatmapLayout(cell, label_width, top, width, height, legend_x, legend_y)


def heatmap(matrix: Matrix, *, measure: str, side: str) -> str:
    values = matrix.values(measure=measure, side=side)
    maximum = max((v for row in values for v in row), default=0)
    layout = heatmap_layout(
        code_keys=[node.key for node in matrix.codes],
        row_labels=[row.dyad.label for row in matrix.rows],
    )
    cell, label_width, top = layout.cell, layout.label_width, layout.top
    parts = [
        _svg_open(
            layout.width,
            layout.height,
            "chart-heatmap",
            f"Dyad × code heatmap: {measure}, {side}",
            f"Each row a dyad, each column a code; darker is more ({measure} on the {side} side"
            f"{'s' if side == 'both' else ''}; maximum {_tick(round(maximum, 4))}). The matrix "
            "table on the page gives the same figures.",
        )
    ]
    for column, node in enumerate(matrix.codes):
        x = label_width + column * cell + cell / 2
        parts.append(
            f'<text transform="translate({x + 3:.1f},{top - 6}) rotate(-{KEY_ANGLE})" '
            f'font-size="10" fill="#1a202c">{escape(_clip(node.key, KEY_LIMIT))}</text>'
        )
    for row_index, (row, row_values) in enumerate(zip(matrix.rows, values, strict=True)):
        y = top + row_index * cell
        parts.append(
            f'<text x="{label_width - 6}" y="{y + cell - 4}" font-size="10" text-anchor="end" '
            f'fill="#1a202c">{escape(_clip(row.dyad.label, ROW_LIMIT))}</text>'
        )
        for column, value in enumerate(row_values):
            parts.append(
                f'<rect x="{label_width + column * cell}" y="{y}" width="{cell - 1}" '
                f'height="{cell - 1}" fill="{heat_colour(value, maximum)}"/>'
            )
    parts.append(_heatmap_legend(layout, measure=measure, maximum=maximum))
    parts.append("</svg>")
    return "".join(parts)


def _heatmap_legend(layout: HeatmapLayout, *, measure: str, maximum: float) -> str:
    """The colour scale: a bar from the lightest (0) to the darkest (the maximum) colour."""
    x, y = layout.legend_x, layout.legend_y
    bar_y = y + 6
    return (
        '<g id="chart-heatmap-legend">'
        '<defs><linearGradient id="chart-heatmap-scale" x1="0" x2="1" y1="0" y2="0">'
        f'<stop offset="0" stop-color="{_blue(0.0)}"/>'
        f'<stop offset="1" stop-color="{_blue(1.0)}"/></linearGradient></defs>'
        f'<text x="{x}" y="{y}" font-size="10" fill="#1a202c">{escape(measure)}</text>'
        f'<rect x="{x}" y="{bar_y}" width="{LEGEND_WIDTH}" height="{LEGEND_HEIGHT}" '
        'fill="url(#chart-heatmap-scale)" stroke="#a0aec0" stroke-width="0.5"/>'
        f'<text x="{x}" y="{bar_y + LEGEND_HEIGHT + 12}" font-size="10" fill="#4a5568">0</text>'
        f'<text x="{x + LEGEND_WIDTH}" y="{bar_y + LEGEND_HEIGHT + 12}" font-size="10" '
        f'text-anchor="end" fill="#4a5568">{_tick(round(maximum, 4))}</text>'
        "</g>"
    )


def saturation_chart(saturation: Saturation) -> str:
    """The saturation curve: cumulative distinct codes (a stepped line) over the interviews in
    order, with each interview's new codes as a bar."""
    points = saturation.points
    left, right, top, bottom = 56, 24, 54, 96
    step = max(14.0, min(48.0, 760 / max(1, len(points))))
    plot_width = step * max(1, len(points))
    plot_height = 240
    width = int(left + plot_width + right)
    height = top + plot_height + bottom
    maximum = max(1, saturation.total)
    title = "Saturation: distinct codes used, cumulative, by interview"
    parts = [
        _svg_open(
            width,
            height,
            "chart-saturation",
            title,
            saturation.description()
            + " Bars show the new codes at each interview. The table below the chart gives the "
            "same figures with the new codes' keys.",
        )
    ]
    parts.append(
        f'<text x="8" y="18" font-size="14" font-weight="600" fill="#1a202c">{escape(title)}</text>'
        f'<rect x="{left}" y="28" width="10" height="10" fill="{SERIES_COLOURS["near"]}"/>'
        f'<text x="{left + 14}" y="37" font-size="11" fill="#2d3748">Cumulative codes</text>'
        f'<rect x="{left + 130}" y="28" width="10" height="10" '
        f'fill="{SERIES_COLOURS["dyads_both"]}"/>'
        f'<text x="{left + 144}" y="37" font-size="11" fill="#2d3748">New codes</text>'
    )
    base = top + plot_height
    for value in sorted({round(maximum * tick / 4) for tick in range(5)}):  # whole codes
        gy = base - plot_height * value / maximum
        parts.append(
            f'<line x1="{left}" y1="{gy:.1f}" x2="{left + plot_width:.1f}" y2="{gy:.1f}" '
            f'stroke="#e2e8f0"/><text x="{left - 6}" y="{gy + 3:.1f}" font-size="10" '
            f'text-anchor="end" fill="#4a5568">{value}</text>'
        )
    parts.append(
        f'<text transform="translate(14,{top + plot_height / 2:.0f}) rotate(-90)" font-size="10" '
        f'text-anchor="middle" fill="#4a5568">codes</text>'
        f'<text x="{left + plot_width / 2:.0f}" y="{height - 6}" font-size="10" '
        f'text-anchor="middle" fill="#4a5568">interviews, {escape(saturation.order_label)}</text>'
    )
    line = []
    for index, point in enumerate(points):
        x = left + step * index
        bar_height = plot_height * point.new / maximum
        parts.append(
            f'<rect x="{x + step * 0.2:.1f}" y="{base - bar_height:.1f}" '
            f'width="{step * 0.6:.1f}" height="{bar_height:.1f}" '
            f'fill="{SERIES_COLOURS["dyads_both"]}"><title>{escape(point.label)}: {point.new} new, '
            f"{point.cumulative} in all</title></rect>"
        )
        y = base - plot_height * point.cumulative / maximum
        line.append(f"{x:.1f},{y:.1f} {x + step:.1f},{y:.1f}")
        parts.append(
            f'<text transform="translate({x + step / 2 + 3:.1f},{base + 8}) rotate(60)" '
            f'font-size="9" fill="#1a202c">{escape(_clip(point.label, 18))}</text>'
        )
    if line:
        parts.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="{SERIES_COLOURS["near"]}" '
            'stroke-width="2"/>'
        )
    parts.append(
        f'<line x1="{left}" y1="{base}" x2="{left + plot_width:.1f}" y2="{base}" stroke="#4a5568"/>'
        "</svg>"
    )
    return "".join(parts)


def grid_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    shades: Sequence[Sequence[float | None]],
    texts: Sequence[Sequence[str]],
    tips: Sequence[Sequence[str]],
    legend: str,
) -> str:
    """A grid of shaded cells with their figure written in them (code × code, code × value):
    ``shades`` from 0 (white) to 1 (deep blue), None for a cell that has no figure (grey)."""
    cell_w, cell_h = 44, 20
    longest_key = max((len(_clip(k, KEY_LIMIT)) for k in column_labels), default=0) * CHAR_WIDTH
    longest_row = max((len(_clip(r, 28)) for r in row_labels), default=0) * CHAR_WIDTH
    label_width = max(80, round(longest_row) + 14)
    top = max(60, round(longest_key * 0.8661) + 36)
    grid_right = label_width + cell_w * len(column_labels)
    legend_y = top + cell_h * len(row_labels) + 14
    height = legend_y + 14 + LEGEND_HEIGHT + 18
    width = max(grid_right + round(longest_key * 0.5) + 20, label_width + LEGEND_WIDTH + 60)
    parts = [_svg_open(width, height, chart_id, title, desc)]
    parts.append(
        f'<text x="8" y="18" font-size="14" font-weight="600" fill="#1a202c">{escape(title)}</text>'
    )
    for column, label in enumerate(column_labels):
        x = label_width + column * cell_w + cell_w / 2
        parts.append(
            f'<text transform="translate({x:.1f},{top - 6}) rotate(-{KEY_ANGLE})" '
            f'font-size="10" fill="#1a202c">{escape(_clip(label, KEY_LIMIT))}</text>'
        )
    for row_index, label in enumerate(row_labels):
        y = top + row_index * cell_h
        parts.append(
            f'<text x="{label_width - 6}" y="{y + cell_h - 6}" font-size="10" text-anchor="end" '
            f'fill="#1a202c">{escape(_clip(label, 28))}</text>'
        )
        for column in range(len(column_labels)):
            shade = shades[row_index][column]
            x = label_width + column * cell_w
            fill = "#e2e8f0" if shade is None else _blue(max(0.0, min(1.0, shade)))
            ink = "#ffffff" if shade is not None and shade > 0.55 else "#1a202c"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 1}" height="{cell_h - 1}" '
                f'fill="{fill}"><title>{escape(tips[row_index][column])}</title></rect>'
            )
            text = texts[row_index][column]
            if text:
                parts.append(
                    f'<text x="{x + cell_w / 2 - 0.5:.1f}" y="{y + cell_h - 6}" font-size="9" '
                    f'text-anchor="middle" fill="{ink}">{escape(text)}</text>'
                )
    parts.append(
        f'<g id="{chart_id}-legend">'
        f'<defs><linearGradient id="{chart_id}-scale" x1="0" x2="1" y1="0" y2="0">'
        f'<stop offset="0" stop-color="{_blue(0.0)}"/>'
        f'<stop offset="1" stop-color="{_blue(1.0)}"/></linearGradient></defs>'
        f'<text x="{label_width}" y="{legend_y}" font-size="10" fill="#1a202c">'
        f"{escape(legend)}</text>"
        f'<rect x="{label_width}" y="{legend_y + 6}" width="{LEGEND_WIDTH}" '
        f'height="{LEGEND_HEIGHT}" fill="url(#{chart_id}-scale)" stroke="#a0aec0" '
        'stroke-width="0.5"/>'
        f'<text x="{label_width}" y="{legend_y + 6 + LEGEND_HEIGHT + 12}" font-size="10" '
        'fill="#4a5568">0</text>'
        f'<text x="{label_width + LEGEND_WIDTH}" y="{legend_y + 6 + LEGEND_HEIGHT + 12}" '
        'font-size="10" text-anchor="end" fill="#4a5568">1</text>'
        "</g></svg>"
    )
    return "".join(parts)


def relations_chart(relations: Relations) -> str:
    """Code × code: each cell shaded by the c-coefficient, with the number of co-occurrences."""
    keys = [f.code.key for f in relations.codes]
    shades: list[list[float | None]] = []
    texts: list[list[str]] = []
    tips: list[list[str]] = []
    for first, row in zip(relations.codes, relations.cells, strict=True):
        shades.append([None if cell is None else cell.c for cell in row])
        texts.append(["" if cell is None or not cell.n12 else str(cell.n12) for cell in row])
        tips.append(
            [
                f"{first.code.key} × {second.code.key}: "
                + (
                    "no figure (the same code, or a code and its sub-code)"
                    if cell is None
                    else f"{cell.n12} co-occurrences in {cell.dyads} dyads, c = "
                    + ("n/a" if cell.c is None else f"{cell.c:.2f}")
                    + (" (out of range)" if cell.out_of_range else "")
                )
                for second, cell in zip(relations.codes, row, strict=True)
            ]
        )
    return grid_chart(
        chart_id="chart-relations",
        title=f"Code relations: {relations.described}",
        desc=(
            "Each row and column a code; a cell shows how often the two codes' passages "
            f"co-occur ({relations.described}) and is shaded by the c-coefficient, from 0 "
            "(white) to 1 (dark). Grey cells pair a code with itself or its sub-code. The table "
            "below the chart gives the same figures."
        ),
        row_labels=keys,
        column_labels=keys,
        shades=shades,
        texts=texts,
        tips=tips,
        legend="c-coefficient",
    )


def crosstab_chart(crosstab: Crosstab) -> str:
    """Code × attribute value: each cell shaded by the share of the value's dyads with the
    code, with n/N written in it."""
    return grid_chart(
        chart_id="chart-crosstab",
        title=f"Codes by {crosstab.label}",
        desc=(
            f"Each row a code, each column a value of {crosstab.label} ({crosstab.how}); a cell "
            "shows the dyads with the code out of the value's dyads, shaded by that share. The "
            "table below the chart gives the same figures with the coverage."
        ),
        row_labels=[f"{'  ' * n.depth}{n.key}" for n in crosstab.codes],
        column_labels=[c.label for c in crosstab.columns],
        shades=[[cell.share if cell.dyads else None for cell in row] for row in crosstab.cells],
        texts=[[f"{cell.dyads_with}/{cell.dyads}" for cell in row] for row in crosstab.cells],
        tips=[
            [
                f"{node.key}, {column.label}: {cell.dyads_with} of {cell.dyads} dyads, "
                f"coverage {cell.coverage * 100:.1f}%"
                for column, cell in zip(crosstab.columns, row, strict=True)
            ]
            for node, row in zip(crosstab.codes, crosstab.cells, strict=True)
        ],
        legend="share of dyads with the code",
    )


WORDS_CHART_ROWS = 25


def words_chart(frequencies: WordFrequencies) -> str:
    """The most frequent words: one bar per group (side or speaker role) for each word."""
    labels = {
        "patient": "Patient",
        "clinician": "Clinician",
        "interviewer": "Interviewer",
        "other": "Other",
    }
    series = [Series(group, labels[group]) for group in frequencies.groups]
    rows = frequencies.rows[:WORDS_CHART_ROWS]
    of = {
        "code": f"passages of {frequencies.code.key}" if frequencies.code else "passages",
        "perspective": "the patient and clinician interviews",
        "role": "each speaker role",
    }[frequencies.source]
    return bar_chart(
        chart_id="chart-words",
        title=f"Most frequent words: {of}",
        desc=(
            f"The {len(rows)} most frequent words other than stop words in {of}, with a bar per "
            f"{'side' if frequencies.source != 'role' else 'speaker role'} giving how often each "
            "occurs. The table below the chart gives the same figures, with the rates per 1,000 "
            "words."
        ),
        rows=[
            BarRow(
                label=row.word,
                indent=0,
                values={s.key: count for s, count in zip(series, row.counts, strict=True)},
                notes={s.key: str(count) for s, count in zip(series, row.counts, strict=True)},
            )
            for row in rows
        ],
        series=series,
        maximum=max((max(row.counts) for row in rows), default=0),
        axis_label="occurrences",
    )
