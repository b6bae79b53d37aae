"""``GET /api/v1/studies/<slug>/search/`` (full-text search, cursor-paginated) and
``POST /api/v1/studies/<slug>/search/code/`` (code the hits as one undoable job);
docs/search.md."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coding.autocode.api import CodeRefField
from coding.comparison.selectors.scope import int_param, last_param
from coding.retrieval.api import PLACE_PARAMETERS, query_dict
from coding.retrieval.filters import DEFAULT_CONTEXT, MAX_CONTEXT, bool_value
from coding.search.code_hits import MAX_CHOSEN, UNITS, search_code_check, search_code_start
from coding.search.query import MAX_QUERY_CHARS, MODES
from coding.search.service import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    Search,
    SearchPage,
    search_from_params,
    search_page,
)
from healing.api.base import StrictSerializer
from healing.jobs.serializers import JobSerializer
from interviews.models import Role
from interviews.selectors import study_get_for_user

SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q",
        str,
        required=True,
        description=f"What to search for (at most {MAX_QUERY_CHARS} characters): words "
        '(trust hope), prefixes (trust*), "quoted phrases", or a regular expression.',
    ),
    OpenApiParameter(
        "mode",
        str,
        enum=list(MODES),
        description="words (default: any of the words, whole words, case-insensitive; word* "
        'for a prefix; "quoted" for a phrase), phrase (the words in that order, case- and '
        "whitespace-insensitive) or regex (a Python regular expression, time-limited).",
    ),
    *PLACE_PARAMETERS,
    OpenApiParameter(
        "context",
        int,
        description=f"Characters of transcript text on each side (0–{MAX_CONTEXT}, default "
        f"{DEFAULT_CONTEXT}), across turns with speaker labels, widened to whole words.",
    ),
    OpenApiParameter("cursor", str, description="The `next` cursor of the previous page."),
    OpenApiParameter(
        "page_size", int, description=f"Hits per page (1–{MAX_PAGE_SIZE}, default {PAGE_SIZE})."
    ),
    OpenApiParameter(
        "counts",
        bool,
        description="true: count every hit (reads every candidate transcript); default: counted "
        "when the candidates are small, else counts is null.",
    ),
]


class HitSerializer(serializers.Serializer):
    interview = serializers.IntegerField()
    dyad = serializers.CharField(help_text="the dyad's label")
    dyad_id = serializers.IntegerField()
    perspective = serializers.CharField()
    start = serializers.IntegerField(help_text="code point offset, inclusive")
    end = serializers.IntegerField(help_text="code point offset, exclusive")
    match = serializers.CharField(help_text="the text of the hit")
    before = serializers.CharField(help_text="transcript text before the hit")
    after = serializers.CharField(help_text="transcript text after the hit")
    turn = serializers.IntegerField(allow_null=True, help_text="index of the turn it starts in")
    speaker = serializers.CharField()
    role = serializers.CharField(help_text="role of that turn")
    workspace = serializers.CharField(help_text="the workspace page with the hit selected")


class HitGroupSerializer(serializers.Serializer):
    interview = serializers.IntegerField()
    dyad = serializers.CharField()
    dyad_id = serializers.IntegerField()
    perspective = serializers.CharField()
    hits = serializers.IntegerField(help_text="hits in the whole interview")
    shown = serializers.IntegerField(help_text="hits of the interview on this page")


class DyadCountSerializer(serializers.Serializer):
    dyad = serializers.CharField()
    count = serializers.IntegerField()


class SearchCountSerializer(serializers.Serializer):
    hits = serializers.IntegerField()
    interviews = serializers.IntegerField(help_text="interviews with at least one hit")
    by_dyad = DyadCountSerializer(many=True)


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="what was searched for, in words")
    mode = serializers.CharField()
    filters = serializers.ListField(child=serializers.CharField(), help_text="the filters in words")
    candidates = serializers.IntegerField(
        help_text="interviews the full-text index could not rule out"
    )
    counts = SearchCountSerializer(allow_null=True)
    groups = HitGroupSerializer(many=True, help_text="the interviews on this page, in order")
    next = serializers.CharField(allow_null=True, help_text="the next page's URL")
    results = HitSerializer(many=True)


def params_checked(params: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The query parameters, refusing text no database takes (NUL, lone surrogates)."""
    for name, values in params.items():
        for value in [name, *values]:
            if "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value):
                raise ValidationError(
                    {name: "Text cannot contain NUL characters or lone surrogates."}
                )
    return {name: list(values) for name, values in params.items()}


