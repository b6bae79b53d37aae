"""Writes of a dyad's case study: the overall summary, each component's synthesis, and the
codings attached as evidence. Every change lands in the audit trail with before and after.

Concurrency: a writer sends the ``updated`` time of the text it started from. When the text
changed since (someone else saved in between) the write is refused with ``StaleWrite``, which
carries the other person's text, so the writer can merge by hand and nothing is lost. A text
that is still empty, or already equal to what is sent, is never a conflict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from coding.casestudy.selectors import (
    AUDIT_EVIDENCE,
    AUDIT_SECTION,
    AUDIT_SUMMARY,
    person_name,
    section_object_id,
    summary_object_id,
)
from coding.models import CaseStudy, CaseStudySection, Code, Coding, Layer
from healing.audit.services import audit_record
from interviews.models import Dyad
from interviews.selectors import Access

# A synthesis is a few paragraphs; a whole chapter is not what this field is for.
MAX_TEXT = 50_000


@dataclass
class StaleWrite(Exception):
    """The text changed since the writer loaded it: theirs was not saved."""

    text: str
    updated: dt.datetime | None
    updated_by: str

    def __str__(self) -> str:
        who = self.updated_by or "someone else"
        return (
            f"{who} saved this text while you were editing it; your text was not saved. "
            "Their version is shown: merge your changes into it and save again."
        )


def _clean(text: Any, field: str) -> str:
    if not isinstance(text, str):
        raise ValidationError({field: ["Send the text as a string."]})
    if len(text) > MAX_TEXT:
        raise ValidationError({field: [f"At most {MAX_TEXT:,} characters, please."]})
    if "\x00" in text:
        raise ValidationError({field: ["Text cannot contain NUL characters."]})
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _locked_case_study(dyad: Dyad) -> CaseStudy:
    """The dyad's case study, created if missing and locked: the dyad's writes go one by one."""
    CaseStudy.objects.get_or_create(dyad=dyad)
    return (
        CaseStudy.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get(dyad=dyad)
    )


def _check_fresh(
    *, current: str, current_updated: dt.datetime | None, based_on: dt.datetime | None, new: str,
    updated_by: Any,
) -> None:  # fmt: skip
    if current in ("", new) or current_updated == based_on:
        return
    name = ""
    if updated_by is not None:
        name = person_name(updated_by.username, updated_by.first_name, updated_by.last_name)
    raise StaleWrite(text=current, updated=current_updated, updated_by=name)


def _save_text(
    record: CaseStudy | CaseStudySection,
    field: str,
    *,
    text: str,
    based_on: dt.datetime | None,
    actor: Any,
    dyad: Dyad,
    object_type: str,
    object_id: str,
    summary: str,
    created: bool = False,
) -> None:
    """Write one text of a locked case study or section, unless it is stale or unchanged, and
    record the change with the text before and after."""
    current = getattr(record, field)
    _check_fresh(
        current=current, current_updated=record.updated, based_on=based_on, new=text,
        updated_by=record.updated_by,
    )  # fmt: skip
    if current == text:
        return
    before = {"text": current, "updated": record.updated.isoformat()}
    setattr(record, field, text)
    record.updated_by = actor
    record.save(update_fields=[field, "updated_by", "updated"])
    audit_record(
        study_id=dyad.study_id,
        actor=actor,
        action="create" if created else "update",
        object_type=object_type,
        object_id=object_id,
        before=before,
        after={"text": text, "updated": record.updated.isoformat()},
        summary=summary,
    )


def case_study_summary_save(
    *, dyad: Dyad, actor: Any, text: Any, based_on: dt.datetime | None
) -> CaseStudy:
    """Save the case study's overall summary (refused with StaleWrite when it changed since
    ``based_on``)."""
    text = _clean(text, "text")
    with transaction.atomic():
        case_study = _locked_case_study(dyad)
        _save_text(
            case_study,
            "summary",
            text=text,
            based_on=based_on,
            actor=actor,
            dyad=dyad,
            object_type=AUDIT_SUMMARY,
            object_id=summary_object_id(dyad.pk),
            summary=f"Case study {dyad.label}: overall summary",
        )
    return case_study


def _section_locked(dyad: Dyad, code: Code) -> tuple[CaseStudySection, bool]:
    case_study = _locked_case_study(dyad)
    section, created = CaseStudySection.objects.select_related("updated_by").get_or_create(
        case_study=case_study, code=code
    )
    return section, created


def case_study_section_save(
    *, dyad: Dyad, code: Code, actor: Any, text: Any, based_on: dt.datetime | None
) -> CaseStudySection:
    """Save the team's synthesis of one component (refused with StaleWrite when it changed
    since ``based_on``)."""
    _check_code(dyad, code)
    text = _clean(text, "text")
    with transaction.atomic():
        section, created = _section_locked(dyad, code)
        _save_text(
            section,
            "synthesis",
            text=text,
            based_on=based_on,
            actor=actor,
            dyad=dyad,
            object_type=AUDIT_SECTION,
            object_id=section_object_id(dyad.pk, code.pk),
            summary=f"Case study {dyad.label}: synthesis of {code.key}",
            created=created,
        )
    return section


def _check_code(dyad: Dyad, code: Code) -> None:
    if code.codebook.study_id != dyad.study_id:
        raise ValidationError({"code": ["This code is not in the dyad's study."]})


def _evidence_coding(*, dyad: Dyad, coding_id: Any, actor: Any, access: Access | None) -> Coding:
    try:
        pk = int(coding_id)
    except (TypeError, ValueError):
        raise ValidationError({"coding": ["Give the coding's id (a whole number)."]}) from None
    coding = (
        Coding.objects.filter(pk=pk, interview__dyad=dyad)
        .select_related("interview", "code")
        .first()
        if 0 < pk <= 2**62
        else None
    )
    hidden = (
        coding is not None
        and access is not None
        and not access.sees_other_coders
        and coding.layer != Layer.CONSENSUS
        and coding.coder_id != actor.pk
    )
    if coding is None or hidden:
        raise ValidationError(
            {"coding": [f"There is no coding {coding_id} in dyad {dyad.label}'s interviews."]}
        )
    return coding


def case_study_evidence_add(
    *, dyad: Dyad, code: Code, coding_id: Any, actor: Any, access: Access | None = None
) -> CaseStudySection:
    """Attach a coding of this dyad's interviews as evidence of a component (idempotent)."""
    _check_code(dyad, code)
    with transaction.atomic():
        coding = _evidence_coding(dyad=dyad, coding_id=coding_id, actor=actor, access=access)
        section, _ = _section_locked(dyad, code)
        if section.evidence.filter(pk=coding.pk).exists():
            return section
        section.evidence.add(coding)
        audit_record(
            study_id=dyad.study_id,
            actor=actor,
            action="create",
            object_type=AUDIT_EVIDENCE,
            object_id=section_object_id(dyad.pk, code.pk),
            after=_evidence_snapshot(coding),
            interview_id=coding.interview_id,
            summary=f"Case study {dyad.label}: evidence for {code.key} attached "
            f"({coding.code.key} [{coding.start}, {coding.end}))",
        )
    return section


