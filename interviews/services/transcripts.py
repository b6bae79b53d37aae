"""Writes for interviews and transcripts: import (a file, or a batch as a job), change, delete."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from healing.audit.services import audit_record, snapshot
from healing.jobs.services import JobInput, job_create
from interviews.hooks import coded_count
from interviews.importing import TranscriptError, guess_speaker_roles, parse_transcript
from interviews.job_kinds import InterviewJobKind
from interviews.models import (
    Dyad,
    Interview,
    ParticipantRole,
    Perspective,
    Study,
    Turn,
)
from interviews.search_index import search_index_update
from interviews.services.fields import INTERVIEW_FIELDS
from interviews.services.people import (
    KEEP,
    Keep,
    dyad_get_or_create,
    participant_get_or_create,
)

# --- Transcript import --------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    interview: Interview
    warnings: list[str]
    speaker_roles: dict[str, str]


def interview_import(
    *,
    dyad: Dyad,
    perspective: str,
    filename: str,
    data: bytes,
    imported_by: Any,
    speaker_map: Mapping[str, str] | None = None,
    force: bool = False,
    encoding_fallback: bool = True,
    conducted_on: dt.date | None = None,
    interviewer: str = "",
    title: str = "",
) -> ImportOutcome:
    """Parse a transcript file and store it as an interview of ``dyad`` with its speaker turns.

    Raises TranscriptError (one line a person can act on) and stores nothing when the file is
    empty, binary, too large, undecodable, in a format we do not read, or a duplicate of an
    interview already in the study (same normalised text) unless ``force``.
    """
    if perspective not in Perspective.values:
        raise TranscriptError(
            f"{filename}: perspective must be patient, clinician or other, not {perspective!r}."
        )
    parsed = parse_transcript(
        data,
        filename,
        max_bytes=settings.HEALING_MAX_UPLOAD_BYTES,
        encoding_fallback=encoding_fallback,
        known_speakers=frozenset(name.strip().rstrip(":").strip() for name in (speaker_map or {})),
    )
    sha256 = hashlib.sha256(parsed.text.encode("utf-8")).hexdigest()
    if not force:
        duplicate = (
            Interview.objects.filter(dyad__study_id=dyad.study_id, text_sha256=sha256)
            .select_related("dyad")
            .first()
        )
        if duplicate is not None:
            raise TranscriptError(
                f"{filename}: the same text is already stored as interview {duplicate.pk} "
                f"({duplicate.dyad.label}, {duplicate.perspective}); "
                "import with force to keep both."
            )
    speakers = [turn.speaker for turn in parsed.turns]
    roles = guess_speaker_roles(
        speakers, perspective=perspective, speaker_map=dict(speaker_map or {})
    )
    with transaction.atomic():
        interview = Interview.objects.create(
            dyad=dyad,
            perspective=perspective,
            title=title[:200],
            conducted_on=conducted_on,
            interviewer=interviewer[:120],
            text=parsed.text,
            text_sha256=sha256,
            word_count=parsed.word_count,
            source_name=filename[-255:],
            source_format=parsed.source_format,
            imported_by=imported_by if getattr(imported_by, "is_authenticated", False) else None,
        )
        Turn.objects.bulk_create(
            [
                Turn(
                    interview=interview,
                    index=index,
                    speaker=turn.speaker[:120],
                    role=roles.get(turn.speaker, "other"),
                    start=turn.start,
                    end=turn.end,
                    timestamp_ms=turn.timestamp_ms,
                )
                for index, turn in enumerate(parsed.turns)
            ],
            batch_size=1000,
        )
        search_index_update(interview_ids=[interview.pk])
        audit_record(
            study_id=dyad.study_id,
            actor=imported_by,
            action="import",
            object_type="interview",
            object_id=interview.pk,
            interview_id=interview.pk,
            after=snapshot(interview, INTERVIEW_FIELDS),
            summary=f"{filename} imported into {dyad.label} ({perspective})",
        )
    return ImportOutcome(interview=interview, warnings=list(parsed.warnings), speaker_roles=roles)


def interview_update(
    *,
    interview: Interview,
    actor: Any,
    title: str | None = None,
    conducted_on: dt.date | Keep | None = KEEP,
    interviewer: str | None = None,
    perspective: str | None = None,
) -> Interview:
    """Change an interview's description (its text and turns are what was imported)."""
    before = snapshot(interview, INTERVIEW_FIELDS)
    if title is not None:
        interview.title = title.strip()[:200]
    if interviewer is not None:
        interview.interviewer = interviewer.strip()[:120]
    if conducted_on is not KEEP:
        interview.conducted_on = conducted_on
    if perspective is not None:
        if perspective not in Perspective.values:
            raise ValidationError(
                {"perspective": f"Use patient, clinician or other, not {perspective!r}."}
            )
        interview.perspective = perspective
    after = snapshot(interview, INTERVIEW_FIELDS)
    if after == before:
        return interview
    with transaction.atomic():
        interview.save(
            update_fields=["title", "interviewer", "conducted_on", "perspective", "updated"]
        )
        audit_record(
            study_id=interview.dyad.study_id,
            actor=actor,
            action="update",
            object_type="interview",
            object_id=interview.pk,
            interview_id=interview.pk,
            before=before,
            after=after,
            summary=f"Interview {interview.pk} changed",
        )
    return interview


