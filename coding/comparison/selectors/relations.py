"""Code relations: every pair of codes, how often their passages co-occur, and the c-coefficient
(one query).

What co-occurs (``cooccur``):

- ``overlap``: a passage of one code shares a code point with a passage of the other;
- ``turn``: the two passages share a speaker turn (every turn counts, the interviewer's too);
- ``within``: their turns are at most ``window`` turns apart (0–50), counting participant turns
  only (``count=participant``, the default: interviewer turns are skipped) or every turn
  (``count=all``) — the turn semantics of process → outcome (``cooccurrence.py``).

A code's passages are its merged passages in an interview (the islands of the union of its
spans in the layer; a parent's include its sub-codes'). Following ATLAS.ti, the co-occurrence
frequency n12 counts *events*, not passages: each pair of co-occurring passages (one of each
code) is one co-occurrence, whether it is one stretch coded with both codes or two overlapping
passages. n1 and n2 are the codes' numbers of passages, and the c-coefficient is
c = n12 / (n1 + n2 − n12). It is meant for separate, non-overlapping segments: where one passage
meets several of the other code's (always possible with ``turn`` and ``within``), n12 can exceed
the smaller of n1 and n2 and c leaves [0, 1]; such cells are marked and c is not given when the
denominator is not positive. docs/analysis.md cites ATLAS.ti's manual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from coding.analysis.measures import CodeNode, CodeTree
from coding.comparison.selectors.base import ComparisonBase, code_dict
from coding.comparison.selectors.cooccurrence import passage_ctes
from coding.comparison.selectors.scope import Scope

COOCCUR = ("overlap", "turn", "within")
# Code points per block when pairing overlapping passages (a passage is in one or two blocks).
OVERLAP_BLOCK = 512
COOCCUR_LABELS = {
    "overlap": "passages overlap",
    "turn": "in the same speaker turn",
    "within": "within {window} {counted}",
}


def cooccur_words(cooccur: str, window: int, count: str) -> str:
    """How co-occurrence was counted, in words (tables, charts, the page)."""
    if cooccur != "within":
        return COOCCUR_LABELS[cooccur]
    counted = "participant turns (interviewer turns skipped)" if count == "participant" else "turns"
    return COOCCUR_LABELS["within"].format(window=window, counted=counted)


@dataclass(frozen=True)
class PairCell:
    """Two codes: n12 co-occurrences in ``dyads`` dyads, and the c-coefficient."""

    n12: int
    dyads: int
    n1: int
    n2: int

    @property
    def denominator(self) -> int:
        return self.n1 + self.n2 - self.n12

    @property
    def c(self) -> float | None:
        """c = n12 / (n1 + n2 − n12); None where the denominator is not positive."""
        if not self.n12:
            return 0.0
        return self.n12 / self.denominator if self.denominator > 0 else None

    @property
    def out_of_range(self) -> bool:
        """n12 beyond the smaller code's passages: c is not the bounded index it is meant to be."""
        return self.n12 > min(self.n1, self.n2)

    @property
    def unequal(self) -> bool:
        """One code has more than five times the other's passages (ATLAS.ti's hint: c then
        understates the relation)."""
        low, high = sorted((self.n1, self.n2))
        return bool(self.n12) and high > 5 * low

    def as_dict(self) -> dict[str, Any]:
        c = self.c
        return {
            "n12": self.n12,
            "dyads": self.dyads,
            "c": None if c is None else round(c, 6),
            "out_of_range": self.out_of_range,
        }


EMPTY = PairCell(0, 0, 0, 0)


@dataclass(frozen=True)
class CodeFrequency:
    code: CodeNode
    passages: int  # n: merged passages in the scope
    dyads: int


@dataclass(frozen=True)
class Relations:
    codes: list[CodeFrequency]
    # cells[i][j] for codes i, j (symmetric; the diagonal and a code with its ancestor: None)
    cells: list[list[PairCell | None]]
    cooccur: str
    window: int
    count: str
    sub_codes: bool

    @property
    def described(self) -> str:
        return cooccur_words(self.cooccur, self.window, self.count)

    def pairs(self) -> list[tuple[CodeFrequency, CodeFrequency, PairCell]]:
        """Each unordered pair once (upper triangle), in codebook order."""
        found = []
        for i, first in enumerate(self.codes):
            for j in range(i + 1, len(self.codes)):
                cell = self.cells[i][j]
                if cell is not None:
                    found.append((first, self.codes[j], cell))
        return found


def relation_codes(tree: CodeTree, *, sub_codes: bool) -> list[CodeNode]:
    """The codes of the table: top-level codes (sub-codes rolled up), or every code."""
    return [node for node in tree.nodes if sub_codes or node.depth == 0]


