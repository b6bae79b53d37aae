"""REST API for studies: list, create (who may: ``STUDY_CREATORS``), check a new slug, change
(archive and unarchive too), and the caller's role in each."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from healing.api.base import StrictSerializer
from healing.api.errors import error_response
from healing.api.filters import DateTimeFilter
from interviews.api.common import FILTER_BACKENDS
from interviews.models import (
    Role,
    Study,
)
from interviews.selectors import (
    studies_for_user,
    study_create_check,
    study_get_for_user,
    study_slug_available,
    two_factor_check,
)
from interviews.services import (
    study_create,
    study_update,
)

# --- Studies ------------------------------------------------------------------------------------


class StudySerializer(serializers.ModelSerializer):
    role = serializers.CharField(source="my_role", read_only=True)
    dyad_count = serializers.IntegerField(read_only=True)
    interview_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Study
        fields = [
            "slug",
            "title",
            "description",
            "blind_coding",
            "require_two_factor",
            "deid_required",
            "deid_keep_original",
            "archived",
            "archived_at",
            "created",
            "role",
            "dyad_count",
            "interview_count",
        ]
        read_only_fields = fields


class StudyCreateSerializer(StrictSerializer):
    slug = serializers.SlugField(max_length=64)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    codebook = serializers.ChoiceField(choices=["healing", "empty", "copy"], default="healing")
    copy_codebook_from = serializers.SlugField(required=False)


class StudyUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    blind_coding = serializers.BooleanField(required=False)
    require_two_factor = serializers.BooleanField(
        required=False,
        help_text="Members open the study only from a two-factor-verified sign-in (or a token "
        "created from one). Only a lead whose own sign-in is verified may turn it on.",
    )
    deid_required = serializers.BooleanField(
        required=False,
        help_text="Coding requires de-identification: an interview cannot be coded until its "
        "de-identification review is complete.",
    )
    deid_keep_original = serializers.BooleanField(
        required=False,
        help_text="Applying a de-identification review keeps the original text for leads only "
        "(true) or destroys it (false, the default).",
    )
    archived = serializers.BooleanField(
        required=False,
        help_text="Archive (true: the study becomes read-only for everyone, reads and exports "
        "still work) or unarchive (false). While archived, unarchiving is the only change a "
        "study takes.",
    )


class SlugCheckSerializer(serializers.Serializer):
    slug = serializers.CharField()
    available = serializers.BooleanField()
    message = serializers.CharField()


class StudyFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(
        field_name="my_role", choices=Role.choices, help_text="Your role in the study"
    )
    created_after = DateTimeFilter(field_name="created", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created", lookup_expr="lt")

    class Meta:
        model = Study
        fields: list[str] = []


class StudyViewSet(viewsets.GenericViewSet):
    """Studies the user is a member of. Who may create one is the ``STUDY_CREATORS`` setting
    (staff, or anyone signed in); the creator becomes its lead. (Members are managed at
    ``studies/{slug}/members/``: ``coding.team.api``.)"""

    lookup_field = "slug"
    serializer_class = StudySerializer
    queryset = Study.objects.none()
    filter_backends = FILTER_BACKENDS
    filterset_class = StudyFilter
    ordering_fields = ["title", "slug", "created"]
    ordering = ["title", "id"]

    def get_queryset(self) -> QuerySet[Study]:
        return studies_for_user(user=self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(StudySerializer(page, many=True).data)

    def retrieve(self, request: Request, slug: str) -> Response:
        study = self.get_queryset().filter(slug=slug).first()
        if study is None:
            return error_response(404, "not_found", "Not found.")
        two_factor_check(study, request.user)
        return Response(StudySerializer(study).data)

    @extend_schema(request=StudyCreateSerializer, responses={201: StudySerializer})
    def create(self, request: Request) -> Response:
        study_create_check(request.user)
        data = StudyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        copy_from = None
        if values["codebook"] == "copy":
            if not values.get("copy_codebook_from"):
                raise ValidationError(
                    {"copy_codebook_from": ["Give the slug of the study to copy."]}
                )
            try:
                copy_from, _ = study_get_for_user(
                    user=request.user, slug=values["copy_codebook_from"]
                )
            except Http404:
                raise ValidationError(
                    {"copy_codebook_from": ["You are not a member of a study with this slug."]}
                ) from None
        available, message = study_slug_available(slug=values["slug"])
        if not available:
            raise ValidationError({"slug": [message]})
        study = study_create(
            slug=values["slug"],
            title=values["title"],
            description=values["description"],
            created_by=request.user,
            codebook=values["codebook"],
            copy_codebook_from=copy_from,
        )
        created = self.get_queryset().get(pk=study.pk)
        return Response(StudySerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("slug", str, required=True, description="A slug to try")],
        responses=SlugCheckSerializer,
    )
    @action(detail=False, methods=["get"], url_path="slug-check")
    def slug_check(self, request: Request) -> Response:
        """Whether a new study may take this slug. The answer says only that (never whose
        study has it), and is the same for anyone signed in."""
        slug = str(request.query_params.get("slug", ""))[:200]
        available, message = study_slug_available(slug=slug)
        return Response({"slug": slug, "available": available, "message": message})

    @extend_schema(request=StudyUpdateSerializer, responses=StudySerializer)
    def partial_update(self, request: Request, slug: str) -> Response:
        # read_only: an archived study is loaded so that its lead may unarchive it; the service
        # refuses every other change to it.
        study, _ = study_get_for_user(
            user=request.user, slug=slug, min_role=Role.LEAD, read_only=True
        )
        # partial: a form-encoded PATCH without a checkbox field must not read it as false.
        data = StudyUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        study_update(study=study, actor=request.user, **data.validated_data)
        return Response(StudySerializer(self.get_queryset().get(pk=study.pk)).data)
