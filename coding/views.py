"""Pages of the coding app. Views are thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from coding.selectors import job_get_for_user, job_may_cancel, jobs_for_user
from healing.audit.services import audit_view
from healing.jobs.models import ACTIVE_STATES, JobFile
from healing.jobs.services import job_cancel
from healing.types import AuthenticatedRequest
from interviews.deid.review import may_review
from interviews.models import DeidStatus
from interviews.selectors import (
    Access,
    interview_get_for_user,
    study_get_for_user,
    turns_for_interview,
)

# How often the workspace asks the server for other coders' changes while the tab is visible.
WORKSPACE_POLL_MS = 3000


@login_required
def interview_transcript(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The transcript by speaker turns, for reading and printing (two queries, and the read's
    audit record)."""
    interview, access = interview_get_for_user(user=request.user, pk=pk)
    audit_view(
        study_id=interview.dyad.study_id,
        interview_id=interview.pk,
        actor=request.user,
        what="printable transcript",
    )
    turns = [
        {
            "index": turn.index,
            "speaker": turn.speaker,
            "role": turn.role,
            "timestamp_ms": turn.timestamp_ms,
            "text": interview.text[turn.start : turn.end],
        }
        for turn in turns_for_interview(interview=interview)
    ]
    return render(
        request,
        "coding/transcript.html",
        {"interview": interview, "study": interview.dyad.study, "access": access, "turns": turns},
    )


@login_required
def study_jobs(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The study's background jobs the user may see, newest first, with progress bars."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    jobs = list(
        jobs_for_user(user=request.user)
        .filter(study=study)
        .prefetch_related(Prefetch("files", queryset=JobFile.objects.defer("data")))[:100]
    )
    return render(
        request,
        "coding/jobs.html",
        {"study": study, "access": access, "jobs": jobs, "tab": "jobs"},
    )


@login_required
def job_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One job: state, progress (updated live while it runs), its report and output files."""
    job = job_get_for_user(user=request.user, pk=pk)
    outputs = list(job.files.filter(direction=JobFile.Direction.OUTPUT).defer("data"))
    report = select_template(
        [f"coding/job_results/{job.kind}.html", "coding/job_results/generic.html"]
    )
    return render(
        request,
        "coding/job_detail.html",
        {
            "job": job,
            "study": job.study,
            "outputs": outputs,
            "report": report.render(
                {"job": job, "result": job.result, "outputs": outputs}, request
            ),
            "may_cancel": job.state in ACTIVE_STATES and job_may_cancel(user=request.user, job=job),
        },
    )


def _default_layer(access: Access) -> str:
    """Coders and leads open their own codings; viewers, who have none, open everyone's."""
    return "mine" if access.can_code else "all"


@login_required
@ensure_csrf_cookie
def interview_workspace(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The coding workspace: a page shell whose script loads the workspace JSON from the API.

    One query besides the session: the interview (without its text) and the user's access.
    The layer in the address (``?layer=…&coder=…``) is checked by the API when the page loads.
    """
    interview, access = interview_get_for_user(user=request.user, pk=pk, with_text=False)
    study = interview.dyad.study
    config: dict[str, Any] = {
        "interview": interview.pk,
        "study": study.slug,
        "user": {
            "id": request.user.pk,
            "username": request.user.get_username(),
            "name": request.user.get_full_name() or request.user.get_username(),
        },
        "role": access.role,
        # Whether the page shows no write at all: a viewer, or anyone in an archived study.
        "read_only": not access.can_write,
        "archived": access.archived,
        "layer": {
            "name": request.GET.get("layer") or _default_layer(access),
            "coder": request.GET.get("coder") or None,
        },
        "urls": {
            "workspace": reverse("interview-workspace-api", args=[interview.pk]),
            "changes": reverse("interview-changes", args=[interview.pk]),
            "codings": reverse("coding-list"),
            "bulk": reverse("coding-bulk"),
            "memos": reverse("memo-list"),
            "transcript": reverse("interview-transcript", args=[interview.pk]),
            "page": reverse("interview-workspace", args=[interview.pk]),
        },
        "poll_ms": WORKSPACE_POLL_MS,
    }
    awaits_deid = study.deid_required and interview.deid_status != DeidStatus.COMPLETE
    return render(
        request,
        "coding/workspace.html",
        {
            "interview": interview,
            "study": study,
            "access": access,
            "config": config,
            "awaits_deid": awaits_deid,
            "deid_reviewer": awaits_deid and may_review(user=request.user, study=study),
        },
    )


@login_required
@require_POST
def job_cancel_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Cancel a job (its starter, or a lead of its study)."""
    job = job_get_for_user(user=request.user, pk=pk)
    if not job_may_cancel(user=request.user, job=job):
        raise PermissionDenied("Only who started the job, or a lead of its study, cancels it.")
    if job_cancel(job=job, actor=request.user):
        messages.success(request, "The job was cancelled.")
    else:
        messages.info(request, "The job had already ended.")
    return redirect("job-detail", pk=job.pk)
