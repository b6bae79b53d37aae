"""The exact hits of a search in one transcript, as code-point spans ``[start, end)``.

Words are ``interviews.search_index``'s (runs of letters, marks, digits and ``_``), compared by
case folding; the database's index holds the same words, so it narrows to the transcripts these
finders then read. A word or the first word of a phrase is located with the ``regex`` package
(full case-insensitive matching, so ``strasse`` meets ``Straße``) and kept only when it is a
whole word whose folding is the one asked for.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import regex
from django.conf import settings
from rest_framework.exceptions import ValidationError

from coding.search.query import SearchQuery, Term
from interviews.search_index import WORD, is_word_char


def regex_seconds(*, job: bool = False) -> float:
    """Seconds a regular expression may run over all the transcripts of one request (or of a
    job coding the hits): settings HEALING_SEARCH_REGEX_MS and HEALING_SEARCH_REGEX_JOB_MS."""
    name = "HEALING_SEARCH_REGEX_JOB_MS" if job else "HEALING_SEARCH_REGEX_MS"
    return float(getattr(settings, name)) / 1000


class SearchTimeout(ValidationError):
    """The regular expression ran out of time (a 400: the pattern, not the server, is at
    fault)."""


@dataclass
class Deadline:
    seconds: float
    at: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.at = time.monotonic() + self.seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()


def timeout_error(seconds: float) -> SearchTimeout:
    return SearchTimeout(
        {
            "q": f"The regular expression took longer than {seconds:g} s over these transcripts "
            "(it may backtrack catastrophically, e.g. a nested repeat like (a+)+): simplify it "
            "or narrow the search with filters."
        }
    )


@cache
def _locator(word: str, fold: str) -> Any:
    """Where a word may begin: the word as typed or its folding, full case-insensitive."""
    forms = sorted({regex.escape(word), regex.escape(fold)}, key=len, reverse=True)
    return regex.compile("|".join(forms), regex.IGNORECASE | regex.FULLCASE | regex.VERSION0)


def _word_at(text: str, start: int) -> Any:
    return WORD.match(text, start)


def _term_starts(text: str, term: Term) -> Iterator[tuple[int, int]]:
    """Spans of whole words matching the term's first word (a prefix when the term is one
    prefix word)."""
    first_prefix = term.prefix and len(term.folds) == 1
    fold = term.folds[0]
    for match in _locator(term.originals[0], fold).finditer(text, overlapped=False):
        start = match.start()
        if start > 0 and is_word_char(text[start - 1]):
            continue
        word = _word_at(text, start)
        if word is None:
            continue
        found = word.group().casefold()
        if found == fold or (first_prefix and found.startswith(fold)):
            yield start, word.end()


def term_hits(text: str, term: Term) -> Iterator[tuple[int, int]]:
    """Every occurrence of the term in ``text``, in order of start."""
    if len(term.folds) == 1:
        yield from _term_starts(text, term)
        return
    last = len(term.folds) - 1
    for start, end in _term_starts(text, term):
        position = end
        for index in range(1, last + 1):
            word = WORD.search(text, position)
            if word is None:
                break
            if not term.phrase and any(char.isspace() for char in text[position : word.start()]):
                break
            found = word.group().casefold()
            wanted = term.folds[index]
            if not (
                found == wanted or (term.prefix and index == last and found.startswith(wanted))
            ):
                break
            position = word.end()
        else:
            yield start, position


def text_hits(
    text: str, query: SearchQuery, deadline: Deadline | None = None
) -> list[tuple[int, int]]:
    """Every hit of the query in ``text``, sorted by (start, end), without duplicates; a
    regular expression's empty matches are skipped."""
    if query.mode == "regex":
        if deadline is None:
            deadline = Deadline(regex_seconds())
        seconds = deadline.remaining()
        if seconds <= 0:
            raise timeout_error(deadline.seconds)
        try:
            return [
                (m.start(), m.end())
                for m in query.pattern.finditer(text, timeout=seconds)
                if m.end() > m.start()
            ]
        except TimeoutError:
            raise timeout_error(deadline.seconds) from None
    spans: set[tuple[int, int]] = set()
    for term in query.terms:
        spans.update(term_hits(text, term))
    return sorted(spans)
