"""REST API for autocode by speaker: start a run (202, the job) and undo one (200, the job).
Lead only; routed in ``healing/api/urls.py`` (``AUTOCODE_URLS``)."""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coding.autocode.services import (
    autocode_check,
    autocode_job_get,
    autocode_start,
    autocode_undo,
)
from healing.api.base import StrictSerializer, id_field
from healing.jobs.serializers import JobSerializer
from interviews.models import Role, TurnRole
from interviews.selectors import study_get_for_user


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class CodeRefField(serializers.Field):
    """A code's id (a number) or key (text)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, int | str):
            raise serializers.ValidationError("Give the code's id or key.")
        return data

    def to_representation(self, value: Any) -> Any:
        return value


class AutocodeSerializer(StrictSerializer):
    code = CodeRefField(help_text="The code's id or key.")
    role = serializers.ChoiceField(choices=TurnRole.choices, required=False)
    speaker = serializers.CharField(
        max_length=120, required=False, allow_blank=True, trim_whitespace=False
    )
    interview = id_field(required=False, allow_null=True, help_text="Omitted: every interview.")
    coder = id_field(required=False, allow_null=True, help_text="Omitted: the caller's layer.")


class AutocodeView(APIView):
    """Code every turn of a role or a speaker label (one interview, or all of the study) with a
    code, into the caller's or a coder's layer, as a job (its result lists the codings made)."""

    @extend_schema(request=AutocodeSerializer, responses={202: JobSerializer})
    def post(self, request: Request, slug: str) -> Response:
        study, access = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
        data = AutocodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        checked = autocode_check(
            study=study, user=request.user, is_lead=access.is_lead, **data.validated_data
        )
        job = autocode_start(study=study, user=request.user, request=checked)
        job.refresh_from_db()
        return Response(
            JobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": f"/api/v1/jobs/{job.pk}/"},
        )


class AutocodeUndoView(APIView):
    """Undo an autocode run (a lead) or a run that coded search hits (who started it, or a
    lead) as one step: delete the codings it made that are unchanged since (changed ones are
    kept and listed in the job's ``result.undone``). Refused (400) twice."""

    @extend_schema(request=None, responses={200: JobSerializer})
    def post(self, request: Request, slug: str, job_id: int) -> Response:
        study, access = study_get_for_user(user=request.user, slug=slug, min_role=Role.CODER)
        job = autocode_job_get(
            study=study, job_id=job_id, user=request.user, is_lead=access.is_lead
        )
        autocode_undo(job=job, actor=request.user)
        job.refresh_from_db()
        return Response(JobSerializer(job).data)


AUTOCODE_URLS = [
    path("v1/studies/<slug:slug>/autocode/", AutocodeView.as_view(), name="autocode-api"),
    path(
        "v1/studies/<slug:slug>/autocode/<int:job_id>/undo/",
        AutocodeUndoView.as_view(),
        name="autocode-undo-api",
    ),
]
