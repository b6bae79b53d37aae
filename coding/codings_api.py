"""REST API for coding work: the codebook and its codes, codings, memos (and, for now, jobs).

The last section, the job endpoints (``JobViewSet`` and its serializers), is a guest here: it
moves to ``healing/jobs/`` with the rest of the background-job infrastructure (issue 12).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coding.memos import MEMO_TARGET_KINDS, memo_about_code_q, memo_target_q, memo_text_q
from coding.models import Code, CodeGroup, Coding, Layer, Memo, MemoType
from coding.selectors import (
    CodingTarget,
    coding_get_for_user,
    coding_target_for_user,
    codings_visible_to,
    job_get_for_user,
    job_may_cancel,
    jobs_for_user,
    memos_visible_to,
)
from coding.services import (
    CodingInput,
    code_create,
    code_update,
    coding_create_at_target,
    coding_delete,
    coding_update,
    codings_bulk_create,
    memo_create,
    memo_delete,
    memo_update,
)
from healing.api.base import (
    MAX_ID,
    MAX_INT32,
    CodingCursorPagination,
    StrictSerializer,
    id_field,
    offset_field,
)
from healing.api.filters import (
    DateTimeFilter,
    IdFilter,
    KeyFilter,
    ScopedFilterSet,
    StrictOrderingFilter,
)
from healing.jobs.models import Job, JobFile, JobState
from healing.jobs.registry import job_kind_choices
from healing.jobs.serializers import JobSerializer
from healing.jobs.services import job_cancel
from interviews.models import Perspective, Role, Study
from interviews.selectors import (
    STUDY_ARCHIVED,
    Access,
    dyad_get_for_user,
    dyads_visible_to,
    interview_get_for_user,
    interviews_visible_to,
    people_visible_to,
    studies_open_q,
    studies_visible_to,
    study_access_for_user,
    study_get_for_user,
)


def _pk(raw: Any) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
    if not 1 <= value <= MAX_ID:
        raise Http404("Not found.")
    return value


FILTER_BACKENDS = [DjangoFilterBackend, StrictOrderingFilter]


# --- Codebook and codes -------------------------------------------------------------------------


class CodeSerializer(serializers.ModelSerializer):
    study = serializers.CharField(source="codebook.study.slug", read_only=True)

    class Meta:
        model = Code
        fields = [
            "id",
            "study",
            "parent",
            "key",
            "name",
            "group",
            "definition",
            "inclusion",
            "exclusion",
            "example",
            "color",
            "order",
            "is_active",
            "guid",
            "created",
            "updated",
        ]
        read_only_fields = fields


class CodeWriteSerializer(StrictSerializer):
    study = serializers.SlugField(required=False, help_text="Required when creating.")
    parent = id_field(required=False, allow_null=True)  # type: ignore[assignment]
    key = serializers.CharField(max_length=40, required=False)
    name = serializers.CharField(max_length=200, required=False)
    group = serializers.ChoiceField(choices=CodeGroup.choices, required=False)
    definition = serializers.CharField(required=False, allow_blank=True)
    inclusion = serializers.CharField(required=False, allow_blank=True)
    exclusion = serializers.CharField(required=False, allow_blank=True)
    example = serializers.CharField(required=False, allow_blank=True)
    color = serializers.CharField(max_length=7, required=False)
    order = serializers.IntegerField(min_value=0, max_value=MAX_INT32, required=False)
    is_active = serializers.BooleanField(required=False)


def _codes_of(user: Any, slug: str | None) -> QuerySet[Code]:
    queryset = Code.objects.filter(
        studies_open_q(user, "codebook__study"), codebook__study__memberships__user=user
    ).select_related("codebook__study")
    if slug:
        queryset = queryset.filter(codebook__study__slug=slug)
    return queryset.order_by("codebook__study__slug", "order", "id")


def _codings_visible(user: Any) -> QuerySet[Coding]:
    return codings_visible_to(user=user)


def codes_visible_to(user: Any) -> QuerySet[Code]:
    return Code.objects.filter(codebook__study__in=studies_visible_to(user))


class CodeFilter(ScopedFilterSet):
    study = KeyFilter(
        field_name="codebook__study__slug",
        help_text="Study slug",
        visible=studies_visible_to,
        visible_field="slug",
    )
    group = django_filters.ChoiceFilter(choices=CodeGroup.choices)
    parent = IdFilter(field_name="parent_id", help_text="Parent code id", visible=codes_visible_to)
    top_level = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", help_text="Only codes without a parent"
    )
    is_active = django_filters.BooleanFilter()
    key = django_filters.CharFilter()

    class Meta:
        model = Code
        fields: list[str] = []


class CodeViewSet(viewsets.GenericViewSet):
    """Codes of the user's studies' codebooks (``?study=SLUG``). Leads add and change codes;
    every change makes a new codebook version."""

    serializer_class = CodeSerializer
    queryset = Code.objects.none()
    filter_backends = FILTER_BACKENDS
    filterset_class = CodeFilter
    ordering_fields = ["order", "key", "name", "created", "updated"]
    ordering = ["codebook__study__slug", "order", "id"]

    def get_queryset(self) -> QuerySet[Code]:
        return _codes_of(self.request.user, None)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(CodeSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        code = _codes_of(request.user, None).filter(pk=_pk(pk)).first()
        if code is None:
            raise Http404("Not found.")
        return Response(CodeSerializer(code).data)

    def _parent(self, study: Study, parent_id: int | None) -> Code | None:
        if parent_id is None:
            return None
        parent = Code.objects.filter(pk=parent_id, codebook__study=study).first()
        if parent is None:
            raise ValidationError({"parent": ["No such code in this study's codebook."]})
        return parent

    @extend_schema(request=CodeWriteSerializer, responses={201: CodeSerializer})
    def create(self, request: Request) -> Response:
        data = CodeWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        missing = [name for name in ("study", "key", "name") if not values.get(name)]
        if missing:
            raise ValidationError({name: ["This field is required."] for name in missing})
        study, _ = study_get_for_user(
            user=request.user, slug=values.pop("study"), min_role=Role.LEAD
        )
        parent = self._parent(study, values.pop("parent", None))
        code = code_create(
            codebook=study.codebook,
            key=values.pop("key"),
            name=values.pop("name"),
            parent=parent,
            actor=request.user,
            **values,
        )
        return Response(
            CodeSerializer(_codes_of(request.user, None).get(pk=code.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=CodeWriteSerializer, responses=CodeSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        code = _codes_of(request.user, None).filter(pk=_pk(pk)).first()
        if code is None:
            raise Http404("Not found.")
        study = code.codebook.study
        access = study_access_for_user(user=request.user, study=study)
        if access is None or not access.is_lead:
            raise PermissionDenied("Only the study's leads change its codebook.")
        access.require_writable()
        data = CodeWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "study" in values:
            raise ValidationError({"study": ["A code cannot move to another study."]})
        if "parent" in values:
            values["parent"] = self._parent(study, values["parent"])
        code_update(code=code, actor=request.user, **values)
        return Response(CodeSerializer(_codes_of(request.user, None).get(pk=code.pk)).data)


class CodebookCodeSerializer(CodeSerializer):
    path = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(CodeSerializer.Meta):
        fields = [*CodeSerializer.Meta.fields, "path"]
        read_only_fields = fields


class CodebookSerializer(serializers.Serializer):
    study = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    version = serializers.IntegerField()
    codes = CodebookCodeSerializer(many=True)


class CodebookView(APIView):
    """A study's codebook: title, version, and its codes in display order with their paths."""

    @extend_schema(responses=CodebookSerializer)
    def get(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug)
        codebook = study.codebook
        codes = list(codebook.codes.order_by("order", "id"))
        by_id = {code.pk: code for code in codes}

        for code in codes:
            parts = [code.key]
            parent = by_id.get(code.parent_id) if code.parent_id else None
            while parent is not None:
                parts.insert(0, parent.key)
                parent = by_id.get(parent.parent_id) if parent.parent_id else None
            code.path = parts  # type: ignore[attr-defined]
        return Response(
            CodebookSerializer(
                {
                    "study": study.slug,
                    "title": codebook.title,
                    "description": codebook.description,
                    "version": codebook.version,
                    "codes": codes,
                }
            ).data
        )


