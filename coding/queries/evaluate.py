"""Running a coding query: each term's segments from SQL, combined per interview in Python.

Each distinct term is one query through ``segments_queryset`` (the retrieved segments' filters:
codes with sub-codes, side, coder, layer) that returns compact rows: id, interview, code, start,
end and, when the query needs it, the index of the turn the segment starts in (the interview's
first turn ending after its start, as retrieved segments show it) and that turn's role. The
operators then combine the rows interview by interview with sorted sweeps and binary searches
(no loop over all pairs), and the matches become a retrieved segments' ``SegmentListing``, which
sorts, counts and pages them (one query for a page, with the context cut by the database).

Definitions (docs/queries.md):

- A segment's **turn** is the turn it starts in; a segment that starts after the last turn has
  ended belongs to the last turn; in an interview without turns every segment is in one turn.
- **Overlap**: two segments of one interview share at least one code point (half-open spans:
  ``a.start < b.end and b.start < a.end``).
- **Counting turns** (``near``, ``followed_by``): with ``"count": "all"`` a segment's position is
  its turn's index; with ``"count": "participant"`` (the default) interviewer turns are skipped:
  the position is the number of non-interviewer turns up to and including the segment's turn,
  minus one, so a segment starting in an interviewer's turn counts as in the participant turn
  before it (position -1 before the first one).
- A segment is never its own partner: "a segment of Q2" means another coding.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from rest_framework.exceptions import ValidationError

from coding.models import Code
from coding.queries.grammar import (
    Node,
    Term,
    counts_participant_turns,
    needs_turns,
    terms_of,
)
from coding.retrieval.filters import CodeChoice, PlaceFilters, SegmentFilters, coder_and_layer
from coding.retrieval.segments import (
    SegmentListing,
    segments_queryset,
    turn_at,
)
from coding.selectors import LayerChoice
from interviews.models import Interview, Study, Turn, TurnRole
from interviews.selectors import Access

# Layers a query reads; "coder" is chosen per term ("coder": "ana") instead.
QUERY_LAYERS = ("best", "consensus", "all", "mine")


# A segment as the operators see it: a plain tuple (id, interview, code, start, end, turn), where
# turn is the index of the turn it starts in (-1: the interview has no turns).
Seg = tuple[int, int, int, int, int, int]
ID, IV, CODE, START, END, TURN = range(6)


@dataclass(frozen=True)
class CodeInfo:
    key: str
    name: str
    color: str
    order: int


@dataclass(frozen=True)
class InterviewInfo:
    dyad_id: int
    dyad: str
    perspective: str


@dataclass
class ResolvedQuery:
    """A parsed query checked against the study: each term's filters, and the query's layer."""

    node: Node
    layer: LayerChoice
    layer_defaulted: bool
    term_filters: dict[tuple[Any, ...], SegmentFilters]
    codes: dict[int, CodeInfo]


def term_key(term: Term) -> tuple[Any, ...]:
    return (term.code, term.descendants, term.role, term.perspective, term.coder)


def _code_ids(
    rows: Sequence[tuple[int, str, int | None]], key: str, descendants: bool
) -> frozenset[int]:
    """The code with this key and, with ``descendants``, its sub-codes at any depth (as
    ``code_choice`` computes them, from rows already read)."""
    ids = {pk for pk, k, _ in rows if k == key}
    if descendants:
        children: dict[int, list[int]] = defaultdict(list)
        for pk, _, parent in rows:
            if parent is not None:
                children[parent].append(pk)
        todo = list(ids)
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in ids:
                    ids.add(child)
                    todo.append(child)
    return frozenset(ids)


def query_resolve(
    *, study: Study, access: Access, user: Any, node: Node, layer_name: str = ""
) -> ResolvedQuery:
    """Check the query's codes, coders and layer against the study and what the reader may see
    (blind coding: a blinded coder names only themselves and reads their own layer and the
    consensus). One query for the codebook and one per coder named."""
    if layer_name and layer_name not in QUERY_LAYERS:
        if layer_name == "coder":
            raise ValidationError(
                {
                    "layer": "To read one coder's layer, name the coder in each term "
                    '("coder": "ana").'
                }
            )
        raise ValidationError(
            {"layer": f"Unknown layer {layer_name!r}: use one of {', '.join(QUERY_LAYERS)}."}
        )
    layer, defaulted, _ = coder_and_layer(
        study=study, access=access, user=user, layer_name=layer_name, coder_username=""
    )
    code_rows = list(
        Code.objects.filter(codebook__study=study).values_list(
            "id", "key", "parent_id", "name", "color", "order"
        )
    )
    keyed = [(pk, key, parent) for pk, key, parent, _, _, _ in code_rows]
    known = {key for _, key, _ in keyed}
    coders: dict[str, tuple[LayerChoice, int | None]] = {}
    term_filters: dict[tuple[Any, ...], SegmentFilters] = {}
    for term in terms_of(node):
        if term.code not in known:
            raise ValidationError(
                {"query": [f"{term.path}.code: the codebook has no code {term.code!r}."]}
            )
        key = term_key(term)
        if key in term_filters:
            continue
        term_layer, coder_id = layer, None
        if term.coder:
            if term.coder not in coders:
                try:
                    found, _, found_id = coder_and_layer(
                        study=study,
                        access=access,
                        user=user,
                        layer_name=layer_name,
                        coder_username=term.coder,
                    )
                except ValidationError as error:
                    detail: Any = error.detail
                    if isinstance(detail, dict):
                        detail = detail.get("coder", "unknown coder")
                    message = str(detail[0] if isinstance(detail, list) else detail)
                    raise ValidationError({"query": [f"{term.path}.coder: {message}"]}) from None
                coders[term.coder] = (found, found_id)
            term_layer, coder_id = coders[term.coder]
        term_filters[key] = SegmentFilters(
            place=PlaceFilters(perspective=term.perspective, role=term.role),
            codes=CodeChoice(
                keys=(term.code,),
                descendants=term.descendants,
                ids=_code_ids(keyed, term.code, term.descendants),
            ),
            layer=term_layer,
            layer_defaulted=defaulted,
            coder_id=coder_id,
            coder_username=term.coder if coder_id is not None else "",
        )
    return ResolvedQuery(
        node=node,
        layer=layer,
        layer_defaulted=defaulted,
        term_filters=term_filters,
        codes={
            pk: CodeInfo(key=key, name=name, color=color, order=order)
            for pk, key, _, name, color, order in code_rows
        },
    )


def _turn_of_start() -> Coalesce:
    """The index of the turn a coding starts in; the last turn for a start after every turn;
    -1 in an interview without turns."""
    last_turn = Subquery(
        Turn.objects.filter(interview_id=OuterRef("interview_id"))
        .order_by("-end")
        .values("index")[:1]
    )
    return Coalesce(turn_at("index"), last_turn, Value(-1), output_field=IntegerField())


@dataclass
class QueryResult:
    segments: list[Seg]
    interviews: dict[int, InterviewInfo]
    codes: dict[int, CodeInfo]
    layer: LayerChoice
    by_term: dict[tuple[Any, ...], int] = field(default_factory=dict)


def _rows(queryset: QuerySet[Any]) -> list[Any]:
    """The rows of a ``values_list`` queryset as the driver gives them: plain tuples, without
    Django's per-row iteration and converters (tens of thousands of rows per term)."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Context:
    """What the operators need besides the rows: each interview's dyad, and each turn's
    position among the participant turns."""

    def __init__(self, interviews: dict[int, InterviewInfo]) -> None:
        self.interviews = interviews
        # interview → position of each turn among the participant turns, by turn index (a list
        # when the indexes are 0, 1, 2, …, else a dict)
        self.participant: dict[int, Any] = {}

    def positions(self, segs: Sequence[Seg], count: str) -> list[int]:
        """Each segment's position: its turn (``all``) or its place among the participant
        turns up to its own (``participant``; -1 before the first)."""
        if count == "all":
            return [seg[TURN] for seg in segs]
        tables = self.participant
        return [tables[seg[IV]][seg[TURN]] if seg[TURN] >= 0 else -1 for seg in segs]

    def load_participant_turns(self, rows: Iterable[tuple[int, int, bool]]) -> None:
        """From (interview, turn index, is the interviewer's) in text order."""
        current: int | None = None
        table: Any = None
        running, listed = -1, True
        for interview_id, index, interviewer in rows:
            if interview_id != current:
                current, running, listed = interview_id, -1, True
                table = self.participant[interview_id] = []
            if not interviewer:
                running += 1
            if listed and index == len(table):
                table.append(running)
            else:
                if listed:
                    table = self.participant[interview_id] = dict(enumerate(table))
                    listed = False
                table[index] = running


