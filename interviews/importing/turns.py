"""Speaker-turn detection for plain text (.txt, .md, and the text of .docx and .rtf files).

The text is read line by line. A line opens a new turn when it starts (after optional spaces
or tabs) with a speaker label in one of these shapes:

- ``Name: words`` or ``NAME: words``;
- ``Name (00:01:02): words``, ``Name (01:02): words`` or ``Name [00:01:02]: words``;
- ``[00:01:02] Name: words`` or ``00:01:02 Name: words`` (timestamp first);
- ``[Name] words`` or ``[Name]: words`` (a bracketed name, not a timestamp);
- in Markdown only, ``**Name:** words`` or ``**Name**: words`` (the asterisks stay in the text).

A name is 1-5 words and at most 40 characters; it starts with a letter and may contain letters
(accented ones too), digits, spaces, ``.``, ``-`` and apostrophes (straight or U+2019):
"Dr. Lee", "Patient 3", "Mrs O'Neill", "José". Timestamps are ``H:MM:SS``, ``HH:MM:SS`` or
``MM:SS``, optionally with ``.mmm`` or ``,mmm``, and are kept as milliseconds. A colon directly
followed by ``//`` (a URL) is not a label.

Guard against false positives. "Note: the clinic closed early" and "Diagnosis: flu" have the
``Name:`` shape but are not speakers, so a ``Name:`` (or bold) label only counts if

(a) it is written in capitals with at least two letters ("INT", "DR. LEE"), or
(b) it names a role: interviewer, int, i, q, a, r, p, pt, patient, respondent, participant,
    doctor, clinician, physician, nurse, np, pa, gp, provider, researcher, moderator, alone or
    numbered ("P1", "Patient 3"), or a title with a name ("Dr. Lee", "Nurse Jackie"), or
(c) it has a timestamp or is bracketed, or
(d) the same label (ignoring case) opens at least two lines in the text.

Bracketed transcriber notes such as "[inaudible]" or "[laughs]" at the start of a line are not
speakers.

Turns. A label with nothing after it on its line is fine: the turn's words start at the next
non-empty line. Lines that do not open a turn continue the current turn, so a turn can run over
several lines and paragraphs. Text before the first label, if not blank, is a turn whose speaker
is "". A turn's [start, end) runs from the first non-space character after its label to the
last non-space character before the next label's line, so blank lines between turns belong to
no turn. Turns with no words are dropped. Speaker labels are returned as written, trimmed,
without the colon, brackets, asterisks or timestamp.
"""

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from .labels import role_word
from .result import ParsedTurn

TIMESTAMP = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# Words of letters/digits joined by spaces, dots, apostrophes (also U+2019) or hyphens. Word
# and joiner characters never overlap, which keeps the regex from backtracking badly on long
# lines that hold no label.
NAME = r"[^\W\d_][^\W_]*(?:[ .'\u2019-]+[^\W_]+)*\.?"
MAX_NAME_LENGTH = 40
MAX_NAME_WORDS = 5
LABEL_WINDOW = 160  # characters after the indentation that can hold a label

_LEADING_TIMESTAMP = re.compile(
    rf"[ \t]*(?:\[(?P<ts>{TIMESTAMP})\]|(?P<bare_ts>{TIMESTAMP}))[ \t]+(?P<name>{NAME})[ \t]*:"
)
_TRAILING_TIMESTAMP = re.compile(
    rf"[ \t]*(?P<name>{NAME})[ \t]*(?:\((?P<ts>{TIMESTAMP})\)|\[(?P<bare_ts>{TIMESTAMP})\])[ \t]*:"
)
_BRACKETED = re.compile(rf"[ \t]*\[(?P<name>{NAME})\](?:[ \t]*:)?")
_BOLD = re.compile(rf"[ \t]*\*\*(?P<name>{NAME})(?::\*\*|\*\*[ \t]*:)")
_PLAIN = re.compile(rf"[ \t]*(?P<name>{NAME})[ \t]*:(?!//)")

# Bracketed notes transcribers put at the start of a line; they are not speakers.
TRANSCRIBER_NOTES = frozenset(
    {
        "applause",
        "background noise",
        "break",
        "cough",
        "coughs",
        "crosstalk",
        "cross talk",
        "end",
        "end of interview",
        "inaudible",
        "indistinct",
        "interruption",
        "laughs",
        "laughing",
        "laughter",
        "long pause",
        "music",
        "name",
        "noise",
        "overlap",
        "overlapping",
        "pause",
        "redacted",
        "sigh",
        "sighs",
        "silence",
        "unclear",
    }
)


