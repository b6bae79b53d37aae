"""Transcript parsing: uploaded bytes in, normalised text and speaker turns out.

Pure Python, no Django models: ``parse_transcript`` checks and decodes an upload (.txt, .md,
.docx, .vtt, .srt, .rtf) and finds the speaker turns; ``guess_speaker_roles`` proposes a role
for each speaker. Every bad input raises ``TranscriptError`` with one line naming the file.
The turn-detection rules are documented in ``interviews.importing.turns``.
"""

from .errors import TranscriptError
from .parser import SUPPORTED_EXTENSIONS, parse_transcript
from .result import ParsedTranscript, ParsedTurn
from .roles import guess_speaker_roles

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "ParsedTranscript",
    "ParsedTurn",
    "TranscriptError",
    "guess_speaker_roles",
    "parse_transcript",
]
