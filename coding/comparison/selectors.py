"""The comparison's figures, computed in SQL on top of ``coding.analysis.measures``.

Every analysis runs on a :class:`Scope` (the layer and the dyad subset it used, which it returns
with its figures) and a fixed number of queries, whatever the number of dyads and codings:

- ``comparison_base``: the codebook, the subset's dyads with their attributes, the interview
  lengths per dyad side, and per interview × code count and covered code points (four queries);
- ``cooccurrence``: overlapping and nearby merged passages of two sets of codes (one query);
- ``framework_sections``: the case studies' synthesis texts (one query).

Matrix, prevalence, common components and subgroups are derived from the base without further
queries (Python works on at most dyads × codes figures, never on codings). docs/analysis.md states
every definition for readers.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q, Sum
from django.urls import reverse
from rest_framework.exceptions import ValidationError

from coding.analysis.measures import (
    CodeNode,
    CodeTree,
    code_tree,
    interview_code_stats,
    layer_label,
    layer_sql,
)
from coding.analysis.subsets import DyadSubset, dyad_subset_from_params
from coding.models import CaseStudySection, CodeGroup
from coding.selectors import (
    LayerChoice,
    LayerUsage,
    default_layer_for,
    layer_choice,
    layer_usage_from_counts,
)
from interviews.models import (
    AttributeDefinition,
    AttributeType,
    Interview,
    Membership,
    Participant,
    ParticipantRole,
    Study,
)
from interviews.selectors import Access

SIDES = ("patient", "clinician", "both")
MEASURES = ("presence", "count", "coverage")
PREVALENCE_BASES = ("either", "patient", "clinician", "both")
DEFAULT_THRESHOLD = 80
DEFAULT_WINDOW = 1
MAX_WINDOW = 50
# Which turns "within N turns" counts: the participants' (interviewer turns skipped) or all.
TURN_COUNTS = ("participant", "all")
# Parameters that are the comparison's own, not a dyad subset's.
OWN_PARAMS = (
    "layer",
    "coder",
    "measure",
    "side",
    "threshold",
    "basis",
    "window",
    "turns",
    "sub_codes",
    "group_by",
    "split",
    "format",
    "view",
)


# --- Scope: the layer and the dyads ---------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What an analysis ran on: the study, the layer (and its label) and the dyad subset."""

    study: Study
    layer: LayerChoice
    layer_label: str
    subset: DyadSubset
    layer_defaulted: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "layer": {**self.layer.as_dict(), "label": self.layer_label},
            "subset": self.subset.as_dict(),
        }

    def as_params(self) -> list[tuple[str, str]]:
        """The query parameters that give this scope back (for links and exports)."""
        params = [("layer", self.layer.name)]
        if self.layer.name == "coder" and self.layer.coder_id is not None:
            params.append(("coder", str(self.layer.coder_id)))
        return params + self.subset.as_params()


def coder_names(*, study: Study) -> dict[int, str]:
    """Members who code (lead or coder), by user id, named for the layer control. One query."""
    rows = (
        Membership.objects.filter(study=study, role__in=["lead", "coder"])
        .order_by("user__username")
        .values_list("user_id", "user__username", "user__first_name", "user__last_name")
    )
    return {row[0]: (f"{row[2]} {row[3]}".strip() or row[1]) for row in rows}


def comparison_scope(
    *,
    study: Study,
    access: Access,
    user: Any,
    params: Mapping[str, Sequence[str]],
    names: dict[int, str] | None = None,
) -> Scope:
    """The layer and dyad subset asked for in query parameters, checked against what the user may
    see (blind coding: a coder may not pick another coder's layer or ``all``).

    Without ``layer`` the default layer is used: ``best`` (per interview, the consensus where
    complete, else the union of coders; a blinded coder's own codings instead of the union).
    Bad values raise ValidationError (a 400); a refused layer PermissionDenied.
    """
    from django.core.exceptions import ValidationError as DjangoValidationError

    name = _last(params, "layer")
    coder = _last(params, "coder")
    if name and name.startswith("coder:"):  # the page's layer menu: one value per coder
        name, coder = "coder", name.partition(":")[2]
    defaulted = not name
    if defaulted:
        layer = default_layer_for(access=access, user=user)
    else:
        try:
            layer = layer_choice(name=name, coder=coder, user=user, access=access)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        if layer.name == "mine":
            layer = LayerChoice("coder", user.pk)
    subset = dyad_subset_from_params(study=study, params=params, ignore=OWN_PARAMS)
    label = layer_label(layer, names if names is not None else coder_names(study=study))
    return Scope(
        study=study, layer=layer, layer_label=label, subset=subset, layer_defaulted=defaulted
    )


