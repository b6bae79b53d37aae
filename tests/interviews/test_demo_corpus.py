"""The demo corpus: passages are well formed and their codes follow the healing codebook.

Plain data checks: no database, no Django models.
"""

from __future__ import annotations

import string
import unicodedata
from collections import Counter

import pytest

from coding.codebooks.healing import CODES
from coding.demo.corpus import (
    CLINICIAN_CLOSING,
    CLINICIAN_OPENING,
    CLINICIAN_PASSAGES,
    PATIENT_CLOSING,
    PATIENT_OPENING,
    PATIENT_PASSAGES,
    Passage,
)

SAMPLE = {
    "clinician": "Dr. Okafor",
    "patient": "Zoë",
    "condition": "heart failure",
    "years": "twelve",
}
OTHER_SAMPLE = {
    "clinician": "Maria",
    "patient": "José",
    "condition": "chronic back pain",
    "years": "twenty-two",
}
PLACEHOLDERS = set(SAMPLE)

ACTIVE = {code["key"] for code in CODES if code["is_active"]}
ALL_KEYS = {code["key"] for code in CODES}

# Codes that need not reach MIN_PER_SIDE on one side, with the reason. None are exempt: every
# active code, parents included, is used at least three times by patients and by clinicians.
EXEMPT: dict[str, dict[str, str]] = {"patient": {}, "clinician": {}}
MIN_PER_SIDE = 3

SIDES = {"patient": PATIENT_PASSAGES, "clinician": CLINICIAN_PASSAGES}
FRAMES = (PATIENT_OPENING, CLINICIAN_OPENING, PATIENT_CLOSING, CLINICIAN_CLOSING)
EVERY = (*PATIENT_PASSAGES, *CLINICIAN_PASSAGES, *FRAMES)


def _ids(passages: tuple[Passage, ...]) -> list[str]:
    return [passage.key for passage in passages]


def _fields(text: str) -> list[tuple[str | None, str | None, str | None]]:
    return [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text)]


def test_keys_are_unique() -> None:
    keys = [passage.key for passage in EVERY]
    duplicates = [key for key, count in Counter(keys).items() if count > 1]
    assert not duplicates


def test_key_prefix_matches_side() -> None:
    assert all(
        p.key.startswith("pt-") for p in (*PATIENT_PASSAGES, PATIENT_OPENING, PATIENT_CLOSING)
    )
    assert all(
        p.key.startswith("cl-") for p in (*CLINICIAN_PASSAGES, CLINICIAN_OPENING, CLINICIAN_CLOSING)
    )


@pytest.mark.parametrize("side", SIDES)
def test_enough_passages_per_side(side: str) -> None:
    assert len(SIDES[side]) >= 48


def test_passages_are_frozen_passages() -> None:
    for passage in EVERY:
        assert isinstance(passage, Passage)
        assert isinstance(passage.codes, tuple)
        assert all(isinstance(pair, tuple) and len(pair) == 2 for pair in passage.codes)


@pytest.mark.parametrize("passage", EVERY, ids=_ids(EVERY))
def test_code_keys_exist_and_are_active(passage: Passage) -> None:
    for key, _ in passage.codes:
        assert key in ALL_KEYS, f"{key} is not in the codebook"
        assert key in ACTIVE, f"{key} is not an active code"


@pytest.mark.parametrize("passage", EVERY, ids=_ids(EVERY))
def test_only_known_placeholders(passage: Passage) -> None:
    texts = [passage.question, passage.answer, *(excerpt for _, excerpt in passage.codes)]
    for text in texts:
        for name, spec, conversion in _fields(text):  # raises ValueError on a stray brace
            if name is None:
                continue
            assert name in PLACEHOLDERS, f"unknown placeholder {{{name}}}"
            assert not spec
            assert conversion is None
        formatted = text.format(**SAMPLE)
        assert "{" not in formatted
        assert "}" not in formatted


