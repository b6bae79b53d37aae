"""REST API for studies and their members, attributes, participants, dyads and interviews
(including the workspace payload and batch transcript import)."""

from __future__ import annotations

import json
from typing import Any

import django_filters
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from coding.codings_api import JobSerializer
from coding.selectors import LAYER_NAMES, coding_changes, layer_choice
from coding.team.services import study_update
from coding.workspace import workspace_payload
from healing.api.base import MAX_ID, MAX_INT32, StrictSerializer, id_field, int_param
from healing.api.errors import error_response
from healing.api.filters import DateTimeFilter, IdFilter, StrictOrderingFilter
from interviews.importing import TranscriptError
from interviews.manifest import ManifestError, manifest_items
from interviews.models import (
    ApiToken,
    AttributeDefinition,
    AttributeType,
    Dyad,
    Entity,
    Interview,
    Participant,
    ParticipantRole,
    Perspective,
    Role,
    Study,
    Turn,
)
from interviews.selectors import (
    attribute_definition_get_for_user,
    dyad_get_for_user,
    interview_get_for_user,
    participant_get_for_user,
    studies_for_user,
    study_get_for_user,
)
from interviews.services import (
    KEEP,
    api_token_create,
    api_token_revoke,
    attribute_define,
    attribute_delete,
    attribute_update,
    dyad_delete,
    dyad_get_or_create,
    dyad_update,
    interview_delete,
    interview_import,
    interview_update,
    parse_speaker_map,
    participant_create,
    participant_delete,
    participant_get_or_create,
    participant_update,
    study_create,
    transcripts_import_start,
)

FILTER_BACKENDS = [DjangoFilterBackend, StrictOrderingFilter]


def _pk(raw: Any) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
    if not 1 <= value <= MAX_ID:
        raise Http404("Not found.")
    return value


def _too_large(upload: Any) -> Response | None:
    """A 413 for a file over HEALING_MAX_UPLOAD_BYTES, or None."""
    limit = settings.HEALING_MAX_UPLOAD_BYTES
    if upload.size <= limit:
        return None
    return error_response(
        413,
        "too_large",
        f"{upload.name} is {upload.size / 1_000_000:.1f} MB; the limit is "
        f"{limit / 1_000_000:.1f} MB (HEALING_MAX_UPLOAD_BYTES).",
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
    """Studies the user is a member of. Anyone signed in may create one and becomes its lead.
    (Members are managed at ``studies/{slug}/members/``: ``coding.team.api``.)"""

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


# --- Attribute definitions ----------------------------------------------------------------------


class AttributeDefinitionSerializer(serializers.ModelSerializer):
    study = serializers.CharField(source="study.slug", read_only=True)

    class Meta:
        model = AttributeDefinition
        fields = ["id", "study", "entity", "key", "label", "type", "choices", "order"]
        read_only_fields = fields


class AttributeDefinitionCreateSerializer(StrictSerializer):
    study = serializers.SlugField()
    entity = serializers.ChoiceField(choices=Entity.choices)
    key = serializers.RegexField(
        r"^[a-z][a-z0-9_]{0,39}$",
        help_text="Lower-case letters, digits and underscores, starting with a letter.",
    )
    type = serializers.ChoiceField(choices=AttributeType.choices)
    label = serializers.CharField(  # type: ignore[assignment]
        max_length=120, required=False, allow_blank=True, default=""
    )
    choices = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, default=list, max_length=500
    )


class AttributeDefinitionUpdateSerializer(StrictSerializer):
    label = serializers.CharField(  # type: ignore[assignment]
        max_length=120, required=False, allow_blank=True
    )
    choices = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=500
    )
    order = serializers.IntegerField(min_value=0, max_value=MAX_INT32, required=False)


class AttributeDefinitionFilter(django_filters.FilterSet):
    study = django_filters.CharFilter(field_name="study__slug", help_text="Study slug")
    entity = django_filters.ChoiceFilter(choices=Entity.choices)

    class Meta:
        model = AttributeDefinition
        fields: list[str] = []


