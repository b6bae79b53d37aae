"""Builds the demo study: fictional clinicians, patients, interviews, two coders and a consensus.

Everything is generated from the passages in ``coding.demo.corpus`` with a fixed random seed,
so every run produces the same study. Interviews go through the real import service, codings
through the real coding service.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from coding.demo.corpus import (
    CLINICIAN_CLOSING,
    CLINICIAN_OPENING,
    CLINICIAN_PASSAGES,
    PATIENT_CLOSING,
    PATIENT_OPENING,
    PATIENT_PASSAGES,
    Passage,
)
from coding.models import Assignment, Code, Layer
from coding.services import CodingInput, codings_bulk_create, memo_create
from interviews.models import AttributeType, Entity, Interview, Perspective, Role, Study
from interviews.services import (
    attribute_define,
    dyad_get_or_create,
    interview_import,
    membership_set,
    participant_get_or_create,
    study_create,
)

DEMO_SLUG = "demo"
DEMO_TITLE = "Healing relationships in primary care (demo)"
SEED = 2008


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    first_name: str
    last_name: str
    role: str


DEMO_USERS = (
    DemoUser("lead", "healing-lead-demo", "Lena", "Ortiz", Role.LEAD),
    DemoUser("ana", "healing-ana-demo", "Ana", "Ruiz", Role.CODER),
    DemoUser("ben", "healing-ben-demo", "Ben", "Clarke", Role.CODER),
    DemoUser("vera", "healing-vera-demo", "Vera", "Lindqvist", Role.VIEWER),
)


@dataclass(frozen=True)
class Clinician:
    pseudonym: str
    label: str  # how they are named in transcripts and by patients
    type: str
    setting: str
    years_in_practice: int


@dataclass(frozen=True)
class DyadSpec:
    label: str
    clinician: Clinician
    patient: str
    first_name: str
    age_band: str
    condition: str
    years_together: int
    years_word: str
    visit_frequency: str


OKAFOR = Clinician("Dr. Okafor", "Dr. Okafor", "MD", "rural", 24)
DELGADO = Clinician("Maria Delgado, NP", "Maria", "NP", "urban", 11)
BRENNAN = Clinician("Dr. Brennan", "Dr. Brennan", "MD", "suburban", 17)
WHITFIELD = Clinician("Sam Whitfield, PA", "Sam", "PA", "rural", 8)

DYADS = (
    DyadSpec(
        "D01", OKAFOR, "Evelyn H.", "Evelyn", "65+", "heart failure", 22, "twenty-two", "monthly"
    ),
    DyadSpec("D02", OKAFOR, "Marcus T.", "Marcus", "40-64", "diabetes", 9, "nine", "quarterly"),
    DyadSpec("D03", OKAFOR, "Harold B.", "Harold", "65+", "emphysema", 15, "fifteen", "monthly"),
    DyadSpec("D04", DELGADO, "Zoë K.", "Zoë", "18-39", "depression", 4, "four", "monthly"),
    DyadSpec(
        "D05", DELGADO, "José R.", "José", "40-64", "chronic back pain", 7, "seven", "quarterly"
    ),
    DyadSpec("D06", DELGADO, "Aisha M.", "Aisha", "18-39", "asthma", 3, "three", "twice a year"),
    DyadSpec(
        "D07", BRENNAN, "Dolores P.", "Dolores", "65+", "breast cancer", 12, "twelve", "quarterly"
    ),
    DyadSpec(
        "D08", BRENNAN, "Tom W.", "Tom", "40-64", "high blood pressure", 6, "six", "twice a year"
    ),
    DyadSpec(
        "D09",
        WHITFIELD,
        "Priya S.",
        "Priya",
        "40-64",
        "rheumatoid arthritis",
        5,
        "five",
        "quarterly",
    ),
)
TIMESTAMPED = {"D07", "D08"}  # these transcripts use "Name (00:01:02):" labels


@dataclass
class ComposedInterview:
    text: str
    placements: list[tuple[str, int, int]] = field(default_factory=list)  # (code key, start, end)
    answers: list[tuple[int, int]] = field(default_factory=list)  # each answer's span


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def compose_interview(
    *,
    rng: random.Random,
    opening: Passage,
    passages: Sequence[Passage],
    closing: Passage,
    fills: dict[str, str],
    speaker: str,
    target_words: int,
    timestamps: bool = False,
    allow_repeats: bool = False,
) -> ComposedInterview:
    """An interview transcript in "Interviewer: … / Speaker: …" turns, and where its codes fall."""
    pool = list(passages)
    rng.shuffle(pool)
    chosen = [opening]
    words = len(opening.question.split()) + len(opening.answer.split())
    closing_words = len(closing.question.split()) + len(closing.answer.split())
    while words + closing_words < target_words:
        if not pool:
            if not allow_repeats:
                break
            pool = list(passages)
            rng.shuffle(pool)
        passage = pool.pop()
        chosen.append(passage)
        words += len(passage.question.split()) + len(passage.answer.split())
    chosen.append(closing)

    composed = ComposedInterview(text="")
    parts: list[str] = []
    length = 0
    seconds = 3

    def label(name: str) -> str:
        return f"{name} ({_clock(seconds)}): " if timestamps else f"{name}: "

    for passage in chosen:
        question = passage.question.format(**fills)
        answer = passage.answer.format(**fills)
        for name, said, is_answer in (("Interviewer", question, False), (speaker, answer, True)):
            prefix = label(name)
            start = length + len(prefix)
            parts.append(prefix + said + "\n\n")
            if is_answer:
                composed.answers.append((start, start + len(said)))
                for key, excerpt in passage.codes:
                    snippet = excerpt.format(**fills)
                    offset = answer.find(snippet)
                    if offset < 0:
                        raise ValueError(f"{passage.key}: {snippet!r} is not in its answer")
                    composed.placements.append((key, start + offset, start + offset + len(snippet)))
            length += len(parts[-1])
            seconds += 4 + len(said.split()) // 3
    composed.text = "".join(parts).rstrip("\n") + "\n"
    return composed


def _sentence_bounds(text: str, start: int, end: int, lower: int, upper: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to the sentences around it, staying inside ``[lower, upper)``."""
    left = start
    while left > lower and text[left - 1] not in ".?!":
        left -= 1
    while left < start and text[left] == " ":
        left += 1
    right = end
    while right < upper and text[right - 1] not in ".?!":
        right += 1
    return left, right


