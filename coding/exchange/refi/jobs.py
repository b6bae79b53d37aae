"""The REFI-QDA job handlers (see ``coding.exchange.refi.services`` for their params).

Each handler loads what the job names, checks the user may still do it (a role can change
between starting and running), calls the export or import service and stores the result: the
file as the job's output, the plan or the import report as its result (and the report as a JSON
output too). A bad file or mapping fails the job with the one-line message the services give.
"""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from coding.exchange.refi.errors import RefiError
from coding.exchange.refi.export import (
    QDC_CONTENT_TYPE,
    QDPX_CONTENT_TYPE,
    qdc_bytes,
    qdpx_write,
    study_export_audit,
)
from coding.exchange.refi.imports import qdc_import, qdpx_import, qdpx_inspect
from coding.exchange.refi.services import require_role
from coding.exchange.registry import ExportOptions
from coding.job_kinds import JobKind
from coding.models import Codebook
from healing.jobs.models import Job
from healing.jobs.services import JobError, Progress, job_add_output, job_handler, job_inputs
from interviews.models import Role, Study


def error_text(exc: Exception) -> str:
    """One line from a RefiError, a ValidationError (with its fields) or a PermissionDenied."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(
                f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
                for field, messages in exc.message_dict.items()
            )
        return " ".join(exc.messages)
    return str(exc)


@job_handler(JobKind.EXPORT_QDPX)
def export_refi(job: Job, progress: Progress) -> dict[str, Any]:
    study = job.study
    if study is None:
        raise JobError("An export needs a study.")
    try:
        require_role(user=job.user, study=study, role=Role.VIEWER)
        fmt = job.params.get("format", "qdpx")
        if fmt == "qdc":
            data = qdc_bytes(codebook=Codebook.objects.get(study=study))
            name = f"{study.slug}-codebook.qdc"
            job_add_output(job=job, name=name, data=data, content_type=QDC_CONTENT_TYPE)
            study_export_audit(
                study=study, actor=job.user, what="codebook", summary="Codebook exported as .qdc"
            )
            return {"format": "qdc", "file": name, "size": len(data)}
        out = io.BytesIO()
        options = ExportOptions(
            layer=job.params.get("layer", "all"), coder=job.params.get("coder"), actor=job.user
        )
        summary = qdpx_write(study=study, out=out, options=options, progress=progress)
        name = f"{study.slug}.qdpx"
        data = out.getvalue()
        job_add_output(job=job, name=name, data=data, content_type=QDPX_CONTENT_TYPE)
        summary.bytes = len(data)
        study_export_audit(
            study=study,
            actor=job.user,
            what="study",
            summary=(
                f"Exported as .qdpx ({options.layer} layers): {summary.sources} sources, "
                f"{summary.codings} codings"
            ),
        )
        return {"format": "qdpx", "file": name, "size": len(data), "summary": summary.as_dict()}
    except (RefiError, ValidationError, PermissionDenied) as exc:
        raise JobError(error_text(exc)) from None


@job_handler(JobKind.IMPORT_QDPX)
def import_refi(job: Job, progress: Progress) -> dict[str, Any]:
    try:
        if job.study is not None:
            require_role(user=job.user, study=job.study, role=Role.LEAD)
        if job.params.get("format") == "qdc":
            return _import_codebook(job, progress)
        if job.params.get("stage") == "inspect":
            return _inspect(job, progress)
        return _import_project(job, progress)
    except (RefiError, ValidationError, PermissionDenied) as exc:
        raise JobError(error_text(exc)) from None


def _only_input(job: Job) -> tuple[str, bytes]:
    inputs = job_inputs(job)
    if not inputs:
        raise JobError("The uploaded file is missing from the job.")
    return inputs[0].name, bytes(inputs[0].data)


def _inspect(job: Job, progress: Progress) -> dict[str, Any]:
    name, data = _only_input(job)
    progress(10, f"Reading {name}")
    plan = qdpx_inspect(
        data=data,
        filename=name,
        user=job.user,
        study=job.study,
        new_study=job.params.get("new_study"),
    )
    return {"plan": plan}


def _store_report(job: Job, report: dict[str, Any]) -> None:
    job_add_output(
        job=job,
        name="import-report.json",
        data=json.dumps(report, indent=2, ensure_ascii=False).encode("utf-8"),
        content_type="application/json",
    )


def _import_project(job: Job, progress: Progress) -> dict[str, Any]:
    source = Job.objects.filter(
        pk=job.params.get("inspect_job"), user=job.user, kind=JobKind.IMPORT_QDPX
    ).first()
    if source is None:
        raise JobError("The file to import (its inspect job) is gone.")
    name, data = _only_input(source)
    report = qdpx_import(
        data=data,
        filename=name,
        user=job.user,
        mapping=job.params.get("mapping"),
        study=job.study,
        new_study=job.params.get("new_study") if job.study is None else None,
        progress=progress,
    ).as_dict()
    _store_report(job, report)
    if job.study is None:
        # The job belongs to the study it created, so its leads see it with the others.
        Job.objects.filter(pk=job.pk).update(study=Study.objects.get(slug=report["study"]))
    return {"report": report, "study": report["study"]}


def _import_codebook(job: Job, progress: Progress) -> dict[str, Any]:
    if job.study is None:
        raise JobError("A codebook import needs a study.")
    name, data = _only_input(job)
    report = qdc_import(
        study=job.study,
        data=data,
        filename=name,
        actor=job.user,
        update_matched=bool(job.params.get("update_matched")),
        progress=progress,
    ).as_dict()
    _store_report(job, report)
    return {"report": report, "study": job.study.slug}
