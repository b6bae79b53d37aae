"""REST API for teamwork: members, assignments, blind coding, agreement reports, disagreements,
adjudication, codebook merges and splits, codebook versions and the audit trail.

Routes are registered in ``healing/api/urls.py`` (``TEAM_URLS``). Every view loads through the
access helpers (another study's object is 404, a too-low role 403) and calls the services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coding.models import Adjudication, Assignment, Code, CodebookVersion
from coding.team import reports, selectors, services
from healing.api.base import PageNumberPagination, StrictSerializer, int_param
from healing.audit.models import AuditEvent
from healing.jobs.models import Job
from interviews.models import Interview, Membership, Role, Study
from interviews.selectors import (
    ADJUDICATION_BLIND,
    Access,
    interview_get_for_user,
    studies_open_q,
    study_get_for_user,
)
from interviews.services import INVITED

BLIND = "Blind coding is on: you see only your own codings until the lead reveals."


def _require_sees_others(access: Access) -> None:
    if not access.sees_other_coders:
        # A blinded adjudicator is told when their part starts, not just that it is hidden.
        raise PermissionDenied(ADJUDICATION_BLIND if access.adjudicator else BLIND)


# --- Members ------------------------------------------------------------------------------------


class MemberSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user_id")
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    adjudicator = serializers.BooleanField()
    # Null for other members while blind coding hides their work from the reader.
    codings = serializers.IntegerField(allow_null=True)
    assigned = serializers.IntegerField(allow_null=True)
    done = serializers.IntegerField(allow_null=True)


class MemberAddSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)
    adjudicator = serializers.BooleanField(default=False)


class InvitedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    invited_name = serializers.CharField()
    role = serializers.CharField()
    adjudicator = serializers.BooleanField()


class MemberChangeSerializer(StrictSerializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    adjudicator = serializers.BooleanField(required=False)


def _member_row(study: Study, lead: Any, user_id: int) -> dict[str, Any]:
    """One member's row as the lead who just changed it sees it (a lead is never blinded)."""
    rows = selectors.members_overview(study=study, access=Access(role=Role.LEAD), user=lead)
    return next(r for r in rows if r["user_id"] == user_id)


