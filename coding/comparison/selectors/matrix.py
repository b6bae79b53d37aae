"""The dyad × code matrix, derived from the base without queries."""

from __future__ import annotations

from dataclasses import dataclass

from coding.analysis.measures import CodeNode
from coding.comparison.selectors.base import Cell, ComparisonBase, DyadInfo
from coding.comparison.selectors.scope import Scope


@dataclass(frozen=True)
class MatrixRow:
    dyad: DyadInfo
    cells: list[Cell]
    layer_used: str = ""


@dataclass(frozen=True)
class Matrix:
    scope: Scope
    codes: list[CodeNode]
    rows: list[MatrixRow]

    def values(self, *, measure: str, side: str) -> list[list[float]]:
        return [[cell.value(measure=measure, side=side) for cell in row.cells] for row in self.rows]


def dyad_code_matrix(*, base: ComparisonBase) -> Matrix:
    """Dyads (rows, by label) × codes (columns, codebook order, parents rolled up)."""
    codes = base.tree.nodes
    rows = [
        MatrixRow(
            dyad=dyad,
            cells=[base.cell(dyad.id, node.id) for node in codes],
            layer_used=base.layer_used(dyad.id),
        )
        for dyad in base.dyads
    ]
    return Matrix(scope=base.scope, codes=codes, rows=rows)
