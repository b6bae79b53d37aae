"""Generated benchmark data, built from the demo corpus so texts read like real interviews."""

from __future__ import annotations

import random
import uuid
from typing import Any

from django.contrib.auth import get_user_model

from coding.demo.build import ComposedInterview, compose_interview
from coding.demo.corpus import (
    CLINICIAN_CLOSING,
    CLINICIAN_OPENING,
    CLINICIAN_PASSAGES,
    PATIENT_CLOSING,
    PATIENT_OPENING,
    PATIENT_PASSAGES,
)
from coding.models import Code, Coding, Layer
from coding.services import CodingInput
from interviews.importing import guess_speaker_roles, parse_transcript
from interviews.models import AttributeType, Dyad, Interview, Participant, Study, Turn
from interviews.search_index import search_index_update
from interviews.services import attribute_define, membership_set, study_create

FILLS = {
    "clinician": "Dr. Okafor",
    "patient": "Evelyn",
    "condition": "heart failure",
    "years": "twelve",
}


def bench_user(username: str = "bench") -> Any:
    user, _ = get_user_model().objects.get_or_create(username=username)
    return user


def bench_study(*, user: Any, label: str) -> Study:
    return study_create(
        slug=f"bench-{label}-{uuid.uuid4().hex[:8]}", title=f"Benchmark {label}", created_by=user
    )


def transcript(*, words: int, seed: int = 1) -> str:
    """A patient interview of about ``words`` words (passages repeat as needed)."""
    return compose_interview(
        rng=random.Random(seed),
        opening=PATIENT_OPENING,
        passages=PATIENT_PASSAGES,
        closing=PATIENT_CLOSING,
        fills=FILLS,
        speaker="Evelyn",
        target_words=words,
        allow_repeats=True,
    ).text


def random_codings(
    *, interview: Interview, codes: list[Code], count: int, seed: int = 1
) -> list[CodingInput]:
    """``count`` codings of 5-60 words spread over the text, overlapping as real coding does."""
    rng = random.Random(seed)
    text = interview.text
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    items: dict[tuple[int, int, int], CodingInput] = {}
    while len(items) < count:
        first = rng.randrange(0, len(spaces) - 61)
        start = spaces[first] + 1
        end = spaces[first + rng.randint(5, 60)]
        code = rng.choice(codes)
        items[(code.pk, start, end)] = CodingInput(code_id=code.pk, start=start, end=end)
    return list(items.values())


def delete_study(study: Study) -> None:
    study.delete()


CONDITIONS = [
    "diabetes", "heart failure", "depression", "chronic back pain", "asthma",
    "high blood pressure", "emphysema", "rheumatoid arthritis", "breast cancer", "anxiety",
]  # fmt: skip
CLINICIAN_NAMES = ["Dr. Okafor", "Maria", "Dr. Brennan", "Sam", "Dr. Haddad", "Dr. Lindgren"]