def _word_trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop the first word of a span, as a coder who starts a little late would."""
    space = text.find(" ", start, end)
    if space < 0 or space + 1 >= end - 3:
        return start, end
    return space + 1, end


def _vary(
    *,
    rng: random.Random,
    composed: ComposedInterview,
    codes_by_key: dict[str, Code],
    siblings: dict[str, list[str]],
    keep: float,
    widen: float,
    swap: float,
    share: float = 1.0,
) -> list[CodingInput]:
    """One coder's reading of the intended codes: some missed, some wider, some another code."""
    text = composed.text
    items: dict[tuple[int, int, int], CodingInput] = {}
    cut = int(len(composed.placements) * share)
    for key, start, end in composed.placements[:cut]:
        if rng.random() > keep:
            continue
        if rng.random() < swap and siblings.get(key):
            key = rng.choice(siblings[key])
        roll = rng.random()
        if roll < widen:
            answer = next(a for a in composed.answers if a[0] <= start < a[1])
            start, end = _sentence_bounds(text, start, end, answer[0], answer[1])
        elif roll < widen + 0.1:
            start, end = _word_trim(text, start, end)
        code = codes_by_key[key]
        items[(code.pk, start, end)] = CodingInput(code_id=code.pk, start=start, end=end)
    return list(items.values())


@dataclass
class DemoResult:
    study: Study
    created: bool
    interviews: int = 0
    codings: int = 0


def _ensure_users() -> dict[str, Any]:
    users = {}
    model = get_user_model()
    for spec in DEMO_USERS:
        user, _ = model.objects.get_or_create(username=spec.username)
        user.first_name, user.last_name = spec.first_name, spec.last_name
        user.email = f"{spec.username}@example.org"
        user.set_password(spec.password)
        user.save()
        users[spec.username] = user
    return users


