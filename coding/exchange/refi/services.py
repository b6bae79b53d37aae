"""Start REFI-QDA jobs: the checks that can answer at once run here, the work in the job.

Both directions are jobs (``JobKind.EXPORT_QDPX`` and ``JobKind.IMPORT_QDPX``); ``params``
says which:

- export: ``{"format": "qdpx" | "qdc", "layer": "all" | "consensus" | "individual",
  "coder": username | null}``; the file is the job's output;
- import of a project, in two jobs: ``{"format": "qdpx", "stage": "inspect", "new_study":
  {"slug", "title"} | null}`` reads the upload and proposes a mapping (its result is the
  ``plan``); ``{"format": "qdpx", "stage": "import", "inspect_job": id, "mapping": {...}}``
  imports, reading the file stored with the inspect job;
- import of a codebook: ``{"format": "qdc", "stage": "import", "update_matched": bool}``.

Views, API and commands call these; permissions (viewers export, leads import into their
study, anyone signed in may create a study from a file) are checked by the caller through the
access helpers, and checked again by the job when it runs.
"""

from __future__ import annotations

import posixpath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from coding.exchange.refi.export import ExportError
from coding.exchange.refi.imports import new_study_check
from coding.exchange.refi.plan import mapping_clean
from coding.exchange.study_import import study_import_check
from coding.job_kinds import JobKind
from coding.models import Code, Layer
from healing.jobs.models import Job, JobState
from healing.jobs.services import JobInput, job_create
from interviews.models import Role, Study
from interviews.selectors import study_access_for_user

EXPORT_FORMATS = ("qdpx", "qdc")
LAYERS = ("all", Layer.CONSENSUS.value, Layer.INDIVIDUAL.value)


def _upload_name(name: str) -> str:
    return posixpath.basename((name or "upload").replace("\\", "/"))[-200:] or "upload"


def _check_size(data: bytes, name: str) -> None:
    limit = settings.HEALING_MAX_QDPX_BYTES
    if len(data) > limit:
        raise ValidationError(
            {
                "file": f"{name} is {len(data) / 1_000_000:.1f} MB; the limit is "
                f"{limit / 1_000_000:.1f} MB (HEALING_MAX_QDPX_BYTES)."
            }
        )
    if not data:
        raise ValidationError({"file": f"{name} is empty (0 bytes)."})


def refi_export_start(
    *, study: Study, user: Any, format: str, layer: str = "all", coder: str | None = None
) -> Job:
    """Start exporting the study (.qdpx) or its codebook (.qdc); any member may."""
    if format not in EXPORT_FORMATS:
        raise ValidationError({"format": f"Unknown format {format!r}: use qdpx or qdc."})
    if layer not in LAYERS:
        raise ValidationError(
            {"layer": f"Unknown layer {layer!r}: use all, consensus or individual."}
        )
    if format == "qdc" and not Code.objects.filter(codebook__study=study).exists():
        raise ExportError(
            {
                "format": "The codebook has no codes, and a .qdc file needs at least one code "
                "(REFI-QDA Codebook.xsd): add codes first."
            }
        )
    return job_create(
        kind=JobKind.EXPORT_QDPX,
        user=user,
        study=study,
        params={"format": format, "layer": layer, "coder": coder or None},
    )


def refi_inspect_start(
    *,
    user: Any,
    filename: str,
    data: bytes,
    study: Study | None = None,
    new_study: dict[str, str] | None = None,
) -> Job:
    """Start reading a .qdpx for import into ``study`` (the caller checked the user leads it)
    or into a new study (``new_study`` = slug and title, checked here)."""
    name = _upload_name(filename)
    _check_size(data, name)
    if (study is None) == (new_study is None):
        raise ValidationError("Import into an existing study or a new one, not both.")
    params: dict[str, Any] = {"format": "qdpx", "stage": "inspect", "new_study": None}
    if new_study is not None:
        study_import_check(user)  # a new study from a file: staff only, by default
        checked = new_study_check(**new_study)
        params["new_study"] = checked
    return job_create(
        kind=JobKind.IMPORT_QDPX,
        user=user,
        study=study,
        params=params,
        inputs=[JobInput(name=name, data=data, content_type="application/zip")],
    )


def refi_inspect_job(*, job: Job, user: Any) -> Job:
    """The user's own finished inspect job (others answer "not found")."""
    if (
        job.kind != JobKind.IMPORT_QDPX
        or job.user_id != user.pk
        or job.params.get("stage") != "inspect"
    ):
        from django.http import Http404

        raise Http404("Not found.")
    return job


def refi_import_confirm(*, inspect_job: Job, user: Any, mapping: dict[str, Any] | None) -> Job:
    """Start the import an inspect job prepared, with the lead's mapping (checked now)."""
    inspect_job = refi_inspect_job(job=inspect_job, user=user)
    if inspect_job.state != JobState.SUCCEEDED or "plan" not in inspect_job.result:
        raise ValidationError("The file has not been read yet (or could not be): wait for it.")
    if inspect_job.study is not None:
        access = study_access_for_user(user=user, study=inspect_job.study)
        if access is None or not access.is_lead:
            raise PermissionDenied("Only the study's leads import into it.")
        access.require_writable()
    started = Job.objects.filter(
        kind=JobKind.IMPORT_QDPX, params__inspect_job=inspect_job.pk
    ).exclude(state=JobState.FAILED)
    if started.exists():
        raise ValidationError(
            f"This file is already being imported or was imported (job {started.first().pk})."  # type: ignore[union-attr]
        )
    new_study = inspect_job.params.get("new_study")
    if new_study:
        study_import_check(user)
    if new_study and Study.objects.filter(slug=new_study["slug"]).exists():
        raise ValidationError({"slug": f"A study with the slug {new_study['slug']!r} exists now."})
    cleaned = mapping_clean(plan=inspect_job.result["plan"], mapping=mapping)
    return job_create(
        kind=JobKind.IMPORT_QDPX,
        user=user,
        study=inspect_job.study,
        params={
            "format": "qdpx",
            "stage": "import",
            "inspect_job": inspect_job.pk,
            "new_study": new_study,
            "mapping": cleaned,
        },
    )


def refi_codebook_import_start(
    *, study: Study, user: Any, filename: str, data: bytes, update_matched: bool = False
) -> Job:
    """Start merging a .qdc (or a .qdpx's codebook) into the study's codebook (leads)."""
    name = _upload_name(filename)
    _check_size(data, name)
    return job_create(
        kind=JobKind.IMPORT_QDPX,
        user=user,
        study=study,
        params={"format": "qdc", "stage": "import", "update_matched": bool(update_matched)},
        inputs=[JobInput(name=name, data=data, content_type="application/xml")],
    )


def require_role(*, user: Any, study: Study, role: str) -> None:
    """Raise PermissionDenied unless the user (still) has ``role`` in the study."""
    access = study_access_for_user(user=user, study=study)
    if access is None or not access.at_least(role):
        raise PermissionDenied(f"This needs the {role} role in {study.title}.")
    if Role.rank(role) > Role.rank(Role.VIEWER):
        access.require_writable()  # an archived study takes no import
