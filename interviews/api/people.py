"""REST API for the people of a study: attribute definitions, participants and dyads."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from healing.api.base import MAX_INT32, StrictSerializer, id_field
from healing.api.filters import DateTimeFilter, IdFilter, KeyFilter, ScopedFilterSet
from interviews.api.common import FILTER_BACKENDS, pk_or_404
from interviews.models import (
    AttributeDefinition,
    AttributeType,
    Dyad,
    Entity,
    Interview,
    Participant,
    ParticipantRole,
    Role,
)
from interviews.selectors import (
    attribute_definition_get_for_user,
    dyad_get_for_user,
    participant_get_for_user,
    participants_visible_to,
    studies_open_q,
    studies_visible_to,
    study_get_for_user,
)
from interviews.services import (
    KEEP,
    attribute_define,
    attribute_delete,
    attribute_retype,
    attribute_update,
    dyad_delete,
    dyad_get_or_create,
    dyad_update,
    participant_create,
    participant_delete,
    participant_get_or_create,
    participant_update,
)

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
    type = serializers.ChoiceField(
        choices=AttributeType.choices,
        required=False,
        help_text="A new type converts every value given (with choices for a choice); if any "
        "value does not convert, nothing changes and the error names each one.",
    )
    label = serializers.CharField(  # type: ignore[assignment]
        max_length=120, required=False, allow_blank=True
    )
    choices = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=500
    )
    order = serializers.IntegerField(min_value=0, max_value=MAX_INT32, required=False)


class AttributeDefinitionFilter(ScopedFilterSet):
    study = KeyFilter(
        field_name="study__slug",
        help_text="Study slug",
        visible=studies_visible_to,
        visible_field="slug",
    )
    entity = django_filters.ChoiceFilter(choices=Entity.choices)

    class Meta:
        model = AttributeDefinition
        fields: list[str] = []


class AttributeDefinitionViewSet(viewsets.GenericViewSet):
    """The typed attributes clinicians, patients and dyads of a study carry. Members read them;
    the lead defines, relabels and deletes them (deleting removes every value, kept in the audit
    trail) and retypes them (``type``, with ``choices`` for a choice: every value given must
    convert, or nothing changes). Attribute values are set on participants and dyads."""

    serializer_class = AttributeDefinitionSerializer
    queryset = AttributeDefinition.objects.none()
    filter_backends = FILTER_BACKENDS
    filterset_class = AttributeDefinitionFilter
    ordering_fields = ["entity", "key", "order"]
    ordering = ["study__slug", "entity", "order", "key", "id"]

    def get_queryset(self) -> QuerySet[AttributeDefinition]:
        user: Any = self.request.user
        return AttributeDefinition.objects.filter(
            studies_open_q(user, "study"), study__memberships__user=user
        ).select_related("study")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(AttributeDefinitionSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        definition, _ = attribute_definition_get_for_user(user=request.user, pk=pk_or_404(pk))
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
            user=request.user, pk=pk_or_404(pk), min_role=Role.LEAD
        )
        data = AttributeDefinitionUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        new_type = values.pop("type", definition.type)
        with transaction.atomic():
            if new_type != definition.type:
                attribute_retype(
                    definition=definition,
                    type=new_type,
                    choices=values.pop("choices", None),
                    actor=request.user,
                )
            attribute_update(definition=definition, actor=request.user, **values)
        return Response(AttributeDefinitionSerializer(definition).data)

    def destroy(self, request: Request, pk: str) -> Response:
        definition, _ = attribute_definition_get_for_user(
            user=request.user, pk=pk_or_404(pk), min_role=Role.LEAD
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


class ParticipantFilter(ScopedFilterSet):
    study = KeyFilter(
        field_name="study__slug",
        help_text="Study slug",
        visible=studies_visible_to,
        visible_field="slug",
    )
    role = django_filters.ChoiceFilter(choices=ParticipantRole.choices)
    pseudonym = django_filters.CharFilter()

    class Meta:
        model = Participant
        fields: list[str] = []


def _participants_of(user: Any) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(studies_open_q(user, "study"), study__memberships__user=user)
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
        participant, _ = participant_get_for_user(user=request.user, pk=pk_or_404(pk))
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
        participant, _ = participant_get_for_user(
            user=request.user, pk=pk_or_404(pk), min_role=Role.LEAD
        )
        data = ParticipantUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        participant_update(participant=participant, actor=request.user, **data.validated_data)
        return self._one(participant)

    def destroy(self, request: Request, pk: str) -> Response:
        participant, _ = participant_get_for_user(
            user=request.user, pk=pk_or_404(pk), min_role=Role.LEAD
        )
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


class DyadFilter(ScopedFilterSet):
    study = KeyFilter(
        field_name="study__slug",
        help_text="Study slug",
        visible=studies_visible_to,
        visible_field="slug",
    )
    label = django_filters.CharFilter()
    clinician = IdFilter(
        field_name="clinician_id",
        help_text="Clinician participant id",
        visible=participants_visible_to,
    )
    patient = IdFilter(
        field_name="patient_id", help_text="Patient participant id", visible=participants_visible_to
    )
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
            Dyad.objects.filter(studies_open_q(user, "study"), study__memberships__user=user)
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
        dyad, _ = dyad_get_for_user(user=request.user, pk=pk_or_404(pk))
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
                actor=request.user,
            )
        return Response(
            DyadSerializer(self.get_queryset().get(pk=dyad.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=DyadUpdateSerializer, responses=DyadSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        dyad, _ = dyad_get_for_user(user=request.user, pk=pk_or_404(pk), min_role=Role.LEAD)
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
        dyad, _ = dyad_get_for_user(user=request.user, pk=pk_or_404(pk), min_role=Role.LEAD)
        dyad_delete(dyad=dyad, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
