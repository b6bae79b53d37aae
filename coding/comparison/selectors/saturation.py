"""Saturation: the codes first used at each interview, and their running total, in one query.

Interviews are put in an order (``import``: as imported; ``conducted``: by the date they were
conducted, undated last; ``dyad``: by dyad label, then perspective). A code is *first used* at
the earliest interview, in that order, where the layer has at least one coding with it; the curve
is the cumulative number of distinct codes used so far. Codes are counted as applied (a sub-code
is its own code, not rolled up into its parent). docs/analysis.md states this for readers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection

from coding.analysis.measures import layer_sql
from coding.models import Code, Coding
from coding.selectors import LayerChoice, coder_param_check, default_layer_for, layer_choice
from interviews.models import Dyad, Interview, Perspective, Study
from interviews.selectors import Access

SATURATION_ORDERS = ("import", "conducted", "dyad")
DEFAULT_ORDER = "import"

# Fixed SQL fragments only (never user input): the ORDER BY of each order, on aliases i and d.
_ORDER_SQL = {
    "import": "i.created, i.id",
    "conducted": (
        "CASE WHEN i.conducted_on IS NULL THEN 1 ELSE 0 END, i.conducted_on, i.created, i.id"
    ),
    "dyad": "d.label, i.perspective, i.id",
}

ORDER_LABELS = {
    "import": "in the order they were imported",
    "conducted": "by the date they were conducted (undated last, in import order)",
    "dyad": "by dyad label, then perspective",
}


@dataclass(frozen=True)
class SaturationPoint:
    interview: int
    label: str
    new_codes: tuple[str, ...]
    cumulative: int

    @property
    def new(self) -> int:
        return len(self.new_codes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "interview": self.interview,
            "label": self.label,
            "new_codes": list(self.new_codes),
            "new": self.new,
            "cumulative": self.cumulative,
        }


@dataclass(frozen=True)
class Saturation:
    layer: LayerChoice
    order: str
    points: list[SaturationPoint] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.points[-1].cumulative if self.points else 0

    @property
    def order_label(self) -> str:
        return ORDER_LABELS[self.order]

    def description(self) -> str:
        """The curve in words (the chart's aria description)."""
        if not self.points:
            return "No interviews yet."
        if not self.total:
            return f"{len(self.points)} interviews, no codes used yet."
        last_new = max((n for n, p in enumerate(self.points, 1) if p.new), default=0)
        return (
            f"Cumulative distinct codes over {len(self.points)} interviews "
            f"{self.order_label}: {self.total} codes in all; the last new code appeared at "
            f"interview {last_new} ({self.points[last_new - 1].label})."
        )


def saturation_curve(*, study: Study, layer: LayerChoice, order: str = DEFAULT_ORDER) -> Saturation:
    """Every interview of the study in ``order`` with the codes first used there. One query.

    The first use of a code is the minimum, over its codings in ``layer``, of the position of the
    coding's interview (a window function numbers the interviews)."""
    if order not in _ORDER_SQL:
        raise ValueError(f"Unknown order {order!r}")
    layer_where, layer_params = layer_sql(layer)
    interview_t = Interview._meta.db_table
    dyad_t = Dyad._meta.db_table
    coding_t = Coding._meta.db_table
    code_t = Code._meta.db_table
    sql = f"""
        WITH ordered AS (
            SELECT i.id AS id, ROW_NUMBER() OVER (ORDER BY {_ORDER_SQL[order]}) AS pos
            FROM {interview_t} i JOIN {dyad_t} d ON d.id = i.dyad_id
            WHERE d.study_id = %s
        ),
        firsts AS (
            SELECT c.code_id AS code_id, MIN(o.pos) AS pos
            FROM {coding_t} c
            JOIN {interview_t} i ON i.id = c.interview_id
            JOIN ordered o ON o.id = c.interview_id
            WHERE {layer_where}
            GROUP BY c.code_id
        )
        SELECT o.id, o.pos, d.label, i.perspective, k.key
        FROM ordered o
        JOIN {interview_t} i ON i.id = o.id
        JOIN {dyad_t} d ON d.id = i.dyad_id
        LEFT JOIN firsts f ON f.pos = o.pos
        LEFT JOIN {code_t} k ON k.id = f.code_id
        ORDER BY o.pos, k.key
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [study.pk, *layer_params])
        rows = cursor.fetchall()
    perspectives = dict(Perspective.choices)
    points: list[SaturationPoint] = []
    current: tuple[int, str] | None = None
    new: list[str] = []
    cumulative = 0

    def close() -> None:
        nonlocal cumulative
        if current is not None:
            cumulative += len(new)
            points.append(SaturationPoint(current[0], current[1], tuple(new), cumulative))

    for interview_id, _, dyad_label, perspective, key in rows:
        if current is None or current[0] != interview_id:
            close()
            current = (interview_id, f"{dyad_label} · {perspectives.get(perspective, perspective)}")
            new = []
        if key is not None:
            new.append(key)
    close()
    return Saturation(layer=layer, order=order, points=points)


def saturation_request(
    *, study: Study, access: Access, user: Any, params: Mapping[str, Any]
) -> tuple[LayerChoice, str]:
    """The layer and order asked for (``layer``, ``coder``, ``order`` parameters), checked
    against blind coding. Without ``layer``: ``best`` (a blinded coder: the consensus where
    complete, else their own codings). Bad values raise ValidationError naming the parameter;
    another coder's layer while blind raises PermissionDenied."""
    order = params.get("order") or DEFAULT_ORDER
    if order not in SATURATION_ORDERS:
        raise ValidationError({"order": f"Order by one of {', '.join(SATURATION_ORDERS)}."})
    name = params.get("layer")
    if not name:
        # A coder given without a layer is still checked (an unknown id is a 400, not ignored).
        coder_param_check(coder=params.get("coder"), study_id=study.pk)
        return default_layer_for(access=access, user=user), order
    layer = layer_choice(
        name=name, coder=params.get("coder"), user=user, access=access, study_id=study.pk
    )
    return layer, order
