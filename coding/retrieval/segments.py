"""Retrieved segments: the codings that match filters, with their place and surrounding text.

The filters are decided in SQL: the layer, codes, dyads, perspective, attributes, coder, text and
memo, and the role of the turn each segment starts in (the interview's first turn ending after
the segment's start: one index seek per candidate on ``turn_by_end``, which carries the role).

A listing then reads the sort keys of every match in one narrow query (ids, offsets, code, dyad
label and side: on PostgreSQL an index-only scan), counts them per dyad and code and sorts them
in Python, so a page and its counts come from one pass instead of two sorts of every match; the
page's rows then get their context (``before``/``after`` cut by the database, so no page reads
whole transcripts) and turn in a second query by id. Three queries per page, codes included,
whatever the number of results. The order is Python's (code points), the same on both databases.
"""

from __future__ import annotations

import base64
import json
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Greatest, Substr
from rest_framework.exceptions import ValidationError

from coding.models import Code, Coding, Layer, Memo
from coding.retrieval.filters import SegmentFilters
from coding.selectors import LayerChoice, best_layer_q
from healing.text_functions import UnicodeUpper
from interviews.models import Study, Turn

# Extra characters read on each side of the context, to widen it to whole words.
WORD_MARGIN = 40
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
ORDERS = ("dyad", "code")

# The types of a cursor's values: a listing's sort key (see DYAD…CODE below).
ORDER_KINDS = {
    "dyad": (str, str, int, int, int, int, int),
    "code": (int, str, str, str, int, int, int, int, int),
}


def layer_q(layer: LayerChoice, prefix: str = "") -> Q:
    """A layer as a filter on codings of any interview (``prefix`` leads to the coding)."""
    if layer.name == "consensus":
        return Q(**{f"{prefix}layer": Layer.CONSENSUS})
    if layer.name == "best":
        return best_layer_q(coder_id=layer.coder_id, prefix=prefix)
    q = Q(**{f"{prefix}layer": Layer.INDIVIDUAL})
    if layer.coder_id is not None:
        q &= Q(**{f"{prefix}coder_id": layer.coder_id})
    return q


def turn_at(field: str, column: str = "start") -> Subquery:
    """A field of the turn the coding (or row with ``interview_id`` and ``column``) starts in:
    the first turn of the interview that ends after that offset."""
    return Subquery(
        Turn.objects.filter(interview_id=OuterRef("interview_id"), end__gt=OuterRef(column))
        .order_by("end")
        .values(field)[:1]
    )


def segments_queryset(*, study: Study, filters: SegmentFilters) -> QuerySet[Coding]:
    """The study's codings matching every filter, not yet ordered (the turn's role is
    annotated as ``turn_role`` when filtered by it)."""
    queryset = Coding.objects.filter(interview__dyad__study=study).filter(layer_q(filters.layer))
    if filters.coder_id is not None:
        queryset = queryset.filter(coder_id=filters.coder_id)
    if not filters.codes.is_all:
        queryset = queryset.filter(code_id__in=sorted(filters.codes.ids))
    place = filters.place.interview_q("interview__")
    if place:
        queryset = queryset.filter(place)
    if filters.text:
        queryset = queryset.annotate(quote_upper=UnicodeUpper("quote")).filter(
            quote_upper__contains=filters.text.upper()
        )
    if filters.memo is not None:
        with_memo = Q(memo__gt="") | Exists(Memo.objects.filter(coding_id=OuterRef("pk")))
        queryset = queryset.filter(with_memo if filters.memo else ~with_memo)
    if filters.place.role:
        queryset = queryset.annotate(turn_role=turn_at("role")).filter(turn_role=filters.place.role)
    return queryset


