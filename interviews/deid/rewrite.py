"""Rewriting a transcript with replacements, and where every offset goes.

Applying a de-identification review replaces identifiers (``[s, e)`` of the old text) with their
replacements; every span on the text (turns, codings, consensus codings) must then cover the same
words in the new text. ``rewrite`` builds the new text and a ``Rewrite`` that moves offsets:

- a position outside every replaced span moves by the change in length before it;
- a span that starts inside a replaced identifier starts where its replacement starts, and one
  that ends inside (or at the end of) an identifier ends where its replacement ends, so a coding
  that covered part of a name covers the whole pseudonym (the name is gone; the words around it
  are kept exactly);
- a span ending exactly where an identifier starts, or starting exactly where one ends, does not
  grow to include it.

Offsets are code points, spans half-open. Pure functions: no database.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    text: str


class RewriteError(ValueError):
    """The replacements do not fit the text (outside it, overlapping, empty)."""


@dataclass(frozen=True)
class Rewrite:
    text: str
    # The replaced spans in order, as (old start, old end, new start, new end).
    spans: tuple[tuple[int, int, int, int], ...]
    starts: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "starts", tuple(span[0] for span in self.spans))

    def start(self, position: int) -> int:
        """Where a span starting at old ``position`` starts in the new text."""
        i = bisect_right(self.starts, position) - 1
        if i < 0:
            return position
        _, old_end, new_start, new_end = self.spans[i]
        if position < old_end:
            return new_start
        return position - old_end + new_end

    def end(self, position: int) -> int:
        """Where a span ending at old ``position`` ends in the new text."""
        # A span ending at an identifier's start does not take it in: look at the identifiers
        # starting strictly before the position.
        i = bisect_right(self.starts, position - 1) - 1
        if i < 0:
            return position
        _, old_end, _, new_end = self.spans[i]
        if position <= old_end:
            return new_end
        return position - old_end + new_end

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.start(start), self.end(end)


def rewrite(text: str, replacements: Sequence[Replacement]) -> Rewrite:
    """The text with every replacement made, and the offset map. Replacements must lie within
    the text, not overlap, and not be empty (nor replace with nothing: a span covering only a
    removed identifier would vanish)."""
    ordered = sorted(replacements, key=lambda r: (r.start, r.end))
    parts: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    cursor = 0
    length = 0
    for r in ordered:
        if not 0 <= r.start < r.end <= len(text):
            raise RewriteError(f"[{r.start}, {r.end}) is not a span of the text.")
        if r.start < cursor:
            raise RewriteError(f"[{r.start}, {r.end}) overlaps another replacement.")
        if not r.text:
            raise RewriteError(f"The replacement of [{r.start}, {r.end}) is empty.")
        kept = text[cursor : r.start]
        parts.append(kept)
        length += len(kept)
        spans.append((r.start, r.end, length, length + len(r.text)))
        parts.append(r.text)
        length += len(r.text)
        cursor = r.end
    parts.append(text[cursor:])
    return Rewrite(text="".join(parts), spans=tuple(spans))
