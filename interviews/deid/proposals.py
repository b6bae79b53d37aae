"""What the detector returns: proposed spans of identifiers, and what a study knows already."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Kind(enum.StrEnum):
    PERSON = "PERSON"
    LOCATION = "LOCATION"  # addresses, towns, counties, zip codes, named facilities
    DATE = "DATE"  # more specific than a month and year
    AGE = "AGE"  # over 89 only
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    URL = "URL"
    ID = "ID"  # record, insurance, social security, licence, device, account numbers
    ORG = "ORG"  # named employers and organisations


class Source(enum.StrEnum):
    """Why a span was proposed (what a reviewer may want to sort or filter by)."""

    SPEAKER_LABEL = "speaker_label"  # a name in a speaker label at a line start ("Maria:")
    STUDY = "study"  # the study's names list, pseudonyms or places list
    PATTERN = "pattern"  # a regular shape: e-mail, URL, phone, date, ID, address, zip code
    CONTEXT = "context"  # a cue around it: "Dr. X", "my daughter X", "lives in X", "X's"
    GAZETTEER = "gazetteer"  # a first-name or place list shipped by a package
    REPEAT = "repeat"  # the same words as a span found elsewhere in the text


@dataclass(frozen=True)
class Proposal:
    """A proposed identifier: ``text == normalised_text[start:end]`` (code points, half-open)."""

    start: int
    end: int
    kind: Kind
    text: str
    confidence: float  # 0..1: how sure the detector is that this is an identifier
    source: Source


@dataclass(frozen=True)
class DeidContext:
    """What the study knows: every string here is proposed wherever it occurs (any case).

    ``speaker_labels`` are the transcript's speaker names as the importer found them ("Dr. Patel",
    "Maria"); role labels such as "Interviewer" or "P1" are ignored. ``pseudonyms`` are the
    participants' pseudonyms, ``names`` the study's private list of real names, ``places`` the
    places the lead lists (towns, streets, clinics, employers).
    """

    speaker_labels: frozenset[str] = field(default_factory=frozenset)
    pseudonyms: frozenset[str] = field(default_factory=frozenset)
    names: frozenset[str] = field(default_factory=frozenset)
    places: frozenset[str] = field(default_factory=frozenset)