def encode_cursor(values: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: str) -> tuple[Any, ...]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        raise ValidationError({"cursor": "This cursor is not one this list gave."}) from None
    kinds = ORDER_KINDS[order]
    if (
        not isinstance(values, list)
        or len(values) != len(kinds)
        or any(
            not isinstance(value, kind) or isinstance(value, bool)
            for value, kind in zip(values, kinds, strict=True)
        )
    ):
        raise ValidationError({"cursor": "This cursor is not one this list gave."})
    return tuple(values)


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def widen_before(raw: str, context: int, at_text_start: bool) -> str:
    """The last ``context`` characters of ``raw`` (what precedes a segment), widened left to
    the start of the word they cut; ``raw`` holds up to WORD_MARGIN characters more."""
    if context <= 0:
        return ""
    cut = max(len(raw) - context, 0)
    while cut > 0 and _word_char(raw[cut - 1]) and _word_char(raw[cut]):
        cut -= 1
    if cut == 0 and not at_text_start and len(raw) > context:
        # A word longer than the margin: cut inside it rather than read more.
        cut = len(raw) - context
    return raw[cut:]


def widen_after(raw: str, context: int) -> str:
    """The first ``context`` characters of ``raw`` (what follows a segment), widened right to
    the end of the word they cut."""
    if context <= 0:
        return ""
    cut = min(context, len(raw))
    while cut < len(raw) and _word_char(raw[cut - 1]) and _word_char(raw[cut]):
        cut += 1
    return raw[:cut]


SEGMENT_VALUES = (
    "id",
    "interview_id",
    "interview__dyad_id",
    "coder__username",
    "layer",
    "quote",
    "memo",
    "before_raw",
    "after_raw",
    "turn_index",
    "turn_speaker",
    "turn_role_",
)


def with_context(queryset: QuerySet[Coding], context: int) -> QuerySet[Coding]:
    """Annotate the text around each segment (with the word margin) and its turn."""
    reach = context + WORD_MARGIN
    before_from = Greatest(F("start") - Value(reach), Value(0), output_field=IntegerField())
    return queryset.annotate(
        before_raw=Substr("interview__text", before_from + Value(1), F("start") - before_from),
        after_raw=Substr("interview__text", F("end") + Value(1), Value(reach)),
        turn_index=turn_at("index"),
        turn_speaker=turn_at("speaker"),
        turn_role_=turn_at("role"),
    )


# A match as a listing holds it, in the dyad order's sort: (dyad label, side, interview, start,
# end, coding id, code id); the code order puts (code's order, code's key) in front.
DYAD, SIDE, INTERVIEW, START, END, ID, CODE = range(7)


@dataclass(frozen=True)
class SegmentPage:
    results: list[dict[str, Any]]
    next_cursor: str | None
    order: str