def query_run(*, study: Study, resolved: ResolvedQuery) -> QueryResult:
    """The segments matching the query. One query per distinct term, one for the study's
    interviews, and one for the turns when a ``near``/``followed_by`` counts participant
    turns, whatever the number of segments."""
    with_turns = needs_turns(resolved.node)
    rows: dict[tuple[Any, ...], list[Seg]] = {}
    for key, filters in resolved.term_filters.items():
        # The role of the starting turn is read as a column and compared here: as a condition
        # in SQL the planner cannot estimate it, guesses a handful of rows and joins the dyads
        # in a nested loop (0.8 s instead of 0.1 s at 500 dyads).
        role = filters.place.role
        unrestricted = replace(filters, place=replace(filters.place, role=""))
        queryset = segments_queryset(study=study, filters=unrestricted).order_by()
        turn: Any = _turn_of_start() if with_turns else Value(-1, output_field=IntegerField())
        columns = ["id", "interview_id", "code_id", "start", "end", "q_turn"]
        queryset = queryset.annotate(q_turn=turn)
        if role:
            queryset = queryset.annotate(q_role=turn_at("role"))
            columns.append("q_role")
        fetched = _rows(queryset.values_list(*columns))
        rows[key] = [row[:6] for row in fetched if row[6] == role] if role else fetched
    interviews = {
        pk: InterviewInfo(dyad_id=dyad_id, dyad=label, perspective=perspective)
        for pk, dyad_id, label, perspective in Interview.objects.filter(
            dyad__study=study
        ).values_list("id", "dyad_id", "dyad__label", "perspective")
    }
    context = _Context(interviews)
    if counts_participant_turns(resolved.node):
        turns = (
            Turn.objects.filter(interview__dyad__study=study)
            .annotate(
                by_interviewer=Case(
                    When(role=TurnRole.INTERVIEWER, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
            .order_by("interview_id", "index")
            .values_list("interview_id", "index", "by_interviewer")
        )
        context.load_participant_turns(_rows(turns))
    segments = _evaluate(resolved.node, rows, context)
    return QueryResult(
        segments=segments,
        interviews=interviews,
        codes=resolved.codes,
        layer=resolved.layer,
        by_term={key: len(segs) for key, segs in rows.items()},
    )


def _evaluate(node: Node, rows: dict[tuple[Any, ...], list[Seg]], context: _Context) -> list[Seg]:
    if isinstance(node, Term):
        return rows[term_key(node)]
    operands = [_evaluate(child, rows, context) for child in node.operands]
    if node.op == "any":
        seen: dict[int, Seg] = {}
        for segs in operands:
            for seg in segs:
                seen.setdefault(seg[ID], seg)
        return list(seen.values())
    first = operands[0]
    if node.op in ("all", "not"):
        kept = {seg[ID] for seg in first}
        for other in operands[1:]:
            partnered = _partnered(first, other, node.within, context)
            kept = kept & partnered if node.op == "all" else kept - partnered
        return [seg for seg in first if seg[ID] in kept]
    if node.op == "near":
        matched = _near(first, operands[1], node.turns, node.count, context)
    else:
        matched = _followed(first, operands[1], node.turns, node.count, context)
    return [seg for seg in first if seg[ID] in matched]


def _by_interview(segs: Iterable[Seg]) -> dict[int, list[Seg]]:
    grouped: dict[int, list[Seg]] = defaultdict(list)
    for seg in segs:
        grouped[seg[IV]].append(seg)
    return grouped


def _partnered(first: list[Seg], other: list[Seg], within: str, context: _Context) -> set[int]:
    """Ids of segments of ``first`` with another segment of ``other`` in the same place."""
    other_ids = {seg[ID] for seg in other}
    found: set[int] = set()
    if within == "overlap":
        others = _by_interview(other)
        for interview_id, segs in _by_interview(first).items():
            candidates = sorted(others.get(interview_id, ()), key=itemgetter(START))
            if not candidates:
                continue
            starts = [s[START] for s in candidates]
            # The two largest ends (of different segments) among the first i candidates by start.
            best: list[tuple[int, int, int]] = []  # (end1, id1, end2)
            end1, id1, end2 = -1, -1, -1
            for s in candidates:
                if s[END] > end1:
                    end1, id1, end2 = s[END], s[ID], end1
                elif s[END] > end2:
                    end2 = s[END]
                best.append((end1, id1, end2))
            for seg in segs:
                # Candidates starting before the segment ends; one of them ending after it starts.
                reach = bisect_left(starts, seg[END])
                if not reach:
                    continue
                top, top_id, second = best[reach - 1]
                if (top if top_id != seg[ID] else second) > seg[START]:
                    found.add(seg[ID])
        return found

    def place(seg: Seg) -> Any:
        if within == "turn":
            return (seg[IV], seg[TURN])
        if within == "interview":
            return seg[IV]
        return context.interviews[seg[IV]].dyad_id

    tally: dict[Any, int] = defaultdict(int)
    for seg in other:
        tally[place(seg)] += 1
    for seg in first:
        if tally.get(place(seg), 0) - (seg[ID] in other_ids) > 0:
            found.add(seg[ID])
    return found


def _near(
    first: list[Seg], other: list[Seg], turns: int, count: str, context: _Context
) -> set[int]:
    """Ids of segments of ``first`` with another segment of ``other`` at most ``turns`` counted
    turns away, either way, in the same interview."""
    other_ids = {seg[ID] for seg in other}
    positions: dict[int, list[int]] = defaultdict(list)
    for seg, pos in zip(other, context.positions(other, count), strict=True):
        positions[seg[IV]].append(pos)
    for listed in positions.values():
        listed.sort()
    found = set()
    for seg, at in zip(first, context.positions(first, count), strict=True):
        values = positions.get(seg[IV])
        if not values:
            continue
        inside = bisect_right(values, at + turns) - bisect_left(values, at - turns)
        if inside - (seg[ID] in other_ids) > 0:
            found.add(seg[ID])
    return found


def _followed(
    first: list[Seg], other: list[Seg], turns: int, count: str, context: _Context
) -> set[int]:
    """Ids of segments of ``first`` with a segment of ``other`` in the same interview that
    starts after it (a later start) in the same counted turn or one of the next ``turns``.

    A segment's counted position never decreases as its start moves on through the text, so
    of the ``other`` segments starting after a segment, the first one has the smallest
    position: the segment is followed when that one is within reach. (The smallest position
    from each candidate on is taken all the same, so turns numbered out of text order would
    not make it miss one.)"""
    others = _by_interview(other)
    found = set()
    for interview_id, segs in _by_interview(first).items():
        candidates = sorted(others.get(interview_id, ()), key=itemgetter(START, ID))
        if not candidates:
            continue
        starts = [s[START] for s in candidates]
        # The smallest position from each candidate on.
        lowest = list(accumulate(reversed(context.positions(candidates, count)), min))[::-1]
        for seg, at in zip(segs, context.positions(segs, count), strict=True):
            after = bisect_right(starts, seg[START])
            if after < len(candidates) and lowest[after] <= at + turns:
                found.add(seg[ID])
    return found


# --- Paging and counts ----------------------------------------------------------------------


def query_listing(result: QueryResult, order: str = "dyad") -> SegmentListing:
    """The matching segments as a retrieved segments' listing (sorted in ``order``, counted per
    dyad and code, paged with the same cursors and shaped with context and turn), without a
    query: the listing's own rows are the query's."""
    interviews = result.interviews
    keys = [
        (
            interviews[seg[IV]].dyad,
            interviews[seg[IV]].perspective,
            seg[IV],
            seg[START],
            seg[END],
            seg[ID],
            seg[CODE],
        )
        for seg in result.segments
    ]
    codes = {pk: (info.key, info.name, info.color, info.order) for pk, info in result.codes.items()}
    return SegmentListing.from_keys(keys, codes, order)
