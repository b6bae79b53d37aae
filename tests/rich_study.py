"""A study with every kind of data an export must carry, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coding.models import Assignment, CaseStudy, CaseStudySection, Code, Coding, Layer, Memo
from coding.services import (
    CodingInput,
    code_create,
    code_update,
    codings_bulk_create,
    memo_create,
)
from interviews.models import Interview, Study
from interviews.services import (
    attribute_define,
    dyad_get_or_create,
    interview_import,
    participant_get_or_create,
)
from tests.factories import code

PATIENT_TEXT = (
    "Interviewer (00:00:05): How did you first meet Dr. Lee?\n"
    "\n"
    'Maria (00:00:12): Café talk, really 🙂. She said "come back, any time", and she listened.\n'
    "\n"
    "Interviewer (00:01:02): And then?\n"
    "\n"
    "Maria (00:01:09): =SUM(A1:A9) is what I'd write about it, ha. She never gave up on me.\n"
)
CLINICIAN_TEXT = (
    "Interviewer: Tell me about Maria.\n"
    "\n"
    "Dr. Lee: I have known her for twelve years; I know what makes her laugh.\n"
)


@dataclass
class Rich:
    study: Study
    patient: Interview
    clinician: Interview
    codings: list[Coding]


def span(interview: Interview, words: str) -> tuple[int, int]:
    start = interview.text.index(words)
    return start, start + len(words)


def build_rich_study(*, study: Study, lead: Any, coder: Any, coder2: Any) -> Rich:
    attribute_define(study=study, entity="dyad", key="years_together", type="integer")
    attribute_define(
        study=study, entity="clinician", key="type", type="choice", choices=["MD", "NP", "PA"]
    )
    attribute_define(study=study, entity="patient", key="age_band", type="text")
    attribute_define(study=study, entity="patient", key="insured", type="boolean")
    clinician = participant_get_or_create(
        study=study, role="clinician", pseudonym="Dr. Lee", attributes={"type": "MD"}
    )
    patient = participant_get_or_create(
        study=study,
        role="patient",
        pseudonym='Maria, "M"',
        attributes={"age_band": "65+", "insured": "yes"},
    )
    dyad, _ = dyad_get_or_create(
        study=study,
        label="D01",
        clinician=clinician,
        patient=patient,
        attributes={"years_together": 12},
    )
    dyad_get_or_create(study=study, label="D02")  # a dyad without interviews
    patient_interview = interview_import(
        dyad=dyad, perspective="patient", filename="d01-patient.txt",
        data=PATIENT_TEXT.encode(), imported_by=lead,
    ).interview  # fmt: skip
    clinician_interview = interview_import(
        dyad=dyad, perspective="clinician", filename="d01-clinician.txt",
        data=CLINICIAN_TEXT.encode(), imported_by=lead,
    ).interview  # fmt: skip

    # A new code under an existing parent, a renamed code (new codebook versions), and a code
    # that existed in an old version only.
    book = study.codebook
    laugh = code_create(
        codebook=book, key="VAL.CON.HUMOR", name="Humour", parent=code(study, "VAL.CON"),
        actor=lead, group="process", definition="Shared jokes <b>and</b> laughter.",
    )  # fmt: skip
    code_update(code=code(study, "OUT.HOPE"), actor=lead, name="Hope (renamed)")
    gone = code_create(codebook=book, key="TMP", name="Temporary", actor=lead)
    Code.objects.filter(pk=gone.pk).delete()

    made: list[Coding] = []
    for who, layer, entries in (
        (
            coder,
            Layer.INDIVIDUAL,
            [("VAL.PRES.ATT", "she listened"), ("OUT.HOPE", "never gave up")],
        ),
        (coder2, Layer.INDIVIDUAL, [("VAL.PRES.ATT", "she listened"), ("VAL.CON", "Café talk")]),
        (lead, Layer.CONSENSUS, [("VAL.PRES.ATT", "she listened"), ("OUT.HOPE", "never gave up")]),
    ):
        made += codings_bulk_create(
            interview=patient_interview,
            coder=who,
            layer=layer,
            items=[
                CodingInput(code(study, key).pk, *span(patient_interview, words), memo=memo)
                for (key, words), memo in zip(
                    entries,
                    ["first, with a comma", "line one\nline two <script>x</script>"],
                    strict=True,
                )
            ],
        )
    made += codings_bulk_create(
        interview=clinician_interview,
        coder=coder,
        items=[
            CodingInput(laugh.pk, *span(clinician_interview, "I know what makes her laugh")),
            CodingInput(code(study, "ABI.CONT").pk, *span(clinician_interview, "twelve years")),
        ],
    )
    memo_create(study=study, author=lead, title="Study note", body="About the whole study.")
    memo_create(study=study, author=coder, body="On the dyad.", dyad=dyad)
    memo_create(study=study, author=coder, body="On the interview.", interview=patient_interview)
    memo_create(study=study, author=coder2, body="On a code.", code=laugh)
    memo_create(study=study, author=lead, body="On a coding.", coding=made[0])
    case = CaseStudy.objects.create(dyad=dyad, summary="They trust each other.", updated_by=lead)
    section = CaseStudySection.objects.create(
        case_study=case, code=code(study, "VAL.PRES.ATT"), synthesis="Listening.", updated_by=lead
    )
    section.evidence.set([made[4], made[0]])
    Assignment.objects.create(interview=patient_interview, coder=coder, assigned_by=lead)
    Assignment.objects.create(
        interview=patient_interview, coder=coder2, assigned_by=lead, done=True
    )
    assert Memo.objects.filter(study=study).count() == 5
    return Rich(study=study, patient=patient_interview, clinician=clinician_interview, codings=made)
