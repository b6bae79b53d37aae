"""Full-text search across a study's transcripts: the database narrows, Python finds the hits.

1. The study's unindexed interviews (new, or edited since) are indexed first (one query when
   there are none; interviews/search_index.py).
2. One query lists the candidate interviews in order (dyad label, side, id) without their
   texts: the place filters (dyads, side, attributes) and the full-text condition — the words'
   keys against the tsvector's GIN index (PostgreSQL) or FTS5 (SQLite); for a regular expression
   a literal it must contain, against the trigram index (PostgreSQL) or a scan (SQLite), else
   every interview of the study that the filters keep.
3. The candidates' texts are read in growing batches (8, 32, 128, … interviews: two queries per
   batch, the texts and the turns of those with hits) until the page is full, and the hits are
   found in Python with exact code-point offsets (coding/search/finder.py), the role filter
   applied on the turn each hit starts in (the first turn ending after its start).

Counts (hits, interviews, per dyad) need every candidate read: they are given when the
candidates hold at most COUNT_BUDGET characters or when asked for (``counts=true``), else null.
"""

from __future__ import annotations

import base64
import bisect
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from rest_framework.exceptions import ValidationError

from coding.retrieval.filters import PlaceFilters, context_value, place_filters_from_params
from coding.retrieval.segments import WORD_MARGIN, widen_after, widen_before
from coding.search.finder import Deadline, regex_seconds, text_hits
from coding.search.query import SearchQuery, Term, search_query_from_params
from interviews.models import Interview, Study, Turn
from interviews.search_index import search_index_missing, unindexed

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
FIRST_BATCH = 8
# Characters of candidate text read to count every hit with the first page.
COUNT_BUDGET = 1_000_000
SEARCH_PARAMS = ("q", "mode")


@dataclass(frozen=True)
class Search:
    """A search: the query, where (place filters) and how much context on each side."""

    query: SearchQuery
    place: PlaceFilters
    context: int

    def describe(self) -> list[str]:
        return [self.query.describe(), *self.place.describe()]

    def as_params(self) -> list[tuple[str, str]]:
        params = [("q", self.query.q), ("mode", self.query.mode), *self.place.as_params()]
        return params


def search_from_params(*, study: Study, params: Mapping[str, Sequence[str]]) -> Search:
    """The search the query parameters ask for (400 for any bad value)."""
    return Search(
        query=search_query_from_params(params),
        place=place_filters_from_params(study=study, params=params),
        context=context_value(params),
    )


@dataclass(frozen=True)
class Candidate:
    pk: int
    dyad: str
    dyad_id: int
    perspective: str
    length: int

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.dyad, self.perspective, self.pk)


def _tsquery(terms: Sequence[Term]) -> str:
    """The terms as a PostgreSQL tsquery over the index keys (quoted lexemes: not parsed)."""

    def lexeme(key: str, prefix: bool) -> str:
        return "'" + key.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if prefix else "")

    parts = []
    for term in terms:
        last = len(term.keys) - 1
        words = [lexeme(key, term.prefix and i == last) for i, key in enumerate(term.keys)]
        parts.append("(" + " & ".join(words) + ")")
    return " | ".join(parts)


def _fts5_query(terms: Sequence[Term]) -> str:
    """The terms as an FTS5 query over the index keys."""

    def string(key: str, prefix: bool) -> str:
        return '"' + key.replace('"', '""') + '"' + ("*" if prefix else "")

    parts = []
    for term in terms:
        last = len(term.keys) - 1
        words = [string(key, term.prefix and i == last) for i, key in enumerate(term.keys)]
        parts.append("(" + " AND ".join(words) + ")")
    return " OR ".join(parts)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _text_condition(query: SearchQuery) -> RawSQL | None:
    """The database's part of the search on ``interviews_interview`` (None: every interview).
    The SQL is constant; what the user typed goes in as parameters."""
    vendor = connection.vendor
    if query.mode == "regex":
        literal = query.literal
        if literal is None:
            return None
        if vendor == "postgresql":
            operator = "LIKE" if literal.case_sensitive else "ILIKE"
            sql = f'"interviews_interview"."text" {operator} %s'
            return RawSQL(sql, [_like_pattern(literal.text)], output_field=BooleanField())  # noqa: S611
        if vendor == "sqlite":
            if literal.case_sensitive:
                sql = 'instr("interviews_interview"."text", %s) > 0'
                return RawSQL(sql, [literal.text], output_field=BooleanField())  # noqa: S611
            # SQLite's LIKE ignores the case of ASCII letters, all the literal holds.
            sql = '"interviews_interview"."text" LIKE %s ESCAPE \'\\\''
            return RawSQL(sql, [_like_pattern(literal.text)], output_field=BooleanField())  # noqa: S611
        return None
    missing = unindexed()
    if vendor == "postgresql":
        sql = f'("interviews_interview"."search_words" @@ %s::tsquery OR {missing.sql})'
        return RawSQL(sql, [_tsquery(query.terms)], output_field=BooleanField())  # noqa: S611
    if vendor == "sqlite":
        sql = (
            '("interviews_interview"."id" IN (SELECT rowid FROM interviews_search '
            "WHERE interviews_search MATCH %s) OR "
            '"interviews_interview"."id" NOT IN (SELECT rowid FROM interviews_search))'
        )
        return RawSQL(sql, [_fts5_query(query.terms)], output_field=BooleanField())  # noqa: S611
    return None


