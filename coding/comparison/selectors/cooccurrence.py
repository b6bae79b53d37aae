"""Co-occurrence: how two sets of codes meet in passages (one query); process → outcome pairs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from rest_framework.exceptions import ValidationError

from coding.analysis.measures import CodeNode, CodeTree, layer_sql
from coding.comparison.selectors.base import ComparisonBase, code_dict
from coding.comparison.selectors.scope import Scope
from coding.models import CodeGroup

DEFAULT_WINDOW = 1
MAX_WINDOW = 50
# Which turns "within N turns" counts: the participants' (interviewer turns skipped) or all.
TURN_COUNTS = ("participant", "all")


@dataclass(frozen=True)
class PairFigures:
    """How two codes meet, over the subset's interviews (merged passages of each code)."""

    first: CodeNode
    second: CodeNode
    dyads_both: int  # dyads where both codes are present (either side)
    dyads_overlap: int  # dyads with at least one overlapping pair of passages
    dyads_near: int  # dyads with at least one pair within the window of turns
    overlaps: int  # pairs of passages that overlap
    near: int  # pairs of passages in the same or the next ``window`` turns

    def as_dict(self) -> dict[str, Any]:
        return {
            "first": code_dict(self.first),
            "second": code_dict(self.second),
            "dyads_both": self.dyads_both,
            "dyads_overlap": self.dyads_overlap,
            "dyads_near": self.dyads_near,
            "overlaps": self.overlaps,
            "near": self.near,
        }


def _in_list(values: Sequence[int]) -> str:
    return ", ".join("%s" for _ in values)


# How passages are placed in speaker turns: CTEs ending in "placed", over "passages" and
# "counted_turns" (the turns that count, numbered 0, 1, 2… in text order in every interview).
PLACEMENT_BY_WINDOW = """
        events AS (
            SELECT t.interview_id, t.start AS pos, 0 AS kind, t.ordinal AS turn_index,
                CAST(NULL AS INTEGER) AS dyad_id, CAST(NULL AS INTEGER) AS target_id,
                CAST(NULL AS INTEGER) AS is_first, CAST(NULL AS INTEGER) AS is_second,
                CAST(NULL AS INTEGER) AS p_start, CAST(NULL AS INTEGER) AS p_end
            FROM counted_turns t
            UNION ALL
            SELECT interview_id, start, 1, NULL, dyad_id, target_id, is_first, is_second,
                start, "end"
            FROM passages
            UNION ALL
            SELECT interview_id, "end" - 1, 1, NULL, dyad_id, target_id, is_first, is_second,
                start, "end"
            FROM passages
        ),
        located AS (
            SELECT dyad_id, interview_id, target_id, is_first, is_second, p_start, p_end, kind,
                COALESCE(MAX(turn_index) OVER (
                    PARTITION BY interview_id ORDER BY pos, kind ROWS UNBOUNDED PRECEDING
                ), -1) AS turn
            FROM events
        ),
        placed AS (
            SELECT dyad_id, interview_id, target_id, is_first, is_second,
                p_start AS start, p_end AS "end", MIN(turn) AS first_turn, MAX(turn) AS last_turn
            FROM located WHERE kind > 0
            GROUP BY dyad_id, interview_id, target_id, is_first, is_second, p_start, p_end
        ),
"""

PLACEMENT_BY_BUCKET = """
        bounds AS (
            SELECT t.interview_id, ARRAY_AGG(t.start ORDER BY t.ordinal) AS starts
            FROM counted_turns t
            GROUP BY t.interview_id
        ),
        placed AS (
            SELECT p.dyad_id, p.interview_id, p.target_id, p.is_first, p.is_second,
                p.start, p."end",
                COALESCE(WIDTH_BUCKET(p.start, b.starts) - 1, -1) AS first_turn,
                COALESCE(WIDTH_BUCKET(p."end" - 1, b.starts) - 1, -1) AS last_turn
            FROM passages p LEFT JOIN bounds b ON b.interview_id = p.interview_id
        ),
"""


