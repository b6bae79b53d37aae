"""Pages of the coding app. Views are thin: selectors read, services write."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import select_template

from coding.models import JobFile
from coding.selectors import job_get_for_user, jobs_for_user
from healing.types import AuthenticatedRequest
from interviews.selectors import interview_get_for_user, study_get_for_user, turns_for_interview


@login_required
def interview_transcript(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The transcript by speaker turns, for reading and printing (two queries)."""
    interview, access = interview_get_for_user(user=request.user, pk=pk)
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
            "report": report.render({"job": job, "result": job.result}, request),
        },
    )