class AttributeDefinitionViewSet(viewsets.GenericViewSet):
    """The typed attributes clinicians, patients and dyads of a study carry. Members read them;
    the lead defines, relabels and deletes them (deleting removes every value, kept in the
    audit trail). Attribute values are set on participants and dyads."""

    serializer_class = AttributeDefinitionSerializer
    queryset = AttributeDefinition.objects.none()
    filter_backends = FILTER_BACKENDS
    filterset_class = AttributeDefinitionFilter
    ordering_fields = ["entity", "key", "order"]
    ordering = ["study__slug", "entity", "order", "key", "id"]

    def get_queryset(self) -> QuerySet[AttributeDefinition]:
        user: Any = self.request.user
        return AttributeDefinition.objects.filter(study__memberships__user=user).select_related(
            "study"
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(AttributeDefinitionSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        definition, _ = attribute_definition_get_for_user(user=request.user, pk=_pk(pk))
        return Response(AttributeDefinitionSerializer(definition).data)

    @extend_schema(
        request=AttributeDefinitionCreateSerializer,
        responses={201: AttributeDefinitionSerializer},
    )
    def create(self, request: Request) -> Response:
        data = AttributeDefinitionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        study, _ = study_get_for_user(
            user=request.user, slug=values.pop("study"), min_role=Role.LEAD
        )
        definition = attribute_define(study=study, actor=request.user, **values)
        return Response(
            AttributeDefinitionSerializer(definition).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=AttributeDefinitionUpdateSerializer, responses=AttributeDefinitionSerializer
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        definition, _ = attribute_definition_get_for_user(
            user=request.user, pk=_pk(pk), min_role=Role.LEAD
        )
        data = AttributeDefinitionUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attribute_update(definition=definition, actor=request.user, **data.validated_data)
        return Response(AttributeDefinitionSerializer(definition).data)

    def destroy(self, request: Request, pk: str) -> Response:
        definition, _ = attribute_definition_get_for_user(
            user=request.user, pk=_pk(pk), min_role=Role.LEAD
        )
        attribute_delete(definition=definition, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Participants -------------------------------------------------------------------------------


class DyadRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dyad
        fields = ["id", "label"]
        read_only_fields = fields


class ParticipantSerializer(serializers.ModelSerializer):
    study = serializers.CharField(source="study.slug", read_only=True)
    dyads = serializers.SerializerMethodField()

    class Meta:
        model = Participant
        fields = ["id", "study", "role", "pseudonym", "attributes", "dyads", "created"]
        read_only_fields = fields

    @extend_schema_field(DyadRefSerializer(many=True))
    def get_dyads(self, participant: Participant) -> list[dict[str, Any]]:
        # Both relations are prefetched by the view: no query per participant.
        dyads = [*participant.dyads_as_clinician.all(), *participant.dyads_as_patient.all()]
        return [{"id": d.pk, "label": d.label} for d in sorted(dyads, key=lambda d: d.label)]


class ParticipantCreateSerializer(StrictSerializer):
    study = serializers.SlugField()
    role = serializers.ChoiceField(choices=ParticipantRole.choices)
    pseudonym = serializers.CharField(max_length=120)
    attributes = serializers.DictField(required=False, default=dict)


class ParticipantUpdateSerializer(StrictSerializer):
    pseudonym = serializers.CharField(max_length=120, required=False)
    attributes = serializers.DictField(
        required=False, help_text="Values to set; null or an empty string removes a value."
    )


class ParticipantFilter(django_filters.FilterSet):
    study = django_filters.CharFilter(field_name="study__slug", help_text="Study slug")
    role = django_filters.ChoiceFilter(choices=ParticipantRole.choices)
    pseudonym = django_filters.CharFilter()

    class Meta:
        model = Participant
        fields: list[str] = []


def _participants_of(user: Any) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(study__memberships__user=user)
        .select_related("study")
        .prefetch_related(
            Prefetch("dyads_as_clinician", queryset=Dyad.objects.only("id", "label", "clinician")),
            Prefetch("dyads_as_patient", queryset=Dyad.objects.only("id", "label", "patient")),
        )
    )


class ParticipantViewSet(viewsets.GenericViewSet):
    """Clinicians and patients of the user's studies (pseudonyms and attributes). A clinician may
    be in several dyads. Leads add, change and delete them (only when in no dyad)."""

    serializer_class = ParticipantSerializer
    queryset = Participant.objects.none()
    filter_backends = FILTER_BACKENDS
    filterset_class = ParticipantFilter
    ordering_fields = ["pseudonym", "role", "created"]
    ordering = ["study__slug", "role", "pseudonym", "id"]

    def get_queryset(self) -> QuerySet[Participant]:
        return _participants_of(self.request.user)

    def _one(self, participant: Participant) -> Response:
        return Response(ParticipantSerializer(self.get_queryset().get(pk=participant.pk)).data)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ParticipantSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        participant, _ = participant_get_for_user(user=request.user, pk=_pk(pk))
        return self._one(participant)

    @extend_schema(request=ParticipantCreateSerializer, responses={201: ParticipantSerializer})
    def create(self, request: Request) -> Response:
        data = ParticipantCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        study, _ = study_get_for_user(
            user=request.user, slug=values.pop("study"), min_role=Role.LEAD
        )
        participant = participant_create(study=study, actor=request.user, **values)
        response = self._one(participant)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=ParticipantUpdateSerializer, responses=ParticipantSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        participant, _ = participant_get_for_user(user=request.user, pk=_pk(pk), min_role=Role.LEAD)
        data = ParticipantUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        participant_update(participant=participant, actor=request.user, **data.validated_data)
        return self._one(participant)

    def destroy(self, request: Request, pk: str) -> Response:
        participant, _ = participant_get_for_user(user=request.user, pk=_pk(pk), min_role=Role.LEAD)
        participant_delete(participant=participant, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


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
    clinician = ParticipantBriefSerializer(read_only=True, allow_null=True)
    patient = ParticipantBriefSerializer(read_only=True, allow_null=True)
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
    attributes = serializers.DictField(
        required=False, help_text="Values to set; null or an empty string removes a value."
    )
    clinician = id_field(
        required=False, allow_null=True, help_text="A clinician's participant id; null clears."
    )
    patient = id_field(
        required=False, allow_null=True, help_text="A patient's participant id; null clears."
    )


class DyadFilter(django_filters.FilterSet):
    study = django_filters.CharFilter(field_name="study__slug", help_text="Study slug")
    label = django_filters.CharFilter()
    clinician = IdFilter(field_name="clinician_id", help_text="Clinician participant id")
    patient = IdFilter(field_name="patient_id", help_text="Patient participant id")
    created_after = DateTimeFilter(field_name="created", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created", lookup_expr="lt")

    class Meta:
        model = Dyad
        fields: list[str] = []


class DyadViewSet(viewsets.GenericViewSet):
    """Dyads of the user's studies with their clinician, patient, attributes and interviews.
    Leads create, change and delete them (a dyad whose interviews are coded cannot be deleted)."""

    serializer_class = DyadSerializer
    queryset = Dyad.objects.none()  # for the schema; get_queryset scopes by membership
    filter_backends = FILTER_BACKENDS
    filterset_class = DyadFilter
    ordering_fields = ["label", "created"]
    ordering = ["study__slug", "label", "id"]

    def get_queryset(self) -> QuerySet[Dyad]:
        user: Any = self.request.user
        return (
            Dyad.objects.filter(study__memberships__user=user)
            .select_related("study", "clinician", "patient")
            .prefetch_related(
                Prefetch(
                    "interviews",
                    queryset=Interview.objects.defer("text").order_by("perspective", "id"),
                )
            )
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
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
        values = dict(data.validated_data)
        people: dict[str, Any] = {}
        for role in ("clinician", "patient"):
            if role not in values:
                continue
            person_id = values.pop(role)
            if person_id is None:
                people[role] = None
                continue
            person = Participant.objects.filter(pk=person_id, study_id=dyad.study_id).first()
            if person is None:
                raise ValidationError({role: [f"No participant {person_id} in this study."]})
            people[role] = person
        dyad_update(
            dyad=dyad,
            actor=request.user,
            label=values.get("label"),
            attributes=values.get("attributes"),
            clinician=people.get("clinician", KEEP),
            patient=people.get("patient", KEEP),
        )
        return Response(DyadSerializer(self.get_queryset().get(pk=dyad.pk)).data)

    def destroy(self, request: Request, pk: str) -> Response:
        dyad, _ = dyad_get_for_user(user=request.user, pk=_pk(pk), min_role=Role.LEAD)
        dyad_delete(dyad=dyad, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


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


class InterviewUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    conducted_on = serializers.DateField(required=False, allow_null=True)
    interviewer = serializers.CharField(max_length=120, required=False, allow_blank=True)
    perspective = serializers.ChoiceField(choices=Perspective.choices, required=False)


class BatchItemSerializer(StrictSerializer):
    file = serializers.CharField(max_length=255, help_text="The name of one uploaded file.")
    dyad = serializers.CharField(max_length=60, help_text="Dyad label; created if missing.")
    perspective = serializers.ChoiceField(choices=Perspective.choices)
    clinician = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    patient = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    speakers = serializers.CharField(required=False, allow_blank=True, default="")
    conducted_on = serializers.DateField(required=False, allow_null=True, default=None)
    interviewer = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    attributes = serializers.DictField(required=False, default=dict)
    clinician_attributes = serializers.DictField(required=False, default=dict)
    patient_attributes = serializers.DictField(required=False, default=dict)


class InterviewBatchSerializer(StrictSerializer):
    study = serializers.SlugField()
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False, max_length=1000)
    manifest = serializers.FileField(
        required=False,
        help_text="A manifest CSV (columns file, dyad, perspective, …) naming the files.",
    )
    items = serializers.CharField(
        required=False,
        help_text='Instead of a manifest: a JSON list, e.g. [{"file": "d01.txt", "dyad": "D01", '
        '"perspective": "patient"}].',
    )
    force = serializers.BooleanField(required=False, default=False)


class InterviewFilter(django_filters.FilterSet):
    study = django_filters.CharFilter(field_name="dyad__study__slug", help_text="Study slug")
    dyad = IdFilter(field_name="dyad_id", help_text="Dyad id")
    dyad_label = django_filters.CharFilter(field_name="dyad__label")
    perspective = django_filters.ChoiceFilter(choices=Perspective.choices)
    conducted_after = django_filters.DateFilter(field_name="conducted_on", lookup_expr="gte")
    conducted_before = django_filters.DateFilter(field_name="conducted_on", lookup_expr="lt")
    created_after = DateTimeFilter(field_name="created", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created", lookup_expr="lt")
    updated_after = DateTimeFilter(field_name="updated", lookup_expr="gte")

    class Meta:
        model = Interview
        fields: list[str] = []


def _batch_items(values: dict[str, Any]) -> list[dict[str, Any]]:
    """The job's items from a manifest or a JSON list, each naming one uploaded file."""
    if values.get("manifest") and values.get("items"):
        raise ValidationError({"items": ["Send a manifest or items, not both."]})
    if values.get("manifest"):
        manifest = values["manifest"]
        try:
            items: list[dict[str, Any]] = manifest_items(data=manifest.read(), name=manifest.name)
        except ManifestError as exc:
            raise ValidationError({"manifest": [str(exc)]}) from None
    elif values.get("items"):
        try:
            raw = json.loads(values["items"])
        except ValueError:
            raise ValidationError({"items": ["items must be a JSON list."]}) from None
        if not isinstance(raw, list) or not raw:
            raise ValidationError({"items": ["items must be a non-empty JSON list."]})
        checked = BatchItemSerializer(data=raw, many=True)
        if not checked.is_valid():
            # Flattened by the error handler to "items[0].perspective" and the like.
            raise ValidationError({"items": checked.errors})
        items = []
        for index, entry in enumerate(checked.validated_data):
            try:
                speaker_map = parse_speaker_map(entry["speakers"])
            except Exception as exc:  # a ValidationError naming the bad part
                raise ValidationError({f"items[{index}].speakers": [str(exc)]}) from None
            items.append(
                {
                    "file": entry["file"],
                    "dyad": entry["dyad"],
                    "perspective": entry["perspective"],
                    "dyad_attributes": entry["attributes"],
                    "clinician": entry["clinician"],
                    "clinician_attributes": entry["clinician_attributes"],
                    "patient": entry["patient"],
                    "patient_attributes": entry["patient_attributes"],
                    "speaker_map": speaker_map,
                    "conducted_on": entry["conducted_on"].isoformat()
                    if entry["conducted_on"]
                    else "",
                    "interviewer": entry["interviewer"],
                }
            )
    else:
        raise ValidationError(
            {"manifest": ["Send a manifest CSV, or items saying each file's dyad and perspective."]}
        )
    return items


class InterviewViewSet(viewsets.GenericViewSet):
    """Interviews of the user's studies. Leads upload a transcript file to create one (or several
    at once, as a job), change an interview's description, and delete one nobody has coded."""

    serializer_class = InterviewSerializer
    queryset = Interview.objects.none()
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filter_backends = FILTER_BACKENDS
    filterset_class = InterviewFilter
    ordering_fields = [
        "dyad_label",
        "perspective",
        "conducted_on",
        "created",
        "updated",
        "word_count",
    ]
    ordering_aliases = {"dyad_label": "dyad__label"}
    ordering = ["dyad__study__slug", "dyad__label", "perspective", "id"]

    def _user(self) -> Any:
        return self.request.user

    def get_queryset(self) -> QuerySet[Interview]:
        return (
            Interview.objects.filter(dyad__study__memberships__user=self._user())
            .select_related("dyad__study")
            .defer("text")
        )

    def _detail(self, pk: int) -> Interview:
        return (
            Interview.objects.select_related("dyad__study")
            .prefetch_related(Prefetch("turns", queryset=Turn.objects.order_by("index")))
            .get(pk=pk)
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(InterviewSerializer(page, many=True).data)

    @extend_schema(responses=InterviewDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        interview, _ = interview_get_for_user(user=request.user, pk=_pk(pk))
        return Response(InterviewDetailSerializer(self._detail(interview.pk)).data)

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
        refused = _too_large(upload)
        if refused is not None:
            return refused
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
        body = InterviewDetailSerializer(self._detail(outcome.interview.pk)).data
        body["warnings"] = outcome.warnings
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=InterviewUpdateSerializer, responses=InterviewSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        interview, _ = interview_get_for_user(
            user=request.user, pk=_pk(pk), min_role=Role.LEAD, with_text=False
        )
        data = InterviewUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        interview_update(
            interview=interview,
            actor=request.user,
            title=values.get("title"),
            interviewer=values.get("interviewer"),
            perspective=values.get("perspective"),
            conducted_on=values.get("conducted_on", KEEP),
        )
        return Response(InterviewSerializer(self.get_queryset().get(pk=interview.pk)).data)

    def destroy(self, request: Request, pk: str) -> Response:
        interview, _ = interview_get_for_user(
            user=request.user, pk=_pk(pk), min_role=Role.LEAD, with_text=False
        )
        interview_delete(interview=interview, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request={"multipart/form-data": InterviewBatchSerializer},
        responses={202: JobSerializer},
    )
    @action(detail=False, methods=["post"], url_path="batch")
    def batch(self, request: Request) -> Response:
        """Import several transcripts as a job: upload the files (repeat ``files``) with a
        manifest CSV or ``items`` (JSON) giving each file's dyad and perspective. Each file is
        all-or-nothing; the job's result reports every file. Answers 202 with the job."""
        data = InterviewBatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        study, _ = study_get_for_user(user=request.user, slug=values["study"], min_role=Role.LEAD)
        uploads = values["files"]
        for upload in uploads:
            refused = _too_large(upload)
            if refused is not None:
                return refused
        items = _batch_items(values)
        job = transcripts_import_start(
            study=study, user=request.user, uploads=uploads, items=items, force=values["force"]
        )
        job.refresh_from_db()
        return Response(
            JobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": f"/api/v1/jobs/{job.pk}/"},
        )

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
