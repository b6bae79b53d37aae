"""REST API of an interview's de-identification review, under ``/api/v1/interviews/<id>/deid/``
(applying it is ``coding.deid.api``). Reviewers only: the study's leads and the members they
name; other members get 403, outsiders 404 (docs/deidentification.md)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from healing.api.base import StrictSerializer
from interviews.deid.review import (
    deid_entity_accept_all,
    deid_entity_rename,
    deid_mark_complete,
    deid_propose,
    deid_span_add,
    deid_span_decide,
    require_reviewer,
    review_counts,
)
from interviews.models import DeidEntity, DeidKind, DeidSpan, DeidStatus, Interview
from interviews.selectors import interview_get_for_user


def reviewed_interview(request: Request, pk: int, *, write: bool = False) -> Interview:
    interview, _ = interview_get_for_user(user=request.user, pk=pk, read_only=not write)
    require_reviewer(user=request.user, study=interview.dyad.study, write=write)
    return interview


class EntitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DeidKind.choices)
    replacement = serializers.CharField()


class SpanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    start = serializers.IntegerField(help_text="code point offset into the interview's text")
    end = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DeidKind.choices)
    status = serializers.ChoiceField(choices=DeidSpan.Status.choices)
    confidence = serializers.FloatField()
    source = serializers.CharField()  # type: ignore[assignment]  # the field, not Field.source
    entity = serializers.IntegerField(allow_null=True, source="entity_id")


class ReviewSerializer(serializers.Serializer):
    interview = serializers.IntegerField()
    status = serializers.ChoiceField(choices=DeidStatus.choices)
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="spans by status")
    spans = SpanSerializer(many=True)
    entities = EntitySerializer(many=True, help_text="the entities the spans belong to")


class SpanAddSerializer(StrictSerializer):
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=DeidKind.choices)


class SpanDecideSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=["accepted", "rejected"], required=False)
    kind = serializers.ChoiceField(choices=DeidKind.choices, required=False)
    start = serializers.IntegerField(min_value=0, required=False)
    end = serializers.IntegerField(min_value=1, required=False)


class ReplacementSerializer(StrictSerializer):
    replacement = serializers.CharField(max_length=120)


class ProposeSerializer(serializers.Serializer):
    proposed = serializers.IntegerField()
    kept = serializers.IntegerField()


class AcceptAllSerializer(serializers.Serializer):
    accepted = serializers.IntegerField(help_text="proposals accepted")
    added = serializers.IntegerField(help_text="occurrences added as accepted spans")
    skipped = serializers.IntegerField(help_text="occurrences overlapping another span")
    interviews = serializers.IntegerField()


def review_data(interview: Interview) -> dict[str, Any]:
    spans = list(DeidSpan.objects.filter(interview=interview).order_by("start", "end"))
    entity_ids = {s.entity_id for s in spans if s.entity_id}
    entities = DeidEntity.objects.filter(pk__in=entity_ids).order_by("pk")
    return {
        "interview": interview.pk,
        "status": interview.deid_status,
        "counts": review_counts(interview=interview),
        "spans": SpanSerializer(spans, many=True).data,
        "entities": EntitySerializer(entities, many=True).data,
    }


class ReviewView(APIView):
    """The review: every span (proposed, accepted, rejected, applied) with its entity."""

    @extend_schema(responses=ReviewSerializer, operation_id="deid_review")
    def get(self, request: Request, pk: int) -> Response:
        return Response(review_data(reviewed_interview(request, pk)))


class ProposeView(APIView):
    @extend_schema(request=None, responses=ProposeSerializer, operation_id="deid_propose")
    def post(self, request: Request, pk: int) -> Response:
        """Run the detector: undecided proposals are replaced, decisions kept."""
        interview = reviewed_interview(request, pk, write=True)
        return Response(deid_propose(interview=interview, actor=request.user).as_dict())


class SpansView(APIView):
    @extend_schema(request=SpanAddSerializer, responses={201: SpanSerializer})
    def post(self, request: Request, pk: int) -> Response:
        """Add a missed identifier (accepted)."""
        interview = reviewed_interview(request, pk, write=True)
        data = SpanAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        span = deid_span_add(interview=interview, actor=request.user, **data.validated_data)
        return Response(SpanSerializer(span).data, status=status.HTTP_201_CREATED)


class SpanView(APIView):
    @extend_schema(request=SpanDecideSerializer, responses=SpanSerializer)
    def patch(self, request: Request, pk: int, span_id: int) -> Response:
        """Accept or reject, change the kind, widen or narrow."""
        interview = reviewed_interview(request, pk, write=True)
        span = get_object_or_404(DeidSpan, pk=span_id, interview=interview)
        data = SpanDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        span.interview = interview
        span = deid_span_decide(span=span, actor=request.user, **data.validated_data)
        return Response(SpanSerializer(span).data)


class AcceptAllView(APIView):
    @extend_schema(request=None, responses=AcceptAllSerializer, operation_id="deid_accept_all")
    def post(self, request: Request, pk: int, span_id: int) -> Response:
        """Accept every occurrence of this span's words in the study's interviews under review."""
        interview = reviewed_interview(request, pk, write=True)
        span = get_object_or_404(DeidSpan, pk=span_id, interview=interview)
        span.interview = interview
        return Response(deid_entity_accept_all(span=span, actor=request.user))


class EntityView(APIView):
    @extend_schema(request=ReplacementSerializer, responses=EntitySerializer)
    def patch(self, request: Request, pk: int, entity_id: int) -> Response:
        """Change an entity's replacement, for every occurrence in the study."""
        interview = reviewed_interview(request, pk, write=True)
        entity = get_object_or_404(DeidEntity, pk=entity_id, study_id=interview.dyad.study_id)
        data = ReplacementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entity = deid_entity_rename(
            entity=entity, replacement=data.validated_data["replacement"], actor=request.user
        )
        return Response(EntitySerializer(entity).data)


class CompleteView(APIView):
    @extend_schema(request=None, responses=ReviewSerializer, operation_id="deid_complete")
    def post(self, request: Request, pk: int) -> Response:
        """Mark the review complete when it found nothing left to apply."""
        interview = reviewed_interview(request, pk, write=True)
        deid_mark_complete(interview=interview, actor=request.user)
        return Response(review_data(interview))


DEID_REVIEW_URLS = [
    path("v1/interviews/<int:pk>/deid/", ReviewView.as_view(), name="deid-review"),
    path("v1/interviews/<int:pk>/deid/propose/", ProposeView.as_view(), name="deid-propose"),
    path("v1/interviews/<int:pk>/deid/spans/", SpansView.as_view(), name="deid-spans"),
    path("v1/interviews/<int:pk>/deid/spans/<int:span_id>/", SpanView.as_view(), name="deid-span"),
    path(
        "v1/interviews/<int:pk>/deid/spans/<int:span_id>/accept-all/",
        AcceptAllView.as_view(),
        name="deid-accept-all",
    ),
    path(
        "v1/interviews/<int:pk>/deid/entities/<int:entity_id>/",
        EntityView.as_view(),
        name="deid-entity",
    ),
    path("v1/interviews/<int:pk>/deid/complete/", CompleteView.as_view(), name="deid-complete"),
]