# --- Codings ------------------------------------------------------------------------------------


class CodingSerializer(serializers.ModelSerializer):
    study = serializers.CharField(source="interview.dyad.study.slug", read_only=True)
    dyad = serializers.IntegerField(source="interview.dyad_id", read_only=True)
    dyad_label = serializers.CharField(source="interview.dyad.label", read_only=True)
    perspective = serializers.CharField(source="interview.perspective", read_only=True)
    code_key = serializers.CharField(source="code.key", read_only=True)
    coder_username = serializers.CharField(source="coder.username", read_only=True)

    class Meta:
        model = Coding
        fields = [
            "id",
            "study",
            "dyad",
            "dyad_label",
            "interview",
            "perspective",
            "code",
            "code_key",
            "coder",
            "coder_username",
            "layer",
            "start",
            "end",
            "quote",
            "memo",
            "codebook_version",
            "created",
            "updated",
        ]
        read_only_fields = fields


_DATETIME = serializers.DateTimeField()


def created_coding_body(coding: Coding, *, target: CodingTarget, coder: Any) -> dict[str, Any]:
    """What ``CodingSerializer`` returns for a coding just created, built from what the create
    path already holds (a test keeps the two identical)."""
    return {
        "id": coding.pk,
        "study": target.study_slug,
        "dyad": target.dyad_id,
        "dyad_label": target.dyad_label,
        "interview": target.interview_id,
        "perspective": target.perspective,
        "code": target.code_id,
        "code_key": target.code_key,
        "coder": coder.pk,
        "coder_username": coder.get_username(),
        "layer": coding.layer,
        "start": coding.start,
        "end": coding.end,
        "quote": coding.quote,
        "memo": coding.memo,
        "codebook_version": coding.codebook_version,
        "created": _DATETIME.to_representation(coding.created),
        "updated": _DATETIME.to_representation(coding.updated),
    }


