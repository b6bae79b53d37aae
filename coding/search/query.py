"""What a search looks for, read from ``q`` and ``mode`` (docs/search.md), with what the database
can be asked to narrow the transcripts to.

- ``words``: every occurrence of any of the words, whole words, case-insensitive (Unicode case
  folding: ``strasse`` finds ``Straße``); ``word*`` for every word beginning so; a term written
  with inner punctuation (``don't``, ``well-being``) finds its words written together with any
  punctuation between them (``don’t``); ``"quoted words"`` is a phrase.
- ``phrase``: the words in that order, with nothing but spaces, line breaks or punctuation
  between them (case- and whitespace-insensitive).
- ``regex``: a Python regular expression (``re`` syntax, matched by the ``regex`` package, which
  can stop a pattern that runs too long).

Every bad input is a ValidationError (a 400) naming ``q`` or ``mode``.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex
from rest_framework.exceptions import ValidationError

from interviews.search_index import MAX_KEY_CHARS, WORD

MODES = ("words", "phrase", "regex")
MAX_QUERY_CHARS = 500
MAX_TERMS = 20
# A literal the regular expression needs, shorter than this, narrows too little to ask for.
MIN_LITERAL = 3
# ASCII letters that match a non-ASCII letter case-insensitively in Python (ı, İ, ſ, K):
# a case-insensitive literal is cut at them before the database is asked (ILIKE knows no such).
CASE_UNSAFE_OR_NON_ASCII = re.compile(r"[^\x00-\x7f]|[iIsSkK]")
QUOTES = '"“”„'

TERM_PIECE = re.compile(r"[\"“”„]([^\"“”„]*)[\"“”„]?|([^\s\"“”„]+)")


@dataclass(frozen=True)
class Term:
    """A word, a prefix, a compound (``don't``: words joined by punctuation only) or a phrase
    (words with any non-word characters between them); ``folds`` are the words' case foldings
    and the last is a prefix when ``prefix``."""

    text: str
    folds: tuple[str, ...]
    originals: tuple[str, ...]
    prefix: bool = False
    phrase: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        """The index keys (folds cut to the index's key length)."""
        return tuple(fold[:MAX_KEY_CHARS] for fold in self.folds)

    def describe(self) -> str:
        shown = " ".join(self.originals) if self.phrase else self.text
        if self.phrase:
            return f"the phrase “{shown}{'*' if self.prefix else ''}”"
        return f"words beginning “{shown}”" if self.prefix else f"the word “{shown}”"


@dataclass(frozen=True)
class Literal:
    """Text every match of a regular expression contains (case-insensitively when not
    ``case_sensitive``): the database keeps only transcripts that contain it."""

    text: str
    case_sensitive: bool


@dataclass(frozen=True)
class SearchQuery:
    q: str
    mode: str
    terms: tuple[Term, ...] = ()
    pattern: Any = None
    literal: Literal | None = None

    def describe(self) -> str:
        if self.mode == "regex":
            return f"the regular expression /{self.q}/"
        return " or ".join(term.describe() for term in self.terms)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _term(text: str, *, phrase: bool) -> Term | None:
    stripped = text.strip()
    prefix = stripped.endswith("*")
    words = WORD.findall(stripped)
    if not words:
        return None
    return Term(
        text=stripped.rstrip("*") if not phrase else " ".join(words),
        folds=tuple(word.casefold() for word in words),
        originals=tuple(words),
        prefix=prefix,
        phrase=phrase and len(words) > 1,
    )


def _words_terms(q: str) -> tuple[Term, ...]:
    terms: dict[tuple[Any, ...], Term] = {}
    for match in TERM_PIECE.finditer(q):
        quoted, bare = match.group(1), match.group(2)
        term = _term(quoted, phrase=True) if quoted is not None else _term(bare, phrase=False)
        if term is not None:
            terms.setdefault((term.folds, term.prefix, term.phrase), term)
    return tuple(terms.values())


def _regex(q: str) -> tuple[Any, Literal | None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            re.compile(q)
        except re.error as error:
            where = f" (at position {error.pos})" if error.pos is not None else ""
            raise ValidationError(
                {"q": f"Not a valid regular expression: {error.msg}{where}."}
            ) from None
        except (OverflowError, RecursionError, ValueError):
            raise ValidationError({"q": "Not a valid regular expression."}) from None
        try:
            pattern = regex.compile(q, regex.VERSION0)
        except (regex.error, OverflowError, RecursionError, ValueError) as error:
            raise ValidationError({"q": f"Not a valid regular expression: {error}."}) from None
        return pattern, required_literal(q)


def required_literal(q: str) -> Literal | None:
    """The longest run of literal text every match of ``q`` contains, or None.

    Read from Python's own parse of the pattern: a run of literals at the top level, in a group
    or in a repeat of at least one; anything else (a class, an alternative, a backreference,
    an inline flag group) ends the run. Patterns the ``regex`` package might read otherwise
    than ``re`` (a literal ``{``, a POSIX class ``[:…:]``) get no literal: sound before
    fast."""
    if "[:" in q:
        return None
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = sre_parse.parse(q)
    except Exception:
        return None
    flags = parsed.state.flags
    runs: list[str] = []
    if not _literal_runs(list(parsed), runs):
        return None
    case_sensitive = not flags & re.IGNORECASE
    if not case_sensitive:
        runs = [part for run in runs for part in CASE_UNSAFE_OR_NON_ASCII.split(run)]
    runs = [run for run in runs if len(run) >= MIN_LITERAL]
    if not runs:
        return None
    return Literal(text=max(runs, key=len), case_sensitive=case_sensitive)


def _literal_runs(items: list[Any], runs: list[str]) -> bool:
    """Collect the literal runs of a required sequence; False when the pattern holds a literal
    ``{`` (the ``regex`` package reads fuzzy matching there)."""
    from re import _constants as c  # type: ignore[attr-defined]

    current: list[str] = []

    def close() -> None:
        if current:
            runs.append("".join(current))
            current.clear()

    for op, value in items:
        if op == c.LITERAL:
            if value == ord("{"):
                return False
            current.append(chr(value))
            continue
        close()
        if op == c.SUBPATTERN:
            _, add_flags, del_flags, body = value
            if add_flags or del_flags:
                if not _no_brace(list(body)):
                    return False
                continue
            if not _literal_runs(list(body), runs):
                return False
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, _, body = value
            if low >= 1:
                if not _literal_runs(list(body), runs):
                    return False
            elif not _no_brace(list(body)):
                return False
        elif op == getattr(c, "ATOMIC_GROUP", None):
            if not _literal_runs(list(value), runs):
                return False
        elif not _no_brace_in(op, value):
            return False
    close()
    return True


def _no_brace(items: list[Any]) -> bool:
    return all(_no_brace_in(op, value) for op, value in items)


def _no_brace_in(op: Any, value: Any) -> bool:
    """No literal ``{`` anywhere below this item."""
    from re import _constants as c  # type: ignore[attr-defined]

    if op == c.LITERAL:
        return bool(value != ord("{"))
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            if len(item) == 2 and item[0] == c.LITERAL and item[1] == ord("{"):
                return False
            stack.extend(item)
        elif hasattr(item, "data"):  # a SubPattern
            stack.extend(item.data)
    return True


def search_query(*, q: str, mode: str) -> SearchQuery:
    """Read ``q`` for ``mode``: 400 for an empty or too long query, a query with no word in
    words or phrase mode, or an invalid regular expression."""
    mode = (mode or "words").strip()
    if mode not in MODES:
        raise ValidationError({"mode": "Use words, phrase or regex."})
    if len(q) > MAX_QUERY_CHARS:
        raise ValidationError({"q": f"Search for at most {MAX_QUERY_CHARS} characters."})
    q = _normal(q)
    if not q.strip():
        raise ValidationError({"q": "Type what to search for."})
    if mode == "regex":
        pattern, literal = _regex(q)
        return SearchQuery(q=q, mode=mode, pattern=pattern, literal=literal)
    if mode == "phrase":
        bare = q.strip().strip(QUOTES).strip()
        term = _term(bare, phrase=True)
        terms: tuple[Term, ...] = (term,) if term is not None else ()
    else:
        terms = _words_terms(q)
    if not terms:
        raise ValidationError(
            {
                "q": "Give at least one word (letters or digits); other characters are found "
                "with mode=regex."
            }
        )
    if len(terms) > MAX_TERMS:
        raise ValidationError({"q": f"Search for at most {MAX_TERMS} words or phrases at once."})
    return SearchQuery(q=q.strip(), mode=mode, terms=terms)


def search_query_from_params(params: Mapping[str, Sequence[str]]) -> SearchQuery:
    def last(name: str) -> str:
        values = [v for v in params.get(name) or [] if v != ""]
        return values[-1] if values else ""

    return search_query(q=last("q"), mode=last("mode"))
