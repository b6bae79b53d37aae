"""REST API for studies, dyads and interviews (including the workspace payload)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from coding.selectors import LAYER_NAMES, coding_changes, layer_choice
from coding.team.services import study_update
from coding.workspace import workspace_payload
from healing.api.base import StrictSerializer, int_param
from healing.api.errors import error_response
from interviews.importing import TranscriptError
from interviews.models import (
    ApiToken,
    Dyad,
    Interview,
    Participant,
    Perspective,
    Role,
    Study,
    Turn,
)
from interviews.selectors import (
    dyad_get_for_user,
    interview_get_for_user,
    studies_for_user,
    study_get_for_user,
)
from interviews.services import (
    api_token_create,
    api_token_revoke,
    dyad_get_or_create,
    dyad_update,
    interview_import,
    parse_speaker_map,
    participant_get_or_create,
    study_create,
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


class StudyViewSet(viewsets.GenericViewSet):
    """Studies the user is a member of. Anyone signed in may create one and becomes its lead."""

    lookup_field = "slug"
    serializer_class = StudySerializer
    queryset = Study.objects.none()

    def get_queryset(self) -> QuerySet[Study]:
        return studies_for_user(user=self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(StudySerializer(page, many=True).data)

    def retrieve(self, request: Request, slug: str) -> Response:
        study = self.get_queryset().filter(slug=slug).first()
        if study is None:
            return error_response(404, "not_found", "Not found.")
        return Response(StudySerializer(study).data)

    @extend_schema(request=StudyCreateSerializer, responses={201: StudySerializer})
    def create(self, request: Request) -> Response:
        data = StudyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        copy_from = None
        if values["codebook"] == "copy":
            if not values.get("copy_codebook_from"):
                raise ValidationError(
                    {"copy_codebook_from": ["Give the slug of the study to copy."]}
                )
            copy_from, _ = study_get_for_user(user=request.user, slug=values["copy_codebook_from"])
        if Study.objects.filter(slug=values["slug"]).exists():
            raise ValidationError({"slug": ["A study with this slug already exists."]})
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

    @extend_schema(request=StudyUpdateSerializer, responses=StudySerializer)
    def partial_update(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
        data = StudyUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        study_update(study=study, actor=request.user, **data.validated_data)
        return Response(StudySerializer(self.get_queryset().get(pk=study.pk)).data)


# --- Dyads --------------------------------------------------------------------------------------


class InterviewBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Interview
        fields = ["id", "perspective", "title", "word_count", "conducted_on", "consensus_complete"]
        read_only_fields = fields


class ParticipantBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Participant
        fields = ["id", "role", "pseudonym", "attributes"]
        read_only_fields = fields


class DyadSerializer(serializers.ModelSerializer):
    study = serializers.CharField(source="study.slug", read_only=True)
    clinician = ParticipantBriefSerializer(read_only=True)
    patient = ParticipantBriefSerializer(read_only=True)
    interviews = InterviewBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Dyad
        fields = [
            "id",
            "study",
            "label",
            "clinician",
            "patient",
            "attributes",
            "interviews",
            "created",
        ]
        read_only_fields = fields


class DyadCreateSerializer(StrictSerializer):
    study = serializers.SlugField()
    label = serializers.CharField(max_length=60)  # type: ignore[assignment]
    clinician = serializers.CharField(max_length=120, required=False, allow_blank=True)
    patient = serializers.CharField(max_length=120, required=False, allow_blank=True)
    attributes = serializers.DictField(required=False, default=dict)
    clinician_attributes = serializers.DictField(required=False, default=dict)
    patient_attributes = serializers.DictField(required=False, default=dict)


class DyadUpdateSerializer(StrictSerializer):
    label = serializers.CharField(max_length=60, required=False)  # type: ignore[assignment]
    attributes = serializers.DictField(required=False)


class DyadViewSet(viewsets.GenericViewSet):
    """Dyads of the user's studies; ``?study=SLUG`` narrows to one study. Leads create and edit."""

    serializer_class = DyadSerializer
    queryset = Dyad.objects.none()  # for the schema; get_queryset scopes by membership

    def get_queryset(self) -> QuerySet[Dyad]:
        user: Any = self.request.user
        queryset = (
            Dyad.objects.filter(study__memberships__user=user)
            .select_related("study", "clinician", "patient")
            .prefetch_related(
                Prefetch(
                    "interviews",
                    queryset=Interview.objects.defer("text").order_by("perspective", "id"),
                )
            )
            .order_by("study__slug", "label")
        )
        slug = self.request.query_params.get("study")
        if slug:
            queryset = queryset.filter(study__slug=slug)
        return queryset

    @extend_schema(parameters=[OpenApiParameter("study", str, description="Study slug")])
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DyadSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        dyad, _ = dyad_get_for_user(user=request.user, pk=_pk(pk))
        return Response(DyadSerializer(self.get_queryset().get(pk=dyad.pk)).data)

    @extend_schema(request=DyadCreateSerializer, responses={201: DyadSerializer})
    def create(self, request: Request) -> Response:
        data = DyadCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        study, _ = study_get_for_user(user=request.user, slug=values["study"], min_role=Role.LEAD)
        if Dyad.objects.filter(study=study, label=values["label"].strip()).exists():
            raise ValidationError({"label": ["This study already has a dyad with this label."]})
        with transaction.atomic():
            clinician = (
                participant_get_or_create(
                    study=study,
                    role="clinician",
                    pseudonym=values["clinician"],
                    attributes=values["clinician_attributes"],
                )
                if values.get("clinician")
                else None
            )
            patient = (
                participant_get_or_create(
                    study=study,
                    role="patient",
                    pseudonym=values["patient"],
                    attributes=values["patient_attributes"],
                )
                if values.get("patient")
                else None
            )
            dyad, _ = dyad_get_or_create(
                study=study,
                label=values["label"],
                clinician=clinician,
                patient=patient,
                attributes=values["attributes"],
            )
        return Response(
            DyadSerializer(self.get_queryset().get(pk=dyad.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=DyadUpdateSerializer, responses=DyadSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        dyad, _ = dyad_get_for_user(user=request.user, pk=_pk(pk), min_role=Role.LEAD)
        data = DyadUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dyad_update(dyad=dyad, actor=request.user, **data.validated_data)
        return Response(DyadSerializer(self.get_queryset().get(pk=dyad.pk)).data)


def _pk(raw: str) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None


# --- Interviews ---------------------------------------------------------------------------------


class TurnSerializer(serializers.ModelSerializer):
    class Meta:
        model = Turn
        fields = ["index", "speaker", "role", "start", "end", "timestamp_ms"]
        read_only_fields = fields


class InterviewSerializer(serializers.ModelSerializer):
    study = serializers.CharField(source="dyad.study.slug", read_only=True)
    dyad_label = serializers.CharField(source="dyad.label", read_only=True)

    class Meta:
        model = Interview
        fields = [
            "id",
            "study",
            "dyad",
            "dyad_label",
            "perspective",
            "title",
            "conducted_on",
            "interviewer",
            "word_count",
            "source_name",
            "source_format",
            "text_sha256",
            "consensus_complete",
            "created",
            "updated",
        ]
        read_only_fields = fields


class InterviewDetailSerializer(InterviewSerializer):
    turns = TurnSerializer(many=True, read_only=True)

    class Meta(InterviewSerializer.Meta):
        fields = [*InterviewSerializer.Meta.fields, "text", "turns"]
        read_only_fields = fields


class InterviewUploadSerializer(StrictSerializer):
    file = serializers.FileField()
    study = serializers.SlugField()
    dyad = serializers.CharField(max_length=60, help_text="Dyad label; created if missing.")
    perspective = serializers.ChoiceField(choices=Perspective.choices)
    speakers = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="e.g. 'Jane=patient; Int=interviewer'",
    )
    force = serializers.BooleanField(required=False, default=False)
    conducted_on = serializers.DateField(required=False, allow_null=True, default=None)
    interviewer = serializers.CharField(required=False, allow_blank=True, default="")
    title = serializers.CharField(required=False, allow_blank=True, default="")


class InterviewViewSet(viewsets.GenericViewSet):
    """Interviews of the user's studies. Upload a transcript file to create one (leads)."""

    serializer_class = InterviewSerializer
    queryset = Interview.objects.none()
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _user(self) -> Any:
        return self.request.user

    def get_queryset(self) -> QuerySet[Interview]:
        queryset = (
            Interview.objects.filter(dyad__study__memberships__user=self._user())
            .select_related("dyad__study")
            .defer("text")
            .order_by("dyad__study__slug", "dyad__label", "perspective", "id")
        )
        params = self.request.query_params
        if params.get("study"):
            queryset = queryset.filter(dyad__study__slug=params["study"])
        dyad = int_param(params, "dyad")
        if dyad is not None:
            queryset = queryset.filter(dyad_id=dyad)
        if params.get("perspective"):
            queryset = queryset.filter(perspective=params["perspective"])
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("study", str, description="Study slug"),
            OpenApiParameter("dyad", int, description="Dyad id"),
            OpenApiParameter("perspective", str, enum=Perspective.values),
        ]
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(InterviewSerializer(page, many=True).data)

    @extend_schema(responses=InterviewDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        interview, _ = interview_get_for_user(user=request.user, pk=_pk(pk))
        interview = (
            Interview.objects.select_related("dyad__study")
            .prefetch_related("turns")
            .get(pk=interview.pk)
        )
        return Response(InterviewDetailSerializer(interview).data)

    @extend_schema(
        request={"multipart/form-data": InterviewUploadSerializer},
        responses={201: InterviewDetailSerializer},
    )
    def create(self, request: Request) -> Response:
        data = InterviewUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        study, _ = study_get_for_user(user=request.user, slug=values["study"], min_role=Role.LEAD)
        upload = values["file"]
        limit = settings.HEALING_MAX_UPLOAD_BYTES
        if upload.size > limit:
            return error_response(
                413,
                "too_large",
                f"{upload.name} is {upload.size / 1_000_000:.1f} MB; the limit is "
                f"{limit / 1_000_000:.1f} MB (HEALING_MAX_UPLOAD_BYTES).",
            )
        try:
            with transaction.atomic():
                dyad, _ = dyad_get_or_create(study=study, label=values["dyad"])
                outcome = interview_import(
                    dyad=dyad,
                    perspective=values["perspective"],
                    filename=upload.name,
                    data=upload.read(),
                    imported_by=request.user,
                    speaker_map=parse_speaker_map(values["speakers"]),
                    force=values["force"],
                    conducted_on=values["conducted_on"],
                    interviewer=values["interviewer"],
                    title=values["title"],
                )
        except TranscriptError as exc:
            return error_response(400, "invalid_transcript", str(exc), {"file": [str(exc)]})
        interview = (
            Interview.objects.select_related("dyad__study")
            .prefetch_related("turns")
            .get(pk=outcome.interview.pk)
        )
        body = InterviewDetailSerializer(interview).data
        body["warnings"] = outcome.warnings
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "layer",
                str,
                enum=[*LAYER_NAMES],
                description="mine (default), coder, all, consensus",
            ),
            OpenApiParameter("coder", int, description="The coder's user id, with layer=coder"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    # Named "interview-workspace-api": "interview-workspace" is the page at /interviews/<id>/.
    @action(detail=True, methods=["get"], url_name="workspace-api")
    def workspace(self, request: Request, pk: str) -> Response:
        """Everything the coding page needs in one request: text, turns, and a layer's codings."""
        interview, access = interview_get_for_user(user=request.user, pk=_pk(pk))
        layer = layer_choice(
            name=request.query_params.get("layer"),
            coder=request.query_params.get("coder"),
            user=request.user,
            access=access,
        )
        return Response(
            workspace_payload(interview=interview, access=access, layer=layer, user=request.user)
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since", int, required=True, description="The cursor from the last response"
            ),
            OpenApiParameter("layer", str, enum=[*LAYER_NAMES]),
            OpenApiParameter("coder", int),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def changes(self, request: Request, pk: str) -> Response:
        """Codings created, changed or deleted since a cursor, for live updates while coding."""
        interview, access = interview_get_for_user(user=request.user, pk=_pk(pk), with_text=False)
        layer = layer_choice(
            name=request.query_params.get("layer"),
            coder=request.query_params.get("coder"),
            user=request.user,
            access=access,
        )
        since = int_param(request.query_params, "since") or 0
        return Response(coding_changes(interview=interview, layer=layer, since=since))


# --- Personal API tokens ---------------------------------------------------------------------


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created", "last_used", "revoked"]
        read_only_fields = fields


class ApiTokenCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)


class ApiTokenViewSet(viewsets.GenericViewSet):
    """Your personal API tokens. The token itself is returned once, when it is created."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()

    def get_queryset(self) -> QuerySet[ApiToken]:
        user: Any = self.request.user
        return ApiToken.objects.filter(user=user).order_by("-created")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ApiTokenSerializer(page, many=True).data)

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: ApiTokenSerializer})
    def create(self, request: Request) -> Response:
        data = ApiTokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row, token = api_token_create(user=request.user, name=data.validated_data["name"])
        return Response(
            {**ApiTokenSerializer(row).data, "token": token}, status=status.HTTP_201_CREATED
        )

    def destroy(self, request: Request, pk: str) -> Response:
        token = self.get_queryset().filter(pk=_pk(pk)).first()
        if token is None:
            raise Http404("Not found.")
        api_token_revoke(token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)
