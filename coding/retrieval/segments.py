"""Retrieved segments: the codings that match filters, with their place and surrounding text.

Everything is decided in SQL: the layer, codes, dyads, perspective, attributes, coder, text and
memo filters, the role of the turn each segment starts in (the interview's first turn ending
after the segment's start, one index seek per coding on ``turn_by_end``), the order, the keyset
cursor, and the context (``before``/``after`` are cut from the transcript by the database, so a
page never reads whole transcripts). A page is one query and its counts another, whatever the
number of results.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
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

from coding.models import Coding, Layer, Memo
from coding.retrieval.filters import SegmentFilters
from coding.selectors import LayerChoice, best_layer_q
from healing.text_functions import UnicodeUpper
from interviews.models import Study, Turn

# Extra characters read on each side of the context, to widen it to whole words.
WORD_MARGIN = 40
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
ORDERS = ("dyad", "code")

# The sort key of each order: field names of the annotated queryset, all ascending.
ORDER_FIELDS = {
    "dyad": ("dyad_label", "perspective", "interview_id", "start", "end", "id"),
    "code": (
        "code_order",
        "code_key",
        "dyad_label",
        "perspective",
        "interview_id",
        "start",
        "end",
        "id",
    ),
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


def _with_sort_keys(queryset: QuerySet[Coding]) -> QuerySet[Coding]:
    return queryset.annotate(
        dyad_label=F("interview__dyad__label"),
        perspective=F("interview__perspective"),
        code_order=F("code__order"),
        code_key=F("code__key"),
    )


def encode_cursor(values: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        raise ValidationError({"cursor": "This cursor is not one this list gave."}) from None
    if not isinstance(values, list) or len(values) != len(ORDER_FIELDS[order]):
        raise ValidationError({"cursor": "This cursor is not one this list gave."})
    for value in values:
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ValidationError({"cursor": "This cursor is not one this list gave."})
    return values


def after_q(fields: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows whose sort key (``fields`` ascending) comes after ``values``."""
    q = Q()
    for i, name in enumerate(fields):
        step = Q(**{f"{name}__gt": values[i]})
        for earlier, value in zip(fields[:i], values[:i], strict=True):
            step &= Q(**{earlier: value})
        q |= step
    return q


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
    "dyad_label",
    "perspective",
    "code_key",
    "code__name",
    "code__color",
    "coder__username",
    "layer",
    "start",
    "end",
    "quote",
    "memo",
    "before_raw",
    "after_raw",
    "turn_index",
    "turn_speaker",
    "turn_role_",
    "code_order",
    "interview__dyad_id",
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


def segment_dict(row: dict[str, Any], context: int) -> dict[str, Any]:
    start = row["start"]
    return {
        "id": row["id"],
        "interview": row["interview_id"],
        "dyad": row["dyad_label"],
        "dyad_id": row["interview__dyad_id"],
        "perspective": row["perspective"],
        "code": row["code_key"],
        "code_name": row["code__name"],
        "code_color": row["code__color"],
        "coder": row["coder__username"],
        "layer": row["layer"],
        "start": start,
        "end": row["end"],
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


@dataclass(frozen=True)
class SegmentPage:
    results: list[dict[str, Any]]
    next_cursor: str | None
    order: str


def segment_page(
    *,
    queryset: QuerySet[Coding],
    context: int,
    order: str = "dyad",
    cursor: str | None = None,
    size: int = PAGE_SIZE,
) -> SegmentPage:
    """One page of segments in ``order`` (by dyad, or by code then dyad), after ``cursor``.
    One query."""
    if order not in ORDERS:
        raise ValidationError({"order": "Use dyad or code."})
    fields = ORDER_FIELDS[order]
    queryset = _with_sort_keys(queryset)
    if cursor:
        queryset = queryset.filter(after_q(fields, decode_cursor(cursor, order)))
    rows = list(
        with_context(queryset.order_by(*fields), context).values(*SEGMENT_VALUES)[: size + 1]
    )
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        sort_names = {"code_key": "code_key", "code_order": "code_order"}
        next_cursor = encode_cursor([last[sort_names.get(name, name)] for name in fields])
    return SegmentPage(
        results=[segment_dict(row, context) for row in rows], next_cursor=next_cursor, order=order
    )


def segments_all(
    *, queryset: QuerySet[Coding], context: int, order: str = "dyad", chunk: int = 2000
) -> Iterator[dict[str, Any]]:
    """Every matching segment in order, a chunk (one query) at a time: for exports."""
    cursor = None
    while True:
        page = segment_page(
            queryset=queryset, context=context, order=order, cursor=cursor, size=chunk
        )
        yield from page.results
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def segment_counts(*, queryset: QuerySet[Coding]) -> dict[str, Any]:
    """How many segments match, per dyad and per code. One query (grouped by dyad and code)."""
    rows = (
        queryset.order_by()
        .values("interview__dyad__label", "code__key", "code__name", "code__order")
        .annotate(n=Count("id"))
    )
    by_dyad: dict[str, int] = {}
    by_code: dict[str, dict[str, Any]] = {}
    total = 0
    for row in rows:
        n = row["n"]
        total += n
        by_dyad[row["interview__dyad__label"]] = by_dyad.get(row["interview__dyad__label"], 0) + n
        entry = by_code.setdefault(
            row["code__key"],
            {
                "code": row["code__key"],
                "name": row["code__name"],
                "order": row["code__order"],
                "count": 0,
            },
        )
        entry["count"] += n
    codes = sorted(by_code.values(), key=lambda e: (e["order"], e["code"]))
    return {
        "total": total,
        "dyads": len(by_dyad),
        "by_dyad": [{"dyad": label, "count": by_dyad[label]} for label in sorted(by_dyad)],
        "by_code": [{"code": e["code"], "name": e["name"], "count": e["count"]} for e in codes],
    }