@dataclass(frozen=True)
class Label:
    """A speaker label found at the start of a line."""

    name: str
    line_start: int  # offset of the line the label opens
    body_start: int  # offset just after the label
    timestamp_ms: int | None
    explicit: bool  # timestamped or bracketed: trusted without the false-positive guard


def detect_turns(
    text: str, *, markdown: bool = False, known_speakers: frozenset[str] = frozenset()
) -> list[ParsedTurn]:
    """Split normalised text into speaker turns, following the rules in the module docstring.

    ``known_speakers`` are names the layout already marks as speakers (the first column of a
    two-column Word table); their ``Name:`` labels are trusted like role words.
    """
    candidates = list(_find_labels(text, markdown=markdown))
    openings = Counter(label.name.casefold() for label in candidates)
    known = {speaker.casefold() for speaker in known_speakers}
    labels = [label for label in candidates if _is_trusted(label, openings, known)]

    turns: list[ParsedTurn] = []
    first_label_line = labels[0].line_start if labels else len(text)
    _append_turn(turns, text, "", 0, first_label_line, None)
    for index, label in enumerate(labels):
        end = labels[index + 1].line_start if index + 1 < len(labels) else len(text)
        _append_turn(turns, text, label.name, label.body_start, end, label.timestamp_ms)
    return turns


def parse_timestamp(value: str) -> int | None:
    """Milliseconds for "HH:MM:SS", "H:MM:SS" or "MM:SS" with optional ".mmm"/",mmm"."""
    clock, _, fraction = value.replace(",", ".").partition(".")
    parts = [int(part) for part in clock.split(":")]
    hours, minutes, seconds = parts if len(parts) == 3 else [0, *parts]
    # MM:SS may run past an hour ("75:30"); with hours, minutes must be a clock reading.
    if seconds >= 60 or (len(parts) == 3 and minutes >= 60):
        return None
    milliseconds = int(fraction.ljust(3, "0")) if fraction else 0
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + milliseconds


def is_name(name: str) -> bool:
    """Whether a label fits the size limits of a speaker name."""
    return len(name) <= MAX_NAME_LENGTH and 1 <= len(name.split()) <= MAX_NAME_WORDS


def _lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def _find_labels(text: str, *, markdown: bool) -> Iterator[Label]:
    for line_start, line in _lines(text):
        label = _match_label(line, markdown=markdown)
        if label is not None:
            name, end, timestamp_ms, explicit = label
            yield Label(name, line_start, line_start + end, timestamp_ms, explicit)


def _match_label(line: str, *, markdown: bool) -> tuple[str, int, int | None, bool] | None:
    """The label opening this line as (name, end offset in line, timestamp, explicit)."""
    # A label fits in its indentation plus a short window; matching only that keeps a
    # megabyte-long paragraph line from being scanned by every pattern.
    indent = len(line) - len(line.lstrip(" \t"))
    line = line[: indent + LABEL_WINDOW]
    for pattern in (_LEADING_TIMESTAMP, _TRAILING_TIMESTAMP):
        match = pattern.match(line)
        if match and is_name(match["name"]):
            timestamp_ms = parse_timestamp(match["ts"] or match["bare_ts"])
            if timestamp_ms is not None:
                return match["name"], match.end(), timestamp_ms, True
    match = _BRACKETED.match(line)
    if match and is_name(match["name"]) and match["name"].casefold() not in TRANSCRIBER_NOTES:
        return match["name"], match.end(), None, True
    for pattern in (_BOLD, _PLAIN) if markdown else (_PLAIN,):
        match = pattern.match(line)
        if match and is_name(match["name"]):
            return match["name"], match.end(), None, False
    return None


def _is_trusted(label: Label, openings: Counter[str], known: set[str]) -> bool:
    return (
        label.explicit
        or label.name.casefold() in known
        or _is_capitals(label.name)
        or role_word(label.name) is not None
        or openings[label.name.casefold()] >= 2
    )


def _is_capitals(name: str) -> bool:
    letters = [char for char in name if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def _append_turn(
    turns: list[ParsedTurn],
    text: str,
    speaker: str,
    start: int,
    end: int,
    timestamp_ms: int | None,
) -> None:
    """Add the turn text[start:end] minus surrounding whitespace, unless nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        turns.append(ParsedTurn(speaker, start, end, timestamp_ms))
