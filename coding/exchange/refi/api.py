"""REST endpoints for REFI-QDA import and export. Every one starts a job and answers 202 with
it; follow the job at ``/api/v1/jobs/{id}/`` and download its file from
``/api/v1/jobs/{id}/files/{file_id}/``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coding.codings_api import JobSerializer
from coding.exchange.refi.plan import SOURCE_ACTIONS, USER_ACTIONS
from coding.exchange.refi.services import (
    LAYERS,
    refi_codebook_import_start,
    refi_export_start,
    refi_import_confirm,
    refi_inspect_start,
)
from coding.models import Coding
from coding.selectors import job_get_for_user
from healing.api.base import StrictSerializer
from healing.jobs.models import Job
from interviews.models import Membership, Perspective, Role
from interviews.selectors import study_get_for_user


def _accepted(job: Job) -> Response:
    job = Job.objects.select_related("study", "user").prefetch_related("files").get(pk=job.pk)
    return Response(
        JobSerializer(job).data,
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": f"/api/v1/jobs/{job.pk}/"},
    )


class RefiExportSerializer(StrictSerializer):
    format = serializers.ChoiceField(
        choices=["qdpx", "qdc"], help_text="qdpx: the whole study; qdc: its codebook."
    )
    layer = serializers.CharField(
        default="all",
        help_text=(
            "qdpx only: " + ", ".join(LAYERS) + " (every coder's layer and the consensus, "
            "or one layer)."
        ),
    )
    coder = serializers.CharField(
        required=False,
        allow_null=True,
        default=None,
        help_text="qdpx only: only this coder's individual codings (username).",
    )


class RefiExportView(APIView):
    """Export the study as a REFI-QDA project (.qdpx) or its codebook as .qdc (any member).

    Layers: each coder's codings carry that coder as ``creatingUser``; the consensus layer's
    carry a "Consensus" user. While coding is blind, a coder's export holds only their own
    codings and the consensus."""

    @extend_schema(request=RefiExportSerializer, responses={202: JobSerializer})
    def post(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug)
        data = RefiExportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        coder = values.get("coder")
        if coder and not (
            Membership.objects.filter(study=study, user__username=coder).exists()
            or Coding.objects.filter(interview__dyad__study=study, coder__username=coder).exists()
        ):
            raise ValidationError({"coder": "Not a coder of this study."})
        job = refi_export_start(
            study=study,
            user=request.user,
            format=values["format"],
            layer=values["layer"],
            coder=coder,
        )
        return _accepted(job)


class RefiUploadSerializer(StrictSerializer):
    file = serializers.FileField(help_text="The .qdpx (or a bare .qde).")


class RefiNewStudyUploadSerializer(RefiUploadSerializer):
    slug = serializers.SlugField(max_length=64, help_text="Slug of the study to create.")
    title = serializers.CharField(max_length=200, help_text="Title of the study to create.")


class RefiCodebookUploadSerializer(StrictSerializer):
    file = serializers.FileField(help_text="A .qdc codebook (or a .qdpx: its codebook is used).")
    update_matched = serializers.BooleanField(
        default=False,
        help_text="Update codes matched by GUID, key or name from the file (default: keep ours).",
    )


class RefiStudyImportView(APIView):
    """Upload a .qdpx to import into this study (leads). Starts an inspect job whose result is
    the ``plan``: what the file holds and the proposed mapping; then confirm it."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": RefiUploadSerializer}, responses={202: JobSerializer}
    )
    def post(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
        data = RefiUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        job = refi_inspect_start(
            user=request.user, filename=upload.name, data=upload.read(), study=study
        )
        return _accepted(job)


class RefiNewStudyImportView(APIView):
    """Upload a .qdpx to create a new study from it (you become its lead). Starts an inspect
    job whose result is the ``plan``; then confirm it."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": RefiNewStudyUploadSerializer},
        responses={202: JobSerializer},
    )
    def post(self, request: Request) -> Response:
        data = RefiNewStudyUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        job = refi_inspect_start(
            user=request.user,
            filename=values["file"].name,
            data=values["file"].read(),
            new_study={"slug": values["slug"], "title": values["title"]},
        )
        return _accepted(job)


class RefiSourceMappingSerializer(StrictSerializer):
    guid = serializers.CharField()
    action = serializers.ChoiceField(choices=list(SOURCE_ACTIONS), required=False)
    dyad = serializers.CharField(required=False, allow_blank=True, max_length=60)
    perspective = serializers.ChoiceField(choices=Perspective.choices, required=False)
    interview = serializers.IntegerField(required=False, allow_null=True)


class RefiCaseMappingSerializer(StrictSerializer):
    guid = serializers.CharField()
    dyad = serializers.CharField(allow_blank=True, max_length=60, help_text="'' skips the case.")


class RefiUserMappingSerializer(StrictSerializer):
    guid = serializers.CharField(help_text="The user's GUID in the file ('' for no user).")
    action = serializers.ChoiceField(choices=list(USER_ACTIONS))
    username = serializers.CharField(required=False, allow_blank=True, default="")


class RefiConfirmSerializer(StrictSerializer):
    sources = RefiSourceMappingSerializer(many=True, required=False)
    cases = RefiCaseMappingSerializer(many=True, required=False)
    users = RefiUserMappingSerializer(many=True, required=False)
    update_codes = serializers.BooleanField(default=False)


class RefiImportConfirmView(APIView):
    """Import the file an inspect job read, with your mapping. What the mapping leaves out
    keeps the plan's proposal; an empty body accepts the plan as it is."""

    parser_classes = [JSONParser]

    @extend_schema(request=RefiConfirmSerializer, responses={202: JobSerializer})
    def post(self, request: Request, job_id: int) -> Response:
        inspect_job = job_get_for_user(user=request.user, pk=job_id)
        data = RefiConfirmSerializer(data=request.data or {})
        data.is_valid(raise_exception=True)
        mapping: dict[str, Any] = {
            key: [dict(item) for item in value] if isinstance(value, list) else value
            for key, value in data.validated_data.items()
        }
        job = refi_import_confirm(inspect_job=inspect_job, user=request.user, mapping=mapping)
        return _accepted(job)


class RefiCodebookImportView(APIView):
    """Merge a .qdc into the study's codebook as a new version (leads): codes matched by GUID,
    key or name are kept (or updated with ``update_matched``), the others added."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": RefiCodebookUploadSerializer},
        responses={202: JobSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
        data = RefiCodebookUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        job = refi_codebook_import_start(
            study=study,
            user=request.user,
            filename=values["file"].name,
            data=values["file"].read(),
            update_matched=values["update_matched"],
        )
        return _accepted(job)
