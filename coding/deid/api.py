"""``POST /api/v1/interviews/<id>/deid/apply/``: apply the interview's de-identification review
(reviewers only; docs/deidentification.md)."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coding.deid.apply import deid_apply
from interviews.deid.api import reviewed_interview


class ApplySerializer(serializers.Serializer):
    replaced = serializers.IntegerField(help_text="identifiers replaced")
    kinds = serializers.DictField(child=serializers.IntegerField(), help_text="by kind")
    codings = serializers.IntegerField(help_text="codings moved onto the new text")
    purged = serializers.DictField(
        child=serializers.IntegerField(), help_text="rows rewritten or deleted, by what they are"
    )
    original_kept = serializers.BooleanField(help_text="the original kept for leads")


class ApplyView(APIView):
    @extend_schema(request=None, responses=ApplySerializer, operation_id="deid_apply")
    def post(self, request: Request, pk: int) -> Response:
        """Replace every accepted identifier, move everything on the text onto the same words,
        purge every copy of the identifiers; the review is then complete."""
        interview = reviewed_interview(request, pk, write=True)
        return Response(deid_apply(interview=interview, actor=request.user).as_dict())


DEID_APPLY_URLS = [
    path("v1/interviews/<int:pk>/deid/apply/", ApplyView.as_view(), name="deid-apply"),
]