class MembersView(APIView):
    """The study's members (every member reads; the lead adds)."""

    @extend_schema(responses=MemberSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        study, access = study_get_for_user(user=request.user, slug=slug)
        rows = selectors.members_overview(study=study, access=access, user=request.user)
        return Response(MemberSerializer(rows, many=True).data)

    @extend_schema(request=MemberAddSerializer, responses={202: InvitedSerializer})
    def post(self, request: Request, slug: str) -> Response:
        """Invite an account by username; the same answer whether or not it exists."""
        study, _ = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
        data = MemberAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.member_add(study=study, actor=request.user, **data.validated_data)
        return Response(
            InvitedSerializer(
                {
                    "detail": INVITED,
                    "invited_name": invitation.invited_name,
                    "role": invitation.role,
                    "adjudicator": invitation.adjudicator,
                }
            ).data,
            status=status.HTTP_202_ACCEPTED,
        )


class MemberView(APIView):
    """One member: the lead changes their role or adjudicator flag, or removes them."""

    def _membership(self, request: Request, slug: str, user_id: int) -> tuple[Study, Membership]:
        study, _ = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
        membership = (
            Membership.objects.filter(study=study, user_id=user_id)
            .select_related("user", "study")
            .first()
        )
        if membership is None:
            raise Http404("Not found.")
        return study, membership

    @extend_schema(request=MemberChangeSerializer, responses=MemberSerializer)
    def patch(self, request: Request, slug: str, user_id: int) -> Response:
        study, membership = self._membership(request, slug, user_id)
        data = MemberChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.membership_change(membership=membership, actor=request.user, **data.validated_data)
        return Response(MemberSerializer(_member_row(study, request.user, user_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slug: str, user_id: int) -> Response:
        _, membership = self._membership(request, slug, user_id)
        services.member_remove(membership=membership, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Blind coding -------------------------------------------------------------------------------


class BlindSerializer(StrictSerializer):
    blind_coding = serializers.BooleanField()


class BlindStateSerializer(serializers.Serializer):
    blind_coding = serializers.BooleanField()


class BlindView(APIView):
    """Switch blind coding on or off (lead)."""

    @extend_schema(request=BlindSerializer, responses=BlindStateSerializer)
    def post(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
        data = BlindSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.study_update(
            study=study, actor=request.user, blind_coding=data.validated_data["blind_coding"]
        )
        return Response({"blind_coding": study.blind_coding})


class RevealView(APIView):
    """End the blind round: every coder sees every layer from now on (lead; audited)."""

    @extend_schema(request=None, responses=BlindStateSerializer)
    def post(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
        services.study_reveal(study=study, actor=request.user)
        return Response({"blind_coding": study.blind_coding})


# --- Assignments --------------------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    coder_username = serializers.CharField(source="coder.username", read_only=True)
    dyad_label = serializers.CharField(source="interview.dyad.label", read_only=True)
    perspective = serializers.CharField(source="interview.perspective", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "interview",
            "dyad_label",
            "perspective",
            "coder",
            "coder_username",
            "assigned_by",
            "done",
            "created",
        ]
        read_only_fields = fields


class AssignSerializer(StrictSerializer):
    interviews = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=False, max_length=5000
    )
    coders = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=False, max_length=50
    )


class AssignmentDoneSerializer(StrictSerializer):
    done = serializers.BooleanField()


class WithdrawnSerializer(serializers.Serializer):
    withdrawn = serializers.IntegerField()


class AssignmentsView(APIView):
    """A study's assignments: the lead sees and makes all; a coder sees their own."""

    pagination_class = PageNumberPagination  # so the schema shows the paged shape

    @extend_schema(
        parameters=[OpenApiParameter("coder", int), OpenApiParameter("interview", int)],
        responses=AssignmentSerializer(many=True),
    )
    def get(self, request: Request, slug: str) -> Response:
        study, access = study_get_for_user(user=request.user, slug=slug)
        queryset = (
            Assignment.objects.filter(interview__dyad__study=study)
            .select_related("interview__dyad", "coder")
            .defer("interview__text")
            .order_by("interview__dyad__label", "interview__perspective", "coder__username")
        )
        if not access.is_lead:
            queryset = queryset.filter(coder_id=request.user.pk)
        coder = int_param(request.query_params, "coder")
        if coder is not None:
            if not Membership.objects.filter(study=study, user_id=coder).exists():
                raise ValidationError({"coder": "Not a member of this study."})
            queryset = queryset.filter(coder_id=coder)
        interview = int_param(request.query_params, "interview")
        if interview is not None:
            if not Interview.objects.filter(dyad__study=study, pk=interview).exists():
                raise ValidationError({"interview": "No such interview in this study."})
            queryset = queryset.filter(interview_id=interview)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(AssignmentSerializer(page, many=True).data)

    @extend_schema(request=AssignSerializer, responses={201: AssignmentSerializer(many=True)})
    def post(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.assignments_create(
            study=study,
            interview_ids=data.validated_data["interviews"],
            coder_ids=data.validated_data["coders"],
            actor=request.user,
        )
        rows = (
            Assignment.objects.filter(pk__in=[a.pk for a in created])
            .select_related("interview__dyad", "coder")
            .defer("interview__text")
            .order_by("id")
        )
        return Response(AssignmentSerializer(rows, many=True).data, status=201)


class AssignmentsWithdrawView(APIView):
    """Withdraw interviews from coders (lead)."""

    @extend_schema(request=AssignSerializer, responses=WithdrawnSerializer)
    def post(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        count = services.assignments_remove(
            study=study,
            interview_ids=data.validated_data["interviews"],
            coder_ids=data.validated_data["coders"],
            actor=request.user,
        )
        return Response({"withdrawn": count})


class AssignmentView(APIView):
    """The coder (or a lead) marks an assignment done."""

    @extend_schema(request=AssignmentDoneSerializer, responses=AssignmentSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        user: Any = request.user
        assignment = (
            Assignment.objects.filter(
                studies_open_q(user, "interview__dyad__study"),
                pk=pk,
                interview__dyad__study__memberships__user=user,
            )
            .select_related("interview__dyad__study", "coder")
            .defer("interview__text")
            .first()
        )
        if assignment is None:
            raise Http404("Not found.")
        _, access = study_get_for_user(user=request.user, slug=assignment.interview.dyad.study.slug)
        if assignment.coder_id != request.user.pk and not access.is_lead:
            raise PermissionDenied("Only the coder (or a lead) marks an assignment done.")
        access.require_writable()
        data = AssignmentDoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.assignment_set_done(
            assignment=assignment, done=data.validated_data["done"], actor=request.user
        )
        return Response(AssignmentSerializer(assignment).data)


# --- Agreement reports --------------------------------------------------------------------------


class AgreementRequestSerializer(StrictSerializer):
    scope = serializers.ChoiceField(choices=reports.SCOPES, default="study")
    target = serializers.IntegerField(
        required=False, allow_null=True, help_text="Dyad or interview id"
    )
    unit = serializers.ChoiceField(choices=["character", "turn", "segment"])
    coders = serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=20)
    threshold = serializers.FloatField(
        required=False, min_value=0.0001, max_value=1.0, help_text="Segment unit: overlap, 0-1"
    )


class AgreementJobSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Job
        fields = ["id", "state", "progress", "message", "params", "error", "user", "created",
                  "finished"]  # fmt: skip
        read_only_fields = fields


class AgreementReportSerializer(AgreementJobSerializer):
    class Meta(AgreementJobSerializer.Meta):
        fields = [*AgreementJobSerializer.Meta.fields, "result"]
        read_only_fields = fields


class AgreementView(APIView):
    """Start an agreement report (a job; poll it here or at /api/v1/jobs/<id>/), or list them."""

    @extend_schema(responses=AgreementJobSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        study, access = study_get_for_user(user=request.user, slug=slug)
        _require_sees_others(access)
        return Response(
            AgreementJobSerializer(reports.agreement_reports_of(study=study), many=True).data
        )

    @extend_schema(request=AgreementRequestSerializer, responses={202: AgreementJobSerializer})
    def post(self, request: Request, slug: str) -> Response:
        study, access = study_get_for_user(user=request.user, slug=slug)
        _require_sees_others(access)
        data = AgreementRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cleaned = reports.agreement_request_clean(study=study, data=data.validated_data)
        job = reports.agreement_report_start(study=study, user=request.user, request=cleaned)
        job.refresh_from_db()
        return Response(AgreementJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


def _report(request: Request, slug: str, pk: int) -> tuple[Study, Job]:
    study, access = study_get_for_user(user=request.user, slug=slug)
    _require_sees_others(access)
    job = reports.agreement_report_get(study=study, pk=pk)
    if job is None:
        raise Http404("Not found.")
    return study, job


class AgreementReportView(APIView):
    """One report with its result (per code, overall, pairs, per interview) once it is done."""

    @extend_schema(responses=AgreementReportSerializer)
    def get(self, request: Request, slug: str, pk: int) -> Response:
        _, job = _report(request, slug, pk)
        return Response(AgreementReportSerializer(job).data)


class AgreementExportView(APIView):
    """The report as CSV or XLSX (``?as=csv|xlsx``; DRF keeps ``format`` for itself); the
    export is audited."""

    @extend_schema(
        parameters=[OpenApiParameter("as", str, enum=["csv", "xlsx"])],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, slug: str, pk: int) -> HttpResponse:
        _, job = _report(request, slug, pk)
        data, content_type, name = reports.agreement_export(
            job=job, fmt=request.query_params.get("as", "csv"), actor=request.user
        )
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


# --- Disagreements and adjudication -------------------------------------------------------------


class SpanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    quote = serializers.CharField()


class DecisionSerializer(serializers.ModelSerializer):
    decided_by = serializers.CharField(source="decided_by.username", default=None)

    class Meta:
        model = Adjudication
        fields = ["id", "interview", "code", "start", "end", "decision", "coder_a", "coder_b",
                  "accepted", "note", "source", "result", "decided_by", "created"]  # fmt: skip
        read_only_fields = fields


class DisagreementSerializer(serializers.Serializer):
    code = serializers.IntegerField(source="passage.code")
    code_key = serializers.CharField(source="code.key")
    start = serializers.IntegerField(source="passage.start")
    end = serializers.IntegerField(source="passage.end")
    kind = serializers.CharField(source="passage.kind")
    overlap = serializers.FloatField(source="passage.overlap")
    quote = serializers.CharField()
    a = SpanSerializer(many=True)
    b = SpanSerializer(many=True)
    consensus = SpanSerializer(many=True)
    settled = serializers.BooleanField()
    agreed = serializers.BooleanField(
        help_text="Both coders coded exactly these characters (kind 'agreed'): it enters the "
        "consensus by itself, as an 'agreed' decision."
    )
    in_consensus = serializers.BooleanField()
    decision = DecisionSerializer(allow_null=True)


class DisagreementsSerializer(serializers.Serializer):
    interview = serializers.IntegerField()
    a = serializers.IntegerField(allow_null=True)
    b = serializers.IntegerField(allow_null=True)
    open = serializers.IntegerField()
    settled = serializers.IntegerField()
    agreed = serializers.IntegerField(help_text="Of the settled: passages agreed by both.")
    results = DisagreementSerializer(many=True)


class DisagreementsView(APIView):
    """Passages where coders ``a`` and ``b`` (user ids; default: the two with most codings)
    differ in the interview. ``status`` open (default), settled or all; ``code`` narrows."""

    @extend_schema(
        parameters=[
            OpenApiParameter("a", int),
            OpenApiParameter("b", int),
            OpenApiParameter("code", int),
            OpenApiParameter("status", str, enum=["open", "settled", "all"]),
        ],
        responses=DisagreementsSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        interview, access = interview_get_for_user(user=request.user, pk=pk)
        _require_sees_others(access)
        coders = [c["id"] for c in selectors.interview_coders(interview=interview)]
        a = int_param(request.query_params, "a")
        b = int_param(request.query_params, "b")
        study = interview.dyad.study
        for name, given in (("a", a), ("b", b)):
            if given is not None:
                try:
                    selectors.column_names(ids=[given], study=study)
                except LookupError:
                    raise ValidationError({name: "Not a coder of this study."}) from None
        a = a if a is not None else (coders[0] if coders else None)
        b = b if b is not None else next((c for c in coders if c != a), None)
        codes = selectors.codes_by_id(study=study)
        code = int_param(request.query_params, "code")
        if code is not None and code not in codes:
            raise ValidationError({"code": "No such code in this study's codebook."})
        rows: list[selectors.DisagreementRow] = []
        if a is not None and b is not None and a != b:
            rows = selectors.interview_disagreements(
                interview=interview, coder_a=a, coder_b=b, codes=codes
            )
        open_count = sum(not r.settled for r in rows)
        settled_count = len(rows) - open_count
        agreed_count = sum(r.agreed for r in rows)
        if code is not None:
            rows = [r for r in rows if r.passage.code == code]
        wanted = request.query_params.get("status", "open")
        if wanted == "open":
            rows = [r for r in rows if not r.settled]
        elif wanted == "settled":
            rows = [r for r in rows if r.settled]
        body = {
            "interview": interview.pk,
            "a": a,
            "b": b,
            "open": open_count,
            "settled": settled_count,
            "agreed": agreed_count,
            "results": rows,
        }
        return Response(DisagreementsSerializer(body).data)


class DecideSerializer(StrictSerializer):
    code = serializers.IntegerField()
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)
    a = serializers.IntegerField(help_text="User id of coder a")
    b = serializers.IntegerField(help_text="User id of coder b")
    decision = serializers.ChoiceField(choices=Adjudication.Decision.choices)
    accepted = serializers.IntegerField(required=False, help_text="accept: a's or b's user id")
    spans = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        required=False,
        max_length=50,
        help_text="new: [[start, end], ...]",
    )
    new_code = serializers.IntegerField(required=False, help_text="new: the code (default: code)")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class AdjudicationsView(APIView):
    """Decisions of an interview (readers who see other coders), and a new decision
    (the lead or a named adjudicator) that writes the consensus layer."""

    @extend_schema(responses=DecisionSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        interview, access = interview_get_for_user(user=request.user, pk=pk, with_text=False)
        _require_sees_others(access)
        decisions = (
            Adjudication.objects.filter(interview=interview)
            .select_related("decided_by")
            .order_by("start", "-created", "-id")
        )
        return Response(DecisionSerializer(decisions, many=True).data)

    @extend_schema(request=DecideSerializer, responses={201: DecisionSerializer})
    def post(self, request: Request, pk: int) -> Response:
        interview, access = interview_get_for_user(user=request.user, pk=pk)
        access.require_adjudication()
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        study = interview.dyad.study
        codes = {
            code.pk: code
            for code in Code.objects.filter(
                codebook__study=study, pk__in=[values["code"], values.get("new_code") or 0]
            ).select_related("codebook")
        }
        # Every id is checked against the study: an unknown or foreign one is a 400, never a
        # silent fallback (issue 14, finding 9).
        errors: dict[str, list[str]] = {}
        for field in ("code", "new_code"):
            if values.get(field) is not None and values[field] not in codes:
                errors[field] = ["No such code in this study's codebook."]
        coder_ids = [values["a"], values["b"], values.get("accepted")]
        users = {
            m.user.pk: m.user
            for m in Membership.objects.filter(
                study=study, user_id__in=[i for i in coder_ids if i is not None]
            ).select_related("user")
        }
        for field in ("a", "b", "accepted"):
            if values.get(field) is not None and values[field] not in users:
                errors[field] = ["No such member of this study."]
        if errors:
            raise ValidationError(errors)
        decision = services.adjudication_decide(
            interview=interview,
            code=codes[values["code"]],
            start=values["start"],
            end=values["end"],
            decision=values["decision"],
            actor=request.user,
            coder_a=users.get(values["a"]),
            coder_b=users.get(values["b"]),
            accepted=users.get(values.get("accepted") or 0),  # checked above when given
            spans=[(s[0], s[1]) for s in values.get("spans") or []],
            new_code=codes.get(values.get("new_code") or 0),
            note=values["note"],
        )
        decision = Adjudication.objects.select_related("decided_by").get(pk=decision.pk)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class CompleteSerializer(StrictSerializer):
    complete = serializers.BooleanField()
    confirm_open = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Mark complete although disagreements stay open (needs a reason).",
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000,
        help_text="Why the consensus is complete with disagreements still open (audited).",
    )  # fmt: skip


class CompleteStateSerializer(serializers.Serializer):
    interview = serializers.IntegerField()
    consensus_complete = serializers.BooleanField()
    open_disagreements = serializers.IntegerField(
        help_text="Disagreements between the interview's coders not settled in the consensus."
    )


class ConsensusCompleteView(APIView):
    """Mark an interview's consensus complete, or reopen it (lead or adjudicator)."""

    @extend_schema(request=CompleteSerializer, responses=CompleteStateSerializer)
    def post(self, request: Request, pk: int) -> Response:
        interview, access = interview_get_for_user(user=request.user, pk=pk, with_text=False)
        access.require_adjudication()
        data = CompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.interview_set_consensus_complete(
            interview=interview,
            complete=data.validated_data["complete"],
            actor=request.user,
            reason=data.validated_data.get("reason", ""),
            confirm_open=data.validated_data.get("confirm_open", False),
        )
        return Response(
            {
                "interview": interview.pk,
                "consensus_complete": interview.consensus_complete,
                "open_disagreements": selectors.open_disagreement_count(interview=interview),
            }
        )


# --- Codebook changes ---------------------------------------------------------------------------


def _lead_code(request: Request, pk: int) -> Code:
    user: Any = request.user
    code = (
        Code.objects.filter(
            studies_open_q(user, "codebook__study"), pk=pk, codebook__study__memberships__user=user
        )
        .select_related("codebook__study")
        .first()
    )
    if code is None:
        raise Http404("Not found.")
    study_get_for_user(user=request.user, slug=code.codebook.study.slug, min_role=Role.LEAD)
    return code


class MergeSerializer(StrictSerializer):
    into = serializers.IntegerField(help_text="The code that receives the codings")


class MergedSerializer(serializers.Serializer):
    moved = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    sub_codes = serializers.IntegerField()
    memos = serializers.IntegerField()
    decisions = serializers.IntegerField()
    case_study_sections = serializers.IntegerField()
    version = serializers.IntegerField()


class CodeMergeView(APIView):
    """Merge this code into another (lead): codings move, duplicates go with a record, this
    code is switched off and marked merged; the codebook gets a new version."""

    @extend_schema(request=MergeSerializer, responses=MergedSerializer)
    def post(self, request: Request, pk: int) -> Response:
        source = _lead_code(request, pk)
        data = MergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = (
            Code.objects.filter(pk=data.validated_data["into"], codebook=source.codebook_id)
            .select_related("codebook")
            .first()
        )
        if target is None:
            raise ValidationError({"into": ["No such code in this codebook."]})
        return Response(services.code_merge(source=source, target=target, actor=request.user))


class ChildSerializer(StrictSerializer):
    key = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    definition = serializers.CharField(required=False, allow_blank=True)


class SplitSerializer(StrictSerializer):
    children = ChildSerializer(many=True, allow_empty=False, max_length=20)  # type: ignore[call-arg]


class SplitCodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id")  # type: ignore[assignment]


class CodeSplitView(APIView):
    """Split this code into new sub-codes (lead), in one new codebook version; then move its
    codings with ``POST /api/v1/studies/<slug>/codings/move/``."""

    @extend_schema(request=SplitSerializer, responses={201: SplitCodeSerializer(many=True)})
    def post(self, request: Request, pk: int) -> Response:
        code = _lead_code(request, pk)
        data = SplitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = services.code_split(
            code=code, children=data.validated_data["children"], actor=request.user
        )
        return Response(SplitCodeSerializer(made, many=True).data, status=201)


class MoveSerializer(StrictSerializer):
    codings = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=False, max_length=20_000
    )
    code = serializers.IntegerField(help_text="The code to move them to")


class MovedSerializer(serializers.Serializer):
    moved = serializers.IntegerField()
    duplicates = serializers.IntegerField()


class CodingsMoveView(APIView):
    """Recode codings of the study to another code (lead); duplicates handled as in a merge."""

    @extend_schema(request=MoveSerializer, responses=MovedSerializer)
    def post(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
        data = MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = (
            Code.objects.filter(pk=data.validated_data["code"], codebook__study=study)
            .select_related("codebook")
            .first()
        )
        if target is None:
            raise ValidationError({"code": ["No such code in this study's codebook."]})
        return Response(
            services.codings_move(
                study=study,
                coding_ids=data.validated_data["codings"],
                target=target,
                actor=request.user,
            )
        )


class VersionSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None)

    class Meta:
        model = CodebookVersion
        fields = ["number", "summary", "created_by", "created"]
        read_only_fields = fields


class VersionDetailSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="version.number")
    summary = serializers.CharField(source="version.summary")
    created = serializers.DateTimeField(source="version.created")
    snapshot = serializers.JSONField()
    diff = serializers.JSONField()


class CodebookVersionsView(APIView):
    """The codebook's versions, newest first."""

    @extend_schema(responses=VersionSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug)
        versions = selectors.codebook_versions(codebook=study.codebook)
        return Response(VersionSerializer(versions, many=True).data)


class CodebookVersionView(APIView):
    """One version: its snapshot of every code and what changed since the version before."""

    @extend_schema(responses=VersionDetailSerializer)
    def get(self, request: Request, slug: str, number: int) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug)
        found = selectors.codebook_version_diff(codebook=study.codebook, number=number)
        if found is None:
            raise Http404("Not found.")
        return Response(VersionDetailSerializer(found).data)


# --- Audit trail --------------------------------------------------------------------------------


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True)

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "action", "object_type", "object_id", "interview",
                  "summary", "before", "after"]  # fmt: skip
        read_only_fields = fields


AUDIT_PARAMETERS = [
    OpenApiParameter("action", str, enum=list(AuditEvent.Action.values)),
    OpenApiParameter("object_type", str),
    OpenApiParameter("actor", int),
    OpenApiParameter("since", OpenApiTypes.DATE),
    OpenApiParameter("until", OpenApiTypes.DATE),
]


def _audit_response(
    request: Request, view: APIView, study: Study, interview: Interview | None
) -> Response:
    params = request.query_params
    dates: dict[str, dt.date | None] = {}
    for name in ("since", "until"):
        raw = params.get(name)
        try:
            dates[name] = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            raise ValidationError({name: [f"{raw!r} is not a date (YYYY-MM-DD)."]}) from None
    action = params.get("action", "")
    if action and action not in AuditEvent.Action.values:
        raise ValidationError({"action": [f"Unknown action {action!r}."]})
    filters = selectors.AuditFilter(
        action=action,
        object_type=params.get("object_type", "")[:40],
        actor=int_param(params, "actor"),
        since=dates["since"],
        until=dates["until"],
    )
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(
        selectors.audit_events(study=study, interview=interview, filters=filters),
        request,
        view=view,
    )
    return paginator.get_paginated_response(AuditEventSerializer(page, many=True).data)


class StudyAuditView(APIView):
    """The study's audit trail, newest first (lead)."""

    pagination_class = PageNumberPagination  # so the schema shows the paged shape

    @extend_schema(parameters=AUDIT_PARAMETERS, responses=AuditEventSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(
            user=request.user, slug=slug, min_role=Role.LEAD, read_only=True
        )
        return _audit_response(request, self, study, None)


class InterviewAuditView(APIView):
    """One interview's audit trail, newest first (lead)."""

    pagination_class = PageNumberPagination  # so the schema shows the paged shape

    @extend_schema(parameters=AUDIT_PARAMETERS, responses=AuditEventSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        interview, _ = interview_get_for_user(
            user=request.user, pk=pk, min_role=Role.LEAD, with_text=False, read_only=True
        )
        return _audit_response(request, self, interview.dyad.study, interview)


TEAM_URLS = [
    path("v1/studies/<slug:slug>/members/", MembersView.as_view(), name="team-api-members"),
    path(
        "v1/studies/<slug:slug>/members/<int:user_id>/",
        MemberView.as_view(),
        name="team-api-member",
    ),
    path("v1/studies/<slug:slug>/blind/", BlindView.as_view(), name="team-api-blind"),
    path("v1/studies/<slug:slug>/reveal/", RevealView.as_view(), name="team-api-reveal"),
    path(
        "v1/studies/<slug:slug>/assignments/",
        AssignmentsView.as_view(),
        name="team-api-assignments",
    ),
    path(
        "v1/studies/<slug:slug>/assignments/withdraw/",
        AssignmentsWithdrawView.as_view(),
        name="team-api-assignments-withdraw",
    ),
    path("v1/assignments/<int:pk>/", AssignmentView.as_view(), name="team-api-assignment"),
    path("v1/studies/<slug:slug>/agreement/", AgreementView.as_view(), name="team-api-agreement"),
    path(
        "v1/studies/<slug:slug>/agreement/<int:pk>/",
        AgreementReportView.as_view(),
        name="team-api-agreement-report",
    ),
    path(
        "v1/studies/<slug:slug>/agreement/<int:pk>/export/",
        AgreementExportView.as_view(),
        name="team-api-agreement-export",
    ),
    path(
        "v1/interviews/<int:pk>/disagreements/",
        DisagreementsView.as_view(),
        name="team-api-disagreements",
    ),
    path(
        "v1/interviews/<int:pk>/adjudications/",
        AdjudicationsView.as_view(),
        name="team-api-adjudications",
    ),
    path(
        "v1/interviews/<int:pk>/consensus-complete/",
        ConsensusCompleteView.as_view(),
        name="team-api-consensus-complete",
    ),
    path("v1/interviews/<int:pk>/audit/", InterviewAuditView.as_view(), name="team-api-i-audit"),
    path("v1/codes/<int:pk>/merge/", CodeMergeView.as_view(), name="team-api-code-merge"),
    path("v1/codes/<int:pk>/split/", CodeSplitView.as_view(), name="team-api-code-split"),
    path(
        "v1/studies/<slug:slug>/codings/move/",
        CodingsMoveView.as_view(),
        name="team-api-codings-move",
    ),
    path(
        "v1/studies/<slug:slug>/codebook/versions/",
        CodebookVersionsView.as_view(),
        name="team-api-versions",
    ),
    path(
        "v1/studies/<slug:slug>/codebook/versions/<int:number>/",
        CodebookVersionView.as_view(),
        name="team-api-version",
    ),
    path("v1/studies/<slug:slug>/audit/", StudyAuditView.as_view(), name="team-api-audit"),
]