def candidates_queryset(*, study: Study, search: Search) -> QuerySet[Interview]:
    """The interviews that may hold a hit, in the results' order."""
    queryset = Interview.objects.filter(dyad__study=study)
    place = search.place.interview_q()
    if place:
        queryset = queryset.filter(place)
    condition = _text_condition(search.query)
    if condition is not None:
        queryset = queryset.filter(condition)
    return queryset.order_by("dyad__label", "perspective", "id")


def search_candidates(*, study: Study, search: Search) -> list[Candidate]:
    """Index what is unindexed, then list the candidates (two queries)."""
    search_index_missing(study_id=study.pk)
    rows = candidates_queryset(study=study, search=search).values_list(
        "pk", "dyad__label", "dyad_id", "perspective", "text_length"
    )
    return [Candidate(*row) for row in rows]


@dataclass(frozen=True)
class TurnRow:
    index: int
    speaker: str
    role: str
    start: int
    end: int


def _turns(interview_ids: Sequence[int]) -> dict[int, list[TurnRow]]:
    turns: dict[int, list[TurnRow]] = {pk: [] for pk in interview_ids}
    if not interview_ids:
        return turns
    rows = (
        Turn.objects.filter(interview_id__in=list(interview_ids))
        .order_by("interview_id", "end", "index")
        .values_list("interview_id", "index", "speaker", "role", "start", "end")
    )
    for interview_id, index, speaker, role, start, end in rows:
        turns[interview_id].append(TurnRow(index, speaker, role, start, end))
    return turns


def turn_at(turns: Sequence[TurnRow], ends: Sequence[int], offset: int) -> TurnRow | None:
    """The first turn ending after ``offset`` (the turn a hit starting there is in)."""
    i = bisect.bisect_right(ends, offset)
    return turns[i] if i < len(turns) else None


@dataclass
class InterviewHits:
    candidate: Candidate
    text: str
    # (start, end, turn) of each hit, the role filter applied.
    hits: list[tuple[int, int, TurnRow | None]]


def _batches(candidates: Sequence[Candidate], first: int) -> Iterator[Sequence[Candidate]]:
    size, i = first, 0
    while i < len(candidates):
        yield candidates[i : i + size]
        i += size
        size *= 4


def interview_hits(
    *,
    candidates: Sequence[Candidate],
    search: Search,
    deadline: Deadline,
    first_batch: int = FIRST_BATCH,
) -> Iterator[InterviewHits]:
    """The candidates with at least one hit, in order, with their hits: texts read in growing
    batches (two queries a batch)."""
    for batch in _batches(candidates, first_batch):
        texts = dict(
            Interview.objects.filter(pk__in=[c.pk for c in batch])
            .order_by()
            .values_list("pk", "text")
        )
        found: list[tuple[Candidate, str, list[tuple[int, int]]]] = []
        for candidate in batch:
            text = texts.get(candidate.pk)
            if text is None:  # deleted meanwhile
                continue
            spans = text_hits(text, search.query, deadline)
            if spans:
                found.append((candidate, text, spans))
        turns = _turns([candidate.pk for candidate, _, _ in found])
        for candidate, text, spans in found:
            rows = turns[candidate.pk]
            ends = [turn.end for turn in rows]
            hits = []
            for start, end in spans:
                turn = turn_at(rows, ends, start)
                if search.place.role and (turn is None or turn.role != search.place.role):
                    continue
                hits.append((start, end, turn))
            if hits:
                yield InterviewHits(candidate=candidate, text=text, hits=hits)


