"""Text out of Word (.docx) and Rich Text (.rtf) files; turns are found afterwards as for .txt."""

import io
import unicodedata
import zipfile
from dataclasses import dataclass

import docx
from docx.table import Table
from striprtf.striprtf import rtf_to_text

from .decoding import UTF8_BOM
from .errors import TranscriptError
from .labels import clean_label

# Zip-bomb limits, checked on the zip directory before anything is inflated. A real .docx
# unpacks to a few times its size; its XML compresses maybe 5-20x.
MAX_INFLATION_FACTOR = 20  # all entries together may unpack to at most this times max_bytes
MAX_COMPRESSION_RATIO = 100  # per entry, once it is big enough for the ratio to matter
RATIO_CHECK_MIN_BYTES = 1_000_000

_DOCX_HINT = "Open it in Word and save it again as .docx."
# First cells of a header row in a "Speaker | Words" table.
_HEADER_WORDS = frozenset({"speaker", "name", "who"})


@dataclass(frozen=True)
class DocxText:
    text: str
    # Names from the speaker column of "Speaker | Words" tables: the layout says they are
    # speakers, so turn detection trusts them without its false-positive guard.
    table_speakers: frozenset[str]


def docx_text(data: bytes, name: str, *, max_bytes: int) -> DocxText:
    """Paragraphs (tables included, in document order) joined with "\\n"."""
    check_docx_zip(data, name, max_bytes=max_bytes)
    lines: list[str] = []
    speakers: set[str] = set()
    try:
        document = docx.Document(io.BytesIO(data))
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_lines(block, speakers))
            else:
                lines.append(block.text)
    except Exception as error:  # python-docx fails in many ways (KeyError, lxml, ValueError...)
        raise TranscriptError(
            f"{name} is not a valid Word .docx file ({type(error).__name__}). {_DOCX_HINT}"
        ) from None
    return DocxText("\n".join(lines), frozenset(speakers))


def check_docx_zip(data: bytes, name: str, *, max_bytes: int) -> None:
    """Refuse a .docx that is not a zip, or whose entries would inflate too far."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise TranscriptError(f"{name} is not a valid Word .docx file. {_DOCX_HINT}") from None
    total = sum(entry.file_size for entry in entries)
    if total > MAX_INFLATION_FACTOR * max_bytes:
        raise TranscriptError(
            f"{name} would unpack to {total / 1_000_000:.1f} MB, more than a Word document "
            "should; it may be a zip bomb and was not opened."
        )
    for entry in entries:
        if (
            entry.file_size > RATIO_CHECK_MIN_BYTES
            and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
        ):
            raise TranscriptError(
                f"{name} contains a part ({entry.filename}) compressed more than "
                f"{MAX_COMPRESSION_RATIO}:1; it may be a zip bomb and was not opened."
            )


def _table_lines(table: Table, speakers: set[str]) -> list[str]:
    rows = [_distinct_cells(row.cells) for row in table.rows]
    if not rows or any(len(cells) != 2 for cells in rows):
        return [cell.text for cells in rows for cell in cells]
    # "Speaker | Words" layout: one "Speaker: words" line per row.
    if clean_label(rows[0][0].text).casefold() in _HEADER_WORDS:
        rows = rows[1:]
    lines = []
    for speaker_cell, words_cell in rows:
        speaker = " ".join(clean_label(speaker_cell.text).split())  # one line, single spaces
        words = words_cell.text.strip()
        if speaker:
            speakers.add(unicodedata.normalize("NFC", speaker))
            lines.append(f"{speaker}: {words}")
        else:
            lines.append(words)  # no speaker: the previous row's turn goes on
    return lines


def _distinct_cells(cells: tuple[docx.table._Cell, ...]) -> list[docx.table._Cell]:
    """python-docx repeats a merged cell for each grid column it spans; keep it once."""
    distinct: list[docx.table._Cell] = []
    for cell in cells:
        if not distinct or cell._tc is not distinct[-1]._tc:
            distinct.append(cell)
    return distinct


def rtf_text(data: bytes, name: str) -> tuple[str, str]:
    """The plain text of an RTF document and the encoding its bytes were read with.

    RTF is 7-bit text with escapes (\\'xx, \\uN); raw 8-bit bytes, when a writer leaves them,
    are in the document's ANSI code page, which is Windows-1252 unless it says otherwise, so
    no warning and no ``encoding_fallback`` apply here.
    """
    has_bom = data.startswith(UTF8_BOM)
    data = data.removeprefix(UTF8_BOM)
    if not data.lstrip().startswith(b"{\\rtf"):
        raise TranscriptError(
            f"{name} is not an RTF document (it does not start with {{\\rtf). "
            "Save it from your word processor as Rich Text Format and upload it again."
        )
    try:
        source, encoding = data.decode("utf-8"), "utf-8-sig" if has_bom else "utf-8"
    except UnicodeDecodeError:
        source, encoding = data.decode("cp1252", errors="replace"), "cp1252"
    try:
        text: str = rtf_to_text(source)
    except Exception as error:  # striprtf raises whatever its decoding hits
        raise TranscriptError(
            f"{name} could not be read as RTF ({type(error).__name__}). "
            "Save it from your word processor as Rich Text Format and upload it again."
        ) from None
    return _join_surrogates(text), encoding


def _join_surrogates(text: str) -> str:
    """Combine the UTF-16 surrogate pairs striprtf leaves for \\uN escapes of emoji and other
    characters beyond U+FFFF ("\\u-10179?\\u-8704?"); a lone surrogate becomes U+FFFD.

    Left alone they would make the text impossible to encode as UTF-8 later.
    """
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
