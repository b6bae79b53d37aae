"""The framework matrix: dyads × components, each cell a case study's synthesis (one query)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from coding.analysis.measures import CodeNode
from coding.comparison.selectors.base import ComparisonBase, DyadInfo
from coding.comparison.selectors.scope import Scope
from coding.models import CaseStudySection


def case_study_link(dyad_id: int, code_key: str | None = None) -> str:
    """Where a dyad's case study discusses a component. The one place that builds this link."""
    page = reverse("dyad-case-study", args=[dyad_id])
    return page if code_key is None else f"{page}#component-{code_key}"


def case_study_link_maker() -> Callable[[int], str]:
    """:func:`case_study_link` for many dyads: the URL is reversed once and filled in per dyad
    (a reverse() per row cost a matrix of 500 dyads some 10 ms)."""
    marker = "2147483647"
    prefix, found, suffix = case_study_link(int(marker)).partition(marker)
    if not found:  # pragma: no cover - the pattern takes the id as it is
        return case_study_link
    return lambda dyad_id: f"{prefix}{dyad_id}{suffix}"


@dataclass(frozen=True)
class FrameworkCell:
    synthesis: str
    link: str


@dataclass(frozen=True)
class FrameworkMatrix:
    scope: Scope
    components: list[CodeNode]
    dyads: list[DyadInfo]
    cells: list[list[FrameworkCell]]


def framework_matrix(*, base: ComparisonBase) -> FrameworkMatrix:
    """Dyads × components (the top-level codes, and any other code a case study writes about),
    each cell the case study's synthesis for it. One query."""
    dyad_ids = [d.id for d in base.dyads]
    texts: dict[tuple[int, int], str] = {}
    if dyad_ids:
        for dyad_id, code_id, synthesis in CaseStudySection.objects.filter(
            case_study__dyad__in=base.scope.subset.dyads(base.scope.study)
        ).values_list("case_study__dyad_id", "code_id", "synthesis"):
            texts[(dyad_id, code_id)] = synthesis
    written = {code_id for _, code_id in texts}
    components = [n for n in base.tree.nodes if n.depth == 0 or n.id in written]
    cells = [
        [
            FrameworkCell(
                synthesis=texts.get((dyad.id, node.id), ""),
                link=case_study_link(dyad.id, node.key),
            )
            for node in components
        ]
        for dyad in base.dyads
    ]
    return FrameworkMatrix(scope=base.scope, components=components, dyads=base.dyads, cells=cells)
