"""deid_scan reads a file as import does and prints the spans as JSON; deid_score and
``bench --only deid`` print the figures."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from interviews.importing import parse_transcript

TRANSCRIPT = (
    "Interviewer: Where do you live?\r\n"
    "Maria: In Chillicothe 🙂, near Scioto Valley Clinic. Call me at (740) 555-0143.\r\n"
    "Interviewer: Thank you.\r\n"
)


def scan(path: Path, *args: str) -> list[dict[str, object]]:
    out = StringIO()
    call_command("deid_scan", str(path), *args, stdout=out)
    payload = json.loads(out.getvalue())
    assert list(payload) == ["spans"]
    return payload["spans"]


def normalised(path: Path) -> str:
    return parse_transcript(
        path.read_bytes(), path.name, max_bytes=settings.HEALING_MAX_UPLOAD_BYTES
    ).text


def test_spans_are_offsets_into_the_normalised_text_of_a_crlf_bom_file(tmp_path: Path) -> None:
    path = tmp_path / "d01.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TRANSCRIPT.encode("utf-8"))
    spans = scan(path)
    text = normalised(path)
    assert "\r" not in text
    assert not text.startswith("\ufeff")
    for span in spans:
        assert set(span) == {"start", "end", "kind", "text"}
        assert text[span["start"] : span["end"]] == span["text"]  # type: ignore[misc]
    assert [(span["text"], span["kind"]) for span in spans] == [
        ("Maria", "PERSON"),
        ("Chillicothe", "LOCATION"),
        ("Scioto Valley Clinic", "LOCATION"),
        ("(740) 555-0143", "PHONE"),
    ]
    assert spans[0]["start"] == text.index("Maria")


def test_utf16_and_cp1252_files_are_decoded_as_import_does(tmp_path: Path) -> None:
    utf16 = tmp_path / "a.txt"
    utf16.write_bytes(TRANSCRIPT.encode("utf-16"))
    assert [span["text"] for span in scan(utf16)][:2] == ["Maria", "Chillicothe"]
    cp1252 = tmp_path / "b.txt"
    cp1252.write_bytes("Pt: José lives in Española.\r\nPt: yes.\r\n".encode("cp1252"))
    spans = scan(cp1252)
    text = normalised(cp1252)
    assert ("José", "PERSON") in [(s["text"], s["kind"]) for s in spans]
    for span in spans:
        assert text[span["start"] : span["end"]] == span["text"]  # type: ignore[misc]


def test_names_places_and_details_options(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text("Pt: we saw zorbo in quillow.\nPt: ok.\n", encoding="utf-8")
    assert scan(path) == []
    spans = scan(path, "--names", "Zorbo; Other", "--places", "Quillow", "--details")
    assert [(s["text"], s["kind"], s["source"]) for s in spans] == [
        ("zorbo", "PERSON", "study"),
        ("quillow", "LOCATION", "study"),
    ]
    assert all(0 < s["confidence"] <= 1 for s in spans)  # type: ignore[operator]


def test_a_captions_file_is_scanned_in_the_text_import_makes(tmp_path: Path) -> None:
    path = tmp_path / "d.vtt"
    path.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Maria>I live in Chillicothe.\n",
        encoding="utf-8",
    )
    text = normalised(path)
    spans = scan(path)
    assert {s["text"] for s in spans} >= {"Maria", "Chillicothe"}
    for span in spans:
        assert text[span["start"] : span["end"]] == span["text"]  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "PNG image"),
        ("notes.pdf", b"%PDF-1.4", ".pdf file"),
        ("blank.txt", b"   \n\n", "only blank space"),
        ("nul.txt", b"Pt: hi\x00there", "binary data"),
    ],
)
def test_bad_files_are_refused_with_a_clear_error(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError, match=message):
        call_command("deid_scan", str(path), stdout=StringIO())


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("deid_scan", str(tmp_path / "nope.txt"), stdout=StringIO())


def test_errors_go_to_stderr_with_a_non_zero_exit(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    done = subprocess.run(
        [sys.executable, "manage.py", "deid_scan", str(path)],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    assert "image.txt is a PNG image" in done.stderr


def test_deid_score_prints_recall_per_kind_precision_and_scan_time() -> None:
    out = StringIO()
    call_command("deid_score", "--half", "dev", "--verbose", stdout=out)
    report = out.getvalue()
    for line in ("dev (", "PERSON    recall", "overall   recall", "character precision"):
        assert line in report
    assert "scan of a 2" in report
    assert "-word transcript" in report


@pytest.mark.django_db
def test_bench_has_a_deid_suite() -> None:
    out = StringIO()
    call_command("bench", "--only", "deid", "--repeat", "1", stdout=out)
    report = out.getvalue()
    assert "test (" in report
    assert "ORG       recall" in report
    assert "deid scan (target ≤ 1 s)" in report