def relation_counts(
    *,
    scope: Scope,
    tree: CodeTree,
    codes: Sequence[int],
    cooccur: str = "overlap",
    window: int = 1,
    count: str = "participant",
) -> tuple[dict[tuple[int, int], tuple[int, int]], dict[int, tuple[int, int]]]:
    """({(code, other code): (co-occurring passage pairs, dyads)} with code < other code,
    {code: (passages, dyads)}). One query; every code's spans include its descendants'."""
    wanted = set(codes)
    rollup = [
        (node.id, target, 1, 1)
        for node in tree.nodes
        for target in (node.id, *tree.ancestors[node.id])
        if target in wanted
    ]
    if not rollup:
        return {}, {}
    # Each passage is an interval [lo, hi]: its code points for "overlap"; for the turn modes
    # its turns, the last one pushed ``reach`` turns on ([f1, l1 + w] and [f2, l2 + w] meet
    # exactly when f2 <= l1 + w and f1 <= l2 + w). Two passages co-occur when their intervals
    # meet. Rather than pair every two passages of an interview (quadratic: seconds at 500
    # dyads), each interval is cut into fixed blocks and passages are paired within a block;
    # a pair is counted once, in the block of the larger lo (which both intervals hold).
    if cooccur == "overlap":
        ctes, params = passage_ctes(scope=scope, rollup=rollup, turns=None)
        lo_hi = 'start AS lo, "end" - 1 AS hi'
        block = OVERLAP_BLOCK
    else:
        turns = "all" if cooccur == "turn" else count
        ctes, params = passage_ctes(scope=scope, rollup=rollup, turns=turns)
        reach = 0 if cooccur == "turn" else window
        # Turns start at -1 (text before the first counted turn): shifted by one, so every lo
        # is >= 0 and integer division is a floor.
        lo_hi = f"first_turn + 1 AS lo, last_turn + 1 + {int(reach)} AS hi"
        block = reach + 1
    # Only fixed SQL fragments and whole numbers are formatted in; every value is a parameter.
    sql = f"""
        WITH RECURSIVE {ctes}
        spans_of AS (
            SELECT dyad_id, interview_id, target_id, {lo_hi} FROM placed
        ),
        blocks(dyad_id, interview_id, target_id, lo, hi, block, last_block) AS (
            SELECT dyad_id, interview_id, target_id, lo, hi, lo / {block}, hi / {block}
            FROM spans_of
            UNION ALL
            SELECT dyad_id, interview_id, target_id, lo, hi, block + 1, last_block
            FROM blocks WHERE block < last_block
        ),
        pairs AS (
            SELECT a.dyad_id, a.target_id AS a_id, b.target_id AS b_id, COUNT(*) AS n
            FROM blocks a JOIN blocks b
                ON b.interview_id = a.interview_id AND b.block = a.block
            WHERE a.target_id < b.target_id AND a.lo <= b.hi AND b.lo <= a.hi
                AND a.block = (CASE WHEN a.lo > b.lo THEN a.lo ELSE b.lo END) / {block}
            GROUP BY a.dyad_id, a.target_id, b.target_id
        )
        SELECT a_id, b_id, SUM(n), COUNT(*) FROM pairs GROUP BY a_id, b_id
        UNION ALL
        SELECT target_id, NULL, COUNT(*), COUNT(DISTINCT dyad_id) FROM placed GROUP BY target_id
    """  # noqa: S608
    condition_params: list[Any] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *condition_params])
        rows = cursor.fetchall()
    pairs: dict[tuple[int, int], tuple[int, int]] = {}
    frequencies: dict[int, tuple[int, int]] = {}
    for first, second, n, dyads in rows:
        if second is None:
            frequencies[first] = (int(n), int(dyads))
        else:
            pairs[(first, second)] = (int(n), int(dyads))
    return pairs, frequencies


def code_relations(
    *,
    base: ComparisonBase,
    cooccur: str = "overlap",
    window: int = 1,
    count: str = "participant",
    sub_codes: bool = False,
) -> Relations:
    """The code × code table on the base's scope. One query. Pairs of a code with itself or
    with its own ancestor (a parent contains its sub-codes' passages) have no cell."""
    tree = base.tree
    nodes = relation_codes(tree, sub_codes=sub_codes)
    pairs, frequencies = relation_counts(
        scope=base.scope,
        tree=tree,
        codes=[n.id for n in nodes],
        cooccur=cooccur,
        window=window,
        count=count,
    )
    codes = [CodeFrequency(n, *frequencies.get(n.id, (0, 0))) for n in nodes]
    cells: list[list[PairCell | None]] = []
    for first in codes:
        row: list[PairCell | None] = []
        for second in codes:
            a, b = first.code.id, second.code.id
            if a == b or a in tree.ancestors[b] or b in tree.ancestors[a]:
                row.append(None)
                continue
            n12, dyads = pairs.get((min(a, b), max(a, b)), (0, 0))
            row.append(PairCell(n12=n12, dyads=dyads, n1=first.passages, n2=second.passages))
        cells.append(row)
    return Relations(
        codes=codes,
        cells=cells,
        cooccur=cooccur,
        window=window,
        count=count,
        sub_codes=sub_codes,
    )


def relations_dict(relations: Relations) -> dict[str, Any]:
    return {
        "codes": [
            {**code_dict(f.code), "passages": f.passages, "dyads": f.dyads} for f in relations.codes
        ],
        "pairs": [
            {"first": a.code.key, "second": b.code.key, **cell.as_dict()}
            for a, b, cell in relations.pairs()
        ],
    }
