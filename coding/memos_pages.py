"""The study's Memos tab (URL study-memos): every memo the reader may see, filtered by GET
parameters (bookmarkable), 50 a page, each linked to what it is about; study memos are written
here through the memo API (static/js/memos.js)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render

from coding.memos import MEMO_TARGET_KINDS, memo_filters_parse, memo_target, study_memos
from coding.models import Code, MemoType
from healing.types import AuthenticatedRequest
from interviews.models import Dyad, Interview, Membership, Role, Study
from interviews.selectors import Access, study_get_for_user

MEMOS_PER_PAGE = 50
FILTER_NAMES = (
    "type", "target", "dyad", "interview", "coding", "author", "code", "since", "until", "q",
)  # fmt: skip


def _authors(*, study: Study, access: Access, user: Any) -> QuerySet[Membership]:
    """Whose memos the reader may filter by: every member, or while coding is blind for them,
    themselves and the leads (other coders' memos are hidden, and so is who wrote any)."""
    members = Membership.objects.filter(study=study).select_related("user")
    if not access.sees_other_coders:
        members = members.filter(Q(user=user) | Q(role=Role.LEAD))
    return members.order_by("user__username")


@login_required
def study_memos_page(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Every memo of the study the reader may see (blind coding holds), filtered and paged."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    filters = memo_filters_parse(request.GET)
    for error in filters.errors:
        messages.error(request, error)
    page = Paginator(study_memos(study=study, user=request.user, filters=filters), MEMOS_PER_PAGE)
    shown = page.get_page(request.GET.get("page"))
    for memo in shown.object_list:
        memo.target = memo_target(memo)  # type: ignore[attr-defined]
    query = {k: v for k, v in request.GET.items() if k in FILTER_NAMES and v}
    return render(
        request,
        "coding/memos/study_memos.html",
        {
            "study": study,
            "access": access,
            "page": shown,
            "filters": filters,
            "query": urlencode(query),
            "types": MemoType.choices,
            "target_kinds": MEMO_TARGET_KINDS,
            "dyads": Dyad.objects.filter(study=study).order_by("label").only("id", "label"),
            "interviews": Interview.objects.filter(dyad__study=study)
            .select_related("dyad")
            .only("id", "perspective", "dyad__label")
            .order_by("dyad__label", "perspective"),
            "codes": Code.objects.filter(codebook__study=study)
            .order_by("order", "id")
            .only("id", "key", "name"),
            "authors": _authors(study=study, access=access, user=request.user),
            "tab": "memos",
        },
    )