def demo_load(*, reset: bool = False) -> DemoResult:
    """Create the demo study if it is not there (or rebuild it with ``reset``)."""
    users = _ensure_users()
    existing = Study.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None and not reset:
        return DemoResult(study=existing, created=False)
    with transaction.atomic():
        if existing is not None:
            existing.delete()
        return _build(users)


def _build(users: dict[str, Any]) -> DemoResult:
    rng = random.Random(SEED)
    lead = users["lead"]
    study = study_create(
        slug=DEMO_SLUG,
        title=DEMO_TITLE,
        created_by=lead,
        description=(
            "A fictional replication of a study of healing relationships between primary-care "
            "clinicians and the patients they chose, interviewed separately. No real persons."
        ),
    )
    for demo_user in DEMO_USERS:
        if demo_user.role != Role.LEAD:
            membership_set(
                study=study, user=users[demo_user.username], role=demo_user.role, actor=lead
            )
    attribute_define(
        study=study,
        entity=Entity.CLINICIAN,
        key="type",
        label="Clinician type",
        type=AttributeType.CHOICE,
        choices=["MD", "NP", "PA"],
    )
    attribute_define(
        study=study,
        entity=Entity.CLINICIAN,
        key="setting",
        label="Practice setting",
        type=AttributeType.CHOICE,
        choices=["rural", "suburban", "urban"],
    )
    attribute_define(
        study=study,
        entity=Entity.CLINICIAN,
        key="years_in_practice",
        label="Years in practice",
        type=AttributeType.INTEGER,
    )
    attribute_define(
        study=study,
        entity=Entity.PATIENT,
        key="age_band",
        label="Age band",
        type=AttributeType.CHOICE,
        choices=["18-39", "40-64", "65+"],
    )
    attribute_define(
        study=study,
        entity=Entity.PATIENT,
        key="condition",
        label="Main condition",
        type=AttributeType.TEXT,
    )
    attribute_define(
        study=study,
        entity=Entity.DYAD,
        key="years_together",
        label="Years together",
        type=AttributeType.INTEGER,
    )
    attribute_define(
        study=study,
        entity=Entity.DYAD,
        key="visit_frequency",
        label="Visit frequency",
        type=AttributeType.CHOICE,
        choices=["monthly", "quarterly", "twice a year"],
    )

    codes = {code.key: code for code in Code.objects.filter(codebook__study=study)}
    active = [code for code in codes.values() if code.is_active]
    siblings = {
        code.key: [
            other.key
            for other in active
            if other.key != code.key
            and (
                other.parent_id == code.parent_id
                if code.parent_id
                else other.group == code.group and other.parent_id is None
            )
        ]
        for code in active
    }
    result = DemoResult(study=study, created=True)
    ana, ben = users["ana"], users["ben"]
    interview_number = 0
    for dyad_index, spec in enumerate(DYADS):
        clinician = participant_get_or_create(
            study=study,
            role="clinician",
            pseudonym=spec.clinician.pseudonym,
            attributes={
                "type": spec.clinician.type,
                "setting": spec.clinician.setting,
                "years_in_practice": spec.clinician.years_in_practice,
            },
        )
        patient = participant_get_or_create(
            study=study,
            role="patient",
            pseudonym=spec.patient,
            attributes={"age_band": spec.age_band, "condition": spec.condition},
        )
        dyad, _ = dyad_get_or_create(
            study=study,
            label=spec.label,
            clinician=clinician,
            patient=patient,
            attributes={
                "years_together": spec.years_together,
                "visit_frequency": spec.visit_frequency,
            },
        )
        fills = {
            "clinician": spec.clinician.label,
            "patient": spec.first_name,
            "condition": spec.condition,
            "years": spec.years_word,
        }
        for perspective in (Perspective.PATIENT, Perspective.CLINICIAN):
            is_patient = perspective == Perspective.PATIENT
            composed = compose_interview(
                rng=rng,
                opening=PATIENT_OPENING if is_patient else CLINICIAN_OPENING,
                passages=PATIENT_PASSAGES if is_patient else CLINICIAN_PASSAGES,
                closing=PATIENT_CLOSING if is_patient else CLINICIAN_CLOSING,
                fills=fills,
                speaker=spec.first_name if is_patient else spec.clinician.label,
                target_words=rng.randint(1700, 2500),
                timestamps=spec.label in TIMESTAMPED,
            )
            speaker = spec.first_name if is_patient else spec.clinician.label
            outcome = interview_import(
                dyad=dyad,
                perspective=perspective,
                filename=f"{spec.label}-{perspective}.txt",
                data=composed.text.encode("utf-8"),
                imported_by=lead,
                speaker_map={"Interviewer": "interviewer", speaker: perspective},
                interviewer="Lena Ortiz",
            )
            interview = outcome.interview
            if interview.text != composed.text:
                raise RuntimeError(f"{spec.label} {perspective}: import changed the demo text")
            result.interviews += 1
            result.codings += _code_interview(
                rng=rng,
                interview=interview,
                composed=composed,
                codes=codes,
                siblings=siblings,
                users=users,
                number=interview_number,
            )
            interview_number += 1
        if dyad_index in (0, 3):
            memo_create(
                study=study,
                author=lead,
                dyad=dyad,
                title="Case notes",
                body=(
                    f"Both {spec.first_name} and {spec.clinician.label} tell the story of the "
                    f"{spec.condition} years in terms of staying power. Compare how each side "
                    "frames who carried the decisions."
                ),
            )
    Assignment.objects.bulk_create(
        [
            Assignment(interview=interview, coder=coder, assigned_by=lead, done=done)
            for index, interview in enumerate(
                Interview.objects.filter(dyad__study=study).order_by("dyad__label", "perspective")
            )
            for coder, done in ((ana, index not in (16, 17)), (ben, index < 12))
            if coder is ana or index < 14
        ]
    )
    memo_create(
        study=study,
        author=lead,
        title="Analytic memo: abiding and being known",
        body=(
            "Patients keep tying the sense of being known to particular crises the clinician "
            "stayed through, not to the number of years. Check whether ABI.CRISIS and OUT.KNOWN "
            "co-occur more than ABI.CONT and OUT.KNOWN across dyads."
        ),
    )
    memo_create(
        study=study,
        author=ana,
        title="Coding question",
        body="Where a patient praises the explanation and the confidence in one breath, I have "
        "double-coded POW.EDU and COMP.CONF. Ben, do you agree?",
    )
    return result


