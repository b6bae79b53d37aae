"""The study's Queries page (URL study-queries): the query builder (static/js/queries.js, which
runs and saves through the API), the saved queries with their last counts, and the results of a
saved query. Without JavaScript the saved list works: ``?run=<id>`` shows a saved query's
results (``&cursor=`` pages on), and the Re-run button posts here, keeps the counts and comes
back to them."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from rest_framework.exceptions import APIException

from coding.models import Code, SavedQuery
from coding.queries import grammar, selectors, services
from coding.queries.evaluate import QUERY_LAYERS
from coding.retrieval.filters import DEFAULT_CONTEXT
from healing.types import AuthenticatedRequest
from interviews.models import Membership, Role, Study
from interviews.selectors import Access, study_get_for_user


def _coders(*, study: Study, access: Access, user: Any) -> list[str]:
    """Whose codings a term may name: the study's coders and leads (a blinded coder: only
    themselves)."""
    if not access.sees_other_coders:
        return [user.get_username()]
    return list(
        Membership.objects.filter(study=study, role__in=[Role.CODER, Role.LEAD])
        .order_by("user__username")
        .values_list("user__username", flat=True)
    )


def _builder_data(*, study: Study, access: Access, user: Any) -> dict[str, Any]:
    codes = list(
        Code.objects.filter(codebook__study=study)
        .order_by("order", "id")
        .values_list("id", "key", "name", "parent_id")
    )
    parents = {pk: parent for pk, _, _, parent in codes}

    def depth(pk: int) -> int:
        steps, parent = 0, parents.get(pk)
        while parent is not None and steps < 50:
            steps, parent = steps + 1, parents.get(parent)
        return steps

    rows = [{"key": key, "name": name, "depth": depth(pk)} for pk, key, name, _ in codes]
    return {
        "slug": study.slug,
        "codes": rows,
        "coders": _coders(study=study, access=access, user=user),
        "roles": list(grammar.ROLES),
        "perspectives": list(grammar.PERSPECTIVES),
        "within": list(grammar.WITHIN),
        "counts": list(grammar.COUNTS),
        "layers": list(QUERY_LAYERS if access.sees_other_coders else ("best", "consensus", "mine")),
        "maxTurns": grammar.MAX_TURNS,
        "maxDepth": grammar.MAX_DEPTH,
        "maxOperands": grammar.MAX_OPERANDS,
        "canSave": access.can_write,
    }


def _saved_rows(*, study: Study, access: Access, user: Any) -> list[dict[str, Any]]:
    rows = []
    for saved in selectors.saved_queries_for(study=study, access=access, user=user):
        visible = selectors.last_counts_visible(saved=saved, access=access, user=user)
        try:
            description = grammar.describe(grammar.parse_query(saved.query))
        except APIException:
            description = ""
        rows.append(
            {
                "saved": saved,
                "description": description,
                "query_text": json.dumps(saved.query, indent=2, ensure_ascii=False),
                "visible": visible,
                "can_change": access.can_write and (access.is_lead or saved.author_id == user.pk),
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def study_queries_page(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Build, run and save coding queries; the saved ones with their last counts."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    url = reverse("study-queries", args=[study.slug])
    if request.method == "POST":
        return _rerun(request, study=study, access=access, url=url)
    chosen: SavedQuery | None = None
    answer: dict[str, Any] | None = None
    raw_id = request.GET.get("run", "")
    if raw_id:
        answer, chosen = _saved_answer(request, study=study, access=access, raw_id=raw_id)
    next_url = None
    if answer and answer["next_cursor"] and chosen is not None:
        next_url = f"{url}?{urlencode({'run': chosen.pk, 'cursor': answer['next_cursor']})}"
    return render(
        request,
        "coding/queries/queries.html",
        {
            "study": study,
            "access": access,
            "tab": "queries",
            "builder": _builder_data(study=study, access=access, user=request.user),
            "saved_rows": _saved_rows(study=study, access=access, user=request.user),
            "chosen": chosen,
            "answer": answer,
            "next_url": next_url,
            "layers": QUERY_LAYERS,
        },
    )


def _saved_answer(
    request: AuthenticatedRequest, *, study: Study, access: Access, raw_id: str
) -> tuple[dict[str, Any] | None, SavedQuery | None]:
    try:
        pk = int(raw_id)
    except ValueError:
        messages.error(request, "No such saved query.")
        return None, None
    saved = (
        selectors.saved_queries_for(study=study, access=access, user=request.user)
        .filter(pk=pk)
        .first()
    )
    if saved is None:
        messages.error(request, "No such saved query.")
        return None, None
    try:
        answer = selectors.query_answer(
            study=study,
            access=access,
            user=request.user,
            query=saved.query,
            layer_name=saved.layer,
            context=DEFAULT_CONTEXT,
            cursor=request.GET.get("cursor") or None,
        )
    except APIException as error:
        messages.error(request, f"The query could not run: {_message(error)}")
        return None, saved
    return answer.body, saved


def _message(error: APIException) -> str:
    detail: Any = error.detail
    while isinstance(detail, dict | list) and detail:
        detail = next(iter(detail.values())) if isinstance(detail, dict) else detail[0]
    return str(detail)


def _rerun(
    request: AuthenticatedRequest, *, study: Study, access: Access, url: str
) -> HttpResponse:
    """Re-run a saved query (every member may) and keep its counts, then show its results."""
    try:
        pk = int(request.POST.get("rerun", ""))
    except ValueError:
        messages.error(request, "No such saved query.")
        return HttpResponseRedirect(url)
    saved = (
        selectors.saved_queries_for(study=study, access=access, user=request.user)
        .filter(pk=pk)
        .first()
    )
    if saved is None:
        messages.error(request, "No such saved query.")
        return HttpResponseRedirect(url)
    try:
        answer = selectors.query_answer(
            study=study,
            access=access,
            user=request.user,
            query=saved.query,
            layer_name=saved.layer,
            size=1,
        )
    except APIException as error:
        messages.error(request, f"The query could not run: {_message(error)}")
        return HttpResponseRedirect(url)
    kept = services.saved_query_record_run(
        saved=saved,
        access=access,
        user=request.user,
        result=answer.result,
        layer=answer.body["layer"],
    )
    total = answer.body["counts"]["total"]
    messages.success(
        request,
        f"“{saved.name}” found {total} segment{'s' if total != 1 else ''}"
        + ("" if kept else " (the study is archived: the saved counts were kept as they were)")
        + ".",
    )
    return HttpResponseRedirect(f"{url}?{urlencode({'run': saved.pk})}#results")
