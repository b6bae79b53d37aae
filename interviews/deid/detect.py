"""``detect``: propose the identifiers in a normalised transcript text.

Pure: text (and what the study knows) in, proposals out, sorted by offset and never
overlapping. Offsets are code points into the text as given, which must be the normalised text
the interview stores (``interviews.importing`` makes it).

Passes, each adding candidates:

1. speaker labels at line starts, found exactly as import finds them ("Maria:",
   "Dr. Okafor (00:01:02):"): the name, without its title, is a PERSON with source
   ``speaker_label``; role labels ("Interviewer", "P1", "Q") are not names;
2. the study's names list, pseudonyms and places, wherever they occur, in any case;
3. shapes (``patterns``): e-mail, URL, phone, ID numbers, dates, ages over 89, addresses, zip
   codes;
4. names read in context (``names``): capitalised runs, titles, relation words, gazetteers;
5. repeats: every person, place or organisation found with enough confidence is proposed
   wherever else the same words occur (a name lower-cased in speech, a surname on its own).

Overlaps are resolved by confidence, then length: the surer, longer span wins.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import replace

from interviews.importing.labels import role_word
from interviews.importing.turns import detect_turns

from . import patterns
from .lexicon import AMBIGUOUS_NAMES, NOT_NAMES, RARE_AS_WORDS, first_names, fold
from .names import FACILITY_WORDS, NAME_PARTS, ORG_WORDS, TITLES, NameFinder, begins_sentence
from .proposals import DeidContext, Kind, Proposal, Source

_TITLE_PREFIX = re.compile(
    r"^(?:(?:dr|doctor|mr|mrs|ms|miss|mx|nurse|pastor|father|fr|rev|reverend|sister|prof|"
    r"professor|np|pa|rn|md)\.?\s+)+",
    re.IGNORECASE,
)
# A capitalised word no list knows, mid-sentence, is a PERSON at 0.45: enough to repeat.
_NAME_KINDS = frozenset({Kind.PERSON, Kind.LOCATION, Kind.ORG})
_REPEAT_KINDS = {Kind.PERSON: 0.45, Kind.LOCATION: 0.7, Kind.ORG: 0.7}


def detect(text: str, *, context: DeidContext | None = None) -> list[Proposal]:
    """Every proposed identifier in ``text``, in text order, none overlapping another."""
    context = context or DeidContext()
    candidates: list[Proposal] = []
    candidates += _speaker_labels(text, context)
    candidates += _study_terms(text, context)
    candidates += patterns.emails_and_urls(text)
    candidates += patterns.ids(text)
    candidates += patterns.dates(text)
    candidates += patterns.phones(text)
    candidates += patterns.ages(text)
    candidates += patterns.addresses(text)
    candidates += NameFinder(text).find()
    chosen = _resolve(candidates)
    repeats = list(_repeats(text, chosen))
    return _merge_names(text, _resolve([*chosen, *repeats]))


def _merge_names(text: str, proposals: list[Proposal]) -> list[Proposal]:
    """Join a first name and a surname found apart ("josh" + "brandvold") into one span."""
    merged: list[Proposal] = []
    for proposal in proposals:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.kind is proposal.kind is Kind.PERSON
            and text[last.end : proposal.start] == " "
        ):
            merged[-1] = Proposal(
                last.start,
                proposal.end,
                Kind.PERSON,
                text[last.start : proposal.end],
                max(last.confidence, proposal.confidence),
                last.source,
            )
        else:
            merged.append(proposal)
    return merged


def _resolve(candidates: Iterable[Proposal]) -> list[Proposal]:
    """Keep the surest, then longest, of overlapping candidates; a less sure name that holds
    surer ones of its kind whole ("Samir Haddad" around "Haddad") replaces them."""
    ranked = sorted(candidates, key=lambda p: (-p.confidence, -(p.end - p.start), p.start))
    kept: dict[int, Proposal] = {}
    owner = array("l", [-1]) * max((p.end for p in ranked), default=0)
    for number, proposal in enumerate(ranked):
        if proposal.end <= proposal.start or not proposal.text.strip():
            continue
        inside = {owner[i] for i in range(proposal.start, proposal.end)} - {-1}
        if inside:
            held = [kept[i] for i in inside]
            if proposal.kind not in _NAME_KINDS or not all(
                p.kind is proposal.kind and proposal.start <= p.start and p.end <= proposal.end
                for p in held
            ):
                continue
            for index in inside:
                del kept[index]
            confidence = max(p.confidence for p in held)
            proposal = replace(proposal, confidence=confidence, source=held[0].source)
        kept[number] = proposal
        owner[proposal.start : proposal.end] = array("l", [number]) * (
            proposal.end - proposal.start
        )
    return sorted(kept.values(), key=lambda p: p.start)


def _speaker_labels(text: str, context: DeidContext) -> Iterator[Proposal]:
    """Names in the transcript's own speaker labels (the import keeps labels in the text)."""
    labels = set(context.speaker_labels)
    seen: set[int] = set()
    for turn in detect_turns(text):
        if not turn.speaker:
            continue
        labels.add(turn.speaker)
        label_start = text.rfind(turn.speaker, 0, turn.start)
        if label_start < 0 or label_start in seen:
            continue
        seen.add(label_start)
        name = _label_name(turn.speaker)
        if name is None:
            continue
        offset = label_start + turn.speaker.index(name)
        yield Proposal(offset, offset + len(name), Kind.PERSON, name, 0.9, Source.SPEAKER_LABEL)
    # Labels the caller knows (the interview's speakers) are names wherever they occur.
    for label in labels:
        name = _label_name(label)
        if name is not None:
            yield from _occurrences(text, name, Kind.PERSON, 0.85, Source.SPEAKER_LABEL)


