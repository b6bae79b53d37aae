"""Units the co-coder codes: speaker turns, or sentences within turns, as code-point spans.

A unit is ``(start, end)`` into the interview's text, half-open: a turn as stored, a sentence
with its surrounding whitespace left out. Sentences never cross a turn boundary; text outside
every turn (speaker labels, say) is not part of any unit. An interview without turns is one
region.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

UNITS = ("turn", "sentence")

# A sentence ends at ., ! or ? (possibly repeated, or an ellipsis), optionally followed by closing
# quotes or brackets, before whitespace; or at a line break.
_SENTENCE_END = re.compile(r"(?:[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)|\n+)")

Unit = tuple[int, int]


def _trimmed(text: str, start: int, end: int) -> Unit | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def turn_units(text: str, turns: Sequence[tuple[int, int]]) -> list[Unit]:
    """The interview's turns as units, exactly as stored (the agreement report's turn units),
    or the whole text when it has none; empty turns are left out."""
    regions = list(turns) or [(0, len(text))]
    return [
        (max(0, start), min(len(text), end))
        for start, end in regions
        if max(0, start) < min(len(text), end)
    ]


def sentence_units(text: str, turns: Sequence[tuple[int, int]]) -> list[Unit]:
    """The sentences of every turn (of the whole text when it has none)."""
    units = []
    for region_start, region_end in turn_units(text, turns):
        start = region_start
        for match in _SENTENCE_END.finditer(text, region_start, region_end):
            unit = _trimmed(text, start, match.end())
            if unit is not None:
                units.append(unit)
            start = match.end()
        unit = _trimmed(text, start, region_end)
        if unit is not None:
            units.append(unit)
    return units


def split_units(text: str, turns: Sequence[tuple[int, int]], unit: str) -> list[Unit]:
    """The interview's units of the kind ``unit`` (``turn`` or ``sentence``)."""
    if unit == "turn":
        return turn_units(text, turns)
    if unit == "sentence":
        return sentence_units(text, turns)
    raise ValueError(f"Unknown unit {unit!r}: use turn or sentence.")


def overlaps(unit: Unit, start: int, end: int) -> bool:
    """Whether ``[start, end)`` shares at least one code point with the unit (the agreement
    report's rule for a coder having coded a turn)."""
    return start < unit[1] and end > unit[0]