def interview_delete(*, interview: Interview, actor: Any) -> None:
    """Delete an interview nobody has coded yet (its turns go with it)."""
    coded = coded_count(interviews=Interview.objects.filter(pk=interview.pk))
    if coded:
        raise ValidationError(
            f"Interview {interview.pk} has {coded} coding(s); delete them first or keep it."
        )
    with transaction.atomic():
        audit_record(
            study_id=interview.dyad.study_id,
            actor=actor,
            action="delete",
            object_type="interview",
            object_id=interview.pk,
            before=snapshot(interview, INTERVIEW_FIELDS),
            summary=f"Interview {interview.pk} ({interview.dyad.label}, "
            f"{interview.perspective}) deleted",
        )
        interview.delete()


@dataclass
class BatchItem:
    """One file of a batch import: its bytes (or a loader) and where it goes."""

    name: str
    dyad: str
    perspective: str
    load: Callable[[], bytes]
    dyad_attributes: dict[str, str] = field(default_factory=dict)
    clinician: str = ""
    clinician_attributes: dict[str, str] = field(default_factory=dict)
    patient: str = ""
    patient_attributes: dict[str, str] = field(default_factory=dict)
    speaker_map: dict[str, str] = field(default_factory=dict)
    conducted_on: str = ""
    interviewer: str = ""


@dataclass
class BatchOutcome:
    name: str
    ok: bool
    message: str
    interview_id: int | None = None
    dyad: str = ""
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "ok": self.ok,
            "message": self.message,
            "interview_id": self.interview_id,
            "dyad": self.dyad,
            "warnings": self.warnings,
        }


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(
                f"{key}: {' '.join(str(m) for m in messages)}"
                for key, messages in exc.message_dict.items()
            )
        return " ".join(exc.messages)
    return str(exc)


def interviews_import_batch(
    *,
    study: Study,
    items: Sequence[BatchItem],
    imported_by: Any,
    force: bool = False,
    encoding_fallback: bool = True,
    progress: Callable[[int, str], None] | None = None,
) -> list[BatchOutcome]:
    """Import several files; each file is all-or-nothing (its dyad, people, interview and turns).

    A failing file is reported and the batch goes on with the next one.
    """
    outcomes: list[BatchOutcome] = []
    for position, item in enumerate(items):
        if progress is not None:
            progress(int(100 * position / max(len(items), 1)), f"Importing {item.name}")
        try:
            conducted_on = dt.date.fromisoformat(item.conducted_on) if item.conducted_on else None
        except ValueError:
            outcomes.append(
                BatchOutcome(
                    item.name,
                    False,
                    f"{item.name}: conducted_on {item.conducted_on!r} is not a date (YYYY-MM-DD).",
                    dyad=item.dyad,
                )
            )
            continue
        try:
            with transaction.atomic():
                clinician = (
                    participant_get_or_create(
                        study=study,
                        role=ParticipantRole.CLINICIAN,
                        pseudonym=item.clinician,
                        attributes=item.clinician_attributes,
                    )
                    if item.clinician
                    else None
                )
                patient = (
                    participant_get_or_create(
                        study=study,
                        role=ParticipantRole.PATIENT,
                        pseudonym=item.patient,
                        attributes=item.patient_attributes,
                    )
                    if item.patient
                    else None
                )
                dyad, _ = dyad_get_or_create(
                    study=study,
                    label=item.dyad,
                    clinician=clinician,
                    patient=patient,
                    attributes=item.dyad_attributes,
                    actor=imported_by,
                )
                outcome = interview_import(
                    dyad=dyad,
                    perspective=item.perspective,
                    filename=item.name,
                    data=item.load(),
                    imported_by=imported_by,
                    speaker_map=item.speaker_map,
                    force=force,
                    encoding_fallback=encoding_fallback,
                    conducted_on=conducted_on,
                    interviewer=item.interviewer,
                )
        except (TranscriptError, ValidationError, OSError) as exc:
            message = _error_text(exc)
            if not message.startswith(item.name):
                message = f"{item.name}: {message}"
            outcomes.append(BatchOutcome(item.name, False, message, dyad=item.dyad))
            continue
        interview = outcome.interview
        outcomes.append(
            BatchOutcome(
                item.name,
                True,
                f"{item.name}: imported as interview {interview.pk} "
                f"({dyad.label}, {interview.perspective}, {interview.word_count} words, "
                f"{len(outcome.speaker_roles)} speakers)",
                interview_id=interview.pk,
                dyad=dyad.label,
                warnings=outcome.warnings,
            )
        )
    if progress is not None:
        progress(100, f"Imported {sum(o.ok for o in outcomes)} of {len(items)} files")
    return outcomes


