"""``parse_transcript``: check the upload, pick the format by extension, return text and turns."""

import posixpath

from .captions import caption_transcript, srt_cues, vtt_cues
from .decoding import check_looks_like_text, decode_bytes, normalise_text, sniff_binary
from .errors import TranscriptError
from .formats import docx_text, rtf_text
from .result import ParsedTranscript, ParsedTurn
from .turns import detect_turns

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".docx", ".vtt", ".srt", ".rtf")


def parse_transcript(
    data: bytes,
    filename: str,
    *,
    max_bytes: int,
    encoding_fallback: bool = True,
    known_speakers: frozenset[str] = frozenset(),
) -> ParsedTranscript:
    """Decode and split an uploaded transcript; raise TranscriptError for anything unusable.

    Cheap checks come first (extension, emptiness, size, magic numbers) so that nothing big
    or binary reaches a decoder or a library. ``known_speakers`` (from the user's speaker map)
    count as speaker labels even where they open only one line.
    """
    name = display_name(filename)
    extension = _extension(name)
    if not data:
        raise TranscriptError(f"{name} is empty (0 bytes).")
    if len(data) > max_bytes:
        raise TranscriptError(
            f"{name} is {_sizes(len(data), max_bytes)} (HEALING_MAX_UPLOAD_BYTES)."
        )
    sniff_binary(data, name, extension)
    source_format = extension.removeprefix(".")

    warnings: list[str] = []
    encoding: str | None
    if source_format == "docx":
        extracted = docx_text(data, name, max_bytes=max_bytes)
        text, encoding = normalise_text(extracted.text), None
        turns = detect_turns(text, known_speakers=extracted.table_speakers | known_speakers)
    elif source_format == "rtf":
        raw, encoding = rtf_text(data, name)
        text = normalise_text(raw)
        check_looks_like_text(text, name)
        turns = detect_turns(text, known_speakers=known_speakers)
    else:
        decoded = decode_bytes(data, name, encoding_fallback=encoding_fallback)
        check_looks_like_text(decoded.text, name)
        if not decoded.text.strip():
            raise TranscriptError(f"{name} contains only blank space, no transcript text.")
        encoding, warnings = decoded.encoding, decoded.warnings
        text, turns = _text_and_turns(decoded.text, name, source_format, known_speakers)

    if not turns:
        raise TranscriptError(f"{name} contains no transcript text.")
    return ParsedTranscript(text, turns, source_format, encoding, warnings)


def _text_and_turns(
    text: str, name: str, source_format: str, known_speakers: frozenset[str]
) -> tuple[str, list[ParsedTurn]]:
    if source_format == "vtt":
        return caption_transcript(vtt_cues(text, name), vtt=True)
    if source_format == "srt":
        return caption_transcript(srt_cues(text, name), vtt=False)
    return text, detect_turns(text, markdown=source_format == "md", known_speakers=known_speakers)


def display_name(filename: str) -> str:
    """The file's own name, without any folders, for messages ("C:\\x\\a.txt" -> "a.txt")."""
    return posixpath.basename(filename.replace("\\", "/")) or filename


def _extension(name: str) -> str:
    extension = posixpath.splitext(name)[1].lower()
    if extension not in SUPPORTED_EXTENSIONS:
        kind = f"a {extension} file" if extension else "a file without an extension"
        raise TranscriptError(
            f"{name} is {kind}; transcripts are read from "
            f"{', '.join(SUPPORTED_EXTENSIONS[:-1])} and {SUPPORTED_EXTENSIONS[-1]} files."
        )
    return extension


def _sizes(size: int, limit: int) -> str:
    """Both sizes in MB ("12.3 MB; the limit is 10.0 MB"), or in bytes if they would look equal."""
    size_text, limit_text = f"{size / 1_000_000:.1f} MB", f"{limit / 1_000_000:.1f} MB"
    if size_text == limit_text:
        size_text, limit_text = f"{size:,} bytes", f"{limit:,} bytes"
    return f"{size_text}; the limit is {limit_text}"