def case_study_evidence_remove(
    *, dyad: Dyad, code: Code, coding_id: Any, actor: Any
) -> CaseStudySection:
    """Detach an evidence coding from a component."""
    _check_code(dyad, code)
    with transaction.atomic():
        section, _ = _section_locked(dyad, code)
        coding = section.evidence.filter(pk=_int_or_zero(coding_id)).select_related("code").first()
        if coding is None:
            raise ValidationError(
                {"coding": [f"Coding {coding_id} is not evidence of {code.key} in this dyad."]}
            )
        section.evidence.remove(coding)
        audit_record(
            study_id=dyad.study_id,
            actor=actor,
            action="delete",
            object_type=AUDIT_EVIDENCE,
            object_id=section_object_id(dyad.pk, code.pk),
            before=_evidence_snapshot(coding),
            interview_id=coding.interview_id,
            summary=f"Case study {dyad.label}: evidence for {code.key} detached "
            f"({coding.code.key} [{coding.start}, {coding.end}))",
        )
    return section


def _int_or_zero(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number <= 2**62 else 0


def _evidence_snapshot(coding: Coding) -> dict[str, Any]:
    return {
        "coding": coding.pk,
        "interview": coding.interview_id,
        "code": coding.code.key,
        "start": coding.start,
        "end": coding.end,
        "quote": coding.quote[:500],
    }