def _last(params: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = params.get(name) or []
    return values[-1] if values else None


def choice_param(
    params: Mapping[str, Sequence[str]], name: str, choices: Sequence[str], default: str
) -> str:
    value = _last(params, name) or default
    if value not in choices:
        raise ValidationError({name: f"Unknown {name} {value!r}: use one of {', '.join(choices)}."})
    return value


def int_param(
    params: Mapping[str, Sequence[str]], name: str, default: int, low: int, high: int
) -> int:
    raw = _last(params, name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: f"Give a whole number from {low} to {high}."}) from None
    if not low <= value <= high:
        raise ValidationError({name: f"Give a whole number from {low} to {high}."})
    return value


def bool_param(params: Mapping[str, Sequence[str]], name: str) -> bool:
    raw = (_last(params, name) or "").lower()
    if raw in ("", "0", "false", "no"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ValidationError({name: "Use 1 or 0."})


# --- The base: dyads, lengths and per interview × code figures --------------------------------


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


@dataclass(frozen=True)
class SideFigures:
    """One side of a dyad (its patient or its clinician interviews) for one code."""

    count: int = 0
    covered: int = 0
    length: int = 0

    @property
    def present(self) -> bool:
        return self.count > 0

    @property
    def coverage(self) -> float:
        return self.covered / self.length if self.length else 0.0


@dataclass(frozen=True)
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
    for stat in interview_code_stats(study=study, layer=scope.layer, dyads=dyads_qs, tree=tree):
        if stat.perspective == "patient":
            offset = 0
        elif stat.perspective == "clinician":
            offset = 2
        else:
            continue
        figures = sums.get((stat.dyad_id, stat.code_id))
        if figures is None:
            figures = sums[(stat.dyad_id, stat.code_id)] = [0, 0, 0, 0]
        figures[offset] += stat.passages
        figures[offset + 1] += stat.covered
    for (dyad_id, code_id), f in sums.items():
        base.figures[(dyad_id, code_id)] = Cell(
            patient=SideFigures(f[0], f[1], lengths.get((dyad_id, "patient"), 0)),
            clinician=SideFigures(f[2], f[3], lengths.get((dyad_id, "clinician"), 0)),
        )
    base.usage = layer_usage_from_counts(
        layer=scope.layer,
        complete=complete,
        labels={d.id: d.label for d in dyads},
        coded={dyad_id for dyad_id, _ in sums},
    )
    return base


# --- Matrix ----------------------------------------------------------------------------------


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


# --- Prevalence ------------------------------------------------------------------------------


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


def code_dict(node: CodeNode) -> dict[str, Any]:
    return {
        "id": node.id,
        "key": node.key,
        "name": node.name,
        "group": node.group,
        "parent": node.parent_id,
        "depth": node.depth,
    }


# --- Co-occurrence ---------------------------------------------------------------------------


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
    rollup_rows = ", ".join("(%s, %s, %s, %s)" for _ in pairs)
    rollup_params = [
        v
        for code_id, target in pairs
        for v in (code_id, target, int(target in first_set), int(target in second_set))
    ]
    layer_where, layer_params = layer_sql(scope.layer, complete="ch.complete")
    dyad_where, dyad_params = _dyad_where(scope)
    # The planner cannot know how many rows the derived steps hold; were it to guess "a few",
    # it would pair the passages in a nested loop (quadratic: seconds at 500 dyads). The sides
    # are therefore picked with "> 0" (an inequality, estimated at a third of the rows) rather
    # than "= 1" (estimated at half a percent), so the pairing stays a hash join.
    # PostgreSQL finds a passage's turns by binary search in each interview's turn starts
    # (width_bucket); elsewhere they come from one window pass over turn starts and passage
    # ends in text order. Both give the last turn starting at or before a position.
    placement = PLACEMENT_BY_BUCKET if connection.vendor == "postgresql" else PLACEMENT_BY_WINDOW
    # Only fixed SQL fragments are formatted in; every value is a parameter.
    if turns not in TURN_COUNTS:
        raise ValidationError({"turns": f"Count {' or '.join(TURN_COUNTS)} turns."})
    turn_where = "t.role <> 'interviewer'" if turns == "participant" else "1 = 1"
    sql = f"""
        WITH rollup(code_id, target_id, is_first, is_second) AS (VALUES {rollup_rows}),
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
    params = [*rollup_params, *dyad_params, *layer_params, window, window]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        (row[0], row[1]): (int(row[2]), int(row[3]), int(row[4]), int(row[5]))
        for row in rows
        if row[1] not in tree.ancestors.get(row[0], ())
        and row[0] not in tree.ancestors.get(row[1], ())
    }


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


# --- Subgroups -------------------------------------------------------------------------------


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
        numbers = [
            v for v in values.values() if isinstance(v, int | float) and not isinstance(v, bool)
        ]
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


# --- Framework matrix ------------------------------------------------------------------------


def case_study_link(dyad_id: int, code_key: str | None = None) -> str:
    """Where a dyad's case study discusses a component. The one place that builds this link."""
    page = reverse("dyad-case-study", args=[dyad_id])
    return page if code_key is None else f"{page}#component-{code_key}"


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


# --- One view's settings and figures (shared by the page, the downloads and the API) ----------

VIEWS = ("matrix", "prevalence", "process-outcome", "subgroups", "framework")


@dataclass(frozen=True)
class ViewSettings:
    """A comparison view's own settings, read from query parameters (defaults when absent)."""

    measure: str = "presence"
    side: str = "both"
    threshold: int = DEFAULT_THRESHOLD
    basis: str = "either"
    window: int = DEFAULT_WINDOW
    sub_codes: bool = False
    group_by: str = ""
    split: float | None = None
    turns: str = "participant"

    def as_dict(self) -> dict[str, Any]:
        return {
            "turns": self.turns,
            "measure": self.measure,
            "side": self.side,
            "threshold": self.threshold,
            "basis": self.basis,
            "window": self.window,
            "sub_codes": self.sub_codes,
            "group_by": self.group_by,
            "split": self.split,
        }


def view_settings(params: Mapping[str, Sequence[str]]) -> ViewSettings:
    """Bad values are a 400 that names the parameter and what it takes."""
    raw_split = _last(params, "split")
    split: float | None = None
    if raw_split not in (None, ""):
        try:
            split = float(raw_split)
        except ValueError:
            raise ValidationError({"split": "Give the number to split at."}) from None
        if split != split or split in (float("inf"), float("-inf")):
            raise ValidationError({"split": "Give the number to split at."})
    group_by = _last(params, "group_by") or ""
    if len(group_by) > 100:
        raise ValidationError({"group_by": "Too long."})
    return ViewSettings(
        measure=choice_param(params, "measure", MEASURES, "presence"),
        side=choice_param(params, "side", SIDES, "both"),
        threshold=int_param(params, "threshold", DEFAULT_THRESHOLD, 0, 100),
        basis=choice_param(params, "basis", PREVALENCE_BASES, "either"),
        window=int_param(params, "window", DEFAULT_WINDOW, 0, MAX_WINDOW),
        turns=choice_param(params, "turns", TURN_COUNTS, "participant"),
        sub_codes=bool_param(params, "sub_codes"),
        group_by=group_by,
        split=split,
    )
