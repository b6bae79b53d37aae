"""Per interview × code measures computed in SQL: the base of case studies and comparisons.

Definitions (docs/analysis.md states them for readers):

- **count**: the number of distinct coded passages (distinct ``[start, end)`` spans) of the code
  in the interview's chosen layer. In the union of coders two coders' codings of the very same
  span are one passage.
- **covered**: the number of code points in the union of those spans (overlapping or touching
  spans of the same code count once); **coverage** is ``covered / length`` of the interview text.
- **present**: ``count > 0``.
- **roll-up**: with ``roll_up=True`` a parent code's figures are those of the union of its own
  codings and every descendant's (computed over the spans, so coverage is never double counted).

Every function takes the layer (:class:`coding.selectors.LayerChoice`: consensus, one coder, or
``all`` = the union of the coders' individual layers) and the dyads to include, and runs a
fixed number of queries whatever the number of codings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from coding.models import Code, Coding, Layer
from coding.selectors import LayerChoice
from interviews.models import Dyad, Study


@dataclass(frozen=True)
class CodeNode:
    id: int
    key: str
    name: str
    group: str
    color: str
    parent_id: int | None
    depth: int
    definition: str = ""
    is_active: bool = True


@dataclass
class CodeTree:
    """A study's codes in codebook order (depth first), with each code's ancestors."""

    nodes: list[CodeNode]
    ancestors: dict[int, tuple[int, ...]] = field(default_factory=dict)

    @property
    def by_id(self) -> dict[int, CodeNode]:
        return {node.id: node for node in self.nodes}

    def children(self, code_id: int | None) -> list[CodeNode]:
        return [node for node in self.nodes if node.parent_id == code_id]

    def rollup_pairs(self) -> list[tuple[int, int]]:
        """(code, code it counts towards) for every code and each of its ancestors."""
        pairs = []
        for node in self.nodes:
            pairs.append((node.id, node.id))
            pairs.extend((node.id, ancestor) for ancestor in self.ancestors[node.id])
        return pairs


def code_tree(*, study: Study, include_inactive: bool = False) -> CodeTree:
    """The study's codes as a tree in codebook order. One query.

    Switched-off codes keep counting: a code that is not active is in the tree when it (or a
    descendant) has codings, so its codings stay in its own and its parent's figures; with
    ``include_inactive`` every switched-off code is. Merged codes (``merged_into`` set) are
    left out: their codings were moved to the target.
    """
    coded = Coding.objects.filter(code_id=OuterRef("pk"))
    rows = list(
        Code.objects.filter(codebook__study=study, merged_into__isnull=True)
        .annotate(coded=Exists(coded))
        .order_by("order", "key")
        .values_list(
            "id", "key", "name", "group", "color", "parent_id", "definition", "is_active", "coded"
        )
    )
    if not include_inactive:
        parent_of = {row[0]: row[5] for row in rows}
        keep = {row[0] for row in rows if row[7]}
        for row in rows:
            if not row[8]:
                continue
            # A coded code keeps itself and every ancestor (the targets of its roll-up).
            code_id: int | None = row[0]
            for _ in range(len(rows)):
                if code_id is None:
                    break
                keep.add(code_id)
                code_id = parent_of.get(code_id)
        rows = [row for row in rows if row[0] in keep]
    known = {row[0] for row in rows}
    children: dict[int | None, list[tuple[Any, ...]]] = {}
    for row in rows:
        parent = row[5] if row[5] in known else None
        children.setdefault(parent, []).append(row)
    nodes: list[CodeNode] = []
    ancestors: dict[int, tuple[int, ...]] = {}

    def visit(parent: int | None, depth: int, chain: tuple[int, ...]) -> None:
        for row in children.get(parent, []):
            nodes.append(
                CodeNode(
                    id=row[0],
                    key=row[1],
                    name=row[2],
                    group=row[3],
                    color=row[4],
                    parent_id=parent,
                    depth=depth,
                    definition=row[6],
                    is_active=row[7],
                )
            )
            ancestors[row[0]] = chain
            visit(row[0], depth + 1, (row[0], *chain))

    visit(None, 0, ())
    return CodeTree(nodes=nodes, ancestors=ancestors)


class InterviewCodeStat(NamedTuple):
    """One interview × code: its passages (the count) and covered code points. A named tuple: a
    comparison at 500 dyads makes some 20,000 of them, and tuples are made ten times faster
    than frozen dataclasses."""

    interview_id: int
    dyad_id: int
    perspective: str
    code_id: int
    passages: int
    covered: int
    length: int

    @property
    def coverage(self) -> float:
        return self.covered / self.length if self.length else 0.0


def layer_sql(
    layer: LayerChoice, *, complete: str = "i.consensus_complete"
) -> tuple[str, list[Any]]:
    """The WHERE clause (on table alias ``c``) that picks the layer's codings; ``complete`` is the
    SQL expression of the coding's interview's ``consensus_complete`` (for the ``best`` layer)."""
    if layer.name == "consensus":
        return "c.layer = %s", [Layer.CONSENSUS.value]
    if layer.name == "best":
        individual = "c.layer = %s" + (" AND c.coder_id = %s" if layer.coder_id else "")
        params: list[Any] = [Layer.CONSENSUS.value, Layer.INDIVIDUAL.value]
        if layer.coder_id:
            params.append(layer.coder_id)
        return (
            f"((c.layer = %s AND {complete}) OR ({individual} AND NOT {complete}))",
            params,
        )
    if layer.coder_id is not None:
        return "c.layer = %s AND c.coder_id = %s", [Layer.INDIVIDUAL.value, layer.coder_id]
    return "c.layer = %s", [Layer.INDIVIDUAL.value]


def layer_label(layer: LayerChoice, coder_names: dict[int, str] | None = None) -> str:
    if layer.name == "consensus":
        return "Consensus"
    if layer.name == "all":
        return "All coders (union)"
    if layer.name == "best":
        if layer.coder_id is not None:
            return "Best available (consensus where complete, else your own codings)"
        return "Best available (consensus where complete, else the coders' union)"
    name = (coder_names or {}).get(layer.coder_id or 0, f"coder #{layer.coder_id}")
    return f"Coder: {name}"


def _dyad_filter_sql(dyads: QuerySet[Dyad] | None, study: Study) -> tuple[str, list[Any]]:
    if dyads is None:
        return "d.study_id = %s", [study.pk]
    sql, params = dyads.values("id").query.sql_with_params()
    return f"d.study_id = %s AND d.id IN ({sql})", [study.pk, *params]


def _values_cte(pairs: Sequence[tuple[int, int]]) -> tuple[str, list[Any]]:
    rows = ", ".join("(%s, %s)" for _ in pairs)
    return f"rollup(code_id, target_id) AS (VALUES {rows})", [v for pair in pairs for v in pair]


def interview_code_stats(
    *,
    study: Study,
    layer: LayerChoice,
    dyads: QuerySet[Dyad] | None = None,
    tree: CodeTree | None = None,
    roll_up: bool = True,
) -> list[InterviewCodeStat]:
    """count and covered code points per (interview, code) with at least one passage. One query.

    ``dyads`` restricts to a subset (a queryset of the study's dyads); ``tree`` saves the
    query for the codebook when the caller already has it.
    """
    rows = interview_code_rows(study=study, layer=layer, dyads=dyads, tree=tree, roll_up=roll_up)
    return [InterviewCodeStat._make(row) for row in rows]


def interview_code_rows(
    *,
    study: Study,
    layer: LayerChoice,
    dyads: QuerySet[Dyad] | None = None,
    tree: CodeTree | None = None,
    roll_up: bool = True,
) -> list[tuple[int, int, str, int, int, int, int]]:
    """:func:`interview_code_stats` as plain tuples in the fields' order (for callers that go
    over every row once: no object per row)."""
    tree = tree or code_tree(study=study)
    if not tree.nodes:
        return []
    pairs = tree.rollup_pairs() if roll_up else [(n.id, n.id) for n in tree.nodes]
    rollup_cte, rollup_params = _values_cte(pairs)
    layer_where, layer_params = layer_sql(layer)
    dyad_where, dyad_params = _dyad_filter_sql(dyads, study)
    if connection.vendor == "postgresql":
        # Interview by interview (a lateral subquery): the interview's codings of the layer, each
        # counted towards its code and every ancestor (the roll-up), in one pass in start order
        # where each span adds the part of it that reaches past every earlier span of its code
        # (the sum is the union's length) and a span equal to the one before it (the same span
        # coded twice) is not counted again: no DISTINCT over the expanded rows. Each step sorts
        # one interview's few hundred rows in memory, so the plan does not depend on work_mem
        # (expanding and sorting every coding of the study at once spilled to disk at 200,000
        # codings).
        # Only fixed SQL fragments are formatted in; every value is a parameter.
        sql = f"""
            WITH {rollup_cte}
            SELECT i.id, i.dyad_id, i.perspective, s.target_id,
                CAST(s.passages AS BIGINT), CAST(s.covered AS BIGINT), i.text_length
            FROM interviews_interview i
            JOIN interviews_dyad d ON d.id = i.dyad_id
            CROSS JOIN LATERAL (
                SELECT target_id,
                    COUNT(*) - COUNT(CASE WHEN start = last_start AND "end" = last_end
                        THEN 1 END) AS passages,
                    SUM(CASE
                        WHEN reach IS NULL OR reach <= start THEN "end" - start
                        WHEN reach < "end" THEN "end" - reach
                        ELSE 0 END) AS covered
                FROM (
                    SELECT r.target_id, c.start, c."end",
                        MAX(c."end") OVER w AS reach,
                        LAG(c.start) OVER w AS last_start,
                        LAG(c."end") OVER w AS last_end
                    FROM coding_coding c
                    JOIN rollup r ON r.code_id = c.code_id
                    WHERE c.interview_id = i.id AND {layer_where}
                    WINDOW w AS (
                        PARTITION BY r.target_id ORDER BY c.start, c."end"
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                    )
                ) ordered
                GROUP BY target_id
            ) s
            WHERE {dyad_where}
            ORDER BY i.id, s.target_id
        """  # noqa: S608
    else:
        # SQLite (no lateral joins): the whole study at once, in the same one pass over the
        # spans in start order.
        # Only fixed SQL fragments are formatted in; every value is a parameter.
        sql = f"""
            WITH {rollup_cte},
            spans AS (
                SELECT DISTINCT c.interview_id, r.target_id, c.start, c."end"
                FROM coding_coding c
                JOIN rollup r ON r.code_id = c.code_id
                JOIN interviews_interview i ON i.id = c.interview_id
                JOIN interviews_dyad d ON d.id = i.dyad_id
                WHERE {layer_where} AND {dyad_where}
            ),
            ordered AS (
                SELECT interview_id, target_id, start, "end",
                    MAX("end") OVER (
                        PARTITION BY interview_id, target_id ORDER BY start, "end"
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                    ) AS reach
                FROM spans
            ),
            per_code AS (
                SELECT interview_id, target_id, COUNT(*) AS passages,
                    SUM(CASE
                        WHEN reach IS NULL OR reach <= start THEN "end" - start
                        WHEN reach < "end" THEN "end" - reach
                        ELSE 0 END) AS covered
                FROM ordered GROUP BY interview_id, target_id
            )
            SELECT p.interview_id, i.dyad_id, i.perspective, p.target_id,
                CAST(p.passages AS BIGINT), CAST(p.covered AS BIGINT), i.text_length
            FROM per_code p JOIN interviews_interview i ON i.id = p.interview_id
            ORDER BY p.interview_id, p.target_id
        """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*rollup_params, *layer_params, *dyad_params])
        return cursor.fetchall()
