"""Job handlers of the coding app for exports, study imports and autocode (REFI-QDA's live with
the format, agreement reports with teamwork); they register when CodingConfig.ready() imports
them."""

from __future__ import annotations

import tempfile
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.exceptions import ValidationError as ApiValidationError

from coding.autocode.services import autocode_run
from coding.exchange.registry import ExportOptions
from coding.exchange.study_import import StudyImportError, study_import
from coding.exports import (
    codebook_format,
    export_codebook_write,
    export_default_layer,
    export_filename,
    export_study_write,
    study_format,
)
from coding.job_kinds import JobKind
from coding.search.code_hits import search_code_run
from healing.jobs.models import Job
from healing.jobs.services import JobError, Progress, job_add_output, job_handler, job_inputs
from interviews.selectors import STUDY_ARCHIVED, study_access_for_user


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


@job_handler(JobKind.EXPORT)
def export(job: Job, progress: Progress) -> dict[str, Any]:
    """params: {"target": "study" | "codebook", "format", "layer", "coder"}; one output file."""
    if job.study is None:
        raise JobError("An export needs a study.")
    params = job.params
    target = params.get("target", "study")
    # Roles can change between starting a job and running it: check again.
    access = study_access_for_user(user=job.user, study=job.study)
    if access is None:
        raise JobError("You are no longer a member of this study.")
    hidden = params.get("layer") != "consensus" and params.get("coder") != job.user.username
    if target == "study" and not access.sees_other_coders and hidden:
        raise JobError("Blind coding is on: export the consensus layer or your own codings.")
    try:
        with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as buffer:
            if target == "codebook":
                fmt = codebook_format(str(params.get("format")))
                progress(10, f"Writing the codebook as {fmt.name}")
                export_codebook_write(
                    study=job.study,
                    fmt=fmt,
                    out=buffer,
                    actor=job.user,
                    via="job",
                )
                name = export_filename(study=job.study, fmt=fmt, options=None)
            else:
                fmt = study_format(str(params.get("format")))
                options = ExportOptions(
                    layer=params.get("layer") or export_default_layer(params.get("format", "")),
                    coder=params.get("coder") or None,
                    actor=job.user,
                    progress=progress,
                    raw=bool(params.get("raw")),
                )
                progress(1, f"Exporting as {fmt.name}")
                export_study_write(
                    study=job.study,
                    fmt=fmt,
                    out=buffer,
                    options=options,
                    via="job",
                )
                name = export_filename(study=job.study, fmt=fmt, options=options)
            progress(99, "Saving the file")
            buffer.seek(0)
            stored = job_add_output(
                job=job, name=name, data=buffer.read(), content_type=fmt.content_type
            )
    except ValidationError as exc:
        raise JobError(_message(exc)) from None
    return {
        "format": fmt.name,
        "target": target,
        "file": stored.name,
        "file_id": stored.pk,
        "size": stored.size,
        "download": f"/api/v1/jobs/{job.pk}/files/{stored.pk}/",
    }


@job_handler(JobKind.IMPORT_STUDY)
def import_study(job: Job, progress: Progress) -> dict[str, Any]:
    """params: {"slug": optional new slug}; input: the whole-study JSON file."""
    inputs = job_inputs(job)
    if not inputs:
        raise JobError("The study file was not uploaded with the job.")
    try:
        study = study_import(
            data=bytes(inputs[0].data),
            actor=job.user,
            slug=job.params.get("slug") or None,
            progress=progress,
        )
    except StudyImportError as exc:
        raise JobError(f"{inputs[0].name}: {exc}") from None
    except PermissionDenied as exc:
        raise JobError(str(exc)) from None
    Job.objects.filter(pk=job.pk).update(study=study)
    return {
        "study": study.slug,
        "dyads": study.dyads.count(),
        "interviews": study.dyads.values("interviews").exclude(interviews=None).count(),
        "url": f"/api/v1/studies/{study.slug}/",
    }


@job_handler(JobKind.AUTOCODE)
def autocode(job: Job, progress: Progress) -> dict[str, Any]:
    """params: coding.autocode.services.AutocodeRequest; the result lists the codings made."""
    if job.study is None:
        raise JobError("Autocode needs a study.")
    if job.study.archived:  # archived after the run was started
        raise JobError(STUDY_ARCHIVED)
    try:
        return autocode_run(job=job, progress=progress)
    except ValidationError as exc:
        raise JobError(_message(exc)) from None
    except PermissionDenied as exc:
        raise JobError(str(exc)) from None


@job_handler(JobKind.SEARCH_CODE)
def search_code(job: Job, progress: Progress) -> dict[str, Any]:
    """params: coding.search.code_hits.SearchCodeRequest; the result lists the codings made."""
    if job.study is None:
        raise JobError("Coding search hits needs a study.")
    try:
        return search_code_run(job=job, progress=progress)
    except ValidationError as exc:
        raise JobError(_message(exc)) from None
    except ApiValidationError as exc:
        detail = exc.detail
        lines = (
            [
                f"{k}: {' '.join(map(str, v if isinstance(v, list) else [v]))}"
                for k, v in detail.items()
            ]
            if isinstance(detail, dict)
            else [str(detail)]
        )
        raise JobError("; ".join(lines)) from None
    except PermissionDenied as exc:
        raise JobError(str(exc)) from None
