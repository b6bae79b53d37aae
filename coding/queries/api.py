"""REST API of coding queries (docs/queries.md, docs/api.md):

- ``POST /api/v1/studies/<slug>/queries/run/``: run a query (every member);
- ``GET|POST /api/v1/studies/<slug>/queries/``: the saved queries; save one (coders, leads);
- ``GET|PATCH|DELETE /api/v1/studies/<slug>/queries/<id>/``: one saved query (its author or a
  lead changes or deletes it);
- ``POST /api/v1/studies/<slug>/queries/<id>/run/``: re-run a saved query on the current data
  and keep its counts;
- ``GET /api/v1/queries/schema/``: the grammar as a JSON Schema.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coding.models import SavedQuery
from coding.queries import selectors, services
from coding.queries.evaluate import QUERY_LAYERS
from coding.queries.grammar import QUERY_SCHEMA, describe, parse_query
from coding.retrieval.api import CountSerializer, SegmentSerializer
from coding.retrieval.filters import DEFAULT_CONTEXT, MAX_CONTEXT
from coding.retrieval.segments import MAX_PAGE_SIZE, ORDERS, PAGE_SIZE
from healing.api.base import StrictSerializer
from interviews.models import Study
from interviews.selectors import Access, study_get_for_user

QUERY_HELP = (
    "The query in the JSON grammar of docs/queries.md (its JSON Schema: /api/v1/queries/schema/): "
    'a term {"code": "VAL", "descendants": true, "role": "patient", "perspective": "patient", '
    '"coder": "ana"}, or {"all"|"not": [Q1, Q2, …], "within": "overlap"|"turn"|"interview"|'
    '"dyad"}, {"any": [Q1, Q2, …]}, {"near"|"followed_by": [Q1, Q2], "turns": N, "count": '
    '"participant"|"all"}.'
)
LAYER_HELP = (
    "best (default: per interview the consensus where complete, else the coders' union; a "
    "blinded coder's own codings instead of the union), consensus, all or mine. A term naming "
    "a coder reads that coder's codings: in their own layer when no layer is given, else in it."
)


def request_data(request: Request) -> Any:
    """The request body; a body nested too deep to parse is a 400, not a 500."""
    try:
        return request.data
    except RecursionError:
        raise ParseError("The JSON is nested too deeply.") from None


class PageInputSerializer(StrictSerializer):
    layer = serializers.ChoiceField(
        choices=QUERY_LAYERS, required=False, allow_blank=True, help_text=LAYER_HELP
    )
    context = serializers.IntegerField(  # type: ignore[assignment]
        min_value=0,
        max_value=MAX_CONTEXT,
        default=DEFAULT_CONTEXT,
        help_text="Characters of transcript text on each side, widened to whole words.",
    )
    order = serializers.ChoiceField(choices=ORDERS, default="dyad", help_text="dyad or code")
    cursor = serializers.CharField(
        required=False, allow_blank=True, help_text="The next_cursor of the previous page."
    )
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, default=PAGE_SIZE)


class QueryRunInputSerializer(PageInputSerializer):
    query = serializers.JSONField(allow_null=True, help_text=QUERY_HELP)


class QueryAnswerSerializer(serializers.Serializer):
    layer = serializers.DictField(help_text="name, coder and label of the layer read")
    query = serializers.JSONField(help_text="the query in normal form (defaults written out)")
    description = serializers.CharField(help_text="the query in words")
    counts = CountSerializer()
    next_cursor = serializers.CharField(
        allow_null=True, help_text="give it as cursor for the next page; null on the last"
    )
    results = SegmentSerializer(many=True)
    saved = serializers.DictField(
        required=False, help_text="for a saved query: whether the counts were kept"
    )


def _answer(
    *, study: Study, access: Access, user: Any, query: Any, layer: str, data: dict[str, Any]
) -> selectors.QueryAnswer:
    return selectors.query_answer(
        study=study,
        access=access,
        user=user,
        query=query,
        layer_name=layer,
        context=data["context"],
        order=data["order"],
        cursor=data.get("cursor") or None,
        size=data["page_size"],
    )


class QueryRunView(APIView):
    """Run a coding query: the matching segments, shaped as retrieved segments (quote with
    context, turn, speaker, role, a link into the workspace), with counts per dyad and per code.
    Every member runs queries, archived studies included; blind coding limits a coder to their
    own layer and the consensus."""

    @extend_schema(
        operation_id="v1_studies_queries_run",
        request=QueryRunInputSerializer,
        responses=QueryAnswerSerializer,
    )
    def post(self, request: Request, slug: str) -> Response:
        study, access = study_get_for_user(user=request.user, slug=slug)
        data = QueryRunInputSerializer(data=request_data(request))
        data.is_valid(raise_exception=True)
        values = data.validated_data
        answer = _answer(
            study=study,
            access=access,
            user=request.user,
            query=values["query"],
            layer=values.get("layer", ""),
            data=values,
        )
        return Response(answer.body)


class SavedQuerySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    query = serializers.JSONField()
    description = serializers.CharField()
    layer = serializers.CharField(help_text="the layer it reads; blank: the reader's default")
    author = serializers.CharField(help_text="the author's username")
    created = serializers.DateTimeField()
    updated = serializers.DateTimeField()
    last_run = serializers.DateTimeField(
        allow_null=True, help_text="when it was last run (null: not yet, or hidden by blinding)"
    )
    last_run_by = serializers.CharField(allow_null=True)
    last_layer = serializers.DictField(allow_null=True, help_text="the layer the last run read")
    last_total = serializers.IntegerField(allow_null=True, help_text="segments found last time")
    last_dyads = serializers.IntegerField(allow_null=True, help_text="dyads they were in")
    can_change = serializers.BooleanField(help_text="whether the reader may change or delete it")


def saved_query_dict(saved: SavedQuery, *, access: Access, user: Any) -> dict[str, Any]:
    visible = selectors.last_counts_visible(saved=saved, access=access, user=user)
    try:
        description = describe(parse_query(saved.query))
    except ValidationError:  # a stored query the grammar no longer reads
        description = ""
    return {
        "id": saved.pk,
        "name": saved.name,
        "query": saved.query,
        "description": description,
        "layer": saved.layer,
        "author": saved.author.get_username(),
        "created": saved.created,
        "updated": saved.updated,
        "last_run": saved.last_run if visible else None,
        "last_run_by": saved.last_run_by.get_username() if visible and saved.last_run_by else None,
        "last_layer": saved.last_layer if visible else None,
        "last_total": saved.last_total if visible else None,
        "last_dyads": saved.last_dyads if visible else None,
        "can_change": access.can_write and (access.is_lead or saved.author_id == user.pk),
    }


class SavedQueryInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    query = serializers.JSONField(allow_null=True, help_text=QUERY_HELP)
    layer = serializers.ChoiceField(
        choices=QUERY_LAYERS, required=False, allow_blank=True, default="", help_text=LAYER_HELP
    )


class SavedQueryChangeSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200, required=False)
    query = serializers.JSONField(required=False, help_text=QUERY_HELP)
    layer = serializers.ChoiceField(
        choices=QUERY_LAYERS, required=False, allow_blank=True, help_text=LAYER_HELP
    )


class SavedQueriesView(APIView):
    """The study's saved queries with their last counts (every member reads; while coding is
    blind a coder sees their own and the leads'); coders and leads save one."""

    @extend_schema(responses=SavedQuerySerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        study, access = study_get_for_user(user=request.user, slug=slug)
        rows = selectors.saved_queries_for(study=study, access=access, user=request.user)
        return Response(
            SavedQuerySerializer(
                [saved_query_dict(s, access=access, user=request.user) for s in rows], many=True
            ).data
        )

    @extend_schema(request=SavedQueryInputSerializer, responses={201: SavedQuerySerializer})
    def post(self, request: Request, slug: str) -> Response:
        study, access = study_get_for_user(user=request.user, slug=slug)
        access.require_writable()
        data = SavedQueryInputSerializer(data=request_data(request))
        data.is_valid(raise_exception=True)
        saved = services.saved_query_create(
            study=study, access=access, author=request.user, **data.validated_data
        )
        return Response(
            SavedQuerySerializer(saved_query_dict(saved, access=access, user=request.user)).data,
            status=status.HTTP_201_CREATED,
        )


class SavedQueryView(APIView):
    """One saved query: read it; its author or a lead renames it, changes its query or layer
    (which forgets its last counts), or deletes it."""

    @extend_schema(responses=SavedQuerySerializer)
    def get(self, request: Request, slug: str, pk: int) -> Response:
        saved, access = selectors.saved_query_get_for_user(user=request.user, slug=slug, pk=pk)
        return Response(
            SavedQuerySerializer(saved_query_dict(saved, access=access, user=request.user)).data
        )

    @extend_schema(request=SavedQueryChangeSerializer, responses=SavedQuerySerializer)
    def patch(self, request: Request, slug: str, pk: int) -> Response:
        saved, access = selectors.saved_query_get_for_user(user=request.user, slug=slug, pk=pk)
        access.require_writable()
        data = SavedQueryChangeSerializer(data=request_data(request))
        data.is_valid(raise_exception=True)
        saved = services.saved_query_update(
            saved=saved, access=access, actor=request.user, **data.validated_data
        )
        return Response(
            SavedQuerySerializer(saved_query_dict(saved, access=access, user=request.user)).data
        )

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slug: str, pk: int) -> Response:
        saved, access = selectors.saved_query_get_for_user(user=request.user, slug=slug, pk=pk)
        services.saved_query_delete(saved=saved, access=access, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SavedQueryRunView(APIView):
    """Re-run a saved query on the current data (every member who sees it), in its saved layer
    unless another is given; the first page's run keeps its counts on the saved query (not in an
    archived study)."""

    @extend_schema(
        operation_id="v1_studies_saved_queries_run",
        request=PageInputSerializer,
        responses=QueryAnswerSerializer,
    )
    def post(self, request: Request, slug: str, pk: int) -> Response:
        saved, access = selectors.saved_query_get_for_user(user=request.user, slug=slug, pk=pk)
        data = PageInputSerializer(data=request_data(request) or {})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        answer = _answer(
            study=saved.study,
            access=access,
            user=request.user,
            query=saved.query,
            layer=values.get("layer") or saved.layer,
            data=values,
        )
        kept = False
        if not values.get("cursor"):
            kept = services.saved_query_record_run(
                saved=saved,
                access=access,
                user=request.user,
                result=answer.result,
                layer=answer.body["layer"],
            )
        return Response({**answer.body, "saved": {"id": saved.pk, "counts_kept": kept}})


class QuerySchemaView(APIView):
    """The JSON Schema of the query grammar (public, like the OpenAPI schema)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(QUERY_SCHEMA)


QUERY_URLS = [
    path("v1/queries/schema/", QuerySchemaView.as_view(), name="query-schema-api"),
    path("v1/studies/<slug:slug>/queries/", SavedQueriesView.as_view(), name="saved-queries-api"),
    path("v1/studies/<slug:slug>/queries/run/", QueryRunView.as_view(), name="query-run-api"),
    path(
        "v1/studies/<slug:slug>/queries/<int:pk>/",
        SavedQueryView.as_view(),
        name="saved-query-api",
    ),
    path(
        "v1/studies/<slug:slug>/queries/<int:pk>/run/",
        SavedQueryRunView.as_view(),
        name="saved-query-run-api",
    ),
]
