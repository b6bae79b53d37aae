"""A small hand-made study for the comparison: four dyads with typed attributes, spans that
overlap, sub-codes, two coders. Every expected figure in the tests is worked out by hand from
the codings listed in ``CODINGS``.

Each interview has six turns ``P<n>: <30 letters>``; a coding is placed at ``[a, b)`` within
turn ``t`` of its interview (offsets relative to the turn's start).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from coding.services import coding_create
from interviews.models import AttributeDefinition, Dyad, Interview, Participant, Turn
from tests.comparison.generated import generated_study
from tests.factories import code, make_interview

TURN_TEXT = "abcdefghijklmnopqrstuvwxyzABCD"
TEXT = "\n\n".join(f"P{n}: {TURN_TEXT}" for n in range(6)) + "\n"

# (dyad, perspective, coder fixture name, code key, turn, a, b)
CODINGS = [
    # D1 patient: ATT and CON overlap (VAL's union is [0, 15) of turn 0); TRUST overlaps both
    # VAL and CON; POW in turn 2 and HOPE in turn 3 are one turn apart.
    ("D1", "patient", "coder", "VAL.PRES.ATT", 0, 0, 10),
    ("D1", "patient", "coder", "VAL.CON", 0, 5, 15),
    ("D1", "patient", "coder", "OUT.TRUST", 0, 12, 20),
    ("D1", "patient", "coder", "POW.PART", 2, 0, 10),
    ("D1", "patient", "coder", "OUT.HOPE", 3, 0, 5),
    # D1 clinician: VAL in turn 1, TRUST in turn 4 (three turns apart).
    ("D1", "clinician", "coder", "VAL.NJ", 1, 0, 10),
    ("D1", "clinician", "coder", "OUT.TRUST", 4, 0, 10),
    # D2: TRUST on the patient side, VAL and POW on the clinician side (never in one interview).
    ("D2", "patient", "coder", "OUT.TRUST", 1, 0, 10),
    ("D2", "clinician", "coder", "VAL.PRES.EMP", 1, 0, 10),
    ("D2", "clinician", "coder", "POW.EDU", 1, 5, 20),
    # D3: CON on the patient side by coder, on the clinician side only by coder2.
    ("D3", "patient", "coder", "VAL.CON", 0, 0, 10),
    ("D3", "clinician", "coder2", "VAL.CON", 0, 0, 10),
]


@pytest.fixture
def hand_study(study: Any, lead: Any, coder: Any, coder2: Any) -> dict[str, Any]:
    users = {"coder": coder, "coder2": coder2}
    AttributeDefinition.objects.create(
        study=study, entity="dyad", key="years", label="Years together", type="integer"
    )
    AttributeDefinition.objects.create(
        study=study,
        entity="clinician",
        key="type",
        label="Clinician type",
        type="choice",
        choices=["MD", "NP"],
    )
    c1 = Participant.objects.create(
        study=study, role="clinician", pseudonym="Dr One", attributes={"type": "MD"}
    )
    c2 = Participant.objects.create(
        study=study, role="clinician", pseudonym="Dr Two", attributes={"type": "NP"}
    )
    interviews: dict[tuple[str, str], Interview] = {}
    for label, perspectives in (
        ("D1", ("patient", "clinician")),
        ("D2", ("patient", "clinician")),
        ("D3", ("patient", "clinician")),
        ("D4", ("patient",)),
    ):
        for perspective in perspectives:
            interviews[(label, perspective)] = make_interview(
                study=study, dyad=label, perspective=perspective, text=TEXT, by=lead
            )
    dyads = {d.label: d for d in Dyad.objects.filter(study=study)}
    for label, clinician, years in (("D1", c1, 2), ("D2", c1, 10), ("D3", c2, 5), ("D4", c2, None)):
        dyad = dyads[label]
        dyad.clinician = clinician
        dyad.attributes = {} if years is None else {"years": years}
        dyad.save()
    starts = {
        (t.interview_id, t.index): t.start
        for t in Turn.objects.filter(interview__in=interviews.values())
    }
    for label, perspective, who, key, turn, a, b in CODINGS:
        interview = interviews[(label, perspective)]
        base = starts[(interview.pk, turn)]
        coding_create(
            interview=interview,
            code=code(study, key),
            coder=users[who],
            start=base + a,
            end=base + b,
        )
    return {
        "study": study,
        "dyads": dyads,
        "interviews": interviews,
        "clinicians": (c1, c2),
        "length": len(interviews[("D1", "patient")].text),
    }


@pytest.fixture
def gen(study: Any, lead: Any, coder: Any, coder2: Any) -> dict[str, Any]:
    """A generated study (tests/comparison/generated.py), the word counts' cache emptied."""
    cache.clear()
    made = generated_study(study, {"lead": lead, "coder": coder, "coder2": coder2})
    made["users"] = {"lead": lead, "coder": coder, "coder2": coder2}
    return made
