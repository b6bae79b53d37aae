"""Rewriting a transcript: the new text, and every span moved to cover the same words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interviews.deid.rewrite import Replacement, RewriteError, rewrite

TEXT = "Maria 🙂: Dr. Evelyn Shaw saw me at Oak Street Clinic on 3/14/2021. Evelyn listened."


def span_of(words: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(words, start + 1)
    return start, start + len(words)


def test_text_and_spans_around_and_across_replacements() -> None:
    name = span_of("Evelyn Shaw")
    clinic = span_of("Oak Street Clinic")
    again = span_of("Evelyn", 1)
    result = rewrite(
        TEXT,
        [
            Replacement(*name, "Ella Stone"),
            Replacement(*clinic, "[CLINIC]"),
            Replacement(*again, "Ella"),
        ],
    )
    assert result.text == "Maria 🙂: Dr. Ella Stone saw me at [CLINIC] on 3/14/2021. Ella listened."
    new = result.text

    def moved(words: str, nth: int = 0) -> str:
        start, end = result.span(*span_of(words, nth))
        return new[start:end]

    assert moved("Maria 🙂") == "Maria 🙂"  # before every replacement: unchanged
    assert moved("saw me at") == "saw me at"  # between two
    assert moved("listened.") == "listened."  # after all
    assert moved("Dr. Evelyn") == "Dr. Ella Stone"  # part of an identifier: all of its pseudonym
    assert moved("Shaw saw") == "Ella Stone saw"
    assert moved("Street") == "[CLINIC]"  # inside one
    assert moved("at Oak Street Clinic on") == "at [CLINIC] on"  # around one
    assert moved("Evelyn Shaw saw me at Oak") == "Ella Stone saw me at [CLINIC]"  # across two
    # Ending where an identifier starts, starting where one ends: not taken in.
    assert moved("Dr. ") == "Dr. "
    assert moved(" saw") == " saw"


@pytest.mark.parametrize(
    "replacements",
    [
        [Replacement(5, 3, "x")],
        [Replacement(0, 999, "x")],
        [Replacement(0, 5, "x"), Replacement(4, 8, "y")],
        [Replacement(0, 5, "")],
        [Replacement(-1, 2, "x")],
    ],
)
def test_bad_replacements_are_refused(replacements: list[Replacement]) -> None:
    with pytest.raises(RewriteError):
        rewrite(TEXT, replacements)


@st.composite
def texts_and_replacements(draw: st.DrawFn) -> tuple[str, list[Replacement], int, int]:
    text = draw(st.text(alphabet="ab 🙂é\n", min_size=2, max_size=40))
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=8)))
    replacements = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        if start < end:
            replacements.append(
                Replacement(start, end, draw(st.text("XY🙂", min_size=1, max_size=5)))
            )
    a = draw(st.integers(0, len(text) - 1))
    b = draw(st.integers(a + 1, len(text)))
    return text, replacements, a, b


@settings(max_examples=400, deadline=None)
@given(texts_and_replacements())
def test_every_span_covers_the_same_words(case: tuple[str, list[Replacement], int, int]) -> None:
    """A brute-force reference: widen the span to whole identifiers it touches, then rewrite
    that piece of the old text on its own."""
    text, replacements, a, b = case
    result = rewrite(text, replacements)
    wide_a, wide_b = a, b
    for r in replacements:
        if r.start <= a < r.end:
            wide_a = r.start
        if r.start < b <= r.end:
            wide_b = r.end
    inside = [
        Replacement(r.start - wide_a, r.end - wide_a, r.text)
        for r in replacements
        if wide_a <= r.start and r.end <= wide_b
    ]
    expected = rewrite(text[wide_a:wide_b], inside).text
    start, end = result.span(a, b)
    assert 0 <= start < end <= len(result.text)
    assert result.text[start:end] == expected