def hit_dict(found: InterviewHits, start: int, end: int, turn: TurnRow | None, context: int) -> Any:
    text = found.text
    reach = context + WORD_MARGIN
    return {
        "interview": found.candidate.pk,
        "dyad": found.candidate.dyad,
        "dyad_id": found.candidate.dyad_id,
        "perspective": found.candidate.perspective,
        "start": start,
        "end": end,
        "match": text[start:end],
        "before": widen_before(
            text[max(0, start - reach) : start], context, at_text_start=start <= reach
        ),
        "after": widen_after(text[end : end + reach], context),
        "turn": turn.index if turn is not None else None,
        "speaker": turn.speaker if turn is not None else "",
        "role": turn.role if turn is not None else "",
        "workspace": f"/interviews/{found.candidate.pk}/#span-{start}-{end}",
    }


def encode_cursor(values: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str, int, int, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        dyad, perspective, pk, start, end = values
        if not (isinstance(dyad, str) and isinstance(perspective, str)):
            raise ValueError
        for number in (pk, start, end):
            if not isinstance(number, int) or isinstance(number, bool):
                raise ValueError
    except (ValueError, TypeError, UnicodeDecodeError):
        raise ValidationError({"cursor": "This cursor is not one this search gave."}) from None
    return dyad, perspective, pk, start, end


@dataclass
class SearchPage:
    results: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    next_cursor: str | None
    candidates: int
    counts: dict[str, Any] | None


def search_page(
    *,
    study: Study,
    search: Search,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
    counts: bool | None = None,
) -> SearchPage:
    """One page of hits after ``cursor``, grouped by interview (each group with its interview's
    whole number of hits), and the counts when every candidate is read (``counts`` True, or None
    and the candidates small enough)."""
    after = decode_cursor(cursor) if cursor else None
    candidates = search_candidates(study=study, search=search)
    if counts is None:
        counts = sum(c.length for c in candidates) <= COUNT_BUDGET
    todo: Sequence[Candidate] = candidates
    if after is not None and not counts:
        key = after[:3]
        todo = [c for c in candidates if c.key >= key]
    deadline = Deadline(regex_seconds())
    results: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    more = False
    totals: dict[str, int] = {}
    hits_total = with_hits = 0
    for found in interview_hits(candidates=todo, search=search, deadline=deadline):
        candidate = found.candidate
        totals[candidate.dyad] = totals.get(candidate.dyad, 0) + len(found.hits)
        hits_total += len(found.hits)
        with_hits += 1
        if more:
            if counts:
                continue
            break
        shown = 0
        for start, end, turn in found.hits:
            if after is not None and (*candidate.key, start, end) <= after:
                continue
            if len(results) == size:
                more = True
                break
            results.append(hit_dict(found, start, end, turn, search.context))
            shown += 1
        if shown:
            groups.append(
                {
                    "interview": candidate.pk,
                    "dyad": candidate.dyad,
                    "dyad_id": candidate.dyad_id,
                    "perspective": candidate.perspective,
                    "hits": len(found.hits),
                    "shown": shown,
                }
            )
        if more and not counts:
            break
    next_cursor = None
    if more and results:
        last = results[-1]
        next_cursor = encode_cursor(
            [last["dyad"], last["perspective"], last["interview"], last["start"], last["end"]]
        )
    count_dict = None
    if counts:
        count_dict = {
            "hits": hits_total,
            "interviews": with_hits,
            "by_dyad": [{"dyad": d, "count": totals[d]} for d in sorted(totals)],
        }
    return SearchPage(
        results=results,
        groups=groups,
        next_cursor=next_cursor,
        candidates=len(candidates),
        counts=count_dict,
    )


def search_all_hits(
    *, study: Study, search: Search, interview_ids: Sequence[int] = ()
) -> Iterator[InterviewHits]:
    """Every interview with hits (optionally only these interviews), for coding them."""
    candidates = search_candidates(study=study, search=search)
    if interview_ids:
        wanted = set(interview_ids)
        candidates = [c for c in candidates if c.pk in wanted]
    yield from interview_hits(
        candidates=candidates,
        search=search,
        deadline=Deadline(regex_seconds(job=True)),
        first_batch=64,
    )
