"""Word frequencies and keyword-in-context lines, over the scope's patient and clinician
interviews.

``source`` says which words:

- ``code``: the words of one code's passages (its merged passages in the layer, sub-codes
  included), counted per side (the interview's perspective);
- ``perspective``: every word said in the patient and in the clinician interviews;
- ``role``: every word said, by the role of the speaker's turn (patient, clinician,
  interviewer, other).

A word is a run of letters, with apostrophes inside it ("don't", "Okafor's"); digits,
underscores, hyphens and every other character separate words, so emoji and numbers are never
words. Words are compared in lower case with ``’`` read as ``'``. "Every word said" is the words
inside speaker turns (speaker labels are not said); an interview without turns counts all its
text. A word of a code is one that shares a code point with one of the code's passages (a
passage that starts or ends inside a word counts the whole word). Stop words (the English list
in ``coding.comparison.stopwords`` and the study's own) are left out of the table; the totals
count every word.

Speed: counting ``code`` reads that code's passages (one query) and the texts of their
interviews (one query), widens each passage to whole words and counts it in one call of the
regular expression engine. ``perspective`` and ``role`` read the text once per interview and
keep its counts in the cache, keyed by the interview, its text's SHA-256, its perspective and
a signature of its turns (their number, offsets and roles), so an edited text or a corrected
speaker role is counted afresh; the sum over the scope is cached too, under the signature of
every interview in it.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from rest_framework.exceptions import ValidationError

from coding.analysis.measures import CodeNode
from coding.comparison.selectors.base import ComparisonBase
from coding.comparison.selectors.cooccurrence import passage_ctes
from coding.comparison.selectors.scope import Scope
from coding.comparison.stopwords import ENGLISH_STOP_WORDS, normal_word
from coding.models import StudyStopWords
from interviews.models import Interview, Turn
from interviews.models import Study as StudyModel

SOURCES = ("code", "perspective", "role")
SOURCE_GROUPS = {
    "code": ("patient", "clinician"),
    "perspective": ("patient", "clinician"),
    "role": ("patient", "clinician", "interviewer", "other"),
}
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
KWIC_LIMIT = 200
KWIC_CONTEXT = 60  # characters of context on each side
LETTERS = r"[^\W\d_]"
LETTER = re.compile(LETTERS)
WORD = re.compile(rf"{LETTERS}+(?:['\u2019]{LETTERS}+)*")
CACHE_SECONDS = 7 * 24 * 3600
CACHE_VERSION = 1


def tokens(text: str, offset: int = 0) -> Iterable[tuple[str, int, int]]:
    """(word in lower case, start, end) of every word of ``text``; offsets are code points
    from ``offset``."""
    for match in WORD.finditer(text):
        yield normal_word(match.group()), offset + match.start(), offset + match.end()


def stop_words_for(*, study: StudyModel) -> tuple[frozenset[str], list[str]]:
    """(every stop word: English and the study's, the study's own words). One query."""
    row = StudyStopWords.objects.filter(study=study).values_list("words", flat=True).first()
    extra = [str(w) for w in (row or [])]
    return ENGLISH_STOP_WORDS | frozenset(extra), extra


@dataclass(frozen=True)
class WordRow:
    word: str
    counts: list[int]  # per group, in ``WordFrequencies.groups`` order

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class WordFrequencies:
    source: str
    groups: list[str]
    # every word counted per group (stop words included): the base of "per 1,000 words"
    totals: list[int]
    rows: list[WordRow]
    distinct: int  # distinct words other than stop words
    code: CodeNode | None = None
    extra_stop_words: list[str] = field(default_factory=list)
    cached: bool = False

    @property
    def total(self) -> int:
        return sum(self.totals)

    def rate(self, count: int, group: int | None = None) -> float:
        """Occurrences per 1,000 words of the group (or of all groups)."""
        base = self.total if group is None else self.totals[group]
        return count * 1000 / base if base else 0.0


def _scope_interviews(scope: Scope) -> Any:
    dyads = scope.subset.dyads(scope.study)
    return Interview.objects.filter(
        dyad__study=scope.study, dyad__in=dyads, perspective__in=["patient", "clinician"]
    )


def code_for(*, base: ComparisonBase, key: str | None) -> CodeNode:
    """The code named ``key`` (default: the codebook's first code). No queries."""
    nodes = base.tree.nodes
    if not nodes:
        raise ValidationError({"code": "The codebook has no codes."})
    if not key:
        return nodes[0]
    found = next((n for n in nodes if n.key == key), None)
    if found is None:
        raise ValidationError({"code": f"The codebook has no code {key!r}."})
    return found


def code_passages(*, base: ComparisonBase, code: CodeNode) -> list[tuple[int, str, int, int]]:
    """(interview, perspective, start, end) of each merged passage of ``code`` (sub-codes
    included) in the scope, in text order. One query."""
    tree = base.tree
    rollup = [
        (node.id, code.id, 1, 1)
        for node in tree.nodes
        if node.id == code.id or code.id in tree.ancestors[node.id]
    ]
    ctes, params = passage_ctes(scope=base.scope, rollup=rollup, turns=None)
    # "done" only closes the list of CTEs (each ends in a comma). Only fixed SQL fragments
    # are formatted in; every value is a parameter.
    sql = f"""
        WITH {ctes}
        done AS (SELECT 1)
        SELECT p.interview_id, i.perspective, p.start, p."end"
        FROM passages p JOIN interviews_interview i ON i.id = p.interview_id
        ORDER BY p.interview_id, p.start
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(row[0], row[1], row[2], row[3]) for row in cursor.fetchall()]


def word_frequencies(
    *, base: ComparisonBase, source: str, code_key: str | None = None, limit: int = DEFAULT_LIMIT
) -> WordFrequencies:
    """The ``limit`` most frequent words other than stop words, counted per group of
    ``source``. ``code``: three queries (stop words, the code's passages, their texts);
    ``perspective`` and
    ``role``: three with a warm cache, five when an interview's counts are missing."""
    stop, extra = stop_words_for(study=base.scope.study)
    groups = list(SOURCE_GROUPS[source])
    code = None
    cached = False
    if source == "code":
        code = code_for(base=base, key=code_key)
        counters, totals = _code_counts(base, code, groups)
    else:
        counters, totals, cached = _text_counts(base.scope, source, groups)
    merged: Counter[str] = Counter()
    for counter in counters:
        merged.update(counter)
    for word in list(merged):
        if word in stop:
            del merged[word]
    top = sorted(merged.items(), key=lambda item: (-item[1], item[0]))[:limit]
    rows = [WordRow(word, [counter.get(word, 0) for counter in counters]) for word, _ in top]
    return WordFrequencies(
        source=source,
        groups=groups,
        totals=totals,
        rows=rows,
        distinct=len(merged),
        code=code,
        extra_stop_words=extra,
        cached=cached,
    )


def _inside(text: str, i: int) -> bool:
    """Whether code point ``i`` of ``text`` is part of a word (a letter, or an apostrophe
    between two letters)."""
    if i < 0 or i >= len(text):
        return False
    if LETTER.match(text, i):
        return True
    return (
        text[i] in "'\u2019"
        and i > 0
        and bool(LETTER.match(text, i - 1))
        and bool(LETTER.match(text, i + 1))
    )


def _code_counts(
    base: ComparisonBase, code: CodeNode, groups: list[str]
) -> tuple[list[Counter[str]], list[int]]:
    """The words of the code's passages per side. Two queries: the passages, then the texts
    of their interviews (each read once: a transcript is stored compressed, and cutting many
    pieces out of it in SQL unpacks it once per piece). Each passage is widened to whole words,
    then counted by the regular expression engine in one call."""
    passages = code_passages(base=base, code=code)
    raw = [Counter[str]() for _ in groups]
    wanted = sorted({row[0] for row in passages})
    texts: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        texts.update(
            Interview.objects.filter(pk__in=wanted[start : start + 500]).values_list("id", "text")
        )
    for interview_id, perspective, start, end in passages:
        text = texts[interview_id]
        while start > 0 and _inside(text, start) and _inside(text, start - 1):
            start -= 1
        while end < len(text) and _inside(text, end - 1) and _inside(text, end):
            end += 1
        raw[groups.index(perspective)].update(WORD.findall(text, start, end))
    counters = []
    for counter in raw:
        merged: Counter[str] = Counter()
        for word, n in counter.items():
            merged[normal_word(word)] += n
        counters.append(merged)
    return counters, [sum(c.values()) for c in counters]


ROLE_WEIGHT = Case(
    When(role="interviewer", then=Value(1)),
    When(role="patient", then=Value(2)),
    When(role="clinician", then=Value(3)),
    default=Value(5),
    output_field=IntegerField(),
)


def _signatures(scope: Scope) -> list[tuple[int, str, str, str]]:
    """(interview, perspective, text SHA-256, turns signature) of the scope's interviews. Two
    queries. The turns' signature is their number, the sums of their offsets and the sum of
    their roles' weights times their positions: a corrected speaker role changes it (the
    weights differ), an edited text changes the SHA-256."""
    rows = list(
        _scope_interviews(scope).order_by("id").values_list("id", "perspective", "text_sha256")
    )
    turns = {
        row[0]: ":".join(str(v) for v in row[1:])
        for row in Turn.objects.filter(interview_id__in=[r[0] for r in rows])
        .values("interview_id")
        .annotate(
            n=Count("id"),
            starts=Sum("start"),
            ends=Sum("end"),
            roles=Sum((F("index") + 1) * ROLE_WEIGHT),
        )
        .values_list("interview_id", "n", "starts", "ends", "roles")
    }
    return [(pk, perspective, sha, turns.get(pk, "-")) for pk, perspective, sha in rows]


def _interview_key(signature: tuple[int, str, str, str]) -> str:
    pk, perspective, sha, turns = signature
    return f"words:v{CACHE_VERSION}:interview:{pk}:{perspective}:{sha}:{turns}"


def interview_word_counts(text: str, turns: list[tuple[int, int, str]]) -> dict[str, Any]:
    """One interview's words: ``{"all": {word: n}, "roles": {role: {word: n}}}`` (words inside
    turns, by the turn's role; without turns, every word of the text, as said by "other")."""
    roles: dict[str, Counter[str]] = {}
    if not turns:
        every = dict(Counter(w for w, _, _ in tokens(text)))
        return {"all": every, "roles": {"other": every}}
    everything: Counter[str] = Counter()
    for start, end, role in turns:
        counter = roles.setdefault(role, Counter())
        words = [w for w, _, _ in tokens(text[start:end])]
        counter.update(words)
        everything.update(words)
    return {"all": dict(everything), "roles": {r: dict(c) for r, c in roles.items()}}


def _text_counts(
    scope: Scope, source: str, groups: list[str]
) -> tuple[list[Counter[str]], list[int], bool]:
    signatures = _signatures(scope)
    digest = hashlib.sha256(repr(signatures).encode()).hexdigest()
    total_key = f"words:v{CACHE_VERSION}:sum:{scope.study.pk}:{source}:{digest}"
    found = cache.get(total_key)
    if found is not None:
        return [Counter(c) for c in found[0]], list(found[1]), True
    keys = {s[0]: _interview_key(s) for s in signatures}
    known = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in known]
    if missing:
        texts = dict(Interview.objects.filter(pk__in=missing).values_list("id", "text"))
        turns: dict[int, list[tuple[int, int, str]]] = {}
        for interview_id, start, end, role in (
            Turn.objects.filter(interview_id__in=missing)
            .order_by("interview_id", "index")
            .values_list("interview_id", "start", "end", "role")
        ):
            turns.setdefault(interview_id, []).append((start, end, role))
        fresh = {
            keys[pk]: interview_word_counts(texts[pk], turns.get(pk, []))
            for pk in missing
            if pk in texts
        }
        cache.set_many(fresh, timeout=CACHE_SECONDS)
        known.update(fresh)
    counters = [Counter[str]() for _ in groups]
    for pk, perspective, _sha, _turns in signatures:
        counts = known.get(keys[pk])
        if counts is None:
            continue
        if source == "perspective":
            counters[groups.index(perspective)].update(counts["all"])
        else:
            for role, words in counts["roles"].items():
                counters[groups.index(role if role in groups else "other")].update(words)
    totals = [sum(c.values()) for c in counters]
    cache.set(total_key, ([dict(c) for c in counters], totals), timeout=CACHE_SECONDS)
    return counters, totals, False


@dataclass(frozen=True)
class KwicLine:
    interview: int
    dyad: str
    perspective: str
    start: int
    end: int
    match: str
    before: str
    after: str
    speaker: str
    role: str

    @property
    def link(self) -> str:
        return f"/interviews/{self.interview}/#span-{self.start}-{self.end}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "interview": self.interview,
            "dyad": self.dyad,
            "perspective": self.perspective,
            "start": self.start,
            "end": self.end,
            "match": self.match,
            "before": self.before,
            "after": self.after,
            "speaker": self.speaker,
            "role": self.role,
            "link": self.link,
        }


