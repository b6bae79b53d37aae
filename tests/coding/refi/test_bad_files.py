"""Bad files get a clear error and change nothing: not a zip, a zip without a .qde, malformed
XML, zip bombs, paths that escape the archive, entity expansion, and more."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from coding.exchange.refi.archive import Limits
from coding.exchange.refi.errors import RefiError
from coding.exchange.refi.imports import qdc_import, qdpx_import, qdpx_inspect
from coding.models import Code, Coding, Memo
from healing.audit.models import AuditEvent
from interviews.models import Dyad, Interview, Study
from tests.coding.refi.conftest import make_qdpx, project_xml

pytestmark = pytest.mark.django_db

GUID = "11111111-2222-3333-4444-555555555555"
CODE = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
VALID = project_xml(
    f'<CodeBook><Codes><Code guid="{CODE}" name="Trust" isCodable="true"/></Codes></CodeBook>'
    f'<Sources><TextSource guid="{GUID}" name="A" plainTextPath="internal://{GUID}.txt"/></Sources>'
)


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _encrypted(data: bytes) -> bytes:
    """The zip with the "encrypted" flag set on its entries (local and central headers)."""
    raw = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = raw.find(signature)
        while at >= 0:
            raw[at + offset] |= 0x1
            at = raw.find(signature, at + 4)
    return bytes(raw)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>"""

BAD_FILES = {
    "not a zip": (b"hello, this is not a zip archive at all", "not a .qdpx file"),
    "empty": (b"", "empty"),
    "broken zip": (b"PK\x03\x04" + b"\x00" * 40, "not a readable ZIP"),
    "zip without a .qde": (_zip({"sources/a.txt": b"text"}), "without a project.qde"),
    "two .qde files": (
        _zip({"a.qde": VALID.encode(), "b.qde": VALID.encode()}),
        "several project files",
    ),
    "malformed XML": (_zip({"project.qde": b"<Project><Users>"}), "not well-formed XML"),
    "bare malformed XML": (b"<Project name='x'><Users></Project>", "not well-formed XML"),
    "billion laughs": (_zip({"project.qde": BILLION_LAUGHS}), "DOCTYPE"),
    "external entity": (_zip({"project.qde": XXE}), "DOCTYPE"),
    "not a project": (
        _zip({"project.qde": b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>'}),
        "not <Project>",
    ),
    "foreign namespace": (
        _zip({"project.qde": b'<Project xmlns="http://example.org/x" name="x"/>'}),
        "not a REFI-QDA",
    ),
    "zip bomb (ratio)": (
        _zip({"project.qde": VALID.encode(), "sources/big.txt": b"\x00" * (20 * 1024 * 1024)}),
        "zip bomb",
    ),
    "path escaping the archive": (
        _zip({"project.qde": VALID.encode(), "../../etc/evil.txt": b"x"}),
        "outside the archive",
    ),
    "absolute path": (
        _zip({"project.qde": VALID.encode(), "/etc/evil.txt": b"x"}),
        "outside the archive",
    ),
    "drive letter": (
        _zip({"project.qde": VALID.encode(), "C:/evil.txt": b"x"}),
        "outside the archive",
    ),
    "source path escaping the archive": (
        _zip(
            {
                "project.qde": VALID.replace(
                    f"internal://{GUID}.txt", "internal://../../etc/passwd"
                ).encode()
            }
        ),
        "outside the archive",
    ),
    "note path escaping the archive": (
        _zip(
            {
                "project.qde": VALID.replace(
                    "</Sources>",
                    '</Sources><Notes><Note guid="99999999-2222-3333-4444-555555555555" '
                    'name="N" plainTextPath="internal://../secret.txt"/></Notes>',
                ).encode()
            }
        ),
        "outside the archive",
    ),
    "encrypted project": (_encrypted(_zip({"project.qde": VALID.encode()})), "encrypted"),
}


def _state() -> tuple[int, ...]:
    return (
        Study.objects.count(),
        Code.objects.count(),
        Dyad.objects.count(),
        Interview.objects.count(),
        Coding.objects.count(),
        Memo.objects.count(),
        get_user_model().objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_with_a_clear_error_and_changes_nothing(
    study: Study, lead: Any, case: str
) -> None:
    data, message = BAD_FILES[case]
    before = _state()
    with pytest.raises(RefiError, match=message):
        qdpx_inspect(data=data, filename="bad.qdpx", user=lead, study=study)
    with pytest.raises(RefiError, match=message):
        qdpx_import(data=data, filename="bad.qdpx", user=lead, study=study)
    with pytest.raises(RefiError, match=message):
        qdpx_import(
            data=data, filename="bad.qdpx", user=lead, new_study={"slug": "fresh", "title": "Fresh"}
        )
    assert _state() == before


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (Limits(max_file_bytes=100), "the limit is"),
        (Limits(max_file_bytes=10**8, max_entries=1), "holds 2 files"),
        (Limits(max_file_bytes=10**8, max_total_bytes=200), "unpacks to more than"),
        (Limits(max_file_bytes=10**8, max_entry_bytes=100), "the limit for one file"),
    ],
)
def test_size_limits_on_the_file_entries_and_totals(
    study: Study, lead: Any, limits: Limits, message: str
) -> None:
    data = make_qdpx(VALID, {f"sources/{GUID}.txt": b"Interviewer: Hello?\nJane: Hi.\n"})
    before = _state()
    with pytest.raises(RefiError, match=message):
        qdpx_import(data=data, filename="big.qdpx", user=lead, study=study, limits=limits)
    assert _state() == before


def test_a_failure_late_in_an_import_rolls_everything_back(
    lead: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = make_qdpx(
        VALID.replace(
            "</Sources>",
            '</Sources><Notes><Note guid="99999999-2222-3333-4444-555555555555" name="N">'
            "<PlainTextContent>memo</PlainTextContent></Note></Notes>",
        ),
        {f"sources/{GUID}.txt": b"Interviewer: Hello?\nJane: Hi.\n"},
    )
    before = _state()

    def explode(**kwargs: Any) -> Any:
        raise ValidationError("the database said no")

    monkeypatch.setattr("coding.exchange.refi.imports.memo_create", explode)
    with pytest.raises(ValidationError):
        qdpx_import(
            data=data, filename="x.qdpx", user=lead, new_study={"slug": "fresh", "title": "Fresh"}
        )
    assert _state() == before
    assert not Study.objects.filter(slug="fresh").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes/></CodeBook>", "holds no codes"),
        (b"<CodeBook><Codes><Code", "not well-formed"),
        (b"<Other/>", "not <CodeBook>"),
        (BILLION_LAUGHS.replace(b"Project", b"CodeBook"), "DOCTYPE"),
        (b"just text", "not a .qdpx file"),
    ],
)
def test_bad_codebook_files_are_refused_and_change_nothing(
    study: Study, lead: Any, data: bytes, message: str
) -> None:
    before = _state()
    version = study.codebook.version
    with pytest.raises(RefiError, match=message):
        qdc_import(study=study, data=data, filename="bad.qdc", actor=lead)
    assert _state() == before
    study.codebook.refresh_from_db()
    assert study.codebook.version == version
