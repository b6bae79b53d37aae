"""A small study coded twice: fixtures shared by the teamwork tests."""

from __future__ import annotations

from typing import Any

import pytest

from coding.models import Coding
from coding.services import CodingInput, codings_bulk_create
from interviews.models import Interview, Study
from tests.factories import code


def span(interview: Interview, words: str) -> tuple[int, int]:
    start = interview.text.index(words)
    return start, start + len(words)


def coding_of(interview: Interview, study: Study, coder: Any, key: str, words: str) -> CodingInput:
    start, end = span(interview, words)
    return CodingInput(code_id=code(study, key).pk, start=start, end=end)


@pytest.fixture
def coded(interview: Interview, study: Study, coder: Any, coder2: Any) -> Interview:
    """The sample interview coded by two coders who differ on three passages:

    - VAL.PRES.ATT: coder "she listened to every word", coder2 "listened to every word"
      (boundaries differ);
    - POW.EDU: only coder, "She explained the diabetes with a drawing";
    - OUT.TRUST: only coder2, "We met at the clinic in 2009";
    - ABI.NGU: both "she never gave up on me" (agreement).
    """
    codings_bulk_create(
        interview=interview,
        coder=coder,
        items=[
            coding_of(interview, study, coder, "VAL.PRES.ATT", "she listened to every word"),
            coding_of(
                interview, study, coder, "POW.EDU", "She explained the diabetes with a drawing"
            ),
            coding_of(interview, study, coder, "ABI.NGU", "she never gave up on me"),
        ],
    )
    codings_bulk_create(
        interview=interview,
        coder=coder2,
        items=[
            coding_of(interview, study, coder2, "VAL.PRES.ATT", "listened to every word"),
            coding_of(interview, study, coder2, "OUT.TRUST", "We met at the clinic in 2009"),
            coding_of(interview, study, coder2, "ABI.NGU", "she never gave up on me"),
        ],
    )
    assert Coding.objects.filter(interview=interview).count() == 6
    return interview