def big_study(
    *,
    dyads: int = 500,
    codings_per_interview: int = 200,
    seed: int = 7,
    label: str = "big",
    complete_share: float = 0.0,
) -> Study:
    """A study at benchmark size: ``dyads`` dyads (a patient and a clinician interview each, about
    2,000 words), clinicians with several patients, typed attributes, and ``codings_per_interview``
    codings per interview: two coders (40% each) and a consensus layer (20%).

    Codings follow the passages' intended codes (so processes and outcomes co-occur as in real
    data) and are topped up with random spans. Inserted in bulk, without audit records.
    ``complete_share``: the share of dyads (every other one at 0.5) whose interviews are marked
    consensus-complete, so the ``best`` layer reads the consensus there and the union elsewhere.
    """
    rng = random.Random(seed)
    lead = bench_user("bench")
    coders = [bench_user("bench-coder-a"), bench_user("bench-coder-b")]
    study = bench_study(user=lead, label=label)
    for coder in coders:
        membership_set(study=study, user=coder, role="coder", actor=lead)
    attribute_define(
        study=study,
        entity="clinician",
        key="type",
        type=AttributeType.CHOICE,
        choices=["MD", "NP", "PA"],
    )
    attribute_define(
        study=study,
        entity="clinician",
        key="setting",
        type=AttributeType.CHOICE,
        choices=["rural", "suburban", "urban"],
    )
    attribute_define(
        study=study, entity="clinician", key="years_in_practice", type=AttributeType.INTEGER
    )
    attribute_define(
        study=study,
        entity="patient",
        key="age_band",
        type=AttributeType.CHOICE,
        choices=["18-39", "40-64", "65+"],
    )
    attribute_define(study=study, entity="dyad", key="years_together", type=AttributeType.INTEGER)
    attribute_define(
        study=study,
        entity="dyad",
        key="visit_frequency",
        type=AttributeType.CHOICE,
        choices=["monthly", "quarterly", "twice a year"],
    )
    codes = {c.key: c for c in Code.objects.filter(codebook__study=study, is_active=True)}
    code_list = list(codes.values())

    clinicians = Participant.objects.bulk_create(
        [
            Participant(
                study=study,
                role="clinician",
                pseudonym=f"Clinician {n:03d}",
                attributes={
                    "type": rng.choice(["MD", "MD", "NP", "PA"]),
                    "setting": rng.choice(["rural", "suburban", "urban"]),
                    "years_in_practice": rng.randint(3, 35),
                },
            )
            for n in range(max(1, dyads // 8))
        ]
    )
    patients = Participant.objects.bulk_create(
        [
            Participant(
                study=study,
                role="patient",
                pseudonym=f"Patient {n:04d}",
                attributes={"age_band": rng.choice(["18-39", "40-64", "65+"])},
            )
            for n in range(dyads)
        ]
    )
    dyad_rows = Dyad.objects.bulk_create(
        [
            Dyad(
                study=study,
                label=f"B{n:04d}",
                clinician=clinicians[n % len(clinicians)],
                patient=patients[n],
                attributes={
                    "years_together": rng.randint(1, 30),
                    "visit_frequency": rng.choice(["monthly", "quarterly", "twice a year"]),
                },
            )
            for n in range(dyads)
        ]
    )
    pending: list[tuple[Interview, ComposedInterview]] = []
    for n, dyad in enumerate(dyad_rows):
        fills = {
            "clinician": CLINICIAN_NAMES[n % len(CLINICIAN_NAMES)],
            "patient": f"Pat{n}",
            "condition": rng.choice(CONDITIONS),
            "years": "twelve",
        }
        for perspective, opening, passages, closing, speaker in (
            ("patient", PATIENT_OPENING, PATIENT_PASSAGES, PATIENT_CLOSING, f"Pat{n}"),
            (
                "clinician",
                CLINICIAN_OPENING,
                CLINICIAN_PASSAGES,
                CLINICIAN_CLOSING,
                fills["clinician"],
            ),
        ):
            composed = compose_interview(
                rng=rng, opening=opening, passages=passages, closing=closing, fills=fills,
                speaker=speaker, target_words=rng.randint(1800, 2400),
            )  # fmt: skip
            interview = Interview(
                dyad=dyad,
                perspective=perspective,
                text=composed.text,
                text_sha256=f"bench-{label}-{n}-{perspective}",
                word_count=len(composed.text.split()),
                source_name=f"{dyad.label}-{perspective}.txt",
                source_format="txt",
                consensus_complete=(n * complete_share) % 1 + complete_share >= 1,
            )
            pending.append((interview, composed))
    Interview.objects.bulk_create([interview for interview, _ in pending], batch_size=500)
    search_index_update(interview_ids=[interview.pk for interview, _ in pending])

    turns: list[Turn] = []
    codings: list[Coding] = []
    share = {"a": 0.4, "b": 0.4, "consensus": 0.2}
    for interview, composed in pending:
        parsed = parse_transcript(composed.text.encode(), "b.txt", max_bytes=10**8)
        roles = guess_speaker_roles(
            [t.speaker for t in parsed.turns], perspective=interview.perspective
        )
        turns.extend(
            Turn(interview=interview, index=i, speaker=t.speaker,
                 role=roles.get(t.speaker, "other"), start=t.start, end=t.end)
            for i, t in enumerate(parsed.turns)
        )  # fmt: skip
        text = composed.text
        spaces = [i for i, ch in enumerate(text) if ch == " "]
        for layer_name, fraction in share.items():
            target = int(codings_per_interview * fraction)
            coder = lead if layer_name == "consensus" else coders[0 if layer_name == "a" else 1]
            layer = Layer.CONSENSUS if layer_name == "consensus" else Layer.INDIVIDUAL
            seen: set[tuple[int, int, int]] = set()
            placements = list(composed.placements)
            rng.shuffle(placements)
            while len(seen) < target:
                if placements:
                    key, start, end = placements.pop()
                    if layer_name != "consensus" and rng.random() < 0.3:
                        start = max(0, start - rng.randint(0, 40))
                    code = codes[key]
                else:
                    first = rng.randrange(0, len(spaces) - 61)
                    start, end = spaces[first] + 1, spaces[first + rng.randint(5, 60)]
                    code = rng.choice(code_list)
                if (code.pk, start, end) in seen or start >= end:
                    continue
                seen.add((code.pk, start, end))
                codings.append(
                    Coding(interview=interview, code=code, coder=coder, layer=layer, start=start,
                           end=end, quote=text[start:end])
                )  # fmt: skip
    Turn.objects.bulk_create(turns, batch_size=5000)
    Coding.objects.bulk_create(codings, batch_size=5000)
    return study
