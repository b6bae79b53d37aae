"""WebVTT (.vtt) and SubRip (.srt) captions turned into a transcript.

Captions cut speech into short cues, so the text is rebuilt rather than kept: one line per
turn, "Speaker: words" (or just "words" when nobody is named), lines joined with "\\n".

- The speaker of a cue line comes from a WebVTT voice tag (``<v Name>``, ``<v.loud Name>``) or
  else from a leading ``Name:`` (same name shape as in plain text, but trusted as is: at the
  start of a cue a label is what it looks like). Other tags (``<b>``, ``<i>``, ``<c.x>``,
  ``<font>``, SubRip's ``{\\an8}``) are dropped, and WebVTT character references are decoded.
- A line without a speaker continues whoever spoke last (cues split sentences), or is
  unlabelled ("") at the start of the file.
- Lines within a cue, and consecutive cues of the same speaker, merge into one turn with their
  words joined by single spaces; the turn keeps the start time of its first cue.
"""

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass, field

import srt
import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from .errors import TranscriptError
from .result import ParsedTurn
from .turns import NAME, is_name

# No class or name may hold "<": each search attempt stops at the next "<" and stays linear
# on lines of unclosed "<" (as webvtt's own tag stripping does); classes hold no ".", so
# "<v.a.a.a" has one way to match.
_VOICE = re.compile(r"<v(?:\.[^\s.<>]+)*[ \t]+(?P<name>[^<>]+)>")
_TAG = re.compile(r"<[^<>]*>")
_SRT_OVERRIDE = re.compile(r"\{\\[^}]*\}")  # SubRip/ASS positioning such as {\an8}
_LEADING_LABEL = re.compile(rf"(?P<name>{NAME})[ \t]*:(?!//)")
_MAX_ERROR_DETAIL = 80


@dataclass(frozen=True)
class Cue:
    start_ms: int
    lines: list[str]  # as written, tags included


@dataclass
class _Turn:
    speaker: str
    timestamp_ms: int
    words: list[str] = field(default_factory=list)


def vtt_cues(text: str, name: str) -> list[Cue]:
    """The cues of a WebVTT file; malformed cues are an error, not skipped."""
    if not text.startswith("WEBVTT"):
        raise TranscriptError(
            f'{name} is not a WebVTT file: its first line must start with "WEBVTT".'
        )
    try:
        captions = webvtt.WebVTT.from_string(text, strict=True).captions
    except (MalformedFileError, MalformedCaptionError) as error:
        raise TranscriptError(f"{name} has a malformed WebVTT cue: {_shorten(error)}") from None
    # Timestamp.in_milliseconds is exact; start_in_seconds would drop the milliseconds.
    return [Cue(caption.start_time.in_milliseconds(), list(caption.lines)) for caption in captions]


def srt_cues(text: str, name: str) -> list[Cue]:
    """The cues of a SubRip file; text that is not part of a cue is an error."""
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as error:
        if error.expected_start == 0:
            raise TranscriptError(
                f"{name} has no subtitle cues that could be read; is it a SubRip (.srt) file?"
            ) from None
        line = text.count("\n", 0, error.expected_start) + 1
        raise TranscriptError(
            f"{name} is not a valid SubRip (.srt) file: cannot read the cue at line {line}."
        ) from None
    except ValueError as error:  # srt.TimestampParseError
        raise TranscriptError(
            f"{name} has a malformed SubRip timestamp: {_shorten(error)}"
        ) from None
    return [
        Cue(subtitle.start // dt.timedelta(milliseconds=1), subtitle.content.split("\n"))
        for subtitle in subtitles
    ]


def caption_transcript(cues: list[Cue], *, vtt: bool) -> tuple[str, list[ParsedTurn]]:
    """Rebuild the text as one "Speaker: words" line per turn, with the turns' offsets."""
    turns = _merge_turns(cues, vtt=vtt)
    lines: list[str] = []
    parsed: list[ParsedTurn] = []
    offset = 0
    for turn in turns:
        body = " ".join(turn.words)
        prefix = f"{turn.speaker}: " if turn.speaker else ""
        start = offset + len(prefix)
        parsed.append(ParsedTurn(turn.speaker, start, start + len(body), turn.timestamp_ms))
        lines.append(prefix + body)
        offset += len(prefix) + len(body) + 1
    return "\n".join(lines), parsed


def _merge_turns(cues: list[Cue], *, vtt: bool) -> list[_Turn]:
    turns: list[_Turn] = []
    for cue in cues:
        for line in cue.lines:
            named, words = _speaker_and_words(line, vtt=vtt)
            current = turns[-1] if turns else None
            speaker = named if named is not None else (current.speaker if current else "")
            if current is None or speaker != current.speaker:
                if current is not None and not current.words:
                    turns.pop()  # named but said nothing: let its neighbours merge
                if not turns or turns[-1].speaker != speaker:
                    turns.append(_Turn(speaker, cue.start_ms))
            if words:
                turns[-1].words.append(words)
    return [turn for turn in turns if turn.words]


def _speaker_and_words(line: str, *, vtt: bool) -> tuple[str | None, str]:
    """The speaker a cue line names (None if it names nobody) and its words, tags removed."""
    voice = _VOICE.search(line) if vtt else None
    text = _TAG.sub("", line)
    text = html.unescape(text) if vtt else _SRT_OVERRIDE.sub("", text)
    # Character references can decode to decomposed letters; the transcript text is NFC.
    words = unicodedata.normalize("NFC", " ".join(text.split()))
    if voice:
        speaker = " ".join(html.unescape(voice["name"]).split())
        return unicodedata.normalize("NFC", speaker), words
    label = _LEADING_LABEL.match(words)
    if label and is_name(label["name"]):
        return label["name"], words[label.end() :].strip()
    return None, words


def _shorten(error: Exception) -> str:
    detail = " ".join(str(error).split())
    if len(detail) > _MAX_ERROR_DETAIL:
        detail = detail[: _MAX_ERROR_DETAIL - 1] + "…"
    return detail
