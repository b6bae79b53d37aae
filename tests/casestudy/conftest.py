"""A small hand-made dyad: a patient and a clinician interview with consensus and individual
codings whose figures are worked out by hand in the tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from coding.models import Layer
from coding.services import coding_create
from interviews.models import Dyad, Interview, Study
from tests.factories import code, make_interview

PATIENT = (
    "Interviewer: Tell me about your doctor.\n\n"
    "Maria: She listens to every word I say and she never judges me at all, not once.\n\n"
    "Interviewer: Anything else?\n\n"
    "Maria: No.\n"
)
CLINICIAN = (
    "Interviewer: Tell me about Maria.\n\n"
    "Dr. Lee: We decided together how to manage the sugar, step by step, as partners.\n\n"
    "Interviewer: Anything else?\n\n"
    "Dr. Lee: No.\n"
)


@dataclass
class Coded:
    dyad: Dyad
    patient: Interview
    clinician: Interview
    p0: int
    c0: int


@pytest.fixture
def coded(study: Study, lead: Any, coder: Any, coder2: Any) -> Coded:
    return make_coded(study=study, lead=lead, coder=coder, coder2=coder2)


def make_coded(*, study: Study, lead: Any, coder: Any, coder2: Any) -> Coded:
    patient = make_interview(study=study, dyad="D01", perspective="patient", text=PATIENT)
    clinician = make_interview(study=study, dyad="D01", perspective="clinician", text=CLINICIAN)
    p0, c0 = patient.text.index("She listens"), clinician.text.index("We decided")
    consensus = Layer.CONSENSUS
    for interview, key, start, end in [
        (patient, "VAL.PRES.ATT", p0, p0 + 10),
        (patient, "VAL.PRES.ATT", p0 + 5, p0 + 15),  # overlaps: the union is 15 characters
        (patient, "VAL.CON", p0 + 20, p0 + 30),
        (patient, "OUT.TRUST", p0, p0 + 10),
        (clinician, "VAL.CON", c0, c0 + 8),
        (clinician, "POW.PART", c0, c0 + 12),
    ]:
        coding_create(
            interview=interview, code=code(study, key), coder=lead, start=start, end=end,
            layer=consensus,
        )  # fmt: skip
    # Individual layers: the same span by two coders is one passage in the union.
    for who in (coder, coder2):
        coding_create(interview=patient, code=code(study, "OUT.HOPE"), coder=who, start=p0,
                      end=p0 + 4)  # fmt: skip
    coding_create(interview=clinician, code=code(study, "OUT.HOPE"), coder=coder, start=c0,
                  end=c0 + 6)  # fmt: skip
    # The team settled both interviews: the default ("best") layer reads their consensus.
    Interview.objects.filter(pk__in=[patient.pk, clinician.pk]).update(consensus_complete=True)
    return Coded(patient.dyad, patient, clinician, p0, c0)
