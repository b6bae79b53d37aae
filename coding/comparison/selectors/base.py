"""The base every comparison view derives from: the subset's dyads, each side's interview lengths
and per dyad × code figures (four queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum

from coding.analysis.measures import CodeNode, CodeTree, code_tree, interview_code_rows
from coding.comparison.selectors.scope import Scope
from coding.selectors import LayerUsage, layer_usage_from_counts
from interviews.models import Interview


@dataclass(frozen=True)
class DyadInfo:
    id: int
    label: str
    clinician_id: int | None
    clinician: str
    patient: str
    attributes: dict[str, Any]
    clinician_attributes: dict[str, Any]
    patient_attributes: dict[str, Any]

    def attribute(self, entity: str, key: str) -> Any:
        source = {
            "dyad": self.attributes,
            "clinician": self.clinician_attributes,
            "patient": self.patient_attributes,
        }[entity]
        return (source or {}).get(key)


@dataclass(slots=True)
class SideFigures:
    """One side of a dyad (its patient or its clinician interviews) for one code. Not to be
    changed once made (slotted but not frozen: a comparison at 500 dyads makes 25,000 of them,
    and a frozen dataclass is made several times slower)."""

    count: int = 0
    covered: int = 0
    length: int = 0

    @property
    def present(self) -> bool:
        return self.count > 0

    @property
    def coverage(self) -> float:
        return self.covered / self.length if self.length else 0.0


@dataclass(slots=True)
class Cell:
    """A dyad × code cell. ``both``: present when present on both sides (concordance); its
    count is the sum of the two sides' counts, its coverage the covered code points of both
    sides over the length of both sides' interviews."""

    patient: SideFigures
    clinician: SideFigures

    @property
    def concordant(self) -> bool:
        return self.patient.present and self.clinician.present

    @property
    def either(self) -> bool:
        return self.patient.present or self.clinician.present

    @property
    def both(self) -> SideFigures:
        return SideFigures(
            count=self.patient.count + self.clinician.count,
            covered=self.patient.covered + self.clinician.covered,
            length=self.patient.length + self.clinician.length,
        )

    def present(self, side: str) -> bool:
        return self.concordant if side == "both" else self.side(side).present

    def side(self, side: str) -> SideFigures:
        if side == "both":
            return self.both
        return self.patient if side == "patient" else self.clinician

    def value(self, *, measure: str, side: str) -> float:
        if measure == "presence":
            return 1 if self.present(side) else 0
        figures = self.side(side)
        return figures.count if measure == "count" else figures.coverage

    def as_dict(self) -> dict[str, Any]:
        both = self.both
        return {
            side: {
                "present": present,
                "count": figures.count,
                "covered": figures.covered,
                "coverage": round(figures.coverage, 6),
            }
            for side, figures, present in (
                ("patient", self.patient, self.patient.present),
                ("clinician", self.clinician, self.clinician.present),
                ("both", both, self.concordant),
            )
        }


@dataclass
class ComparisonBase:
    scope: Scope
    tree: CodeTree
    dyads: list[DyadInfo]
    # (dyad id, perspective) → total length of that side's interviews
    lengths: dict[tuple[int, str], int]
    # (dyad id, code id) → (patient figures, clinician figures), only where a side has codings
    figures: dict[tuple[int, int], Cell] = field(default_factory=dict)
    # dyad id → (interviews consensus-complete, interviews): where ``best`` read the consensus
    complete: dict[int, tuple[int, int]] = field(default_factory=dict)
    usage: LayerUsage | None = None

    def layer_used(self, dyad_id: int) -> str:
        """Which layer a dyad's figures come from, in a word or two."""
        layer = self.scope.layer
        if layer.name != "best":
            return self.scope.layer_label
        done, total = self.complete.get(dyad_id, (0, 0))
        other = "own codings" if layer.coder_id is not None else "coders' union"
        if total and done == total:
            return "consensus"
        return f"consensus + {other}" if done else other

    # One shared empty cell per dyad (most cells of a large matrix are empty).
    _empty: dict[int, Cell] = field(default_factory=dict)

    def cell(self, dyad_id: int, code_id: int) -> Cell:
        found = self.figures.get((dyad_id, code_id))
        if found is not None:
            return found
        empty = self._empty.get(dyad_id)
        if empty is None:
            empty = self._empty[dyad_id] = Cell(
                patient=SideFigures(length=self.lengths.get((dyad_id, "patient"), 0)),
                clinician=SideFigures(length=self.lengths.get((dyad_id, "clinician"), 0)),
            )
        return empty


