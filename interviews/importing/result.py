"""What the parser returns: the normalised text and the speaker turns found in it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ParsedTurn:
    """One speaker turn, as code-point offsets into ``ParsedTranscript.text``."""

    speaker: str  # label as written, stripped; "" for unlabelled text
    start: int  # where what was said begins (after the label)
    end: int  # exclusive; trailing whitespace excluded; always > start
    timestamp_ms: int | None


@dataclass(frozen=True)
class ParsedTranscript:
    """A decoded, normalised transcript and its speaker turns."""

    text: str  # no BOM, "\n" line ends, NFC; every offset refers to this string
    turns: list[ParsedTurn]  # in text order, non-overlapping
    source_format: str  # "txt" | "md" | "docx" | "vtt" | "srt" | "rtf"
    encoding: str | None  # "utf-8", "utf-8-sig", "utf-16", "cp1252"; None for docx
    warnings: list[str]

    @property
    def word_count(self) -> int:
        return len(self.text.split())
