"""Running exports and study imports: find the format, write it, record it in the audit trail.

The command line, the API and the jobs all export through here, so every export leaves an
"export" event in the study's audit trail, whichever way it was made.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import timezone

from coding.exchange.registry import ExportFormat, ExportOptions, codebook_export, study_export
from coding.exchange.tabular import ExportStamp, export_record, export_stamp
from coding.job_kinds import JobKind
from coding.models import Codebook, Coding
from healing.audit.models import AuditEvent
from healing.jobs.models import Job
from healing.jobs.services import job_create
from interviews.models import Study
from interviews.selectors import Access

# Formats written whole (XLSX, the whole-study JSON, …) are sent directly by the API up to this
# many codings; a larger study exports them as a job with progress.
DIRECT_EXPORT_MAX_CODINGS = 20_000


def study_format(name: str) -> ExportFormat:
    try:
        return study_export(name)
    except KeyError as exc:
        raise ValidationError({"format": str(exc.args[0])}) from None


def codebook_format(name: str) -> ExportFormat:
    try:
        return codebook_export(name)
    except KeyError as exc:
        raise ValidationError({"format": str(exc.args[0])}) from None


def export_filename(*, study: Study, fmt: ExportFormat, options: ExportOptions | None) -> str:
    when = timezone.now().astimezone(dt.UTC).strftime("%Y%m%d-%H%M")
    parts = [study.slug, "codebook" if options is None else fmt.name]
    if options is not None and options.layer != export_default_layer(fmt.name):
        parts.append(options.layer)
    if options is not None and options.coder:
        parts.append(options.coder)
    return f"{'-'.join(parts)}-{when}.{fmt.extension}"


def _last_event_id(study: Study) -> int:
    return AuditEvent.objects.filter(study=study).aggregate(last=Max("id"))["last"] or 0


def _recorded_by_the_writer(study: Study, since: int) -> bool:
    """Some writers record their own export (REFI-QDA's): those are not recorded twice."""
    return AuditEvent.objects.filter(study=study, action="export", id__gt=since).exists()


def export_study_write(
    *, study: Study, fmt: ExportFormat, out: IO[bytes], options: ExportOptions, via: str
) -> None:
    """Write a study export to ``out`` and record it."""
    since = _last_event_id(study)
    fmt.write(study=study, out=out, options=options)
    if not _recorded_by_the_writer(study, since):
        export_record(
            study=study, actor=options.actor, target="study", fmt=fmt.name, options=options, via=via
        )


def export_codebook_write(
    *, study: Study, fmt: ExportFormat, out: IO[bytes], actor: Any, via: str
) -> None:
    since = _last_event_id(study)
    fmt.write(codebook=Codebook.objects.select_related("study").get(study=study), out=out)
    if not _recorded_by_the_writer(study, since):
        export_record(
            study=study,
            actor=actor,
            target="codebook",
            fmt=fmt.name,
            options=ExportOptions(),
            via=via,
        )


@dataclass
class StreamedExport:
    chunks: Iterator[bytes]
    stamp: ExportStamp
    filename: str


def export_study_stream(
    *, study: Study, fmt: ExportFormat, options: ExportOptions, via: str
) -> StreamedExport:
    """A streamed export (formats with ``stream``); options are checked before the first byte,
    and the export is recorded as it starts."""
    assert fmt.stream is not None
    stamp = export_stamp(study=study, options=options)
    options = dataclasses.replace(options, stamp=stamp)
    chunks = fmt.stream(study=study, options=options)
    export_record(
        study=study, actor=options.actor, target="study", fmt=fmt.name, options=options, via=via
    )
    return StreamedExport(
        chunks=chunks, stamp=stamp, filename=export_filename(study=study, fmt=fmt, options=options)
    )


def export_study_bytes(
    *, study: Study, fmt: ExportFormat, options: ExportOptions, via: str
) -> bytes:
    """A whole export in memory (spooled to disk while written when it grows)."""
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as buffer:
        export_study_write(study=study, fmt=fmt, out=buffer, options=options, via=via)
        buffer.seek(0)
        return buffer.read()


EXPORT_LAYER_NAMES = ("best", "all", "consensus", "individual")
# Whole-study transfers carry every layer; the other exports are analyses' data.
TRANSFER_FORMATS = frozenset({"json", "qdpx"})


def export_default_layer(fmt: str) -> str:
    """``all`` for a whole-study transfer (JSON, REFI-QDA), else ``best``: per interview the
    consensus where it is complete, else the coders' layers."""
    return "all" if fmt in TRANSFER_FORMATS else "best"


def export_options_for(
    *, layer: str, coder: str | None, user: Any, access: Access, raw: bool = False
) -> ExportOptions:
    """Which codings a member may export: while blind coding is on, a coder exports only the
    consensus or their own codings (``best`` becomes the consensus where complete, else their
    own codings)."""
    if layer == "best" and not access.sees_other_coders and not coder:
        coder = user.username
    if layer not in EXPORT_LAYER_NAMES:
        raise ValidationError(
            {"layer": f"Unknown layer {layer!r}: use {', '.join(EXPORT_LAYER_NAMES)}."}
        )
    if not access.sees_other_coders and layer != "consensus" and coder != user.username:
        raise PermissionDenied(
            "Blind coding is on: export the consensus layer or your own codings "
            f"(coder={user.username}) until the lead reveals."
        )
    return ExportOptions(layer=layer, coder=coder, actor=user, raw=raw)


def export_job_start(
    *,
    study: Study,
    user: Any,
    access: Access,
    target: str,
    fmt: str,
    layer: str | None = None,
    coder: str | None = None,
    raw: bool = False,
) -> Job:
    """Run any study or codebook export as a job; its output file is the export. Without a
    layer, the format's default (:func:`export_default_layer`)."""
    params: dict[str, Any]
    if target == "codebook":
        codebook_format(fmt)
        params = {"target": "codebook", "format": fmt}
    elif target == "study":
        study_format(fmt)
        options = export_options_for(
            layer=layer or export_default_layer(fmt), coder=coder, user=user, access=access, raw=raw
        )
        params = {
            "target": "study",
            "format": fmt,
            "layer": options.layer,
            "coder": options.coder,
            "raw": raw,
        }
    else:
        raise ValidationError({"target": "Export the study or the codebook."})
    job = job_create(kind=JobKind.EXPORT, user=user, study=study, params=params)
    job.refresh_from_db()
    return job


def export_is_direct(*, study: Study, fmt: ExportFormat) -> bool:
    """Whether the API may answer with the file itself, rather than ask for a job."""
    if fmt.stream is not None:
        return True
    count = Coding.objects.filter(interview__dyad__study=study).count()
    return count <= DIRECT_EXPORT_MAX_CODINGS