def _code_interview(
    *,
    rng: random.Random,
    interview: Interview,
    composed: ComposedInterview,
    codes: dict[str, Code],
    siblings: dict[str, list[str]],
    users: dict[str, Any],
    number: int,
) -> int:
    """Ana codes every interview (the last two only half-way), Ben the first twelve; the lead
    settled a consensus for the first two dyads."""
    created = 0
    ana_items = _vary(
        rng=rng, composed=composed, codes_by_key=codes, siblings=siblings,
        keep=0.92, widen=0.2, swap=0.07, share=0.5 if number >= 16 else 1.0,
    )  # fmt: skip
    created += len(codings_bulk_create(interview=interview, coder=users["ana"], items=ana_items))
    if number < 12:
        ben_items = _vary(
            rng=rng, composed=composed, codes_by_key=codes, siblings=siblings,
            keep=0.85, widen=0.45, swap=0.1,
        )  # fmt: skip
        created += len(
            codings_bulk_create(interview=interview, coder=users["ben"], items=ben_items)
        )
    if number < 4:
        consensus = {
            (codes[key].pk, start, end): CodingInput(code_id=codes[key].pk, start=start, end=end)
            for key, start, end in composed.placements
        }
        created += len(
            codings_bulk_create(
                interview=interview,
                coder=users["lead"],
                items=list(consensus.values()),
                layer=Layer.CONSENSUS,
            )
        )
        Interview.objects.filter(pk=interview.pk).update(consensus_complete=True)
    if number in (0, 5):
        first = interview.codings.filter(coder=users["ana"]).order_by("start").first()
        if first is not None:
            first.memo = "Borderline: could also be read as the clinician's knowledge."
            first.save(update_fields=["memo"])
    return created
