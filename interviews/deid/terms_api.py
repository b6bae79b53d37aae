"""REST API of a study's private names and places lists for the detector:
``GET/POST /api/v1/studies/<slug>/deid/terms/`` and ``DELETE …/terms/<term_id>/``. Leads only
(the lists hold real names); other members get 403, outsiders 404."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from healing.api.base import StrictSerializer
from interviews.deid.study import (
    MAX_TERM,
    MAX_TERMS_PER_REQUEST,
    deid_term_remove,
    deid_terms_add,
    deid_terms_for,
)
from interviews.models import DeidTerm, Role, Study
from interviews.selectors import Access, study_get_for_user


def _lead_study(request: Request, slug: str, *, write: bool) -> tuple[Study, Access]:
    return study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD, read_only=not write)


class TermSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    list = serializers.ChoiceField(choices=DeidTerm.List.choices)
    text = serializers.CharField()


class TermsAddSerializer(StrictSerializer):
    list = serializers.ChoiceField(choices=DeidTerm.List.choices)
    texts = serializers.ListField(
        child=serializers.CharField(max_length=MAX_TERM),
        min_length=1,
        max_length=MAX_TERMS_PER_REQUEST,
        help_text="names or places; white space is collapsed, duplicates skipped",
    )


class TermsView(APIView):
    @extend_schema(responses=TermSerializer(many=True), operation_id="deid_terms_list")
    def get(self, request: Request, slug: str) -> Response:
        """The study's names and places lists (leads only)."""
        study, _ = _lead_study(request, slug, write=False)
        return Response(TermSerializer(deid_terms_for(study=study), many=True).data)

    @extend_schema(
        request=TermsAddSerializer,
        responses={201: TermSerializer(many=True)},
        operation_id="deid_terms_add",
    )
    def post(self, request: Request, slug: str) -> Response:
        """Add entries to a list; the audit trail records how many, not which."""
        study, _ = _lead_study(request, slug, write=True)
        data = TermsAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        terms = deid_terms_add(
            study=study,
            list_name=data.validated_data["list"],
            texts=data.validated_data["texts"],
            actor=request.user,
        )
        return Response(TermSerializer(terms, many=True).data, status=status.HTTP_201_CREATED)


class TermView(APIView):
    @extend_schema(request=None, responses={204: None}, operation_id="deid_terms_remove")
    def delete(self, request: Request, slug: str, term_id: int) -> Response:
        """Remove one entry."""
        study, _ = _lead_study(request, slug, write=True)
        if not DeidTerm.objects.filter(study=study, pk=term_id).exists():
            raise NotFound("No such entry in this study's lists.")
        deid_term_remove(study=study, term_id=term_id, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


DEID_TERMS_URLS = [
    path("v1/studies/<slug:slug>/deid/terms/", TermsView.as_view(), name="deid-terms"),
    path("v1/studies/<slug:slug>/deid/terms/<int:term_id>/", TermView.as_view(), name="deid-term"),
]