class CodingCreateSerializer(StrictSerializer):
    interview = id_field()
    code = id_field(required=False, help_text="Code id (or give code_key).")
    code_key = serializers.CharField(required=False, max_length=40)
    start = offset_field(help_text="Code-point offset, inclusive.")
    end = offset_field(help_text="Code-point offset, exclusive.")
    memo = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    layer = serializers.ChoiceField(choices=Layer.choices, default=Layer.INDIVIDUAL)


class CodingItemSerializer(StrictSerializer):
    code = id_field(required=False)
    code_key = serializers.CharField(required=False, max_length=40)
    start = offset_field()
    end = offset_field()
    memo = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class CodingBulkSerializer(StrictSerializer):
    interview = id_field()
    layer = serializers.ChoiceField(choices=Layer.choices, default=Layer.INDIVIDUAL)
    items = CodingItemSerializer(many=True, allow_empty=False, max_length=5000)  # type: ignore[call-arg]


class CodingUpdateSerializer(StrictSerializer):
    code = id_field(required=False)
    code_key = serializers.CharField(required=False, max_length=40)
    start = offset_field(required=False)
    end = offset_field(required=False)
    memo = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class CodingFilter(ScopedFilterSet):
    study = KeyFilter(
        field_name="interview__dyad__study__slug",
        help_text="Study slug",
        visible=studies_visible_to,
        visible_field="slug",
    )
    dyad = IdFilter(field_name="interview__dyad_id", visible=dyads_visible_to)
    dyad_label = django_filters.CharFilter(field_name="interview__dyad__label")
    interview = IdFilter(field_name="interview_id", visible=interviews_visible_to)
    perspective = django_filters.ChoiceFilter(
        field_name="interview__perspective", choices=Perspective.choices
    )
    code = IdFilter(
        method="filter_code",
        help_text="Code id; its sub-codes are included",
        visible=codes_visible_to,
    )
    code_key = django_filters.CharFilter(
        method="filter_code_key", help_text="Code key; its sub-codes are included"
    )
    coder = IdFilter(field_name="coder_id", visible=people_visible_to)
    coder_username = django_filters.CharFilter(field_name="coder__username")
    layer = django_filters.ChoiceFilter(choices=Layer.choices)
    created_after = DateTimeFilter(field_name="created", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created", lookup_expr="lt")
    updated_after = DateTimeFilter(field_name="updated", lookup_expr="gte")
    updated_before = DateTimeFilter(field_name="updated", lookup_expr="lt")

    class Meta:
        model = Coding
        fields: list[str] = []

    def _with_descendants(
        self, queryset: QuerySet[Coding], roots: QuerySet[Code]
    ) -> QuerySet[Coding]:
        root_rows = list(roots.values_list("id", "codebook_id"))
        if not root_rows:
            return queryset.none()
        # Codebooks are small: one query loads their trees and the descendants are found here.
        tree: dict[int | None, list[int]] = {}
        for code_id, parent_id in Code.objects.filter(
            codebook_id__in={c for _, c in root_rows}
        ).values_list("id", "parent_id"):
            tree.setdefault(parent_id, []).append(code_id)
        found: set[int] = set()
        pending = [code_id for code_id, _ in root_rows]
        while pending:
            current = pending.pop()
            if current not in found:
                found.add(current)
                pending.extend(tree.get(current, []))
        return queryset.filter(code_id__in=found)

    def filter_code(self, queryset: QuerySet[Coding], name: str, value: Any) -> QuerySet[Coding]:
        return self._with_descendants(queryset, Code.objects.filter(pk=value))

    def filter_code_key(
        self, queryset: QuerySet[Coding], name: str, value: Any
    ) -> QuerySet[Coding]:
        roots = Code.objects.filter(key=value, codebook__study__memberships__user=self.request.user)
        return self._with_descendants(queryset, roots)


def _require_layer_write(*, access: Access, layer: str) -> None:
    access.require_writable()
    if not access.can_code:
        raise PermissionDenied("Viewers cannot code.")
    if layer == Layer.CONSENSUS:
        access.require_adjudication()


def _require_coding_write(*, coding: Coding, access: Access, user: Any) -> None:
    access.require_writable()
    if coding.layer == Layer.CONSENSUS:
        _require_layer_write(access=access, layer=Layer.CONSENSUS)
    elif coding.coder_id != user.pk or not access.can_code:
        raise PermissionDenied("You can change only your own codings.")


def _code_id(values: dict[str, Any], *, study_id: int, prefix: str = "") -> int:
    if values.get("code") is not None:
        return int(values["code"])
    key = values.get("code_key")
    if not key:
        raise ValidationError({f"{prefix}code": ["Give code (an id) or code_key."]})
    code_id = (
        Code.objects.filter(codebook__study_id=study_id, key=key)
        .values_list("id", flat=True)
        .first()
    )
    if code_id is None:
        raise ValidationError({f"{prefix}code_key": [f"No code {key!r} in this study's codebook."]})
    return code_id


class CodingViewSet(viewsets.GenericViewSet):
    """Codings (spans of interview text tagged with a code) the user may see.

    Offsets are Unicode code points into the interview's text, half-open ``[start, end)``.
    Coders write their own ``individual`` layer; the lead (or a named adjudicator) writes the
    ``consensus`` layer. While blind coding is on, coders see only their own codings.
    """

    serializer_class = CodingSerializer
    queryset = Coding.objects.none()
    pagination_class = CodingCursorPagination
    filter_backends = FILTER_BACKENDS
    filterset_class = CodingFilter
    ordering_fields = ["id", "created", "updated"]
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[Coding]:
        return (
            codings_visible_to(user=self.request.user)
            .select_related("interview__dyad__study", "code", "coder")
            .defer(
                "interview__text",
                "code__definition",
                "code__inclusion",
                "code__exclusion",
                "code__example",
            )
        )

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(CodingSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        coding, _ = coding_get_for_user(user=request.user, pk=_pk(pk))
        return Response(CodingSerializer(coding).data)

    @extend_schema(request=CodingCreateSerializer, responses={201: CodingSerializer})
    def create(self, request: Request) -> Response:
        # The browser's hot path: one query reads the interview, access, code and quote; two
        # statements write the coding and its audit event (see docs/performance.md).
        data = CodingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        code_id = values.get("code")
        code_key = values.get("code_key") if code_id is None else None
        target = coding_target_for_user(
            user=request.user,
            interview_id=values["interview"],
            start=values["start"],
            end=values["end"],
            code_id=code_id,
            code_key=code_key,
        )
        _require_layer_write(access=target.access, layer=values["layer"])
        coding = coding_create_at_target(
            target=target,
            coder=request.user,
            start=values["start"],
            end=values["end"],
            layer=values["layer"],
            memo=values["memo"],
            code_key_given=bool(code_key),
        )
        return Response(
            created_coding_body(coding, target=target, coder=request.user),
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=CodingBulkSerializer, responses={201: CodingSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        """Create up to 5,000 codings in one interview, all or nothing."""
        data = CodingBulkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        interview, access = interview_get_for_user(user=request.user, pk=values["interview"])
        _require_layer_write(access=access, layer=values["layer"])
        study_id = interview.dyad.study_id
        keys = {
            item["code_key"]
            for item in values["items"]
            if item.get("code") is None and item.get("code_key")
        }
        by_key = dict(
            Code.objects.filter(codebook__study_id=study_id, key__in=keys).values_list("key", "id")
        )
        items = []
        errors: dict[str, list[str]] = {}
        for index, item in enumerate(values["items"]):
            code_id = item.get("code")
            if code_id is None:
                code_id = by_key.get(item.get("code_key") or "")
                if code_id is None:
                    errors[f"items[{index}].code_key"] = [
                        f"No code {item.get('code_key')!r} in this study's codebook."
                    ]
                    continue
            items.append(
                CodingInput(
                    code_id=code_id, start=item["start"], end=item["end"], memo=item["memo"]
                )
            )
        if errors:
            raise ValidationError(errors)
        created = codings_bulk_create(
            interview=interview, coder=request.user, layer=values["layer"], items=items
        )
        return Response(CodingSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CodingUpdateSerializer, responses=CodingSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        coding, access = coding_get_for_user(user=request.user, pk=_pk(pk))
        _require_coding_write(coding=coding, access=access, user=request.user)
        data = CodingUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        code_id = None
        if values.get("code") is not None or values.get("code_key"):
            code_id = _code_id(values, study_id=coding.interview.dyad.study_id)
        coding_update(
            coding=coding,
            actor=request.user,
            code=code_id,
            start=values.get("start"),
            end=values.get("end"),
            memo=values.get("memo"),
        )
        coding, _ = coding_get_for_user(user=request.user, pk=coding.pk)
        return Response(CodingSerializer(coding).data)

    def destroy(self, request: Request, pk: str) -> Response:
        coding, access = coding_get_for_user(user=request.user, pk=_pk(pk))
        _require_coding_write(coding=coding, access=access, user=request.user)
        coding_delete(coding=coding, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Memos --------------------------------------------------------------------------------------


class MemoSerializer(serializers.ModelSerializer):
    study = serializers.CharField(source="study.slug", read_only=True)
    author_username = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = Memo
        fields = [
            "id",
            "study",
            "dyad",
            "interview",
            "code",
            "coding",
            "author",
            "author_username",
            "type",
            "title",
            "body",
            "created",
            "updated",
        ]
        read_only_fields = fields


class MemoCreateSerializer(StrictSerializer):
    study = serializers.SlugField()
    dyad = id_field(required=False, allow_null=True)
    interview = id_field(required=False, allow_null=True)
    code = id_field(required=False, allow_null=True)
    coding = id_field(required=False, allow_null=True)
    type = serializers.ChoiceField(choices=MemoType.choices, default=MemoType.ANALYTIC)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    body = serializers.CharField(max_length=50_000)


class MemoUpdateSerializer(StrictSerializer):
    type = serializers.ChoiceField(choices=MemoType.choices, required=False)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    body = serializers.CharField(required=False, max_length=50_000)


class MemoFilter(ScopedFilterSet):
    study = KeyFilter(
        field_name="study__slug",
        help_text="Study slug",
        visible=studies_visible_to,
        visible_field="slug",
    )
    dyad = IdFilter(field_name="dyad_id", visible=dyads_visible_to)
    interview = IdFilter(field_name="interview_id", visible=interviews_visible_to)
    code = IdFilter(
        field_name="code_id",
        visible=codes_visible_to,
        method="filter_code",
        help_text="Code id: memos on the code, or on a coding with that code",
    )
    coding = IdFilter(field_name="coding_id", visible=_codings_visible)
    type = django_filters.ChoiceFilter(choices=MemoType.choices, help_text="Memo type")
    target = django_filters.ChoiceFilter(
        choices=[(kind, kind) for kind in MEMO_TARGET_KINDS],
        method="filter_target",
        help_text="What the memo is about: the study itself, or any dyad, interview, code, coding",
    )
    q = django_filters.CharFilter(
        method="filter_text", max_length=200, help_text="Text in the title or body"
    )
    since = django_filters.DateFilter(
        field_name="created", lookup_expr="date__gte", help_text="Written on or after (YYYY-MM-DD)"
    )
    until = django_filters.DateFilter(
        field_name="created", lookup_expr="date__lte", help_text="Written on or before (YYYY-MM-DD)"
    )
    author = KeyFilter(
        field_name="author__username",
        help_text="Username",
        visible=people_visible_to,
        visible_field="username",
    )
    created_after = DateTimeFilter(field_name="created", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created", lookup_expr="lt")
    updated_after = DateTimeFilter(field_name="updated", lookup_expr="gte")
    updated_before = DateTimeFilter(field_name="updated", lookup_expr="lt")

    class Meta:
        model = Memo
        fields: list[str] = []

    def filter_code(self, queryset: QuerySet[Memo], name: str, value: int) -> QuerySet[Memo]:
        return queryset.filter(memo_about_code_q(value))

    def filter_target(self, queryset: QuerySet[Memo], name: str, value: str) -> QuerySet[Memo]:
        return queryset.filter(memo_target_q(value))

    def filter_text(self, queryset: QuerySet[Memo], name: str, value: str) -> QuerySet[Memo]:
        return queryset.filter(memo_text_q(value.strip())) if value.strip() else queryset


class MemoViewSet(viewsets.GenericViewSet):
    """Memos on a study, or on one dyad, interview, code or coding of it. Coders and leads write
    memos; the author (or a lead) edits and deletes them."""

    serializer_class = MemoSerializer
    queryset = Memo.objects.none()
    filter_backends = FILTER_BACKENDS
    filterset_class = MemoFilter
    ordering_fields = ["created", "updated", "title", "type"]
    ordering = ["-updated", "-id"]

    def get_queryset(self) -> QuerySet[Memo]:
        return memos_visible_to(user=self.request.user).select_related("study")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(MemoSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        memo = (
            memos_visible_to(user=request.user).select_related("study").filter(pk=_pk(pk)).first()
        )
        if memo is None:
            raise Http404("Not found.")
        return Response(MemoSerializer(memo).data)

    @extend_schema(request=MemoCreateSerializer, responses={201: MemoSerializer})
    def create(self, request: Request) -> Response:
        data = MemoCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        study, _ = study_get_for_user(user=request.user, slug=values["study"], min_role=Role.CODER)
        targets: dict[str, Any] = {}
        if values.get("dyad"):
            targets["dyad"], _ = dyad_get_for_user(user=request.user, pk=values["dyad"])
        if values.get("interview"):
            targets["interview"], _ = interview_get_for_user(
                user=request.user, pk=values["interview"], with_text=False
            )
        if values.get("code"):
            targets["code"] = _codes_of(request.user, study.slug).filter(pk=values["code"]).first()
            if targets["code"] is None:
                raise ValidationError({"code": ["No such code in this study's codebook."]})
        if values.get("coding"):
            targets["coding"], _ = coding_get_for_user(user=request.user, pk=values["coding"])
        memo = memo_create(
            study=study,
            author=request.user,
            type=values["type"],
            title=values["title"],
            body=values["body"],
            **targets,
        )
        return Response(MemoSerializer(memo).data, status=status.HTTP_201_CREATED)

    def _own(self, request: Request, pk: str) -> Memo:
        memo = (
            memos_visible_to(user=request.user).select_related("study").filter(pk=_pk(pk)).first()
        )
        if memo is None:
            raise Http404("Not found.")
        access = study_access_for_user(user=request.user, study=memo.study)
        if memo.author_id != request.user.pk and not (access and access.is_lead):
            raise PermissionDenied("Only the memo's author or a lead changes it.")
        if memo.study.archived:
            raise PermissionDenied(STUDY_ARCHIVED)
        return memo

    @extend_schema(request=MemoUpdateSerializer, responses=MemoSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        memo = self._own(request, pk)
        data = MemoUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        memo_update(memo=memo, actor=request.user, **data.validated_data)
        return Response(MemoSerializer(memo).data)

    def destroy(self, request: Request, pk: str) -> Response:
        memo_delete(memo=self._own(request, pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Jobs ---------------------------------------------------------------------------------------
# Moving to healing/jobs/ (issue 12, floors): everything from here to the end of the file is the
# job API and nothing below depends on the sections above except ``_pk`` and ``FILTER_BACKENDS``.


class JobFilter(ScopedFilterSet):
    study = KeyFilter(
        field_name="study__slug",
        help_text="Study slug",
        visible=studies_visible_to,
        visible_field="slug",
    )
    state = django_filters.ChoiceFilter(choices=JobState.choices)
    kind = django_filters.ChoiceFilter(choices=job_kind_choices)
    created_after = DateTimeFilter(field_name="created", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created", lookup_expr="lt")

    class Meta:
        model = Job
        fields: list[str] = []


class JobViewSet(viewsets.GenericViewSet):
    """Background jobs the user started (a lead sees all jobs of their studies): state, progress,
    result, error, and output files to download."""

    serializer_class = JobSerializer
    queryset = Job.objects.none()
    filter_backends = FILTER_BACKENDS
    filterset_class = JobFilter
    ordering_fields = ["created", "finished", "state", "kind"]
    ordering = ["-created", "-id"]

    def get_queryset(self) -> QuerySet[Job]:
        return jobs_for_user(user=self.request.user).prefetch_related(
            Prefetch("files", queryset=JobFile.objects.defer("data").order_by("id"))
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(JobSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        job = self.get_queryset().filter(pk=_pk(pk)).first()
        if job is None:
            raise Http404("Not found.")
        return Response(JobSerializer(job).data)

    @extend_schema(request=None, responses={200: JobSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Cancel a job that is queued or running (its starter, or a lead of its study): a queued
        job never runs, a running one is stopped. Cancelling an ended job changes nothing."""
        job = job_get_for_user(user=request.user, pk=_pk(pk))
        if not job_may_cancel(user=request.user, job=job):
            raise PermissionDenied("Only who started the job, or a lead of its study, cancels it.")
        job_cancel(job=job, actor=request.user)
        return self.retrieve(request, pk)

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"files/(?P<file_id>\d+)")
    def download(self, request: Request, pk: str, file_id: str) -> HttpResponse:
        """Download one of the job's output files."""
        job = job_get_for_user(user=request.user, pk=_pk(pk))
        stored = JobFile.objects.filter(
            job=job, pk=_pk(file_id), direction=JobFile.Direction.OUTPUT
        ).first()
        if stored is None:
            raise Http404("Not found.")
        response = HttpResponse(bytes(stored.data), content_type=stored.content_type)
        response["Content-Disposition"] = f'attachment; filename="{stored.name}"'
        return response