@dataclass(frozen=True)
class Kwic:
    word: str
    group: str
    total: int
    lines: list[KwicLine]


def word_shaped(text: str) -> bool:
    """Whether ``text`` is one word as words are counted."""
    return bool(WORD.fullmatch(normal_word(text))) and len(text) <= 100


def word_param(raw: str | None) -> str:
    """The one word asked for, as counted; anything else is a 400."""
    word = normal_word((raw or "").strip())
    if not word or len(word) > 100 or not WORD.fullmatch(word):
        raise ValidationError({"word": "Give one word (letters, with apostrophes inside)."})
    return word


def _context(text: str) -> str:
    return " ".join(text.split())


def keyword_in_context(
    *,
    base: ComparisonBase,
    source: str,
    word: str,
    group: str = "",
    code_key: str | None = None,
    limit: int = KWIC_LIMIT,
) -> Kwic:
    """Every occurrence of ``word`` counted by :func:`word_frequencies` (in ``group`` if given),
    with ``KWIC_CONTEXT`` characters on each side (whitespace made single spaces), in dyad and
    text order; the first ``limit`` lines and the total. Three or four queries: the code's
    passages (``code``), the interviews whose text contains the word, their turns."""
    groups = SOURCE_GROUPS[source]
    if group and group not in groups:
        raise ValidationError({"group": f"Use one of {', '.join(groups)}."})
    passages: dict[int, list[tuple[int, int]]] = {}
    interviews = _scope_interviews(base.scope)
    if source == "code":
        code = code_for(base=base, key=code_key)
        for interview_id, _perspective, start, end in code_passages(base=base, code=code):
            passages.setdefault(interview_id, []).append((start, end))
        interviews = interviews.filter(pk__in=list(passages))
    if source in ("code", "perspective") and group:
        interviews = interviews.filter(perspective=group)
    if word.isascii():
        # A first sift in the database (SQLite's LIKE folds the case of ASCII letters only).
        spelled = Q(text__icontains=word)
        if "'" in word:
            spelled |= Q(text__icontains=word.replace("'", "\u2019"))
        interviews = interviews.filter(spelled)
    rows = list(
        interviews.order_by("dyad__label", "perspective", "id").values_list(
            "id", "dyad__label", "perspective", "text"
        )
    )
    turns: dict[int, list[tuple[int, int, str, str]]] = {}
    for interview_id, start, end, speaker, role in (
        Turn.objects.filter(interview_id__in=[r[0] for r in rows])
        .order_by("interview_id", "start")
        .values_list("interview_id", "start", "end", "speaker", "role")
    ):
        turns.setdefault(interview_id, []).append((start, end, speaker, role))
    letters = re.escape(word).replace("'", "['\u2019]")
    pattern = re.compile(
        rf"(?<!{LETTERS})(?<!{LETTERS}['\u2019]){letters}(?!{LETTERS})(?!['\u2019]{LETTERS})",
        re.IGNORECASE,
    )
    lines: list[KwicLine] = []
    total = 0
    for interview_id, label, perspective, text in rows:
        own_turns = turns.get(interview_id, [])
        starts = [t[0] for t in own_turns]
        spans = passages.get(interview_id, [])
        span_starts = [s[0] for s in spans]
        for match in pattern.finditer(text):
            start, end = match.span()
            if normal_word(match.group()) != word:
                continue
            at = bisect.bisect_right(starts, start) - 1
            turn = own_turns[at] if at >= 0 and start < own_turns[at][1] else None
            if source == "code":
                # Passages of one code are disjoint and in order: the last one starting
                # before the word's end is the only one that can share a code point with it.
                k = bisect.bisect_left(span_starts, end) - 1
                if k < 0 or spans[k][1] <= start:
                    continue
            elif own_turns and turn is None:
                continue  # a speaker label, not something said
            if source == "role":
                role = turn[3] if turn else "other"
                role = role if role in groups else "other"
                if group and role != group:
                    continue
            total += 1
            if len(lines) < limit:
                lines.append(
                    KwicLine(
                        interview=interview_id,
                        dyad=label,
                        perspective=perspective,
                        start=start,
                        end=end,
                        match=match.group(),
                        before=_context(text[max(0, start - KWIC_CONTEXT) : start]),
                        after=_context(text[end : end + KWIC_CONTEXT]),
                        speaker=turn[2] if turn else "",
                        role=turn[3] if turn else "",
                    )
                )
    return Kwic(word=word, group=group, total=total, lines=lines)
