"""Job handlers of the interviews app (registered when InterviewsConfig.ready() imports them)."""

from __future__ import annotations

from typing import Any

from healing.jobs.models import Job
from healing.jobs.services import JobError, Progress, job_handler, job_inputs
from interviews.job_kinds import InterviewJobKind
from interviews.selectors import STUDY_ARCHIVED
from interviews.services import BatchItem, interviews_import_batch


@job_handler(InterviewJobKind.IMPORT_TRANSCRIPTS)
def import_transcripts(job: Job, progress: Progress) -> dict[str, Any]:
    """params: {"items": [{"file", "dyad", "perspective", ...BatchItem fields}], "force": bool}."""
    if job.study is None:
        raise JobError("An import needs a study.")
    if job.study.archived:  # archived after the import was started
        raise JobError(STUDY_ARCHIVED)
    files = {item.name: item for item in job_inputs(job)}
    items: list[BatchItem] = []
    for entry in job.params.get("items", []):
        stored = files.get(entry["file"])
        if stored is None:
            raise JobError(f"{entry['file']} was not uploaded with the job.")
        data = bytes(stored.data)
        items.append(
            BatchItem(
                name=entry["file"],
                dyad=entry.get("dyad", ""),
                perspective=entry.get("perspective", ""),
                load=lambda data=data: data,  # type: ignore[misc]
                dyad_attributes=entry.get("dyad_attributes", {}),
                clinician=entry.get("clinician", ""),
                clinician_attributes=entry.get("clinician_attributes", {}),
                patient=entry.get("patient", ""),
                patient_attributes=entry.get("patient_attributes", {}),
                speaker_map=entry.get("speaker_map", {}),
                conducted_on=entry.get("conducted_on", ""),
                interviewer=entry.get("interviewer", ""),
            )
        )
    outcomes = interviews_import_batch(
        study=job.study,
        items=items,
        imported_by=job.user,
        force=bool(job.params.get("force", False)),
        progress=progress,
    )
    imported = sum(outcome.ok for outcome in outcomes)
    if items and not imported:
        # Nothing came in: the job failed, and its report says why for each file.
        Job.objects.filter(pk=job.pk).update(result={"files": [o.as_dict() for o in outcomes]})
        raise JobError("No file was imported: " + " | ".join(o.message for o in outcomes))
    return {
        "imported": imported,
        "failed": len(outcomes) - imported,
        "files": [outcome.as_dict() for outcome in outcomes],
    }
