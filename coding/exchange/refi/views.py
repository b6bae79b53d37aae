"""Pages: a study's Exchange tab (export, import into it), creating a study from a .qdpx, a
REFI job's progress and result, and the mapping screen where the lead confirms which source is
which dyad and perspective and whose codings are whose. Thin: services start jobs, selectors read.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from coding.exchange.refi.plan import SOURCE_ACTIONS
from coding.exchange.refi.services import (
    LAYERS,
    refi_codebook_import_start,
    refi_export_start,
    refi_import_confirm,
    refi_inspect_job,
    refi_inspect_start,
)
from coding.exchange.registry import CODEBOOK_EXPORTS, STUDY_EXPORTS, load_formats
from coding.exports import export_job_start
from coding.job_kinds import JobKind
from coding.selectors import jobs_for_user
from healing.jobs.models import Job, JobFile, JobState
from healing.types import AuthenticatedRequest
from interviews.models import Perspective
from interviews.selectors import study_get_for_user

REFI_KINDS = (JobKind.EXPORT_QDPX, JobKind.IMPORT_QDPX)
load_formats()


def _refi_jobs(user: Any) -> Any:
    return (
        jobs_for_user(user=user)
        .filter(kind__in=REFI_KINDS)
        .prefetch_related(
            Prefetch(
                "files",
                queryset=JobFile.objects.filter(direction=JobFile.Direction.OUTPUT)
                .defer("data")
                .order_by("id"),
            )
        )
    )


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{field}: {message}" if field != "__all__" else message
            for field, items in exc.message_dict.items()
            for message in items
        ]
    return list(exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def exchange(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The study's Exchange tab: export (.qdpx, .qdc) for every member, imports for leads."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    if request.method == "POST":
        action = request.POST.get("action", "")
        upload = request.FILES.get("file")
        try:
            if action == "export-data":
                target, _, fmt = request.POST.get("what", "").partition(":")
                job = export_job_start(
                    study=study,
                    user=request.user,
                    access=access,
                    target=target,
                    fmt=fmt,
                    layer=request.POST.get("layer") or None,
                    coder=request.user.get_username()
                    if request.POST.get("layer") == "individual" and not access.sees_other_coders
                    else None,
                )
                return redirect("job-detail", pk=job.pk)
            if action == "export":
                job = refi_export_start(
                    study=study,
                    user=request.user,
                    format=request.POST.get("format", ""),
                    layer=request.POST.get("layer", "all"),
                )
            elif action in {"import-project", "import-codebook"}:
                if not access.is_lead:
                    raise PermissionDenied("Only the study's leads import into it.")
                access.require_writable()
                if upload is None:
                    raise ValidationError({"file": "Choose a file to import."})
                if action == "import-project":
                    job = refi_inspect_start(
                        user=request.user,
                        filename=upload.name or "",
                        data=upload.read(),
                        study=study,
                    )
                else:
                    job = refi_codebook_import_start(
                        study=study,
                        user=request.user,
                        filename=upload.name or "",
                        data=upload.read(),
                        update_matched=request.POST.get("update_matched") == "on",
                    )
            else:
                raise ValidationError("Unknown action.")
        except ValidationError as exc:
            for text in _errors(exc):
                messages.error(request, text)
            return redirect("refi-exchange", slug=study.slug)
        return redirect("refi-job", pk=job.pk)
    jobs = list(_refi_jobs(request.user).filter(study=study).order_by("-created", "-id")[:20])
    return render(
        request,
        "coding/refi/exchange.html",
        {
            "study": study,
            "access": access,
            "jobs": jobs,
            "layers": LAYERS,
            "study_formats": sorted(
                (f for f in STUDY_EXPORTS.values() if f.name != "qdpx"), key=lambda f: f.name
            ),
            "codebook_formats": sorted(
                (f for f in CODEBOOK_EXPORTS.values() if f.name != "qdc"), key=lambda f: f.name
            ),
            "tab": "exchange",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request: AuthenticatedRequest) -> HttpResponse:
    """Create a study from a .qdpx (anyone signed in may create a study and leads it)."""
    errors: list[str] = []
    values = {"slug": "", "title": ""}
    if request.method == "POST":
        values = {"slug": request.POST.get("slug", ""), "title": request.POST.get("title", "")}
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError({"file": "Choose a .qdpx file to import."})
            job = refi_inspect_start(
                user=request.user,
                filename=upload.name or "",
                data=upload.read(),
                new_study=values,
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            return redirect("refi-job", pk=job.pk)
    return render(
        request,
        "coding/refi/import_new.html",
        {"errors": errors, "values": values},
        status=400 if errors else 200,
    )


def _job_for(request: AuthenticatedRequest, pk: int) -> Job:
    job = _refi_jobs(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404("Not found.")
    return job


@login_required
def job_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A REFI job: progress while it runs; then the file, the plan or the import report."""
    job = _job_for(request, pk)
    follow_up = None
    if job.params.get("stage") == "inspect":
        follow_up = (
            Job.objects.filter(kind=JobKind.IMPORT_QDPX, params__inspect_job=job.pk)
            .exclude(state=JobState.FAILED)
            .order_by("-id")
            .first()
        )
    return render(
        request,
        "coding/refi/job.html",
        {
            "job": job,
            "study": job.study,
            "outputs": list(job.files.all()),
            "plan": job.result.get("plan"),
            "report": job.result.get("report"),
            "follow_up": follow_up,
            "mine": job.user_id == request.user.pk,
            "running": job.state in {JobState.QUEUED, JobState.RUNNING},
            "poll": {
                "url": f"/api/v1/jobs/{job.pk}/",
                "state": job.state,
            },
        },
    )


