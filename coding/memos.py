"""Memos as a research tool (reads): the filters the Memos tab and ``/api/v1/memos/`` share, the
page's filter parsing, and what each memo is about (its target's kind, label and link)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from coding.models import Memo, MemoType
from coding.selectors import memos_visible_to
from interviews.models import Study

# What a memo may be about, besides the study itself (at most one of them, a DB constraint).
MEMO_TARGET_KINDS = ("study", "dyad", "interview", "code", "coding")
MEMO_TARGETS = ("dyad", "interview", "code", "coding")


def memo_target_q(kind: str) -> Q:
    """Memos on the study itself (``study``), or on any dyad, interview, code or coding."""
    if kind == "study":
        return Q(**{f"{target}__isnull": True for target in MEMO_TARGETS})
    return Q(**{f"{kind}__isnull": False})


def memo_about_code_q(code_id: int) -> Q:
    """Memos on the code, or on a coding with that code."""
    return Q(code_id=code_id) | Q(coding__code_id=code_id)


def memo_text_q(text: str) -> Q:
    """A case-insensitive search for ``text`` in the memo's title or body."""
    return Q(title__icontains=text) | Q(body__icontains=text)


def memo_day_range_q(*, since: dt.date | None, until: dt.date | None) -> Q:
    """Memos written (``created``) on or after ``since`` and on or before ``until`` (whole days,
    in the server's time zone)."""
    found = Q()
    if since is not None:
        found &= Q(created__date__gte=since)
    if until is not None:
        found &= Q(created__date__lte=until)
    return found


@dataclass
class MemoFilters:
    """The Memos tab's filters, read from the query string; ``errors`` names each bad one."""

    type: str = ""
    target: str = ""
    dyad: int | None = None
    interview: int | None = None
    coding: int | None = None
    author: int | None = None
    code: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    q: str = ""
    errors: list[str] = field(default_factory=list)


def _id(raw: str, name: str, errors: list[str]) -> int | None:
    if not raw:
        return None
    if raw.isdigit() and 0 < int(raw) < 2**63:
        return int(raw)
    errors.append(f"{name}: {raw[:40]!r} is not an id.")
    return None


def _day(raw: str, name: str, errors: list[str]) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors.append(f"{name}: {raw[:40]!r} is not a date; give it as YYYY-MM-DD.")
        return None


def memo_filters_parse(params: Any) -> MemoFilters:
    """Read the filters from GET parameters; a bad value is left out and named in ``errors``."""
    errors: list[str] = []
    found = MemoFilters(errors=errors)
    kind = params.get("type", "").strip()
    if kind and kind not in MemoType.values:
        errors.append(f"type: {kind[:40]!r} is not a memo type; use {', '.join(MemoType.values)}.")
    else:
        found.type = kind
    target = params.get("target", "").strip()
    if target and target not in MEMO_TARGET_KINDS:
        errors.append(f"target: {target[:40]!r} is not one of {', '.join(MEMO_TARGET_KINDS)}.")
    else:
        found.target = target
    for name in ("dyad", "interview", "coding", "author", "code"):
        setattr(found, name, _id(params.get(name, "").strip(), name, errors))
    found.since = _day(params.get("since", "").strip(), "since", errors)
    found.until = _day(params.get("until", "").strip(), "until", errors)
    if found.since and found.until and found.since > found.until:
        errors.append("until: the end of the date range is before its start.")
        found.until = None
    found.q = params.get("q", "").strip()[:200]
    return found


def memos_filtered(queryset: QuerySet[Memo], filters: MemoFilters) -> QuerySet[Memo]:
    """``queryset`` narrowed by every filter given (they combine with AND)."""
    if filters.type:
        queryset = queryset.filter(type=filters.type)
    if filters.target:
        queryset = queryset.filter(memo_target_q(filters.target))
    for name in ("dyad", "interview", "coding"):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{f"{name}_id": value})
    if filters.author is not None:
        queryset = queryset.filter(author_id=filters.author)
    if filters.code is not None:
        queryset = queryset.filter(memo_about_code_q(filters.code))
    if filters.since or filters.until:
        queryset = queryset.filter(memo_day_range_q(since=filters.since, until=filters.until))
    if filters.q:
        queryset = queryset.filter(memo_text_q(filters.q))
    return queryset


def study_memos(*, study: Study, user: Any, filters: MemoFilters) -> QuerySet[Memo]:
    """The study's memos the user may read (``memos_visible_to``, so blind coding holds),
    filtered, newest first, with what the page shows of each target joined in (one query)."""
    return (
        memos_filtered(memos_visible_to(user=user).filter(study=study), filters)
        .select_related(
            "study",
            "author",
            "dyad",
            "interview__dyad",
            "code",
            "coding__code",
            "coding__interview__dyad",
        )
        .defer("interview__text", "coding__interview__text")
        .order_by("-updated", "-id")
    )


def memo_target(memo: Memo) -> dict[str, str]:
    """What the memo is about: ``kind``, a ``label`` and a ``url`` (its targets joined in)."""
    if memo.dyad is not None:
        return {
            "kind": "dyad",
            "label": f"Dyad {memo.dyad.label}",
            "url": reverse("dyad-detail", args=[memo.dyad.pk]),
        }
    if memo.interview is not None:
        interview = memo.interview
        return {
            "kind": "interview",
            "label": f"{interview.dyad.label} · {interview.get_perspective_display()} interview",
            "url": reverse("interview-workspace", args=[interview.pk]),
        }
    if memo.code is not None:
        return {
            "kind": "code",
            "label": f"Code {memo.code.key} {memo.code.name}",
            "url": reverse("team-codebook", args=[memo.study.slug]) + f"#code-{memo.code.pk}",
        }
    if memo.coding is not None:
        coding = memo.coding
        interview = coding.interview
        return {
            "kind": "coding",
            "label": (
                f"Coding {coding.code.key} in {interview.dyad.label} · "
                f"{interview.get_perspective_display()} interview"
            ),
            "url": reverse("interview-workspace", args=[coding.interview_id])
            + f"#coding-{coding.pk}",
        }
    return {
        "kind": "study",
        "label": "The study",
        "url": reverse("study-memos", args=[memo.study.slug]),
    }


def code_memos_by_code(*, study: Study, user: Any) -> dict[int, list[Memo]]:
    """The memos on each of the study's codes that the user may read, newest first (one query)."""
    grouped: dict[int, list[Memo]] = {}
    for memo in (
        memos_visible_to(user=user)
        .filter(study=study, code__isnull=False)
        .order_by("-updated", "-id")
    ):
        assert memo.code_id is not None
        grouped.setdefault(memo.code_id, []).append(memo)
    return grouped