@pytest.mark.parametrize("fills", [SAMPLE, OTHER_SAMPLE], ids=["sample", "other"])
@pytest.mark.parametrize("passage", EVERY, ids=_ids(EVERY))
def test_code_excerpts_occur_in_answer(passage: Passage, fills: dict[str, str]) -> None:
    answer = passage.answer.format(**fills)
    for key, excerpt in passage.codes:
        assert excerpt, f"{key}: empty excerpt"
        assert excerpt == excerpt.strip(), f"{key}: padded excerpt"
        assert excerpt in passage.answer, f"{key}: {excerpt!r} not in raw answer"
        assert excerpt.format(**fills) in answer, f"{key}: {excerpt!r} not in formatted answer"


@pytest.mark.parametrize("passage", EVERY, ids=_ids(EVERY))
def test_no_duplicate_codings(passage: Passage) -> None:
    assert len(set(passage.codes)) == len(passage.codes)
    assert len(passage.codes) <= 4


@pytest.mark.parametrize("passage", EVERY, ids=_ids(EVERY))
def test_answer_shape(passage: Passage) -> None:
    answer = passage.answer.format(**SAMPLE)
    assert "\n" not in passage.answer
    assert "\r" not in passage.answer
    assert "\n" not in passage.question
    assert answer == answer.strip()
    assert "  " not in answer
    assert 70 <= len(answer.split()) <= 150, len(answer.split())


@pytest.mark.parametrize("passage", EVERY, ids=_ids(EVERY))
def test_question_shape(passage: Passage) -> None:
    question = passage.question.format(**SAMPLE)
    assert question.endswith("?")
    assert 3 <= len(question.split()) <= 40


@pytest.mark.parametrize("side", SIDES)
def test_every_active_code_is_covered_on_each_side(side: str) -> None:
    counts = Counter(key for passage in SIDES[side] for key, _ in passage.codes)
    short = {
        key: counts[key] for key in ACTIVE if counts[key] < MIN_PER_SIDE and key not in EXEMPT[side]
    }
    assert not short, f"{side}: codes used fewer than {MIN_PER_SIDE} times: {short}"


@pytest.mark.parametrize("side", SIDES)
def test_some_passages_have_no_codes(side: str) -> None:
    passages = SIDES[side]
    uncoded = sum(1 for passage in passages if not passage.codes)
    assert 0.05 <= uncoded / len(passages) <= 0.2


@pytest.mark.parametrize("side", SIDES)
def test_parent_codes_are_used_sparingly(side: str) -> None:
    """The codebook asks for the most specific child code; parents only when no child fits."""
    parents = {code["parent"] for code in CODES if code["parent"]}
    counts = Counter(key for passage in SIDES[side] for key, _ in passage.codes)
    parent_uses = sum(counts[key] for key in parents)
    assert parent_uses <= 0.15 * sum(counts.values())


@pytest.mark.parametrize("side", SIDES)
def test_no_pronoun_placeholder_is_needed(side: str) -> None:
    """Patients name the clinician and clinicians name the patient, never the other way round."""
    other = "{patient}" if side == "patient" else "{clinician}"
    for passage in SIDES[side]:
        assert other not in passage.question + passage.answer, passage.key


def _is_accented(char: str) -> bool:
    decomposed = unicodedata.normalize("NFD", char)
    return char.isalpha() and len(decomposed) > 1 and not char.isascii()


def test_unicode_is_exercised() -> None:
    answers = [passage.answer for passage in EVERY]
    astral = [a for a in answers if any(ord(char) > 0xFFFF for char in a)]
    accented = [a for a in answers if any(_is_accented(char) for char in a)]
    assert len(astral) >= 2
    assert len(accented) >= 3
    assert any("\u2014" in a for a in answers)  # em dash
    assert any("\u2019" in a for a in answers)  # curly apostrophe
    excerpts = [excerpt for passage in EVERY for _, excerpt in passage.codes]
    assert any(any(ord(char) > 0xFFFF for char in excerpt) for excerpt in excerpts)
