"""REST API for interviews: upload a transcript (one, or a batch as a job), read, change, delete."""

from __future__ import annotations

import json
from typing import Any

import django_filters
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from healing.api.base import StrictSerializer
from healing.api.errors import error_response
from healing.api.filters import DateTimeFilter, IdFilter, KeyFilter, ScopedFilterSet
from healing.audit.services import audit_view
from healing.jobs.serializers import JobSerializer
from interviews.api.common import FILTER_BACKENDS, pk_or_404, too_large_response
from interviews.importing import TranscriptError
from interviews.manifest import ManifestError, manifest_items
from interviews.models import (
    Interview,
    Perspective,
    Role,
    Turn,
)
from interviews.selectors import (
    dyads_visible_to,
    interview_get_for_user,
    studies_open_q,
    studies_visible_to,
    study_get_for_user,
)
from interviews.services import (
    KEEP,
    dyad_get_or_create,
    interview_delete,
    interview_import,
    interview_update,
    parse_speaker_map,
    transcripts_import_start,
)

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


class InterviewFilter(ScopedFilterSet):
    study = KeyFilter(
        field_name="dyad__study__slug",
        help_text="Study slug",
        visible=studies_visible_to,
        visible_field="slug",
    )
    dyad = IdFilter(field_name="dyad_id", help_text="Dyad id", visible=dyads_visible_to)
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
            Interview.objects.filter(
                studies_open_q(self._user(), "dyad__study"),
                dyad__study__memberships__user=self._user(),
            )
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
        interview, _ = interview_get_for_user(user=request.user, pk=pk_or_404(pk))
        audit_view(
            study_id=interview.dyad.study_id,
            interview_id=interview.pk,
            actor=request.user,
            what="transcript (API)",
        )
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
        refused = too_large_response(upload)
        if refused is not None:
            return refused
        try:
            with transaction.atomic():
                dyad, _ = dyad_get_or_create(study=study, label=values["dyad"], actor=request.user)
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
            user=request.user, pk=pk_or_404(pk), min_role=Role.LEAD, with_text=False
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
            user=request.user, pk=pk_or_404(pk), min_role=Role.LEAD, with_text=False
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
            refused = too_large_response(upload)
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