def comparison_base(*, scope: Scope, tree: CodeTree | None = None) -> ComparisonBase:
    """Everything the matrix, prevalence and subgroups need. Four queries (three with ``tree``).

    Only patient and clinician interviews count towards a side; an interview of perspective
    "other" is left out of the comparison.
    """
    study = scope.study
    tree = tree or code_tree(study=study)
    dyad_qs = scope.subset.dyads(study)
    dyads = [
        DyadInfo(
            id=row[0],
            label=row[1],
            clinician_id=row[2],
            clinician=row[3] or "",
            patient=row[4] or "",
            attributes=row[5] or {},
            clinician_attributes=row[6] or {},
            patient_attributes=row[7] or {},
        )
        for row in dyad_qs.order_by("label").values_list(
            "id",
            "label",
            "clinician_id",
            "clinician__pseudonym",
            "patient__pseudonym",
            "attributes",
            "clinician__attributes",
            "patient__attributes",
        )
    ]
    lengths: dict[tuple[int, str], int] = {}
    complete: dict[int, tuple[int, int]] = {}
    for dyad_id, perspective, length, done, total in (
        Interview.objects.filter(dyad__in=dyad_qs, perspective__in=["patient", "clinician"])
        .values("dyad_id", "perspective")
        .annotate(
            length=Sum("text_length"),
            done=Count("id", filter=Q(consensus_complete=True)),
            total=Count("id"),
        )
        .values_list("dyad_id", "perspective", "length", "done", "total")
    ):
        lengths[(dyad_id, perspective)] = int(length or 0)
        had = complete.get(dyad_id, (0, 0))
        complete[dyad_id] = (had[0] + done, had[1] + total)
    base = ComparisonBase(scope=scope, tree=tree, dyads=dyads, lengths=lengths, complete=complete)
    # (dyad, code) → [patient count, patient covered, clinician count, clinician covered]
    sums: dict[tuple[int, int], list[int]] = {}
    dyads_qs = None if scope.subset.is_all else dyad_qs
    rows = interview_code_rows(study=study, layer=scope.layer, dyads=dyads_qs, tree=tree)
    for _interview, dyad_id, perspective, code_id, passages, covered, _length in rows:
        if perspective == "patient":
            offset = 0
        elif perspective == "clinician":
            offset = 2
        else:
            continue
        figures = sums.get((dyad_id, code_id))
        if figures is None:
            figures = sums[(dyad_id, code_id)] = [0, 0, 0, 0]
        figures[offset] += passages
        figures[offset + 1] += covered
    cells = base.figures
    for (dyad_id, code_id), f in sums.items():
        cells[(dyad_id, code_id)] = Cell(
            SideFigures(f[0], f[1], lengths.get((dyad_id, "patient"), 0)),
            SideFigures(f[2], f[3], lengths.get((dyad_id, "clinician"), 0)),
        )
    base.usage = layer_usage_from_counts(
        layer=scope.layer,
        complete=complete,
        labels={d.id: d.label for d in dyads},
        coded={dyad_id for dyad_id, _ in sums},
    )
    return base


def code_dict(node: CodeNode) -> dict[str, Any]:
    return {
        "id": node.id,
        "key": node.key,
        "name": node.name,
        "group": node.group,
        "parent": node.parent_id,
        "depth": node.depth,
    }
