"""Autocode by speaker: check a request and start the job, run it (bulk, idempotent, audited),
and undo a run as one step.

A run codes each matching turn's span ``[start, end)`` exactly, in the individual layer of one
coder (the lead's own, or a coder's: only a lead starts a run). A turn that already carries the
code in that layer over the same span is skipped, so running twice codes nothing new. Undo
deletes the codings the run created that are still as it left them; a coding changed since (its
span, code or memo edited, or a memo or case-study evidence attached to it) is kept and named
in the report, and one deleted since is counted as gone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from coding.job_kinds import JobKind
from coding.models import Code, Coding, Layer
from coding.selectors import coder_param_check
from coding.services import CODING_FIELDS, CodingInput, codings_bulk_create
from healing.audit.models import AuditEvent
from healing.audit.services import audit_record, audit_records_bulk, snapshot
from healing.jobs.models import Job, JobState
from healing.jobs.services import Progress, job_create
from interviews.models import Interview, Membership, Role, Study, Turn, TurnRole


@dataclass(frozen=True)
class AutocodeRequest:
    """What a run codes, as the job's params: one of ``role`` or ``speaker`` (the other None),
    the study's interviews or one (``interview``), into ``coder``'s individual layer."""

    code: int
    coder: int
    role: str | None = None
    speaker: str | None = None
    interview: int | None = None


def _person_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _code_of_study(*, study: Study, code: Any) -> Code:
    """A code of the study's codebook by id (a number) or key (text), active."""
    found: Code | None = None
    if isinstance(code, int) and not isinstance(code, bool):
        found = Code.objects.filter(codebook__study=study, pk=code).first()
    elif isinstance(code, str) and code.strip():
        text = code.strip()
        found = Code.objects.filter(codebook__study=study, key=text).first()
        if found is None and text.isdigit():
            found = Code.objects.filter(codebook__study=study, pk=int(text)).first()
    else:
        raise ValidationError({"code": "Give the code's id or key."})
    if found is None:
        raise ValidationError({"code": f"No code {code!r} in this study's codebook."})
    if not found.is_active:
        raise ValidationError({"code": f"Code {found.key} is inactive; switch it on first."})
    return found


code_of_study = _code_of_study


def _coder_of_study(*, study: Study, coder: Any) -> Any:
    """A member of the study who codes (a coder or a lead): viewers have no layer."""
    coder_param_check(coder=coder, study_id=study.pk)
    membership = (
        Membership.objects.filter(study=study, user_id=int(coder)).select_related("user").first()
    )
    if membership is None or membership.role == Role.VIEWER:
        raise ValidationError({"coder": "Not a coder of this study (viewers have no layer)."})
    return membership.user


def _turns(*, study_id: int, request: AutocodeRequest) -> Any:
    turns = Turn.objects.filter(interview__dyad__study_id=study_id)
    if request.interview is not None:
        turns = turns.filter(interview_id=request.interview)
    if request.role is not None:
        return turns.filter(role=request.role)
    return turns.filter(speaker=request.speaker)


def _what(request: AutocodeRequest) -> str:
    """The turns a run codes, in words: "interviewer turns", "turns of “Dr. Lee”"."""
    if request.role is not None:
        return f"{TurnRole(request.role).label.lower()} turns"
    return f"turns of “{request.speaker or '(no label)'}”"


def autocode_check(
    *,
    study: Study,
    user: Any,
    is_lead: bool,
    code: Any,
    role: str | None = None,
    speaker: str | None = None,
    interview: Any = None,
    coder: Any = None,
) -> AutocodeRequest:
    """Check a request against the study (400 naming the field, nothing started): exactly one
    of ``role`` and ``speaker``; the code, the interview and the coder the study's. Only a lead
    writes into another person's layer."""
    if (role in (None, "")) == (speaker is None):
        raise ValidationError({"role": "Give either a role or a speaker label (exactly one)."})
    if role not in (None, "") and role not in TurnRole.values:
        raise ValidationError({"role": f"Unknown role {role!r}: use {', '.join(TurnRole.values)}."})
    found = _code_of_study(study=study, code=code)
    interview_id: int | None = None
    if interview not in (None, ""):
        try:
            interview_id = int(interview)
        except (TypeError, ValueError):
            raise ValidationError({"interview": "Give the interview's id."}) from None
        if not Interview.objects.filter(pk=interview_id, dyad__study=study).exists():
            raise ValidationError({"interview": f"Interview {interview_id} is not in this study."})
    person = user if coder in (None, "") else _coder_of_study(study=study, coder=coder)
    if person.pk != user.pk and not is_lead:
        raise PermissionDenied("Only the lead codes into another person's layer.")
    request = AutocodeRequest(
        code=found.pk,
        coder=person.pk,
        role=role or None,
        speaker=speaker if not role else None,
        interview=interview_id,
    )
    if not _turns(study_id=study.pk, request=request).exists():
        where = "this interview" if interview_id is not None else "this study"
        field = "role" if request.role is not None else "speaker"
        raise ValidationError({field: f"No {_what(request)} in {where}."})
    return request