def parse_speaker_map(text: str) -> dict[str, str]:
    """``"Jane=patient; Int=interviewer"`` as a dict; roles are checked on import."""
    mapping: dict[str, str] = {}
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        name, sep, role = part.partition("=")
        if not sep or not name.strip() or not role.strip():
            raise ValidationError(
                {"speakers": f"{part.strip()!r} is not NAME=ROLE (e.g. 'Jane=patient')."}
            )
        mapping[name.strip()] = role.strip().lower()
    return mapping


def manifest_columns(header: Iterable[str]) -> dict[str, str]:
    """How each manifest column is read: a fixed column, or an attribute of whom."""
    fixed = {
        "file",
        "dyad",
        "perspective",
        "clinician",
        "patient",
        "speakers",
        "conducted_on",
        "interviewer",
    }
    kinds: dict[str, str] = {}
    for column in header:
        name = column.strip()
        if name in fixed:
            kinds[column] = name
        elif name.startswith(("clinician.", "patient.", "dyad.")):
            kinds[column] = name.split(".", 1)[0] + "_attribute"
        elif name:
            kinds[column] = "dyad_attribute"
    return kinds


def transcripts_import_start(
    *, study: Study, user: Any, uploads: Sequence[Any], items: list[dict[str, Any]], force: bool
) -> Any:
    """Import uploaded transcripts as a job: ``items`` (from a manifest or a form) give each
    file's dyad and perspective. Files are checked against the size limit first; each file is
    then imported all-or-nothing by the job, which reports every file."""
    limit = settings.HEALING_MAX_UPLOAD_BYTES
    for upload in uploads:
        if upload.size > limit:
            raise ValidationError(
                {
                    "files": f"{upload.name} is {upload.size / 1_000_000:.1f} MB; the limit is "
                    f"{limit / 1_000_000:.1f} MB (HEALING_MAX_UPLOAD_BYTES)."
                }
            )
    names = [upload.name for upload in uploads]
    if len(set(names)) != len(names):
        raise ValidationError({"files": "Two uploaded files have the same name."})
    # A manifest may name files with a folder ("patients/d01.txt"): match by the file's name.
    by_basename = {name.rsplit("/", 1)[-1]: name for name in names}
    listed: set[str] = set()
    missing: list[str] = []
    for item in items:
        name = str(item["file"])
        uploaded = name if name in names else by_basename.get(name.rsplit("/", 1)[-1])
        if uploaded is None:
            missing.append(name)
            continue
        item["file"] = uploaded
        listed.add(uploaded)
    if missing:
        raise ValidationError({"files": f"Listed but not uploaded: {', '.join(missing)}."})
    unlisted = sorted(set(names) - listed)
    if unlisted:
        raise ValidationError({"files": f"Uploaded but not listed: {', '.join(unlisted)}."})
    return job_create(
        kind=InterviewJobKind.IMPORT_TRANSCRIPTS,
        user=user,
        study=study,
        params={"items": items, "force": force},
        inputs=[
            JobInput(upload.name, upload.read(), upload.content_type or "application/octet-stream")
            for upload in uploads
        ],
    )
