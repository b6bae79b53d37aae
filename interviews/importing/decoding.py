"""Turn uploaded bytes into normalised text, and refuse bytes that are not text at all.

Decoding order: a UTF-8 BOM means "utf-8-sig", a UTF-16 BOM (either byte order) means
"utf-16"; otherwise strict UTF-8, then (if allowed) strict Windows-1252 with a warning,
because that is what Word and Notepad on older Windows machines save.
"""

import unicodedata
from dataclasses import dataclass, field

from .errors import TranscriptError

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Leading bytes of file types people upload by mistake, with how to name them to the user.
MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\x7fELF", "a program (ELF executable)"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Word (.doc), other Office 97-2003 or password-protected file",
    ),
)
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

# Tab, line feed, vertical tab (Word's manual line break), form feed and carriage return are
# ordinary in text files; the other C0 control characters are not.
_ALLOWED_CONTROLS = frozenset("\t\n\x0b\x0c\r")
_MAX_CONTROL_SHARE = 0.05

_SAVE_AS_HINT = "Save the transcript as .txt, .md, .docx, .vtt, .srt or .rtf and upload that."


@dataclass(frozen=True)
class DecodedText:
    text: str  # normalised (see normalise_text)
    encoding: str
    warnings: list[str] = field(default_factory=list)


def sniff_binary(data: bytes, name: str, extension: str) -> None:
    """Raise if the bytes start like an image, PDF, program, archive or old Office file."""
    for magic, description in MAGIC_NUMBERS:
        if data.startswith(magic):
            raise TranscriptError(f"{name} is {description}, not a transcript. {_SAVE_AS_HINT}")
    if extension != ".docx" and data.startswith(ZIP_MAGIC):
        raise TranscriptError(
            f"{name} is a ZIP archive, not a text transcript. If it is a Word document, "
            "upload it with the .docx extension."
        )


def decode_bytes(data: bytes, name: str, *, encoding_fallback: bool) -> DecodedText:
    """Decode and normalise the bytes of a text format, following the module's order."""
    if data.startswith(UTF8_BOM):
        return DecodedText(_decode_with_bom(data, "utf-8-sig", name), "utf-8-sig")
    if data.startswith(UTF16_BOMS):
        return DecodedText(_decode_with_bom(data, "utf-16", name), "utf-16")
    try:
        return DecodedText(normalise_text(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    if not encoding_fallback:
        raise TranscriptError(
            f"{name} could not be decoded as UTF-8 ({_describe(utf8_error)}). "
            "Save it as UTF-8 text and upload it again."
        )
    try:
        text = data.decode("cp1252")  # strict: 0x81 0x8D 0x8F 0x90 0x9D are undefined
    except UnicodeDecodeError:
        raise TranscriptError(
            f"{name} could not be decoded as UTF-8 ({_describe(utf8_error)}) "
            "nor as Windows-1252. Save it as UTF-8 text and upload it again."
        ) from None
    warning = f"{name} is not UTF-8; read as Windows-1252 (cp1252). Check accented letters."
    return DecodedText(normalise_text(text), "cp1252", [warning])


def _decode_with_bom(data: bytes, codec: str, name: str) -> str:
    label = "UTF-8" if codec == "utf-8-sig" else "UTF-16"
    try:
        # Both codecs drop the BOM themselves; the utf-16 codec also picks the byte order from it.
        return normalise_text(data.decode(codec))
    except UnicodeDecodeError as error:
        raise TranscriptError(
            f"{name} starts with a {label} byte order mark but could not be decoded as "
            f"{label} ({_describe(error)}). Save it as UTF-8 text and upload it again."
        ) from None


def _describe(error: UnicodeDecodeError) -> str:
    bad = error.object[error.start : error.start + 1]
    return f"byte 0x{bad.hex().upper()} at position {error.start}"


def normalise_text(text: str) -> str:
    """Drop a BOM, make every line end "\\n" and compose characters (NFC).

    Offsets into transcripts always refer to the result, so this runs exactly once, before
    anything measures positions.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def check_looks_like_text(text: str, name: str) -> None:
    """Raise if decoded text still holds NUL bytes or is full of control characters.

    Runs after decoding because UTF-16 text legitimately has NUL bytes before it is decoded.
    """
    if "\x00" in text:
        raise TranscriptError(f"{name} contains binary data (NUL bytes), not text. {_SAVE_AS_HINT}")
    controls = sum(1 for char in text if char < " " and char not in _ALLOWED_CONTROLS)
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise TranscriptError(
            f"{name} contains binary data (many control characters), not text. {_SAVE_AS_HINT}"
        )