def spans_code(
    *,
    study_id: int,
    job: Job,
    code: Code,
    coder: Any,
    spans: dict[int, list[tuple[int, int]]],
    via: str,
    progress: Progress | None = None,
) -> tuple[list[list[int]], int]:
    """Code these spans (interview id → [(start, end)]) with ``code`` into ``coder``'s
    individual layer, in bulk, each coding audited with the job's user as the actor; a span
    already coded so in that layer is skipped. Call inside a transaction. Returns the rows
    [coding id, interview id, start, end] undo compares against, and how many were skipped."""
    created_rows: list[list[int]] = []
    skipped = 0
    existing = set(
        Coding.objects.filter(
            interview_id__in=list(spans),
            code=code,
            coder=coder,
            layer=Layer.INDIVIDUAL,
        ).values_list("interview_id", "start", "end")
    )
    interviews = Interview.objects.filter(pk__in=list(spans)).select_related("dyad")
    events: list[AuditEvent] = []
    for position, interview in enumerate(interviews):
        if progress is not None:
            progress(int(90 * position / max(len(spans), 1)), f"Coding {interview}")
        items = []
        for start, end in dict.fromkeys(spans[interview.pk]):
            if (interview.pk, start, end) in existing:
                skipped += 1
            else:
                items.append(CodingInput(code_id=code.pk, start=start, end=end))
        created = codings_bulk_create(
            interview=interview, coder=coder, items=items, layer=Layer.INDIVIDUAL, audit=False
        )
        for coding in created:
            created_rows.append([coding.pk, interview.pk, coding.start, coding.end])
            # The job's user made these codings (a lead may write into a coder's layer).
            events.append(
                AuditEvent(
                    study_id=study_id,
                    interview_id=interview.pk,
                    actor_id=job.user_id,
                    action=AuditEvent.Action.CREATE,
                    object_type="coding",
                    object_id=str(coding.pk),
                    after=snapshot(coding, CODING_FIELDS),
                    summary=f"{code.key} [{coding.start}, {coding.end}) by {via}",
                )
            )
    audit_records_bulk(events)
    return created_rows, skipped


def autocode_start(*, study: Study, user: Any, request: AutocodeRequest) -> Job:
    """Start the run as a background job (its page reports it in words, with an Undo)."""
    return job_create(kind=JobKind.AUTOCODE, user=user, study=study, params=asdict(request))


def autocode_run(*, job: Job, progress: Progress | None = None) -> dict[str, Any]:
    """Code the turns (what the job runs): one transaction, a fixed number of statements per
    interview, the codings and their audit records in bulk, and one event for the run."""
    study = job.study
    assert study is not None
    request = AutocodeRequest(**job.params)
    lead = Membership.objects.filter(study=study, user=job.user, role=Role.LEAD).exists()
    if not lead:
        raise PermissionDenied("Only a lead of the study runs autocode.")
    code = _code_of_study(study=study, code=request.code)
    coder = _coder_of_study(study=study, coder=request.coder)
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for interview_id, start, end in (
        _turns(study_id=study.pk, request=request)
        .order_by("interview_id", "index")
        .values_list("interview_id", "start", "end")
    ):
        spans[interview_id].append((start, end))
    with transaction.atomic():
        created_rows, skipped = spans_code(
            study_id=study.pk,
            job=job,
            code=code,
            coder=coder,
            spans=spans,
            via=f"autocode job {job.pk}",
            progress=progress,
        )
        turns = len(created_rows) + skipped
        summary = (
            f"Coded {len(created_rows)} {_what(request)} in {len(spans)} "
            f"interview{'s' if len(spans) != 1 else ''} with {code.key} "
            f"into {_person_name(coder)}'s layer"
            + (f"; {skipped} already coded" if skipped else "")
        )
        audit_record(
            study_id=study.pk,
            interview_id=request.interview,
            actor=job.user,
            action="create",
            object_type="autocode",
            object_id=job.pk,
            after={**asdict(request), "created": len(created_rows), "skipped": skipped},
            summary=summary,
        )
    return {
        "summary": summary,
        "code": code.pk,
        "code_key": code.key,
        "code_name": code.name,
        "coder": coder.pk,
        "coder_name": _person_name(coder),
        "role": request.role,
        "speaker": request.speaker,
        "interview": request.interview,
        "interviews": len(spans),
        "turns": turns,
        "created": len(created_rows),
        "skipped": skipped,
        "coding_ids": [row[0] for row in created_rows],
        # [coding id, interview id, start, end]: what undo compares against.
        "codings": created_rows,
        "undone": None,
    }


