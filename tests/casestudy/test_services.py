"""Writing the case study: concurrency, audit trail with before/after, history, evidence."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from coding.casestudy import services
from coding.casestudy.selectors import case_study_data
from coding.models import CaseStudySection, Coding, Layer
from coding.selectors import LayerChoice
from coding.services import coding_create
from healing.audit.models import AuditEvent
from interviews.models import Study
from tests.casestudy.conftest import Coded
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db


def test_section_save_audits_before_and_after_and_shows_history(
    study: Study, coded: Coded, coder: Any, coder2: Any
) -> None:
    val = code(study, "VAL")
    first = services.case_study_section_save(
        dyad=coded.dyad, code=val, actor=coder, text="Warm on both sides.", based_on=None
    )
    second = services.case_study_section_save(
        dyad=coded.dyad, code=val, actor=coder2, text="Warm, and said so.", based_on=first.updated
    )
    events = list(AuditEvent.objects.filter(object_type="case_study_section").order_by("id"))
    assert [(e.action, e.before["text"], e.after["text"]) for e in events] == [
        ("create", "", "Warm on both sides."),
        ("update", "Warm on both sides.", "Warm, and said so."),
    ]
    assert events[1].actor_id == coder2.pk
    component = next(
        c
        for c in case_study_data(dyad=coded.dyad, layer=LayerChoice("consensus")).components()
        if c.node.key == "VAL"
    )
    assert component.writing.text == "Warm, and said so."
    assert component.writing.updated == second.updated
    assert component.writing.updated_by == "Ben Clarke"
    assert [h.text for h in component.writing.history] == [
        "Warm, and said so.",
        "Warm on both sides.",
    ]


def test_stale_write_is_refused_with_the_other_text_and_changes_nothing(
    study: Study, coded: Coded, coder: Any, coder2: Any
) -> None:
    val = code(study, "VAL")
    start = services.case_study_section_save(
        dyad=coded.dyad, code=val, actor=coder, text="A", based_on=None
    )
    started_from = start.updated
    services.case_study_section_save(
        dyad=coded.dyad, code=val, actor=coder2, text="B by Ben", based_on=started_from
    )
    with pytest.raises(services.StaleWrite) as refused:
        services.case_study_section_save(
            dyad=coded.dyad, code=val, actor=coder, text="A, longer", based_on=started_from
        )
    assert refused.value.text == "B by Ben"
    assert refused.value.updated_by == "Ben Clarke"
    assert "Ben Clarke saved this text while you were editing" in str(refused.value)
    assert CaseStudySection.objects.get(code=val).synthesis == "B by Ben"
    assert AuditEvent.objects.filter(object_type="case_study_section").count() == 2
    # Sending the same text as saved, or writing over an empty text, is never a conflict.
    services.case_study_section_save(
        dyad=coded.dyad, code=val, actor=coder, text="B by Ben", based_on=None
    )
    services.case_study_summary_save(dyad=coded.dyad, actor=coder, text="Sum", based_on=None)
    with pytest.raises(services.StaleWrite):
        services.case_study_summary_save(dyad=coded.dyad, actor=coder2, text="X", based_on=None)


def test_summary_save_and_bad_text(study: Study, coded: Coded, lead: Any) -> None:
    case_study = services.case_study_summary_save(
        dyad=coded.dyad, actor=lead, text="Line one\r\nline two", based_on=None
    )
    assert case_study.summary == "Line one\nline two"
    event = AuditEvent.objects.get(object_type="case_study")
    assert event.after["text"] == "Line one\nline two"
    assert event.before["text"] == ""
    for bad in ("x" * (services.MAX_TEXT + 1), "nul\x00", 12):
        with pytest.raises(ValidationError):
            services.case_study_summary_save(
                dyad=coded.dyad, actor=lead, text=bad, based_on=case_study.updated
            )


def test_evidence_attach_detach_and_refusals(
    study: Study, other_study: Study, coded: Coded, lead: Any, outsider: Any
) -> None:
    val = code(study, "VAL")
    coding = Coding.objects.filter(interview=coded.patient, layer=Layer.CONSENSUS).first()
    assert coding is not None
    services.case_study_evidence_add(dyad=coded.dyad, code=val, coding_id=coding.pk, actor=lead)
    services.case_study_evidence_add(dyad=coded.dyad, code=val, coding_id=coding.pk, actor=lead)
    section = CaseStudySection.objects.get(code=val)
    assert list(section.evidence.values_list("id", flat=True)) == [coding.pk]
    assert AuditEvent.objects.filter(object_type="case_study_evidence").count() == 1
    # Another dyad's coding, another study's coding, unknown ids: refused, nothing changes.
    elsewhere = make_interview(study=study, dyad="D02")
    theirs = coding_create(interview=elsewhere, code=val, coder=lead, start=0, end=5)
    foreign_interview = make_interview(study=other_study, dyad="X1")
    foreign = coding_create(
        interview=foreign_interview, code=code(other_study, "VAL"), coder=outsider, start=0, end=5
    )
    for bad in (theirs.pk, foreign.pk, 999_999, "abc", -1, 2**70):
        with pytest.raises(ValidationError):
            services.case_study_evidence_add(dyad=coded.dyad, code=val, coding_id=bad, actor=lead)
    with pytest.raises(ValidationError, match="not in the dyad"):
        services.case_study_evidence_add(
            dyad=coded.dyad, code=code(other_study, "VAL"), coding_id=coding.pk, actor=lead
        )
    assert section.evidence.count() == 1
    services.case_study_evidence_remove(dyad=coded.dyad, code=val, coding_id=coding.pk, actor=lead)
    assert section.evidence.count() == 0
    with pytest.raises(ValidationError, match="not evidence"):
        services.case_study_evidence_remove(
            dyad=coded.dyad, code=val, coding_id=coding.pk, actor=lead
        )
    removed = AuditEvent.objects.get(object_type="case_study_evidence", action="delete")
    assert removed.before["coding"] == coding.pk