class SegmentListing:
    """Every match of a queryset, sorted in ``order`` and counted: pages and exports read their
    rows from it. Two queries (the matches' keys, the codes met), plain tuples throughout: a
    listing of 100,000 matches costs a fraction of a second."""

    def __init__(self, queryset: QuerySet[Coding], order: str = "dyad") -> None:
        if order not in ORDERS:
            raise ValidationError({"order": "Use dyad or code."})
        self.order = order
        fields = (
            "interview__dyad__label",
            "interview__perspective",
            "interview_id",
            "start",
            "end",
            "id",
            "code_id",
        )
        # The database sorts (cheaply, with the keys at hand); Python's sort then fixes any
        # difference of collation in a single pass over the nearly sorted list.
        keys = list(queryset.order_by(*fields).values_list(*fields))
        codes = {
            pk: (key, name, color, place)
            for pk, key, name, color, place in Code.objects.filter(
                pk__in={k[CODE] for k in keys}
            ).values_list("id", "key", "name", "color", "order")
        }
        self._arrange(keys, codes)

    @classmethod
    def from_keys(
        cls,
        keys: list[tuple[Any, ...]],
        codes: dict[int, tuple[str, str, str, int]],
        order: str = "dyad",
    ) -> SegmentListing:
        """A listing of matches found elsewhere (coding queries), without a query: ``keys`` as
        (dyad label, side, interview, start, end, coding id, code id), ``codes`` as (key, name,
        colour, order) by id."""
        if order not in ORDERS:
            raise ValidationError({"order": "Use dyad or code."})
        listing = cls.__new__(cls)
        listing.order = order
        listing._arrange(list(keys), codes)
        return listing

    def _arrange(
        self, keys: list[tuple[Any, ...]], codes: dict[int, tuple[str, str, str, int]]
    ) -> None:
        order = self.order
        keys.sort()
        self.codes: dict[int, tuple[str, str, str, int]] = codes
        self.keys = keys
        if order == "code":
            codes = self.codes
            self.sort_keys: list[tuple[Any, ...]] = sorted(
                (codes[k[CODE]][3], codes[k[CODE]][0], *k) for k in keys
            )
            self.keys = [k[2:] for k in self.sort_keys]
        else:
            self.sort_keys = keys

    @property
    def total(self) -> int:
        return len(self.keys)

    def counts(self) -> dict[str, Any]:
        """How many segments match, per dyad and per code (in the codebook's order)."""
        by_dyad = Counter(k[DYAD] for k in self.keys)
        by_code = Counter(k[CODE] for k in self.keys)
        codes = sorted(by_code, key=lambda pk: (self.codes[pk][3], self.codes[pk][0]))
        return {
            "total": self.total,
            "dyads": len(by_dyad),
            "by_dyad": [{"dyad": label, "count": by_dyad[label]} for label in sorted(by_dyad)],
            "by_code": [
                {"code": self.codes[pk][0], "name": self.codes[pk][1], "count": by_code[pk]}
                for pk in codes
            ],
        }

    def page(
        self, *, context: int, cursor: str | None = None, size: int = PAGE_SIZE
    ) -> SegmentPage:
        """The ``size`` segments after ``cursor``, with their context. One query."""
        first = bisect_right(self.sort_keys, decode_cursor(cursor, self.order)) if cursor else 0
        keys = self.keys[first : first + size]
        more = first + size < len(self.keys)
        next_cursor = encode_cursor(self.sort_keys[first + size - 1]) if more and keys else None
        return SegmentPage(
            results=self.rows(keys, context), next_cursor=next_cursor, order=self.order
        )

    def all(self, *, context: int, chunk: int = 2000) -> Iterator[dict[str, Any]]:
        """Every segment in order, with context, a chunk (one query) at a time: for exports."""
        for first in range(0, len(self.keys), chunk):
            yield from self.rows(self.keys[first : first + chunk], context)

    def rows(self, keys: Sequence[tuple[Any, ...]], context: int) -> list[dict[str, Any]]:
        if not keys:
            return []
        details = {
            row["id"]: row
            for row in with_context(
                Coding.objects.filter(pk__in=[k[ID] for k in keys]), context
            ).values(*SEGMENT_VALUES)
        }
        return [self._segment(k, details[k[ID]], context) for k in keys if k[ID] in details]

    def _segment(self, k: tuple[Any, ...], row: dict[str, Any], context: int) -> dict[str, Any]:
        code = self.codes[k[CODE]]
        start = k[START]
        return {
            "id": k[ID],
            "interview": k[INTERVIEW],
            "dyad": k[DYAD],
            "dyad_id": row["interview__dyad_id"],
            "perspective": k[SIDE],
            "code": code[0],
            "code_name": code[1],
            "code_color": code[2],
            "coder": row["coder__username"],
            "layer": row["layer"],
            "start": start,
            "end": k[END],
            "quote": row["quote"],
            "before": widen_before(
                row["before_raw"] or "", context, at_text_start=start <= context + WORD_MARGIN
            ),
            "after": widen_after(row["after_raw"] or "", context),
            "turn": row["turn_index"],
            "speaker": row["turn_speaker"] or "",
            "role": row["turn_role_"] or "",
            "memo": row["memo"],
        }
