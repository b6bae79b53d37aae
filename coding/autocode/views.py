"""Pages for autocode by speaker: the form that starts a run, and Undo from the job's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from coding.autocode.services import (
    autocode_check,
    autocode_job_get,
    autocode_start,
    autocode_undo,
)
from coding.selectors import codes_for_study
from healing.types import AuthenticatedRequest
from interviews.models import Interview, Membership, Role, Turn, TurnRole
from interviews.selectors import study_get_for_user


def _error_lines(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {' '.join(text)}" for field, text in exc.message_dict.items()]
    return list(exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def study_autocode(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Lead only: code every turn of a role or a speaker label, in one interview or all, with a
    code into a layer. The run is a job; its page reports it in words and offers Undo."""
    study, access = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
    source = request.POST if request.method == "POST" else request.GET
    values: dict[str, Any] = {
        "interview": source.get("interview", ""),
        "by": source.get("by") or ("speaker" if source.get("speaker") else "role"),
        "role": source.get("role", "") or TurnRole.INTERVIEWER,
        "speaker": source.get("speaker", ""),
        "code": source.get("code", ""),
        "coder": source.get("coder", "") or str(request.user.pk),
    }
    errors: list[str] = []
    if request.method == "POST":
        by_role = values["by"] == "role"
        try:
            checked = autocode_check(
                study=study,
                user=request.user,
                is_lead=access.is_lead,
                code=values["code"],
                role=values["role"] if by_role else None,
                speaker=None if by_role else values["speaker"],
                interview=values["interview"] or None,
                coder=values["coder"] or None,
            )
        except ValidationError as exc:
            errors = _error_lines(exc)
        else:
            job = autocode_start(study=study, user=request.user, request=checked)
            return redirect("job-detail", pk=job.pk)
    interviews = Interview.objects.filter(dyad__study=study).select_related("dyad").defer("text")
    return render(
        request,
        "coding/autocode.html",
        {
            "study": study,
            "access": access,
            "values": values,
            "errors": errors,
            "interviews": list(interviews),
            "roles": TurnRole.choices,
            "speakers": list(
                Turn.objects.filter(interview__dyad__study=study)
                .exclude(speaker="")
                .order_by("speaker")
                .values_list("speaker", flat=True)
                .distinct()[:500]
            ),
            "codes": list(codes_for_study(study=study).filter(is_active=True)),
            "coders": list(
                Membership.objects.filter(study=study, role__in=[Role.LEAD, Role.CODER])
                .select_related("user")
                .order_by("user__username")
            ),
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def autocode_undo_page(request: AuthenticatedRequest, slug: str, job_id: int) -> HttpResponse:
    """Undo a run from its job page (an autocode run: a lead; coded search hits: who started
    it, or a lead); the job page then reports what was undone."""
    study, access = study_get_for_user(user=request.user, slug=slug, min_role=Role.CODER)
    job = autocode_job_get(study=study, job_id=job_id, user=request.user, is_lead=access.is_lead)
    try:
        report = autocode_undo(job=job, actor=request.user)
    except ValidationError as exc:
        for line in exc.messages:
            messages.error(request, line)
    else:
        messages.success(request, f"Undone. {report['summary']}.")
    return redirect("job-detail", pk=job.pk)
