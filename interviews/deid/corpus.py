"""The evaluation corpus: fictional transcripts with every identifier marked inline.

A marked identifier is written ``{KIND:text}`` (``{PERSON:Maria}``, ``{DATE:March 3rd}``);
``parse_marked`` strips the marks and returns the plain text with the gold spans. The files
are in ``corpus/dev`` (developed against) and ``corpus/test`` (held out: measured, never tuned
on). Files are UTF-8 and already normalised (NFC, ``\\n`` line ends).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .proposals import Kind

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
HALVES = ("dev", "test")
_MARK = re.compile(r"\{(?P<kind>[A-Z]+):(?P<text>[^{}]*)\}")


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    kind: Kind
    text: str


@dataclass(frozen=True)
class GoldDocument:
    name: str
    text: str
    spans: list[GoldSpan]


def parse_marked(marked: str, name: str = "") -> GoldDocument:
    """Plain text and gold spans from marked text; raise ValueError on a malformed mark."""
    parts: list[str] = []
    spans: list[GoldSpan] = []
    length = 0
    position = 0
    for match in _MARK.finditer(marked):
        before = marked[position : match.start()]
        parts.append(before)
        length += len(before)
        try:
            kind = Kind(match["kind"])
        except ValueError:
            raise ValueError(
                f"{name}: unknown kind {match['kind']!r} in {match.group()!r}"
            ) from None
        value = match["text"]
        if not value or value != value.strip():
            raise ValueError(f"{name}: empty or padded mark {match.group()!r}")
        spans.append(GoldSpan(length, length + len(value), kind, value))
        parts.append(value)
        length += len(value)
        position = match.end()
    parts.append(marked[position:])
    text = "".join(parts)
    stray = re.search(r"[{}]", text)
    if stray:
        raise ValueError(
            f"{name}: stray brace at {stray.start()}: "
            f"{text[max(0, stray.start() - 20) : stray.start() + 20]!r}"
        )
    return GoldDocument(name, text, spans)


def load_corpus(half: str) -> list[GoldDocument]:
    """The documents of one half ("dev" or "test"), in file-name order."""
    if half not in HALVES:
        raise ValueError(f"unknown corpus half {half!r}; one of {', '.join(HALVES)}")
    return [
        parse_marked(path.read_text(encoding="utf-8"), path.name)
        for path in sorted((CORPUS_DIR / half).glob("*.txt"))
    ]