def _label_name(label: str) -> str | None:
    """The name in a speaker label, without a title; None for a role ("Interviewer", "P1")."""
    name = _TITLE_PREFIX.sub("", label.strip()).strip()
    if name == label.strip() and role_word(label) is not None:
        return None
    if _NUMBERED_SPEAKER.fullmatch(name):
        return None  # "Speaker 1", "Speaker 2": what transcription software writes
    if not name or not any(char.isalpha() for char in name):
        return None
    if name.casefold() in NOT_NAMES or (len(name) == 1 and name == label.strip()):
        return None
    return name


def _study_terms(text: str, context: DeidContext) -> Iterator[Proposal]:
    for names, kind in (
        (context.names, Kind.PERSON),
        (context.pseudonyms, Kind.PERSON),
        (context.places, Kind.LOCATION),
    ):
        for term in names:
            term = term.strip()
            if not term:
                continue
            yield from _occurrences(text, term, kind, 0.97, Source.STUDY)
            if kind is Kind.PERSON:  # each part of a full name is a name on its own
                for part in _TITLE_PREFIX.sub("", term).split():
                    part = part.strip(".,")
                    if len(part) > 1 and part.casefold() not in NOT_NAMES | TITLES:
                        yield from _occurrences(text, part, kind, 0.95, Source.STUDY)


