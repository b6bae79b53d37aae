"""``GET /api/v1/studies/<slug>/segments/``: retrieved segments, cursor-paginated
(docs/retrieval.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coding.analysis.measures import layer_label
from coding.comparison.selectors.scope import choice_param, int_param, last_param
from coding.retrieval.filters import (
    DEFAULT_CONTEXT,
    MAX_CONTEXT,
    SegmentFilters,
    segment_filters_from_params,
)
from coding.retrieval.segments import (
    MAX_PAGE_SIZE,
    ORDERS,
    PAGE_SIZE,
    SegmentListing,
    segments_queryset,
)
from interviews.models import Study
from interviews.selectors import study_get_for_user

PLACE_PARAMETERS = [
    OpenApiParameter("dyad", str, many=True, description="A dyad's label (repeat for several)."),
    OpenApiParameter(
        "perspective", str, enum=["patient", "clinician"], description="The interview's side."
    ),
    OpenApiParameter(
        "role",
        str,
        enum=["patient", "clinician", "interviewer", "other"],
        description="The role of the speaker turn where the passage starts.",
    ),
    OpenApiParameter(
        "attr.<key>",
        str,
        description="A dyad attribute equals this value; attr.clinician.<key> and "
        "attr.patient.<key> for a person's (the manifest's column names). Add __in (values "
        "separated by commas), __gte or __lte (numbers and dates) to the name: "
        "attr.years_together__gte=5.",
    ),
]

SEGMENT_PARAMETERS = [
    OpenApiParameter(
        "code", str, many=True, description="A code's key (repeat for several); default: all."
    ),
    OpenApiParameter(
        "descendants",
        bool,
        description="Include each code's sub-codes at any depth (default true).",
    ),
    *PLACE_PARAMETERS,
    OpenApiParameter(
        "coder",
        str,
        description="A coder's username: alone, that coder's layer; with layer, only their "
        "codings in it. A blinded coder may name only themselves.",
    ),
    OpenApiParameter(
        "layer",
        str,
        enum=["best", "consensus", "all", "mine", "coder"],
        description="best (default: per interview the consensus where complete, else the "
        "coders' union; a blinded coder's own codings instead of the union), consensus, all, "
        "mine, or coder (with coder=).",
    ),
    OpenApiParameter("text", str, description="The quote contains this text (case-insensitive)."),
    OpenApiParameter(
        "memo", bool, description="true: only segments with a memo; false: only without."
    ),
    OpenApiParameter(
        "context",
        int,
        description=f"Characters of transcript text on each side (0–{MAX_CONTEXT}, default "
        f"{DEFAULT_CONTEXT}), across turns with speaker labels, widened to whole words.",
    ),
]

PAGE_PARAMETERS = [
    OpenApiParameter("order", str, enum=list(ORDERS), description="dyad (default) or code."),
    OpenApiParameter("cursor", str, description="The `next` cursor of the previous page."),
    OpenApiParameter(
        "page_size", int, description=f"Results per page (1–{MAX_PAGE_SIZE}, default {PAGE_SIZE})."
    ),
]


class SegmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="the coding's id")
    interview = serializers.IntegerField()
    dyad = serializers.CharField(help_text="the dyad's label")
    dyad_id = serializers.IntegerField()
    perspective = serializers.CharField()
    code = serializers.CharField(help_text="the code's key")
    code_name = serializers.CharField()
    code_color = serializers.CharField()
    coder = serializers.CharField(help_text="the coder's username")
    layer = serializers.CharField(help_text="individual or consensus")
    start = serializers.IntegerField(help_text="code point offset, inclusive")
    end = serializers.IntegerField(help_text="code point offset, exclusive")
    quote = serializers.CharField()
    before = serializers.CharField(help_text="transcript text before the quote")
    after = serializers.CharField(help_text="transcript text after the quote")
    turn = serializers.IntegerField(allow_null=True, help_text="index of the turn it starts in")
    speaker = serializers.CharField()
    role = serializers.CharField(help_text="role of that turn")
    memo = serializers.CharField()
    workspace = serializers.CharField(help_text="the workspace page at this coding")


class CountSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    dyads = serializers.IntegerField()
    by_dyad = serializers.ListField(child=serializers.DictField(), help_text="{dyad, count}")
    by_code = serializers.ListField(child=serializers.DictField(), help_text="{code, name, count}")


class SegmentListSerializer(serializers.Serializer):
    layer = serializers.DictField(help_text="name, coder and label of the layer read")
    filters = serializers.ListField(child=serializers.CharField(), help_text="the filters in words")
    counts = CountSerializer()
    next = serializers.CharField(allow_null=True, help_text="the next page's URL")
    results = SegmentSerializer(many=True)


def query_dict(params: Any) -> dict[str, list[str]]:
    return {name: params.getlist(name) for name in params}


def workspace_link(segment: Mapping[str, Any]) -> str:
    return f"/interviews/{segment['interview']}/#coding-{segment['id']}"


def layer_dict(filters: SegmentFilters) -> dict[str, Any]:
    names = {filters.coder_id: filters.coder_username} if filters.coder_id else None
    return {**filters.layer.as_dict(), "label": layer_label(filters.layer, names)}


def page_size(params: Mapping[str, Sequence[str]]) -> int:
    return int_param(params, "page_size", PAGE_SIZE, 1, MAX_PAGE_SIZE)


def segments_answer(
    *, study: Study, filters: SegmentFilters, params: Mapping[str, Sequence[str]], base_url: str
) -> dict[str, Any]:
    """A page of segments with counts, the layer used and the filters in words."""
    order = choice_param(params, "order", ORDERS, "dyad")
    listing = SegmentListing(segments_queryset(study=study, filters=filters), order)
    page = listing.page(
        context=filters.context, cursor=last_param(params, "cursor"), size=page_size(params)
    )
    for segment in page.results:
        segment["workspace"] = workspace_link(segment)
    next_url = None
    if page.next_cursor:
        kept = [(k, v) for k, values in params.items() if k != "cursor" for v in values]
        next_url = f"{base_url}?{urlencode([*kept, ('cursor', page.next_cursor)])}"
    return {
        "layer": layer_dict(filters),
        "filters": filters.describe(),
        "counts": listing.counts(),
        "next": next_url,
        "results": page.results,
    }


class SegmentsView(APIView):
    """Retrieved segments: the codings matching every filter, with the text around them, the
    turn they start in and a link to the workspace; counts per dyad and per code.
    Every member reads them; blind coding limits a coder to their own layer and the
    consensus."""

    @extend_schema(
        parameters=[*SEGMENT_PARAMETERS, *PAGE_PARAMETERS], responses=SegmentListSerializer
    )
    def get(self, request: Request, slug: str) -> Response:
        study, access = study_get_for_user(user=request.user, slug=slug)
        params = query_dict(request.query_params)
        filters = segment_filters_from_params(
            study=study, access=access, user=request.user, params=params
        )
        base_url = request.build_absolute_uri(request.path)
        return Response(
            segments_answer(study=study, filters=filters, params=params, base_url=base_url)
        )


RETRIEVAL_URLS = [
    path("v1/studies/<slug:slug>/segments/", SegmentsView.as_view(), name="segments-api"),
]