def cooccurrence_counts(
    *,
    scope: Scope,
    tree: CodeTree,
    first: Sequence[int],
    second: Sequence[int],
    window: int = DEFAULT_WINDOW,
    roll_up: bool = True,
    turns: str = "participant",
) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """(first code, second code) → (dyads with an overlap, dyads with a near pair, overlapping
    pairs, near pairs). One query.

    Passages are a code's merged passages in an interview: the islands of the union of its
    spans (with ``roll_up``, a parent's spans include its descendants'). Two passages overlap
    when they share a code point; they are near when their turns are at most ``window`` turns
    apart (0: they share a turn). With ``turns="participant"`` (the default) only the
    participants' turns are counted: interviewer turns are skipped, so in a question–answer
    transcript window 1 links two consecutive answers; ``turns="all"`` counts every turn. A
    position belongs to the last counted turn starting at or before it (so a speaker label, or an
    interviewer's question, belongs to the turn before); text before the first counted turn is
    turn -1, and an interview without turns is one turn. Pairs of a code with itself or with
    its own ancestor are not counted.
    """
    wanted = sorted(set(first) | set(second))
    if not wanted or not first or not second:
        return {}
    pairs = [
        (node.id, target)
        for node in tree.nodes
        for target in ((node.id, *tree.ancestors[node.id]) if roll_up else (node.id,))
        if target in wanted
    ]
    if not pairs:
        return {}
    first_set, second_set = set(first), set(second)
    ctes, cte_params = passage_ctes(
        scope=scope,
        rollup=[(c, t, int(t in first_set), int(t in second_set)) for c, t in pairs],
        turns=turns,
    )
    # The planner cannot know how many rows the derived steps hold; were it to guess "a few",
    # it would pair the passages in a nested loop (quadratic: seconds at 500 dyads). The sides
    # are therefore picked with "> 0" (an inequality, estimated at a third of the rows) rather
    # than "= 1" (estimated at half a percent), so the pairing stays a hash join.
    sql = f"""
        WITH {ctes}
        pairs AS (
            SELECT a.dyad_id, a.interview_id, a.target_id AS a_id, b.target_id AS b_id,
                SUM(CASE WHEN a.start < b."end" AND b.start < a."end" THEN 1 ELSE 0 END)
                    AS overlap_pairs,
                COUNT(*) AS near_pairs
            FROM placed a JOIN placed b ON b.interview_id = a.interview_id
            WHERE a.is_first > 0 AND b.is_second > 0 AND a.target_id <> b.target_id
                AND b.first_turn <= a.last_turn + %s AND a.first_turn <= b.last_turn + %s
            GROUP BY a.dyad_id, a.interview_id, a.target_id, b.target_id
        )
        SELECT a_id, b_id,
            COUNT(DISTINCT CASE WHEN overlap_pairs > 0 THEN dyad_id END),
            COUNT(DISTINCT dyad_id), SUM(overlap_pairs), SUM(near_pairs)
        FROM pairs GROUP BY a_id, b_id
    """  # noqa: S608
    params = [*cte_params, window, window]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        (row[0], row[1]): (int(row[2]), int(row[3]), int(row[4]), int(row[5]))
        for row in rows
        if row[1] not in tree.ancestors.get(row[0], ())
        and row[0] not in tree.ancestors.get(row[1], ())
    }


