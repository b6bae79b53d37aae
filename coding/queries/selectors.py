"""Reading coding queries: saved queries as the reader may see them, and a query run end to end
(parse, check against the study, evaluate, page, count)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from coding.analysis.measures import layer_label
from coding.models import SavedQuery
from coding.queries.evaluate import (
    QueryResult,
    ResolvedQuery,
    query_listing,
    query_resolve,
    query_run,
)
from coding.queries.grammar import describe, parse_query, query_json
from coding.retrieval.segments import PAGE_SIZE
from interviews.models import Role, Study
from interviews.selectors import Access, study_get_for_user


def saved_queries_for(*, study: Study, access: Access, user: Any) -> QuerySet[SavedQuery]:
    """The study's saved queries the reader sees: all of them, or while coding is blind for
    them, their own and the leads' (as with memos, another coder's work stays hidden)."""
    queries = SavedQuery.objects.filter(study=study).select_related("author", "last_run_by")
    if not access.sees_other_coders:
        leads = study.memberships.filter(role=Role.LEAD).values("user_id")
        queries = queries.filter(Q(author=user) | Q(author_id__in=leads))
    return queries.order_by("name", "id")


def saved_query_get_for_user(*, user: Any, slug: str, pk: int) -> tuple[SavedQuery, Access]:
    """A saved query of a study the user is a member of and may see, or Http404."""
    study, access = study_get_for_user(user=user, slug=slug)
    saved = saved_queries_for(study=study, access=access, user=user).filter(pk=pk).first()
    if saved is None:
        raise Http404("No such saved query.")
    saved.study = study
    return saved, access


def last_counts_visible(*, saved: SavedQuery, access: Access, user: Any) -> bool:
    """Whether the reader may see the last run's counts: a blinded coder sees counts of their
    own runs and of runs on the consensus only (others would tell them about other layers)."""
    if saved.last_run is None:
        return False
    if access.sees_other_coders or saved.last_run_by_id == user.pk:
        return True
    return bool(saved.last_layer and saved.last_layer.get("name") == "consensus")


@dataclass
class QueryAnswer:
    resolved: ResolvedQuery
    result: QueryResult
    body: dict[str, Any]


def query_answer(
    *,
    study: Study,
    access: Access,
    user: Any,
    query: Any,
    layer_name: str = "",
    context: int = 200,
    order: str = "dyad",
    cursor: str | None = None,
    size: int = PAGE_SIZE,
) -> QueryAnswer:
    """A query run: one page of the matching segments (shaped as retrieved segments, with a
    link into the workspace), the counts per dyad and per code, the layer read and the query in
    normal form and in words. ValidationError (400) for a bad query, PermissionDenied (403) for
    a layer or coder blind coding hides."""
    node = parse_query(query)
    resolved = query_resolve(
        study=study, access=access, user=user, node=node, layer_name=layer_name
    )
    result = query_run(study=study, resolved=resolved)
    listing = query_listing(result, order)
    page = listing.page(context=context, cursor=cursor, size=size)
    for segment in page.results:
        segment["workspace"] = f"/interviews/{segment['interview']}/#coding-{segment['id']}"
    body = {
        "layer": {
            **resolved.layer.as_dict(),
            "label": layer_label(resolved.layer, {user.pk: user.get_username()}),
        },
        "query": query_json(node),
        "description": describe(node),
        "counts": listing.counts(),
        "next_cursor": page.next_cursor,
        "results": page.results,
    }
    return QueryAnswer(resolved=resolved, result=result, body=body)
