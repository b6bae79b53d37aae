"""Reading the file: gzip (with a zip bomb guard), JSON, the format and version, then its shape."""

from __future__ import annotations

import gzip
import json
import zlib
from typing import Any

from django.conf import settings

from coding.exchange.study_import.errors import StudyImportError
from coding.exchange.study_import.schema import check_shape
from coding.exchange.study_json import FORMAT, VERSION

# A gzipped file may unpack to at most this many times the upload limit (a zip bomb guard).
GZIP_RATIO_LIMIT = 20


def parse_document(data: bytes) -> dict[str, Any]:
    """Parse the file (JSON, or gzipped JSON) and check it is a whole-study export we read."""
    if data[:2] == b"\x1f\x8b":
        limit = settings.HEALING_MAX_UPLOAD_BYTES * GZIP_RATIO_LIMIT
        try:
            unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data = unpacker.decompress(data, limit + 1)
        except (zlib.error, gzip.BadGzipFile) as exc:
            raise StudyImportError(f"The gzipped file is damaged ({exc}).") from None
        if len(data) > limit or unpacker.unconsumed_tail:
            raise StudyImportError(
                f"The gzipped file unpacks to more than {limit / 1_000_000:.0f} MB; refused."
            )
        if not unpacker.eof:
            raise StudyImportError("The gzipped file is damaged or cut short.")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise StudyImportError("The file is not UTF-8 text.") from None
    except (ValueError, RecursionError) as exc:
        raise StudyImportError(f"The file is not valid JSON ({exc}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StudyImportError(f'This is not a whole-study export (expected "format": "{FORMAT}").')
    if document.get("version") != VERSION:
        raise StudyImportError(
            f"This file is version {document.get('version')!r} of the format; "
            f"this server reads version {VERSION}."
        )
    return document


def load_document(data: bytes) -> dict[str, Any]:
    """Parse the file and check its shape against ``STUDY_SCHEMA``."""
    document = parse_document(data)
    check_shape(document)
    return document