def passage_ctes(
    *,
    scope: Scope,
    rollup: Sequence[tuple[int, int, int, int]],
    turns: str | None = "participant",
) -> tuple[str, list[Any]]:
    """The CTEs (without ``WITH``, ending in a comma) that give every merged passage of the
    scope's layer and dyads as ``placed`` (dyad_id, interview_id, perspective, target_id,
    is_first, is_second, start, "end", first_turn, last_turn).

    ``rollup`` rows are (coded code, code it counts towards, is_first, is_second). ``turns``
    says which turns are counted when placing passages (participant or all); ``None`` skips the
    placement (every passage is in turn 0), for callers that only compare offsets.
    """
    rollup_rows = ", ".join("(%s, %s, %s, %s)" for _ in rollup)
    rollup_params = [v for row in rollup for v in row]
    layer_where, layer_params = layer_sql(scope.layer, complete="ch.complete")
    dyad_where, dyad_params = _dyad_where(scope)
    # PostgreSQL finds a passage's turns by binary search in each interview's turn starts
    # (width_bucket); elsewhere they come from one window pass over turn starts and passage
    # ends in text order. Both give the last turn starting at or before a position.
    if turns is None:
        placement = """
        placed AS (
            SELECT dyad_id, interview_id, target_id, is_first, is_second, start, "end",
                0 AS first_turn, 0 AS last_turn
            FROM passages
        ),
"""
        turn_where = "1 = 0"
    else:
        if turns not in TURN_COUNTS:
            raise ValidationError({"turns": f"Count {' or '.join(TURN_COUNTS)} turns."})
        placement = (
            PLACEMENT_BY_BUCKET if connection.vendor == "postgresql" else PLACEMENT_BY_WINDOW
        )
        turn_where = "t.role <> 'interviewer'" if turns == "participant" else "1 = 1"
    # Only fixed SQL fragments are formatted in; every value is a parameter.
    sql = f"""
        rollup(code_id, target_id, is_first, is_second) AS (VALUES {rollup_rows}),
        chosen AS (
            SELECT i.id AS interview_id, i.dyad_id, i.consensus_complete AS complete
            FROM interviews_interview i
            JOIN interviews_dyad d ON d.id = i.dyad_id
            WHERE {dyad_where} AND i.perspective IN ('patient', 'clinician')
        ),
        counted_turns AS (
            SELECT t.interview_id, t.start,
                ROW_NUMBER() OVER (PARTITION BY t.interview_id ORDER BY t."index") - 1 AS ordinal
            FROM interviews_turn t JOIN chosen ch ON ch.interview_id = t.interview_id
            WHERE {turn_where}
        ),
        spans AS (
            SELECT ch.dyad_id, c.interview_id, r.target_id, r.is_first, r.is_second,
                c.start, c."end"
            FROM coding_coding c
            JOIN rollup r ON r.code_id = c.code_id
            JOIN chosen ch ON ch.interview_id = c.interview_id
            WHERE {layer_where}
        ),
        ordered AS (
            SELECT dyad_id, interview_id, target_id, is_first, is_second, start, "end",
                MAX("end") OVER (
                    PARTITION BY interview_id, target_id ORDER BY start, "end"
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                ) AS reach,
                MAX("end") OVER (PARTITION BY interview_id, target_id) AS last_end
            FROM spans
        ),
        island_starts AS (
            SELECT dyad_id, interview_id, target_id, is_first, is_second, start, "end", reach,
                last_end
            FROM ordered WHERE reach IS NULL OR start > reach
        ),
        passages AS (
            SELECT dyad_id, interview_id, target_id, is_first, is_second, start,
                COALESCE(LEAD(reach) OVER (
                    PARTITION BY interview_id, target_id ORDER BY start, "end"
                ), last_end) AS "end"
            FROM island_starts
        ),
        {placement}
    """  # noqa: S608
    return sql, [*rollup_params, *dyad_params, *layer_params]


def _dyad_where(scope: Scope) -> tuple[str, list[Any]]:
    study = scope.study
    if scope.subset.is_all:
        return "d.study_id = %s", [study.pk]
    sql, params = scope.subset.dyads(study).values("id").query.sql_with_params()
    return f"d.study_id = %s AND d.id IN ({sql})", [study.pk, *params]


def cooccurrence(
    *,
    base: ComparisonBase,
    first: Sequence[int],
    second: Sequence[int],
    window: int = DEFAULT_WINDOW,
    turns: str = "participant",
) -> list[PairFigures]:
    """Every (first, second) pair of codes with the dyads where both are present and how often
    their passages overlap or come within ``window`` turns (counting ``turns``). One query."""
    counts = cooccurrence_counts(
        scope=base.scope, tree=base.tree, first=first, second=second, window=window, turns=turns
    )
    by_id = base.tree.by_id
    result = []
    for a in first:
        for b in second:
            if a == b:
                continue
            both = sum(
                1 for d in base.dyads if base.cell(d.id, a).either and base.cell(d.id, b).either
            )
            overlap_dyads, near_dyads, overlaps, near = counts.get((a, b), (0, 0, 0, 0))
            result.append(
                PairFigures(
                    first=by_id[a],
                    second=by_id[b],
                    dyads_both=both,
                    dyads_overlap=overlap_dyads,
                    dyads_near=near_dyads,
                    overlaps=overlaps,
                    near=near,
                )
            )
    return result


def process_and_outcome_codes(
    tree: CodeTree, *, sub_codes: bool = False
) -> tuple[list[int], list[int]]:
    """Process codes (top-level ones, rolled up; with ``sub_codes`` every process code) and
    outcome codes (top-level ones, rolled up), in codebook order."""
    processes = [
        n.id for n in tree.nodes if n.group == CodeGroup.PROCESS and (sub_codes or n.depth == 0)
    ]
    outcomes = [n.id for n in tree.nodes if n.group == CodeGroup.OUTCOME and n.depth == 0]
    return processes, outcomes


def process_outcome(
    *,
    base: ComparisonBase,
    window: int = DEFAULT_WINDOW,
    sub_codes: bool = False,
    turns: str = "participant",
) -> list[PairFigures]:
    processes, outcomes = process_and_outcome_codes(base.tree, sub_codes=sub_codes)
    return cooccurrence(base=base, first=processes, second=outcomes, window=window, turns=turns)
