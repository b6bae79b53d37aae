"""Small generated studies for retrieval, search and query tests, and a brute-force reference.

``build_world`` makes a seeded random study through the real services: dyads with dyad, clinician
and patient attributes, patient and clinician interviews whose turns alternate between an
interviewer and the participant (accents and emoji in the text, so code points and UTF-16 differ),
codings by three people in their own layers with overlapping spans, spans that start in a speaker
label or cross turns, consensus codings (some interviews consensus-complete), inline memos and
coding memos. ``World`` keeps the raw rows the reference computations read.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from coding.models import Code, Coding, Layer, Memo
from coding.services import CodingInput, codings_bulk_create
from interviews.models import Interview, Study, Turn
from interviews.services import (
    attribute_define,
    dyad_get_or_create,
    interview_import,
    participant_get_or_create,
)

WORDS = (  # noqa: SIM905 - a sentence of words reads better than a list
    "trust hope trusting hopeful known care listened explained doctor nurse café naïve 🙂 "
    "family pain time visit again always never really she he we they the a and of to in "
    "Straße über ÉCOLE mañana 😀🏽 question answer test"
).split()
CODE_KEYS = ("VAL", "VAL.PRES", "VAL.PRES.ATT", "OUT.HOPE", "OUT.TRUST", "POW", "ABI")


@dataclass
class World:
    study: Study
    users: dict[str, Any]
    interviews: list[Interview]
    turns: dict[int, list[Turn]]
    codings: list[Coding]
    codes: dict[int, Code]
    dyad_attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    clinician_attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    patient_attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    memo_codings: set[int] = field(default_factory=set)

    def interview(self, pk: int) -> Interview:
        return next(i for i in self.interviews if i.pk == pk)

    def turn_at(self, interview_id: int, offset: int) -> Turn | None:
        """The first turn ending after ``offset`` (the turn a passage starting there is in)."""
        for turn in self.turns[interview_id]:
            if turn.end > offset:
                return turn
        return None

    def descendants(self, keys: list[str]) -> set[int]:
        ids = {c.pk for c in self.codes.values() if c.key in keys}
        grew = True
        while grew:
            grew = False
            for c in self.codes.values():
                if c.parent_id in ids and c.pk not in ids:
                    ids.add(c.pk)
                    grew = True
        return ids


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))).capitalize() + "."


def _transcript(rng: random.Random, name: str) -> str:
    lines = []
    for i in range(rng.randint(6, 10)):
        speaker = "Interviewer" if i % 2 == 0 else name
        lines.append(f"{speaker}: {' '.join(_sentence(rng) for _ in range(rng.randint(1, 3)))}")
    return "\n\n".join(lines) + "\n"


def build_world(
    *, study: Study, lead: Any, coder: Any, coder2: Any, seed: int = 7, dyads: int = 6
) -> World:
    rng = random.Random(seed)
    attribute_define(study=study, entity="dyad", key="years_together", type="integer")
    attribute_define(
        study=study, entity="dyad", key="setting", type="choice", choices=["urban", "rural"]
    )
    attribute_define(
        study=study, entity="clinician", key="discipline", type="choice", choices=["MD", "NP"]
    )
    attribute_define(study=study, entity="patient", key="enrolled", type="date")
    world = World(
        study=study,
        users={"lead": lead, "coder": coder, "coder2": coder2},
        interviews=[],
        turns={},
        codings=[],
        codes={c.pk: c for c in Code.objects.filter(codebook__study=study)},
    )
    for n in range(1, dyads + 1):
        label = f"D{n:02d}"
        clinician_attrs = {"discipline": rng.choice(["MD", "NP"])}
        patient_attrs = {
            "enrolled": (dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 900))).isoformat()
        }
        dyad_attrs = {
            "years_together": rng.randint(1, 20),
            "setting": rng.choice(["urban", "rural"]),
        }
        clinician = participant_get_or_create(
            study=study, role="clinician", pseudonym=f"Dr. C{n}", attributes=clinician_attrs
        )
        patient = participant_get_or_create(
            study=study, role="patient", pseudonym=f"Pat{n}", attributes=patient_attrs
        )
        dyad, _ = dyad_get_or_create(
            study=study, label=label, clinician=clinician, patient=patient, attributes=dyad_attrs
        )
        world.dyad_attributes[label] = dyad_attrs
        world.clinician_attributes[label] = clinician_attrs
        world.patient_attributes[label] = patient_attrs
        sides = ["patient", "clinician"] if n % 3 else ["patient"]
        for perspective in sides:
            name = f"Pat{n}" if perspective == "patient" else f"Dr. C{n}"
            interview = interview_import(
                dyad=dyad,
                perspective=perspective,
                filename=f"{label}-{perspective}.txt",
                data=_transcript(rng, name).encode(),
                imported_by=lead,
                force=True,
            ).interview
            world.interviews.append(interview)
            world.turns[interview.pk] = list(Turn.objects.filter(interview=interview))
    by_key = {c.key: c for c in world.codes.values()}
    for index, interview in enumerate(world.interviews):
        length = len(interview.text)
        for who, layer in (
            (coder, Layer.INDIVIDUAL),
            (coder2, Layer.INDIVIDUAL),
            (lead, Layer.INDIVIDUAL),
            (lead, Layer.CONSENSUS),
        ):
            if layer == Layer.CONSENSUS and index % 2:
                continue
            seen: set[tuple[int, int, int]] = set()
            items = []
            for _ in range(rng.randint(5, 12)):
                start = rng.randrange(0, length - 2)
                end = min(length, start + rng.randint(1, 120))
                key = rng.choice(CODE_KEYS)
                if (by_key[key].pk, start, end) in seen:
                    continue
                seen.add((by_key[key].pk, start, end))
                memo = rng.choice(["", "", "", "a thought about Hope 🙂"])
                items.append(CodingInput(by_key[key].pk, start, end, memo=memo))
            world.codings += codings_bulk_create(
                interview=interview, coder=who, layer=layer, items=items
            )
        if index % 4 == 0:
            Interview.objects.filter(pk=interview.pk).update(consensus_complete=True)
            interview.consensus_complete = True
    for coding in world.codings[::9]:
        Memo.objects.create(study=study, coding=coding, author=lead, body="coding memo")
        world.memo_codings.add(coding.pk)
    world.codings = list(Coding.objects.filter(interview__dyad__study=study))
    return world


def in_layer(world: World, coding: Coding, layer: str, coder_id: int | None) -> bool:
    """Whether a coding is in a layer, computed from the rows (the reference for layer_q)."""
    if layer == "consensus":
        return coding.layer == Layer.CONSENSUS
    if layer == "best":
        complete = world.interview(coding.interview_id).consensus_complete
        if complete:
            return coding.layer == Layer.CONSENSUS
        return coding.layer == Layer.INDIVIDUAL and (
            coder_id is None or coding.coder_id == coder_id
        )
    return coding.layer == Layer.INDIVIDUAL and (coder_id is None or coding.coder_id == coder_id)


def assert_in_code_order(world: World, results: list[dict[str, Any]]) -> None:
    """Segments listed by code (the codebook's order), then dyad, side, interview and span."""
    order = {c.key: (c.order, c.key) for c in world.codes.values()}
    keys = [
        (
            order[r["code"]],
            r["dyad"],
            r["perspective"],
            r["interview"],
            r["start"],
            r["end"],
            r["id"],
        )
        for r in results
    ]
    assert keys == sorted(keys)