def _mapping_from_post(post: Any, plan: dict[str, Any]) -> dict[str, Any]:
    """The mapping the form sends; rows it does not send keep the plan's proposal."""
    sources = []
    for index, _ in enumerate(plan["sources"]):
        prefix = f"sources-{index}-"
        if not post.get(prefix + "guid"):
            continue
        entry: dict[str, Any] = {
            "guid": post[prefix + "guid"],
            "action": post.get(prefix + "action", ""),
            "dyad": post.get(prefix + "dyad", ""),
            "perspective": post.get(prefix + "perspective", ""),
        }
        if entry["action"] == "existing":
            entry["interview"] = post.get(prefix + "interview")
        sources.append(entry)
    cases = [
        {"guid": post[f"cases-{i}-guid"], "dyad": post.get(f"cases-{i}-dyad", "")}
        for i, _ in enumerate(plan["cases"])
        if post.get(f"cases-{i}-guid")
    ]
    users = []
    for index, _ in enumerate(plan["users"]):
        if f"users-{index}-guid" not in post:
            continue
        action, _, username = post.get(f"users-{index}-choice", "").partition(":")
        users.append({"guid": post[f"users-{index}-guid"], "action": action, "username": username})
    return {
        "sources": sources,
        "cases": cases,
        "users": users,
        "update_codes": post.get("update_codes") == "on",
    }


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Confirm which source is which dyad and perspective, and whose codings are whose."""
    job = refi_inspect_job(job=_job_for(request, pk), user=request.user)
    plan = job.result.get("plan")
    if job.state != JobState.SUCCEEDED or plan is None:
        return redirect("refi-job", pk=job.pk)
    errors: list[str] = []
    proposal = plan
    if request.method == "POST":
        posted = _mapping_from_post(request.POST, plan)
        try:
            started = refi_import_confirm(inspect_job=job, user=request.user, mapping=posted)
        except ValidationError as exc:
            errors = _errors(exc)
            proposal = _with_posted(plan, posted)
        else:
            return redirect("refi-job", pk=started.pk)
    return render(
        request,
        "coding/refi/mapping.html",
        {
            "job": job,
            "plan": proposal,
            "study": job.study,
            "errors": errors,
            "actions": SOURCE_ACTIONS,
            "perspectives": Perspective.choices,
            "back": reverse("refi-job", kwargs={"pk": job.pk}),
        },
        status=400 if errors else 200,
    )


def _with_posted(plan: dict[str, Any], posted: dict[str, Any]) -> dict[str, Any]:
    """The plan showing what the lead chose, so a form with errors keeps their choices."""
    given = {
        part: {entry["guid"]: entry for entry in posted[part]}
        for part in ("sources", "cases", "users")
    }

    def merged(part: str, keys: tuple[str, ...]) -> list[dict[str, Any]]:
        rows = []
        for row in plan[part]:
            chosen = given[part].get(row["guid"], {})
            rows.append({**row, **{key: chosen[key] for key in keys if key in chosen}})
        return rows

    return {
        **plan,
        "sources": merged("sources", ("action", "dyad", "perspective")),
        "cases": merged("cases", ("dyad",)),
        "users": merged("users", ("action", "username")),
    }