# The runs that code many spans as one step, undone as one: their results list the codings
# made as [coding id, interview id, start, end] under "codings", with "code" and "coder".
UNDOABLE_KINDS = {JobKind.AUTOCODE: "autocode", JobKind.SEARCH_CODE: "search coding"}


def autocode_undo(*, job: Job, actor: Any) -> dict[str, Any]:
    """Delete, in one transaction, the codings this run (autocode, or coding search hits)
    created that are still as it left them; keep (and name) those changed since. Refused for
    another kind of job, a run that did not succeed, and a run already undone. Returns the
    undo's report (also kept in the result)."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.kind not in UNDOABLE_KINDS:
            raise ValidationError({"job": "Only an autocode or search coding run can be undone."})
        what = UNDOABLE_KINDS[JobKind(locked.kind)]
        if locked.state != JobState.SUCCEEDED:
            raise ValidationError(
                {
                    "job": f"This {what} run is {locked.get_state_display().lower()}: "
                    "only a finished run can be undone."
                }
            )
        result = dict(locked.result)
        if result.get("undone"):
            done = result["undone"]
            raise ValidationError(
                {
                    "job": f"This {what} run was already undone by {done['by']} on "
                    f"{done['at'][:16].replace('T', ' ')}."
                }
            )
        rows = {row[0]: row for row in result.get("codings", [])}
        current = (
            Coding.objects.filter(pk__in=list(rows))
            .annotate(
                memo_count=Count("memos", distinct=True),
                evidence_count=Count("supports", distinct=True),
            )
            .select_related("code")
        )
        unchanged: list[Coding] = []
        changed: list[int] = []
        for coding in current:
            _, interview_id, start, end = rows[coding.pk]
            same = (
                coding.interview_id == interview_id
                and coding.code_id == result["code"]
                and coding.coder_id == result["coder"]
                and coding.layer == Layer.INDIVIDUAL
                and (coding.start, coding.end) == (start, end)
                and coding.memo == ""
                and coding.memo_count == 0
                and coding.evidence_count == 0
            )
            (unchanged.append(coding) if same else changed.append(coding.pk))
        gone = len(rows) - len(unchanged) - len(changed)
        study_id = locked.study_id
        audit_records_bulk(
            [
                AuditEvent(
                    study_id=study_id,
                    interview_id=coding.interview_id,
                    actor_id=actor.pk,
                    action=AuditEvent.Action.DELETE,
                    object_type="coding",
                    object_id=str(coding.pk),
                    before={
                        "id": coding.pk,
                        "guid": str(coding.guid),
                        **snapshot(coding, CODING_FIELDS),
                    },
                    summary=f"{coding.code.key} [{coding.start}, {coding.end}) "
                    f"(undo of {what} job {locked.pk})",
                )
                for coding in unchanged
            ]
        )
        Coding.objects.filter(pk__in=[coding.pk for coding in unchanged]).delete()
        summary = f"Removed {len(unchanged)} of the {len(rows)} codings this run made"
        if changed:
            summary += f"; kept {len(changed)} changed since"
        if gone:
            summary += f"; {gone} had already been deleted"
        report = {
            "at": timezone.now().isoformat(),
            "by": actor.get_username(),
            "by_id": actor.pk,
            "deleted": len(unchanged),
            "kept": changed,
            "gone": gone,
            "summary": summary,
        }
        result["undone"] = report
        Job.objects.filter(pk=locked.pk).update(result=result)
        audit_record(
            study_id=study_id,
            actor=actor,
            action="delete",
            object_type=str(locked.kind),
            object_id=locked.pk,
            before={"job": locked.pk, "codings": len(rows)},
            after={"deleted": len(unchanged), "kept": changed, "gone": gone},
            summary=f"Undid {what} job {locked.pk}: {summary}",
        )
    job.result = result
    return report


def autocode_job_get(*, study: Study, job_id: int, user: Any, is_lead: bool) -> Job:
    """A run of this study the user may undo (404 for any other job): an autocode run for a
    lead; a search coding run for the person who started it, or a lead (403 otherwise)."""
    job = Job.objects.filter(pk=job_id, study=study, kind__in=list(UNDOABLE_KINDS)).first()
    if job is None:
        raise Http404("Not found.")
    if is_lead:
        return job
    if job.kind == JobKind.AUTOCODE:
        raise PermissionDenied("Only a lead undoes an autocode run.")
    if job.user_id != user.pk:
        raise PermissionDenied("Only the person who coded the search hits, or a lead, undoes it.")
    return job
