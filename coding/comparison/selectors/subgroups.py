"""Subgroups: the dyads grouped by an attribute or a clinician, and each group's figures."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from rest_framework.exceptions import ValidationError

from coding.analysis.measures import CodeNode
from coding.comparison.selectors.base import ComparisonBase
from interviews.models import (
    AttributeDefinition,
    AttributeType,
    Participant,
    ParticipantRole,
    Study,
)


@dataclass(frozen=True)
class Group:
    label: str
    dyad_ids: frozenset[int]


@dataclass(frozen=True)
class Grouping:
    """How the dyads were split: by an attribute's values or bands, or one clinician vs the rest."""

    param: str
    label: str
    how: str
    groups: list[Group]


@dataclass(frozen=True)
class GroupOption:
    param: str
    label: str
    kind: str


def grouping_options(*, study: Study) -> list[GroupOption]:
    """What the dyads can be grouped by: every attribute, and each clinician. Two queries."""
    options = [
        GroupOption(
            param=f"{d.entity}.{d.key}",
            label=f"{d.get_entity_display()}: {d.label or d.key}",
            kind=d.type,
        )
        for d in AttributeDefinition.objects.filter(study=study).order_by("entity", "order", "key")
    ]
    options.extend(
        GroupOption(
            param=f"clinician:{pk}", label=f"Clinician {name} vs the rest", kind="clinician"
        )
        for pk, name in Participant.objects.filter(study=study, role=ParticipantRole.CLINICIAN)
        .order_by("pseudonym")
        .values_list("id", "pseudonym")
    )
    return options


NO_VALUE = "(no value)"


def grouping_for(*, base: ComparisonBase, group_by: str, split: float | None = None) -> Grouping:
    """Split the base's dyads into groups. One query (the attribute or clinician named).

    - choice, text and boolean attributes: one group per value (and one for dyads without it);
    - integer and decimal attributes: two groups, below the split and at or above it; the split
      defaults to the median of the dyads' values;
    - date attributes: one group per year;
    - ``clinician:<participant id>``: that clinician's dyads and the rest.
    """
    study = base.scope.study
    if group_by.startswith("clinician:"):
        raw = group_by.partition(":")[2]
        clinician = (
            Participant.objects.filter(study=study, role=ParticipantRole.CLINICIAN, pk=int(raw))
            .only("id", "pseudonym")
            .first()
            if raw.isdigit() and len(raw) < 19
            else None
        )
        if clinician is None:
            raise ValidationError({"group_by": "The study has no clinician with this id."})
        mine = frozenset(d.id for d in base.dyads if d.clinician_id == clinician.pk)
        rest = frozenset(d.id for d in base.dyads) - mine
        return Grouping(
            param=group_by,
            label=f"Clinician {clinician.pseudonym}",
            how="one clinician's dyads against the rest",
            groups=[Group(clinician.pseudonym, mine), Group("Other clinicians", rest)],
        )
    entity, dot, key = group_by.partition(".")
    definition = (
        AttributeDefinition.objects.filter(study=study, entity=entity, key=key).first()
        if dot
        else None
    )
    if definition is None:
        raise ValidationError(
            {"group_by": "Group by an attribute (dyad.<key>, clinician.<key>, patient.<key>) "
             "or a clinician (clinician:<id>) of the study."}
        )  # fmt: skip
    label = f"{definition.get_entity_display()}: {definition.label or key}"
    values = {d.id: d.attribute(entity, key) for d in base.dyads}
    if definition.type in (AttributeType.INTEGER, AttributeType.DECIMAL):
        numbers = [v for v in values.values() if _is_number(v)]
        if split is None:
            split = statistics.median(numbers) if numbers else 0
        shown = _number(split)
        below = frozenset(i for i, v in values.items() if _is_number(v) and v < split)
        above = frozenset(i for i, v in values.items() if _is_number(v) and v >= split)
        missing = frozenset(values) - below - above
        groups = [Group(f"below {shown}", below), Group(f"{shown} or more", above)]
        if missing:
            groups.append(Group(NO_VALUE, missing))
        return Grouping(
            param=group_by,
            label=label,
            how=f"split at {shown}"
            + (" (the median)" if _last_split_default(split, numbers) else ""),
            groups=groups,
        )
    buckets: dict[str, set[int]] = {}
    for dyad_id, value in values.items():
        if value is None or value == "":
            name = NO_VALUE
        elif definition.type == AttributeType.BOOLEAN:
            name = "yes" if value else "no"
        elif definition.type == AttributeType.DATE:
            name = str(value)[:4]
        else:
            name = str(value)
        buckets.setdefault(name, set()).add(dyad_id)
    order = [str(c) for c in definition.choices or []]
    names = sorted(
        buckets,
        key=lambda n: (n == NO_VALUE, order.index(n) if n in order else len(order), n),
    )
    return Grouping(
        param=group_by,
        label=label,
        how="one group per value"
        if definition.type != AttributeType.DATE
        else "one group per year",
        groups=[Group(n, frozenset(buckets[n])) for n in names],
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _last_split_default(split: float, numbers: list[Any]) -> bool:
    return bool(numbers) and split == statistics.median(numbers)


@dataclass(frozen=True)
class GroupFigures:
    """One code in one group: prevalence (n of N dyads) on each basis, and mean coverage."""

    n: dict[str, int]
    dyads: int
    mean_count: float
    mean_coverage: float

    def share(self, basis: str) -> float:
        return self.n[basis] / self.dyads if self.dyads else 0.0


@dataclass(frozen=True)
class Subgroups:
    grouping: Grouping
    codes: list[CodeNode]
    # figures[group index][code index]
    figures: list[list[GroupFigures]]


def subgroups(*, base: ComparisonBase, grouping: Grouping, side: str = "both") -> Subgroups:
    """Prevalence and a matrix summary (mean count and coverage per dyad on ``side``) per group
    and code, side by side. No queries."""
    codes = base.tree.nodes
    figures = []
    for group in grouping.groups:
        dyads = [d for d in base.dyads if d.id in group.dyad_ids]
        row = []
        for node in codes:
            cells = [base.cell(d.id, node.id) for d in dyads]
            row.append(
                GroupFigures(
                    n={
                        "either": sum(1 for c in cells if c.either),
                        "patient": sum(1 for c in cells if c.patient.present),
                        "clinician": sum(1 for c in cells if c.clinician.present),
                        "both": sum(1 for c in cells if c.concordant),
                    },
                    dyads=len(dyads),
                    mean_count=(
                        sum(c.side(side).count for c in cells) / len(cells) if cells else 0.0
                    ),
                    mean_coverage=(
                        sum(c.side(side).coverage for c in cells) / len(cells) if cells else 0.0
                    ),
                )
            )
        figures.append(row)
    return Subgroups(grouping=grouping, codes=codes, figures=figures)
