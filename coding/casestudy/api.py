"""REST API of a dyad's case study (routes in ``CASE_STUDY_URLS``, mounted under /api/v1/).

- ``GET  dyads/<id>/case-study/?layer=consensus|all|mine|coder&coder=<id>``: what the page shows.
- ``PUT  dyads/<id>/case-study/summary/``: ``{"text": …, "updated": <the time it started from>}``.
- ``PUT  dyads/<id>/case-study/sections/<code key>/``: the same for one component's synthesis.
- ``POST / DELETE dyads/<id>/case-study/sections/<code key>/evidence/``: ``{"coding": <id>}``.
- ``GET  dyads/<id>/case-study/export/<docx|md>/``: the case study as a file.

Reads need membership, writes the coder or lead role. A stale write is a 409 whose error carries
the text saved in between (``error.current``).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coding.casestudy import export, services
from coding.casestudy.selectors import (
    CONCORDANCE_LABELS,
    case_study_data,
    case_study_memos,
    section_evidence,
)
from coding.casestudy.services import MAX_TEXT, StaleWrite
from coding.casestudy.views import case_study_layer
from coding.exchange.api import SendFileNegotiation
from coding.models import Code
from healing.api.base import StrictSerializer, id_field
from healing.api.errors import error_response
from healing.audit.services import audit_export
from interviews.models import Dyad, Role
from interviews.selectors import Access, dyad_get_for_user

# --- Output shapes (documentation of what the selector's ``as_dict`` gives) --------------------


class ExcerptSerializer(serializers.Serializer):
    coding = serializers.IntegerField(help_text="The coding's id (the first, when coders agree).")
    interview = serializers.IntegerField()
    perspective = serializers.CharField()
    code = serializers.CharField(help_text="The key of the coding's own code.")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    quote = serializers.CharField(allow_blank=True)
    speaker = serializers.CharField(
        allow_blank=True, help_text="Of the turn the passage starts in."
    )
    coders = serializers.ListField(child=serializers.IntegerField())
    layer = serializers.CharField()
    link = serializers.CharField(help_text="The workspace opened at this passage, in its layer.")


class SideSerializer(serializers.Serializer):
    interviewed = serializers.BooleanField(help_text="The dyad has an interview of this side.")
    present = serializers.BooleanField()
    count = serializers.IntegerField(help_text="Distinct passages (sub-codes rolled up).")
    covered = serializers.IntegerField(help_text="Characters in the union of the passages.")
    length = serializers.IntegerField(help_text="Characters of the side's interview text.")
    coverage = serializers.FloatField()
    excerpts = ExcerptSerializer(many=True, help_text="Passages of this very code.")


class HistorySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    who = serializers.CharField(allow_blank=True)
    action = serializers.CharField()
    text = serializers.CharField(allow_null=True, allow_blank=True)
    note = serializers.CharField(allow_blank=True)


class WritingSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    updated = serializers.DateTimeField(allow_null=True)
    updated_by = serializers.CharField(allow_blank=True)
    history = HistorySerializer(many=True)


class ComponentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    group = serializers.CharField()
    definition = serializers.CharField(allow_blank=True)
    depth = serializers.IntegerField()
    concordance = serializers.ChoiceField(choices=list(CONCORDANCE_LABELS))
    patient = SideSerializer()
    clinician = SideSerializer()
    synthesis = WritingSerializer()
    evidence = ExcerptSerializer(many=True)
    children = serializers.ListField(
        child=serializers.DictField(), help_text="Sub-components, each of this same shape."
    )


class GroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    components = ComponentSerializer(many=True)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    pseudonym = serializers.CharField()
    attributes = serializers.DictField()


class CaseStudyDyadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    study = serializers.CharField()
    attributes = serializers.DictField()
    clinician = PersonSerializer(allow_null=True)
    patient = PersonSerializer(allow_null=True)


class CaseStudyLayerSerializer(serializers.Serializer):
    name = serializers.CharField()
    coder = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()  # type: ignore[assignment]


class CaseStudyInterviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    perspective = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    length = serializers.IntegerField()
    word_count = serializers.IntegerField()
    link = serializers.CharField()


class CaseStudySerializer(serializers.Serializer):
    dyad = CaseStudyDyadSerializer()
    layer = CaseStudyLayerSerializer()
    interviews = CaseStudyInterviewSerializer(many=True)
    summary = WritingSerializer()
    concordance = serializers.DictField(
        child=serializers.IntegerField(), help_text="Components per concordance marker."
    )
    groups = GroupSerializer(many=True)


class SavedSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True)
    text = serializers.CharField(allow_blank=True)
    updated = serializers.DateTimeField()
    updated_by = serializers.CharField(allow_blank=True)


class EvidenceListSerializer(serializers.Serializer):
    code = serializers.CharField()
    evidence = ExcerptSerializer(many=True)


CONFLICT = inline_serializer(
    "CaseStudyConflict",
    {
        "error": inline_serializer(
            "CaseStudyConflictError",
            {
                "status": serializers.IntegerField(),
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "current": inline_serializer(
                    "CaseStudyCurrentText",
                    {
                        "text": serializers.CharField(allow_blank=True),
                        "updated": serializers.DateTimeField(allow_null=True),
                        "updated_by": serializers.CharField(allow_blank=True),
                    },
                ),
            },
        )
    },
)

# --- Input --------------------------------------------------------------------------------------


class WritingInSerializer(StrictSerializer):
    text = serializers.CharField(allow_blank=True, max_length=MAX_TEXT, trim_whitespace=False)
    updated = serializers.DateTimeField(
        allow_null=True,
        help_text="The `updated` of the text you started from (null for a text never saved).",
    )


class EvidenceInSerializer(StrictSerializer):
    coding = id_field(help_text="A coding of this dyad's interviews.")


LAYER_PARAMETERS = [
    OpenApiParameter(
        "layer", str, enum=["best", "consensus", "all", "mine", "coder"], description="Default: "
        "best (per interview, the consensus where complete, else the union of coders)."
    ),
    OpenApiParameter("coder", int, description="The coder's user id, with layer=coder."),
]  # fmt: skip


def _conflict(exc: StaleWrite) -> Response:
    response = error_response(409, "conflict", str(exc))
    response.data["error"]["current"] = {
        "text": exc.text,
        "updated": exc.updated.isoformat() if exc.updated else None,
        "updated_by": exc.updated_by,
    }
    return response


def _code(dyad: Dyad, key: str) -> Code:
    code = (
        Code.objects.filter(
            codebook__study_id=dyad.study_id, key=key, is_active=True, merged_into__isnull=True
        )
        .select_related("codebook")
        .first()
    )
    if code is None:
        raise Http404(f"The study's codebook has no active code {key!r}.")
    return code


def _writer(request: Request, pk: int) -> tuple[Dyad, Access]:
    return dyad_get_for_user(user=request.user, pk=pk, min_role=Role.CODER)


def _saved(code: str | None, text: str, updated: Any, who: Any) -> dict[str, Any]:
    name = (who.get_full_name() or who.get_username()) if who is not None else ""
    return {"code": code, "text": text, "updated": updated.isoformat(), "updated_by": name}


class CaseStudyView(APIView):
    """The case study of a dyad: each component from both sides, passages, synthesis, evidence."""

    @extend_schema(parameters=LAYER_PARAMETERS, responses=CaseStudySerializer)
    def get(self, request: Request, pk: int) -> Response:
        dyad, access = dyad_get_for_user(user=request.user, pk=pk)
        layer = case_study_layer(params=request.query_params, dyad=dyad, user=request.user,
                                 access=access)  # fmt: skip
        data = case_study_data(dyad=dyad, layer=layer, access=access, user_id=request.user.pk)
        return Response(data.as_dict())


class CaseStudySummaryView(APIView):
    """Save the overall summary (coder or lead)."""

    @extend_schema(request=WritingInSerializer, responses={200: SavedSerializer, 409: CONFLICT})
    def put(self, request: Request, pk: int) -> Response:
        dyad, _ = _writer(request, pk)
        data = WritingInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            case_study = services.case_study_summary_save(
                dyad=dyad,
                actor=request.user,
                text=data.validated_data["text"],
                based_on=data.validated_data["updated"],
            )
        except StaleWrite as exc:
            return _conflict(exc)
        return Response(_saved(None, case_study.summary, case_study.updated, case_study.updated_by))


class CaseStudySectionView(APIView):
    """Save one component's synthesis (coder or lead)."""

    @extend_schema(request=WritingInSerializer, responses={200: SavedSerializer, 409: CONFLICT})
    def put(self, request: Request, pk: int, key: str) -> Response:
        dyad, _ = _writer(request, pk)
        code = _code(dyad, key)
        data = WritingInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            section = services.case_study_section_save(
                dyad=dyad,
                code=code,
                actor=request.user,
                text=data.validated_data["text"],
                based_on=data.validated_data["updated"],
            )
        except StaleWrite as exc:
            return _conflict(exc)
        return Response(_saved(code.key, section.synthesis, section.updated, section.updated_by))