def _occurrences(
    text: str, term: str, kind: Kind, confidence: float, source: Source, *, any_case: bool = True
) -> Iterator[Proposal]:
    """Whole-word occurrences of ``term`` (ignoring case unless told otherwise)."""
    flags = re.IGNORECASE if any_case else 0
    pattern = re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-]|['’]\w\w)", flags)
    for match in pattern.finditer(text):
        yield Proposal(match.start(), match.end(), kind, match.group(), confidence, source)


def _repeats(text: str, chosen: list[Proposal]) -> Iterator[Proposal]:
    """The words of confident names, places and organisations wherever else they occur."""
    terms: dict[str, tuple[Kind, bool, bool]] = {}  # term: (kind, any case, weak)
    for proposal in chosen:
        threshold = _REPEAT_KINDS.get(proposal.kind)
        if threshold is None or proposal.confidence < threshold:
            continue
        surface = proposal.text.strip()
        parts = [surface]
        if proposal.kind is Kind.PERSON:
            parts += [part for part in re.split(r"\s+", surface) if len(part) > 2]
        else:
            parts += _org_head(surface)
        sure = proposal.confidence >= 0.85 or proposal.source in _SURE_SOURCES
        for part in parts:
            folded = part.casefold()
            if folded in NOT_NAMES or folded in TITLES or len(part) < 2:
                continue
            # Words that are also ordinary words repeat only as written, and only capitalised.
            # So do words no list knows (a capitalised word mid-sentence, confidence < 0.6),
            # and the words of a name that are no first name unless the name was sure
            # ("Café José" is no reason to propose every "café").
            any_case = (
                (folded not in AMBIGUOUS_NAMES or folded in RARE_AS_WORDS)
                and proposal.confidence >= 0.6
                and (part == surface or sure or _is_first_name(folded))
            )
            if not any_case and not part[:1].isupper():
                continue
            weak = not any_case and (
                proposal.confidence < 0.6 or not (sure or _is_first_name(folded))
            )
            key = part if not any_case else folded
            if key not in terms or (terms[key][2] and not weak):
                terms[key] = (proposal.kind, any_case, weak)
    # Index the terms by their first word, then look each word of the text up once.
    by_first_word: dict[str, list[tuple[str, Kind, bool, bool]]] = {}
    for term, (kind, any_case, weak) in terms.items():
        first = _WORD.match(term)
        if first is not None:
            entry = (term, kind, any_case, weak)
            by_first_word.setdefault(first.group().casefold(), []).append(entry)
    for same_start in by_first_word.values():
        same_start.sort(key=lambda entry: -len(entry[0]))
    for word in _WORD.finditer(text):
        entries = by_first_word.get(word.group().casefold())
        if not entries:
            continue
        start = word.start()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_"):
            continue
        for term, kind, any_case, weak in entries:
            end = start + len(term)
            found = text[start:end]
            if (found.casefold() if any_case else found) != term:
                continue
            if _WORD_GOES_ON.match(text, end):
                continue
            if weak and begins_sentence(text, start):
                break  # a word no list knows, capitalised only because a sentence starts
            # "Will I...?", "May we...": a question, not the person named Will or May
            if term.casefold() in AMBIGUOUS_NAMES and _PRONOUN_AFTER.match(text, end):
                break
            yield Proposal(start, end, kind, found, 0.65, Source.REPEAT)
            break


def _org_head(surface: str) -> list[str]:
    """The distinctive head of an organisation or facility, as people shorten it: "Gerrity's"
    in "Gerrity's Pharmacy", "Hollister" in "Hollister Foods" (one capitalised word, no common
    word, before the organisation or facility word)."""
    words = surface.split()
    if len(words) != 2 or not words[0][:1].isupper():
        return []
    head, tail = words[0], words[1].casefold().rstrip(".")
    bare = re.sub(r"['’]s$", "", head).casefold()
    if tail not in ORG_WORDS and tail not in FACILITY_WORDS:
        return []
    if bare in NOT_NAMES or bare in ORG_WORDS or bare in FACILITY_WORDS or bare in NAME_PARTS:
        return []
    return [head]


_NUMBERED_SPEAKER = re.compile(
    r"(?:speaker|spk|voice|person|participant|respondent|subject|caller|unknown)\s*#?\s*\d{1,3}",
    re.IGNORECASE,
)
_SURE_SOURCES = frozenset({Source.SPEAKER_LABEL, Source.STUDY})
_WORD = re.compile(r"[^\W_]+")


def _is_first_name(folded: str) -> bool:
    common, other = first_names()
    key = fold(folded)
    return key in common or key in other


_WORD_GOES_ON = re.compile(r"[\w-]|['’]\w\w")
_PRONOUN_AFTER = re.compile(r" (?:I|you|we|he|she|they|it)\b")
