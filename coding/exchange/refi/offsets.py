"""Source texts and selection positions from other tools, turned into ours.

Our texts are normalised once (no BOM, ``\\n`` line ends, Unicode NFC) and positions are code
points into that text, half-open ``[start, end)``. Tools count differently (NOTES §6):

- the standard, MAXQDA, Taguette, QualCoder, Healing: code points over the text as stored;
- NVivo: UTF-16 code units (an emoji counts 2) over the text as stored (a CRLF counts 2);
- ATLAS.ti: code points over the text with CRLF counted as one character.

``PositionMap`` maps a producer's positions through each step (UTF-16 units to code points,
CRLF to LF, NFC composition) to offsets into the normalised text. A position that falls inside
a surrogate pair, between CR and LF or inside a character that NFC composes is moved to the
nearest boundary outward (start earlier, end later) and counted as adjusted.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

CODEPOINTS = "codepoints"
UTF16 = "utf16"
CRLF_AS_TWO = "crlf2"
CRLF_AS_ONE = "crlf1"

_CRLF = re.compile("\r\n")


@dataclass
class DecodedSource:
    raw: str  # without BOM, line ends as stored
    encoding: str
    notes: list[str] = field(default_factory=list)


def decode_source(data: bytes) -> DecodedSource:
    """A plain-text source file's text: UTF-8 (with or without BOM), UTF-16 with BOM, else
    Windows-1252 with a note. Raises UnicodeDecodeError if none fits."""
    if data.startswith(UTF8_BOM):
        return DecodedSource(data[3:].decode("utf-8"), "utf-8-sig", ["UTF-8 byte order mark"])
    if data.startswith(UTF16_BOMS):
        return DecodedSource(data.decode("utf-16"), "utf-16", ["UTF-16 text"])
    try:
        return DecodedSource(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
        return DecodedSource(text, "cp1252", ["not UTF-8: read as Windows-1252"])


def normalise(text: str) -> str:
    """The same normalisation as transcript import (interviews.importing.decoding)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def unit_for_origin(origin: str) -> tuple[str, str]:
    """How the tool named in ``Project@origin`` counts positions: (unit, line-end rule)."""
    lowered = origin.strip().lower()
    if lowered.startswith("nvivo"):
        return UTF16, CRLF_AS_TWO
    if lowered.startswith("atlas.ti") or lowered.startswith("atlas"):
        return CODEPOINTS, CRLF_AS_ONE
    return CODEPOINTS, CRLF_AS_TWO


def describe_unit(unit: str, crlf: str) -> str:
    what = "UTF-16 code units" if unit == UTF16 else "code points"
    return f"{what}, a CRLF line end counted as {'two' if crlf == CRLF_AS_TWO else 'one'}"


class PositionMap:
    """Maps positions counted by a producer over ``raw`` to code points in ``self.text``."""

    def __init__(self, raw: str, *, unit: str = CODEPOINTS, crlf: str = CRLF_AS_TWO) -> None:
        raw = raw.removeprefix("\ufeff")
        self.unit, self.crlf = unit, crlf
        self.crlf_collapsed = crlf == CRLF_AS_ONE and "\r\n" in raw
        produced = raw.replace("\r\n", "\n") if crlf == CRLF_AS_ONE else raw
        self._length = len(produced)
        # UTF-16: unit offset of the j-th astral character is its index plus j.
        self._astral_units: list[int] = []
        self._astral_index: list[int] = []
        if unit == UTF16:
            for index, char in enumerate(produced):
                if ord(char) > 0xFFFF:
                    self._astral_units.append(index + len(self._astral_index))
                    self._astral_index.append(index)
        self.total_units = self._length + len(self._astral_index)
        # CR of each CRLF still in the produced text: it disappears in the LF text.
        self._crs = [match.start() for match in _CRLF.finditer(produced)]
        lf = produced.replace("\r\n", "\n").replace("\r", "\n")
        self._lf_length = len(lf)
        self.text = unicodedata.normalize("NFC", lf)
        self.reliable = True
        self._segments: list[int] | None = None
        self._segment_targets: list[int] = []
        if self.text != lf:
            self._build_segments(lf)

    @property
    def had_astral(self) -> bool:
        return bool(self._astral_index)

    @property
    def had_crlf(self) -> bool:
        return bool(self._crs) or self.crlf_collapsed

    @property
    def nfc_changed(self) -> bool:
        return self._segments is not None

    @property
    def is_identity(self) -> bool:
        return not self._astral_index and not self._crs and self._segments is None

    def _build_segments(self, lf: str) -> None:
        starts: list[int] = []
        for index, char in enumerate(lf):
            code = ord(char)
            if unicodedata.combining(char) == 0 and not 0x1161 <= code <= 0x11C2:
                starts.append(index)
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        targets: list[int] = []
        pieces: list[str] = []
        length = 0
        for number, start in enumerate(starts):
            end = starts[number + 1] if number + 1 < len(starts) else len(lf)
            targets.append(length)
            piece = unicodedata.normalize("NFC", lf[start:end])
            pieces.append(piece)
            length += len(piece)
        if "".join(pieces) != self.text:
            self.reliable = False  # composition across segments we did not foresee
        self._segments = starts
        self._segment_targets = targets

    def convert(self, start: int, end: int) -> tuple[int, int, bool] | None:
        """``[start, end)`` in the producer's units as code points in ``self.text``, and
        whether a boundary had to move; None when a position is outside the text."""
        if start < 0 or end < 0 or start > self.total_units or end > self.total_units:
            return None
        first, moved_first = self._to_index(start, outward_left=True)
        last, moved_last = self._to_index(end, outward_left=False)
        first, last = self._to_lf(first), self._to_lf(last)
        first, moved_nfc_first = self._to_nfc(first, outward_left=True)
        last, moved_nfc_last = self._to_nfc(last, outward_left=False)
        moved = moved_first or moved_last or moved_nfc_first or moved_nfc_last
        return first, last, moved

    def _to_index(self, position: int, *, outward_left: bool) -> tuple[int, bool]:
        if not self._astral_units:
            return position, False
        before = bisect.bisect_left(self._astral_units, position)
        if before and self._astral_units[before - 1] + 1 == position:
            index = self._astral_index[before - 1]  # inside a surrogate pair
            return (index if outward_left else index + 1), True
        return position - before, False

    def _to_lf(self, index: int) -> int:
        return index - bisect.bisect_left(self._crs, index) if self._crs else index

    def _to_nfc(self, index: int, *, outward_left: bool) -> tuple[int, bool]:
        if self._segments is None:
            return index, False
        if index >= self._lf_length:
            return len(self.text), False
        number = bisect.bisect_right(self._segments, index) - 1
        if number < 0:
            return 0, False
        if self._segments[number] == index:
            return self._segment_targets[number], False
        if outward_left:
            return self._segment_targets[number], True
        following = number + 1
        target = (
            self._segment_targets[following]
            if following < len(self._segment_targets)
            else len(self.text)
        )
        return target, True


def informative_name(name: str) -> str:
    """A selection's name as the start of its text ("" when it is a label like "Quotation
    6:1" or too short to tell anything)."""
    clean = " ".join(name.split()).rstrip("…").rstrip(".").strip()
    if len(clean) < 4 or re.match(r"^(quotation|selection|segment|coding)\b", clean, re.I):
        return ""
    return clean


def name_matches(text: str, start: int, end: int, name: str) -> bool:
    """Whether a selection's name is the start of the selected text (ATLAS.ti and QualCoder
    name a selection by its first words, often ending in "…")."""
    clean = informative_name(name)
    return bool(clean) and " ".join(text[start:end].split()).startswith(clean)