class CaseStudyEvidenceView(APIView):
    """Attach (POST) or detach (DELETE) a coding of this dyad as evidence of a component."""

    def _change(self, request: Request, pk: int, key: str, attach: bool) -> Response:
        dyad, access = _writer(request, pk)
        code = _code(dyad, key)
        data = EvidenceInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        coding_id = data.validated_data["coding"]
        if attach:
            services.case_study_evidence_add(
                dyad=dyad, code=code, coding_id=coding_id, actor=request.user, access=access
            )
        else:
            services.case_study_evidence_remove(
                dyad=dyad, code=code, coding_id=coding_id, actor=request.user
            )
        evidence = section_evidence(dyad=dyad, code=code, access=access, user_id=request.user.pk)
        return Response({"code": code.key, "evidence": [e.as_dict() for e in evidence]})

    @extend_schema(request=EvidenceInSerializer, responses=EvidenceListSerializer)
    def post(self, request: Request, pk: int, key: str) -> Response:
        return self._change(request, pk, key, attach=True)

    @extend_schema(request=EvidenceInSerializer, responses=EvidenceListSerializer)
    def delete(self, request: Request, pk: int, key: str) -> Response:
        return self._change(request, pk, key, attach=False)


class CaseStudyExportView(APIView):
    """The case study as a Word document (docx) or Markdown (md), in the chosen layer."""

    content_negotiation_class = SendFileNegotiation

    @extend_schema(
        parameters=[
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["docx", "md"]),
            *LAYER_PARAMETERS,
        ],
        responses={
            (200, export.CONTENT_TYPES["docx"]): OpenApiTypes.BINARY,
            (200, "text/markdown"): OpenApiTypes.STR,
        },
    )
    def get(self, request: Request, pk: int, fmt: str) -> HttpResponse:
        if fmt not in export.CONTENT_TYPES:
            raise Http404(f"Unknown format {fmt!r}; use docx or md.")
        dyad, access = dyad_get_for_user(user=request.user, pk=pk)
        layer = case_study_layer(params=request.query_params, dyad=dyad, user=request.user,
                                 access=access)  # fmt: skip
        data = case_study_data(dyad=dyad, layer=layer, access=access, user_id=request.user.pk)
        memos = case_study_memos(dyad=dyad, user=request.user)
        content, content_type = export.case_study_file(data=data, fmt=fmt, memos=memos)
        audit_export(
            study_id=dyad.study_id,
            actor=request.user,
            what=f"case study of dyad {dyad.label}",
            format=fmt,
            params={"dyad": dyad.pk, "layer": layer.name, "coder": layer.coder_id, "via": "api"},
        )
        response = HttpResponse(content, content_type=content_type)
        filename = export.case_study_filename(data=data, fmt=fmt)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


CASE_STUDY_URLS = [
    path("v1/dyads/<int:pk>/case-study/", CaseStudyView.as_view(), name="api-case-study"),
    path(
        "v1/dyads/<int:pk>/case-study/summary/",
        CaseStudySummaryView.as_view(),
        name="api-case-study-summary",
    ),
    path(
        "v1/dyads/<int:pk>/case-study/sections/<str:key>/",
        CaseStudySectionView.as_view(),
        name="api-case-study-section",
    ),
    path(
        "v1/dyads/<int:pk>/case-study/sections/<str:key>/evidence/",
        CaseStudyEvidenceView.as_view(),
        name="api-case-study-evidence",
    ),
    path(
        "v1/dyads/<int:pk>/case-study/export/<str:fmt>/",
        CaseStudyExportView.as_view(),
        name="api-case-study-export",
    ),
]
