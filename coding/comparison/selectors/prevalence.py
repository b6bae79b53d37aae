"""Prevalence per code (of N dyads: either side, each side, both), common components; no queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coding.analysis.measures import CodeNode
from coding.comparison.selectors.base import ComparisonBase, code_dict

PREVALENCE_BASES = ("either", "patient", "clinician", "both")
DEFAULT_THRESHOLD = 80


@dataclass(frozen=True)
class Prevalence:
    code: CodeNode
    dyads: int  # N: the dyads in the subset
    either: int
    patient: int
    clinician: int
    both: int  # concordant: present on both sides

    def share(self, basis: str) -> float:
        return getattr(self, basis) / self.dyads if self.dyads else 0.0

    def percents(self) -> dict[str, float]:
        return {basis: round(self.share(basis) * 100, 1) for basis in PREVALENCE_BASES}

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": code_dict(self.code),
            "dyads": self.dyads,
            **{
                basis: {"n": getattr(self, basis), "share": round(self.share(basis), 6)}
                for basis in PREVALENCE_BASES
            },
        }


def prevalence(*, base: ComparisonBase, dyad_ids: set[int] | None = None) -> list[Prevalence]:
    """Per code: of N dyads, in how many it is present on either side, each side, and both.
    Walks only the cells with codings (a code absent from a dyad adds nothing)."""
    chosen = {d.id for d in base.dyads if dyad_ids is None or d.id in dyad_ids}
    tallies = {node.id: [0, 0, 0, 0] for node in base.tree.nodes}
    for (dyad_id, code_id), cell in base.figures.items():
        tally = tallies.get(code_id)
        if tally is None or dyad_id not in chosen:
            continue
        patient, clinician = cell.patient.present, cell.clinician.present
        tally[0] += patient or clinician
        tally[1] += patient
        tally[2] += clinician
        tally[3] += patient and clinician
    return [
        Prevalence(
            code=node,
            dyads=len(chosen),
            either=tallies[node.id][0],
            patient=tallies[node.id][1],
            clinician=tallies[node.id][2],
            both=tallies[node.id][3],
        )
        for node in base.tree.nodes
    ]


def common_components(
    rows: list[Prevalence], *, threshold: int = DEFAULT_THRESHOLD, basis: str = "either"
) -> list[Prevalence]:
    """Codes present in at least ``threshold`` percent of the dyads (on the basis side)."""
    return [row for row in rows if row.dyads and row.share(basis) * 100 >= threshold - 1e-9]
