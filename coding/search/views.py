"""The search page (every member) and its form that codes the hits (coders and leads)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from coding.retrieval.api import query_dict
from coding.retrieval.filters import ATTRIBUTE_PREFIX, DEFAULT_CONTEXT, ROLES
from coding.retrieval.pages import attribute_controls
from coding.search.api import page_for, params_checked
from coding.search.code_hits import search_code_check, search_code_start
from coding.search.query import MODES
from coding.search.service import search_from_params
from coding.selectors import codes_for_study
from healing.api.errors import error_lines
from healing.types import AuthenticatedRequest
from interviews.models import Dyad, Role
from interviews.selectors import study_get_for_user

# The parameters that make a search (kept by the pager and the coding form).
SEARCH_KEYS = ("q", "mode", "dyad", "perspective", "role", "context")


def _search_pairs(params: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, values in params.items()
        if name in SEARCH_KEYS or name.startswith(ATTRIBUTE_PREFIX)
        for value in values
        if value != ""
    ]


@login_required
def study_search(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Search the study's transcripts: hits as keyword-in-context lines grouped by interview,
    each opening the workspace with the hit selected; code them from here."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    params = query_dict(request.GET)
    q = (params.get("q") or [""])[-1]
    errors: list[str] = []
    page = search = None
    groups: list[dict[str, Any]] = []
    next_url = None
    if q.strip():
        try:
            params = params_checked(params)
            search = search_from_params(study=study, params=params)
            page = page_for(study=study, search=search, params=params)
        except ValidationError as exc:
            errors = error_lines(exc)
            page = search = None
    if page is not None:
        by_interview: dict[int, list[dict[str, Any]]] = {}
        for hit in page.results:
            by_interview.setdefault(hit["interview"], []).append(hit)
        groups = [{**group, "items": by_interview[group["interview"]]} for group in page.groups]
        if page.next_cursor:
            kept = [(k, v) for k, v in _search_pairs(params)]
            next_url = f"?{urlencode([*kept, ('cursor', page.next_cursor)])}"
    pairs = _search_pairs(params)
    values = {
        "q": q,
        "mode": (params.get("mode") or ["words"])[-1] or "words",
        "context": (params.get("context") or [""])[-1] or str(DEFAULT_CONTEXT),
        "perspective": (params.get("perspective") or [""])[-1],
        "role": (params.get("role") or [""])[-1],
        "dyads": set(params.get("dyad") or []),
    }
    may_code = bool(access.can_code and access.writable and page is not None and page.results)
    return render(
        request,
        "coding/search.html",
        {
            "study": study,
            "access": access,
            "tab": "search",
            "values": values,
            "modes": MODES,
            "roles": ROLES,
            "dyads": list(Dyad.objects.filter(study=study).values_list("label", flat=True)),
            "attributes": attribute_controls(study=study, params=params),
            "attributes_open": any(k.startswith(ATTRIBUTE_PREFIX) for k, _ in pairs),
            "search_pairs": [(k, v) for k, v in pairs if k != "context"],
            "search": search,
            "page": page,
            "groups": groups,
            "next_url": next_url,
            "errors": errors,
            "codes": list(codes_for_study(study=study).filter(is_active=True)) if may_code else [],
            "may_code": may_code,
        },
        status=400 if errors else 200,
    )


def _chosen_hits(values: list[str]) -> list[list[int]]:
    chosen = []
    for value in values:
        try:
            interview, start, end = (int(part) for part in value.split(":"))
        except ValueError:
            raise ValidationError({"hits": "Choose hits from the list."}) from None
        chosen.append([interview, start, end])
    return chosen


@login_required
@require_POST
def study_search_code(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Code the hits (every one, or the chosen ones; or their turns) into your own layer, as a
    job whose page reports it and offers Undo. Coders and leads."""
    study, _ = study_get_for_user(user=request.user, slug=slug, min_role=Role.CODER)
    params = {
        name: request.POST.getlist(name)
        for name in request.POST
        if name in SEARCH_KEYS or name.startswith(ATTRIBUTE_PREFIX)
    }
    back = reverse("study-search", args=[study.slug]) + "?" + urlencode(_search_pairs(params))
    try:
        params = params_checked(params)
        which = request.POST.get("which", "all")
        chosen = _chosen_hits(request.POST.getlist("hit")) if which == "chosen" else None
        if which == "chosen" and not chosen:
            raise ValidationError({"hits": "Tick the hits to code first."})
        checked = search_code_check(
            study=study,
            user=request.user,
            code=request.POST.get("code", ""),
            params=params,
            unit=request.POST.get("unit", "hit"),
            chosen=chosen,
        )
    except (ValidationError, DjangoValidationError) as exc:
        for line in error_lines(exc):
            messages.error(request, line)
        return redirect(back)
    job = search_code_start(study=study, user=request.user, request=checked)
    return redirect("job-detail", pk=job.pk)
