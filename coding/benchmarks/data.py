"""Generated benchmark data, built from the demo corpus so texts read like real interviews."""

from __future__ import annotations

import random
import uuid
from typing import Any

from django.contrib.auth import get_user_model

from coding.models import Code
from coding.services import CodingInput
from interviews.demo.build import compose_interview
from interviews.demo.corpus import (
    PATIENT_CLOSING,
    PATIENT_OPENING,
    PATIENT_PASSAGES,
)
from interviews.models import Interview, Study
from interviews.services import study_create

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
    from coding.models import AuditEvent, Coding, Memo

    Coding.objects.filter(interview__dyad__study=study).delete()
    Memo.objects.filter(study=study).delete()
    AuditEvent.objects.filter(study=study).delete()
    study.delete()
