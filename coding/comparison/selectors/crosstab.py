"""Code × attribute crosstab: codes (rows) by the values of one dyad, clinician or patient
attribute (columns); each cell the dyads with the code and the coverage (derived from the base:
one query for the attribute's definition).

Columns: one per value for choice, text and yes/no attributes; numbers and dates one per
distinct value while there are at most ``MAX_VALUES``, else bins: numbers in ``BINS`` bins of
about equal numbers of dyads (quantiles, never splitting one value), dates one per year; dyads
without a value have a column of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from rest_framework.exceptions import ValidationError

from coding.analysis.measures import CodeNode
from coding.comparison.selectors.base import ComparisonBase, code_dict
from coding.comparison.selectors.subgroups import NO_VALUE
from interviews.models import AttributeDefinition, AttributeType

MAX_VALUES = 10
BINS = 5


@dataclass(frozen=True)
class Column:
    label: str
    dyad_ids: frozenset[int]


@dataclass(frozen=True)
class CrosstabCell:
    dyads_with: int  # dyads of the column where the code is present (on ``basis``)
    dyads: int  # dyads of the column
    covered: int  # code points of the code's passages in those dyads' interviews (``basis``)
    length: int  # code points of those interviews

    @property
    def share(self) -> float:
        return self.dyads_with / self.dyads if self.dyads else 0.0

    @property
    def coverage(self) -> float:
        return self.covered / self.length if self.length else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "dyads_with_code": self.dyads_with,
            "dyads": self.dyads,
            "share": round(self.share, 6),
            "covered": self.covered,
            "length": self.length,
            "coverage": round(self.coverage, 6),
        }


@dataclass(frozen=True)
class Crosstab:
    attribute: str  # entity.key
    label: str
    how: str  # one column per value, or how the values were binned
    columns: list[Column]
    codes: list[CodeNode]
    cells: list[list[CrosstabCell]]  # cells[code][column]
    basis: str


def attribute_for(*, base: ComparisonBase, attribute: str) -> AttributeDefinition:
    """The attribute named ``entity.key`` (none named: the study's first, dyad attributes
    first). One query; unknown: a 400."""
    if not attribute:
        order = Case(
            When(entity="dyad", then=Value(0)),
            When(entity="clinician", then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        first = (
            AttributeDefinition.objects.filter(study=base.scope.study)
            .order_by(order, "order", "key")
            .first()
        )
        if first is None:
            raise ValidationError({"attribute": "The study has no attributes yet."})
        return first
    entity, dot, key = attribute.partition(".")
    definition = (
        AttributeDefinition.objects.filter(study=base.scope.study, entity=entity, key=key).first()
        if dot and entity in ("dyad", "clinician", "patient")
        else None
    )
    if definition is None:
        raise ValidationError(
            {"attribute": "Choose an attribute of the study: dyad.<key>, clinician.<key> or "
             "patient.<key>."}
        )  # fmt: skip
    return definition


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def attribute_columns(
    *, base: ComparisonBase, definition: AttributeDefinition
) -> tuple[list[Column], str]:
    """The columns (values or bins) with their dyads, and how they were made. No queries."""
    entity, key = definition.entity, definition.key
    values = {d.id: d.attribute(entity, key) for d in base.dyads}
    missing = frozenset(i for i, v in values.items() if v is None or v == "")
    present = {i: v for i, v in values.items() if i not in missing}
    columns: list[Column] = []
    how = "one column per value"
    if definition.type in (AttributeType.INTEGER, AttributeType.DECIMAL):
        numbers = {i: v for i, v in present.items() if _is_number(v)}
        missing = missing | frozenset(set(present) - set(numbers))
        distinct = sorted(set(numbers.values()))
        if len(distinct) <= MAX_VALUES:
            columns = [
                Column(_shown(v), frozenset(i for i, n in numbers.items() if n == v))
                for v in distinct
            ]
        else:
            columns = _quantile_bins(numbers, distinct)
            how = (
                f"{len(distinct)} distinct values in {len(columns)} bins of about equal numbers "
                "of dyads"
            )
    elif definition.type == AttributeType.DATE:
        dates = {i: str(v)[:10] for i, v in present.items()}
        distinct = sorted(set(dates.values()))
        if len(distinct) > MAX_VALUES:
            dates = {i: v[:4] for i, v in dates.items()}
            distinct = sorted(set(dates.values()))
            how = "one column per year"
        columns = [Column(v, frozenset(i for i, d in dates.items() if d == v)) for v in distinct]
    else:
        shown = {i: _shown(v) for i, v in present.items()}
        order = [str(c) for c in definition.choices or []]
        if definition.type == AttributeType.BOOLEAN:
            order = ["yes", "no"]
        names = sorted(
            set(shown.values()),
            key=lambda n: (order.index(n) if n in order else len(order), n),
        )
        columns = [Column(n, frozenset(i for i, v in shown.items() if v == n)) for n in names]
    if missing:
        columns.append(Column(NO_VALUE, missing))
    return columns, how


def _quantile_bins(numbers: dict[int, Any], distinct: list[Any]) -> list[Column]:
    """Up to BINS bins of consecutive values, each closed when it holds about 1/BINS of the
    dyads (a value's dyads are never split)."""
    ordered = sorted(numbers.values())
    target = len(ordered) / BINS
    bins: list[list[Any]] = [[]]
    taken = 0
    for value in distinct:
        size = sum(1 for n in ordered if n == value)
        if bins[-1] and taken >= target * len(bins) and len(bins) < BINS:
            bins.append([])
        bins[-1].append(value)
        taken += size
    columns = []
    for values in bins:
        low, high = values[0], values[-1]
        label = _shown(low) if low == high else f"{_shown(low)}–{_shown(high)}"
        chosen = set(values)
        columns.append(Column(label, frozenset(i for i, n in numbers.items() if n in chosen)))
    return columns


def code_attribute_crosstab(
    *, base: ComparisonBase, attribute: str, basis: str = "either"
) -> Crosstab:
    """Codes × the attribute's values: per cell the dyads of that value with the code present
    on ``basis`` (either side, the patient's, the clinician's, or both: concordant) and the
    coverage — the code's covered code points over the length of those dyads' interviews (the
    basis side's, both sides' for either and both). One query (the attribute)."""
    definition = attribute_for(base=base, attribute=attribute)
    columns, how = attribute_columns(base=base, definition=definition)
    side = basis if basis in ("patient", "clinician") else "both"
    sides = ("patient", "clinician") if side == "both" else (side,)
    lengths = [
        sum(base.lengths.get((i, s), 0) for i in column.dyad_ids for s in sides)
        for column in columns
    ]
    cells = []
    for node in base.tree.nodes:
        row = []
        for column, length in zip(columns, lengths, strict=True):
            with_code = covered = 0
            for dyad_id in column.dyad_ids:
                cell = base.figures.get((dyad_id, node.id))
                if cell is None:
                    continue
                present = cell.either if basis == "either" else cell.present(basis)
                with_code += present
                covered += cell.side(side).covered
            row.append(
                CrosstabCell(
                    dyads_with=with_code,
                    dyads=len(column.dyad_ids),
                    covered=covered,
                    length=length,
                )
            )
        cells.append(row)
    return Crosstab(
        attribute=f"{definition.entity}.{definition.key}",
        label=f"{definition.get_entity_display()}: {definition.label or definition.key}",
        how=how,
        columns=columns,
        codes=list(base.tree.nodes),
        cells=cells,
        basis=basis,
    )


def crosstab_dict(crosstab: Crosstab) -> dict[str, Any]:
    return {
        "attribute": {"param": crosstab.attribute, "label": crosstab.label, "how": crosstab.how},
        "columns": [
            {"label": c.label, "dyads": len(c.dyad_ids), "dyad_ids": sorted(c.dyad_ids)}
            for c in crosstab.columns
        ],
        "codes": [
            {**code_dict(node), "cells": [cell.as_dict() for cell in row]}
            for node, row in zip(crosstab.codes, crosstab.cells, strict=True)
        ],
    }
