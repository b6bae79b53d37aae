"""What a REFI-QDA project or codebook holds, read leniently into plain dataclasses.

GUIDs are normalised (``{}`` and spaces removed, lower case) so that references written in
another case or with braces still resolve. Positions are kept as the producer wrote them; the
import converts them (``coding.exchange.refi.offsets``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

GUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def norm_guid(value: str | None) -> str:
    """A GUID as compared here: no braces or spaces, lower case ("" when missing)."""
    if not value:
        return ""
    return value.strip().strip("{}").strip().lower()


def is_guid(value: str) -> bool:
    return bool(GUID_PATTERN.match(value))


@dataclass
class RefiUser:
    guid: str
    name: str
    id: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id or f"user {self.guid[:8]}"


@dataclass
class RefiCode:
    guid: str
    name: str
    is_codable: bool
    color: str | None
    description: str
    parent_guid: str | None = None
    depth: int = 1
    children: list[RefiCode] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)


@dataclass
class RefiVariable:
    guid: str
    name: str
    type: str
    description: str


@dataclass
class RefiValue:
    variable_guid: str
    kind: str  # TextValue, BooleanValue, IntegerValue, FloatValue, DateValue, DateTimeValue
    value: str


@dataclass
class RefiCase:
    guid: str
    name: str
    description: str
    values: list[RefiValue] = field(default_factory=list)
    source_refs: list[str] = field(default_factory=list)


@dataclass
class RefiCoding:
    guid: str
    code_guid: str
    user_guid: str
    created: str
    note_refs: list[str] = field(default_factory=list)


@dataclass
class RefiSelection:
    guid: str
    name: str
    start: int | None
    end: int | None
    user_guid: str
    created: str
    description: str
    codings: list[RefiCoding] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    raw_start: str = ""
    raw_end: str = ""


@dataclass
class RefiTextSource:
    """A text-bearing source: a TextSource, the Transcript of an audio/video source, or the
    plain-text Representation of a PDF source."""

    guid: str
    name: str
    kind: str  # TextSource, Transcript, Representation
    plain_text_path: str
    rich_text_path: str
    plain_text_content: str | None
    user_guid: str
    created: str
    description: str
    parent_name: str = ""
    selections: list[RefiSelection] = field(default_factory=list)
    codings: list[RefiCoding] = field(default_factory=list)  # codings of the whole source
    note_refs: list[str] = field(default_factory=list)
    values: list[RefiValue] = field(default_factory=list)
    media_selections: int = 0  # PDF/audio/video selections of the parent, not importable

    @property
    def label(self) -> str:
        if self.kind == "TextSource":
            return self.name or f"source {self.guid[:8]}"
        return f"{self.parent_name or self.name} ({self.kind.lower()})"


@dataclass
class RefiOtherSource:
    """A source without text of its own (picture, PDF, audio, video), reported and skipped."""

    guid: str
    name: str
    kind: str
    path: str
    selections: int = 0
    codings: int = 0


@dataclass
class RefiNote:
    guid: str
    name: str
    content: str | None
    path: str
    user_guid: str
    created: str
    description: str


@dataclass
class RefiLink:
    guid: str
    name: str
    origin: str
    target: str


@dataclass
class RefiSet:
    guid: str
    name: str
    description: str
    member_codes: list[str] = field(default_factory=list)
    member_sources: list[str] = field(default_factory=list)
    member_notes: list[str] = field(default_factory=list)


@dataclass
class RefiProject:
    name: str
    origin: str
    namespace: str
    creating_user: str
    description: str
    users: list[RefiUser] = field(default_factory=list)
    codes: list[RefiCode] = field(default_factory=list)  # roots, children nested
    variables: list[RefiVariable] = field(default_factory=list)
    cases: list[RefiCase] = field(default_factory=list)
    text_sources: list[RefiTextSource] = field(default_factory=list)
    other_sources: list[RefiOtherSource] = field(default_factory=list)
    notes: list[RefiNote] = field(default_factory=list)
    links: list[RefiLink] = field(default_factory=list)
    sets: list[RefiSet] = field(default_factory=list)
    graphs: int = 0
    project_note_refs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # oddities met while reading

    def all_codes(self) -> Iterator[RefiCode]:
        """Every code, parents before their children (pre-order)."""
        return iter_codes(self.codes)

    def code_levels(self) -> int:
        return max((code.depth for code in self.all_codes()), default=0)

    def selection_count(self) -> int:
        return sum(len(source.selections) for source in self.text_sources)


def iter_codes(codes: list[RefiCode]) -> Iterator[RefiCode]:
    for code in codes:
        yield code
        yield from iter_codes(code.children)