def search_answer(
    *, search: Search, page: SearchPage, params: Mapping[str, Sequence[str]], base_url: str
) -> dict[str, Any]:
    next_url = None
    if page.next_cursor:
        kept = [(k, v) for k, values in params.items() if k != "cursor" for v in values]
        next_url = f"{base_url}?{urlencode([*kept, ('cursor', page.next_cursor)])}"
    return {
        "query": search.query.describe(),
        "mode": search.query.mode,
        "filters": search.place.describe(),
        "candidates": page.candidates,
        "counts": page.counts,
        "groups": page.groups,
        "next": next_url,
        "results": page.results,
    }


def page_for(*, study: Any, search: Search, params: Mapping[str, Sequence[str]]) -> SearchPage:
    return search_page(
        study=study,
        search=search,
        cursor=last_param(params, "cursor") or None,
        size=int_param(params, "page_size", PAGE_SIZE, 1, MAX_PAGE_SIZE),
        counts=bool_value(params, "counts", None),
    )


class SearchView(APIView):
    """Full-text search across the study's transcripts: each hit with its exact code-point
    span, the text around it, the turn it starts in and a link opening the workspace with it
    selected; grouped by interview. Every member searches (the text is shared)."""

    @extend_schema(parameters=SEARCH_PARAMETERS, responses=SearchResultSerializer)
    def get(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug)
        params = params_checked(query_dict(request.query_params))
        search = search_from_params(study=study, params=params)
        page = page_for(study=study, search=search, params=params)
        base_url = request.build_absolute_uri(request.path)
        return Response(search_answer(search=search, page=page, params=params, base_url=base_url))


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
)
class FilterValueField(serializers.Field):
    """A filter's value: a string, or a list of strings for a repeated parameter."""

    def to_internal_value(self, data: Any) -> list[str]:
        values = data if isinstance(data, list) else [data]
        if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in values):
            raise serializers.ValidationError("Give a text or a list of texts.")
        return [str(v) for v in values]

    def to_representation(self, value: Any) -> Any:
        return value


class SearchCodeSerializer(StrictSerializer):
    q = serializers.CharField(max_length=MAX_QUERY_CHARS, trim_whitespace=False)
    mode = serializers.ChoiceField(choices=list(MODES), default="words")
    filters = serializers.DictField(
        child=FilterValueField(),
        required=False,
        help_text="The search's filters as its query parameters: dyad, perspective, role, "
        'attr.<key>… (a list for a repeated one), e.g. {"perspective": "patient", '
        '"dyad": ["D01", "D02"]}.',
    )
    code = CodeRefField(help_text="The code's id or key.")
    unit = serializers.ChoiceField(
        choices=list(UNITS),
        default="hit",
        help_text="hit: code each hit's own span; turn: the whole turn each hit starts in.",
    )
    hits = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=3, max_length=3),
        required=False,
        max_length=MAX_CHOSEN,
        help_text="Only these hits, each [interview, start, end]; omitted: every hit.",
    )


class SearchCodeView(APIView):
    """Code every hit of a search (or the chosen ones, or the turns they start in) with a code
    into your own layer, as one job undone as one step
    (``POST /api/v1/studies/<slug>/autocode/<job_id>/undo/``). Coders and leads; spans your
    layer already codes with that code are skipped and counted."""

    @extend_schema(request=SearchCodeSerializer, responses={202: JobSerializer})
    def post(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug, min_role=Role.CODER)
        data = SearchCodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        params = {name: list(v) for name, v in (values.get("filters") or {}).items()}
        for reserved in ("q", "mode", "cursor", "page_size", "counts"):
            if reserved in params:
                raise ValidationError({"filters": f"{reserved} is not a filter."})
        params = params_checked({**params, "q": [values["q"]], "mode": [values["mode"]]})
        checked = search_code_check(
            study=study,
            user=request.user,
            code=values["code"],
            params=params,
            unit=values["unit"],
            chosen=values.get("hits"),
        )
        job = search_code_start(study=study, user=request.user, request=checked)
        job.refresh_from_db()
        return Response(
            JobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": f"/api/v1/jobs/{job.pk}/"},
        )


SEARCH_URLS = [
    path("v1/studies/<slug:slug>/search/", SearchView.as_view(), name="search-api"),
    path("v1/studies/<slug:slug>/search/code/", SearchCodeView.as_view(), name="search-code-api"),
]
