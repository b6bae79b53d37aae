"""Transcript import through the service: what gets stored, and that bad input stores nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import override_settings
from docx import Document

from coding.services import coding_create
from healing.audit.models import AuditEvent
from interviews.importing import TranscriptError
from interviews.models import Dyad, Interview, Study, Turn
from interviews.services import dyad_get_or_create, interview_import
from tests.factories import code

pytestmark = pytest.mark.django_db


def _dyad(study: Study, label: str = "D01") -> Dyad:
    return dyad_get_or_create(study=study, label=label)[0]


def _import(study: Study, name: str, data: bytes, **kwargs: Any) -> Interview:
    return interview_import(
        dyad=_dyad(study),
        perspective="patient",
        filename=name,
        data=data,
        imported_by=None,
        **kwargs,
    ).interview


def _docx(*paragraphs: str) -> bytes:
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FORMATS = {
    "interview.txt": b"Interviewer: How are you?\nJane: Fine, thank you.\n",
    "interview.md": b"**Interviewer:** How are you?\n\n**Jane:** Fine, thank you.\n",
    "interview.docx": _docx("Interviewer: How are you?", "Jane: Fine, thank you."),
    "interview.vtt": (
        b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Interviewer>How are you?\n\n"
        b"00:00:03.500 --> 00:00:05.000\n<v Jane>Fine, thank you.\n"
    ),
    "interview.srt": (
        b"1\n00:00:01,000 --> 00:00:03,000\nInterviewer: How are you?\n\n"
        b"2\n00:00:03,500 --> 00:00:05,000\nJane: Fine, thank you.\n"
    ),
    "interview.rtf": (
        b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\\f0 Interviewer: How are you?\\par\n"
        b"Jane: Fine, thank you.\\par\n}"
    ),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_format_is_stored_with_its_speaker_turns(study: Study, name: str) -> None:
    interview = _import(study, name, FORMATS[name], speaker_map={"Jane": "patient"})
    turns = list(interview.turns.order_by("index"))
    said = [interview.text[t.start : t.end] for t in turns]
    assert said == ["How are you?", "Fine, thank you."]
    assert [t.role for t in turns] == ["interviewer", "patient"]
    assert interview.source_format == name.rsplit(".", 1)[1]
    assert interview.word_count == len(interview.text.split())
    assert len(interview.text_sha256) == 64


def test_vtt_timestamps_are_kept(study: Study) -> None:
    interview = _import(study, "a.vtt", FORMATS["interview.vtt"])
    assert list(interview.turns.values_list("timestamp_ms", flat=True)) == [1000, 3500]


def test_emoji_and_accents_before_a_coded_span_keep_offsets_in_code_points(
    study: Study, coder: Any
) -> None:
    text = "Interviewer: Tell me.\nZoë: Café 🙂 naïve — she listened to me.\n"
    interview = _import(study, "zoe.txt", text.encode("utf-8"))
    start = interview.text.index("she listened")
    coding = coding_create(
        interview=interview,
        code=code(study, "VAL.PRES.ATT"),
        coder=coder,
        start=start,
        end=start + 12,
    )
    assert coding.quote == "she listened"
    assert interview.text[coding.start : coding.end] == coding.quote
    # Code points, not UTF-16 units or bytes: the emoji counts as one.
    assert start == text.index("she listened")
    assert start != len(text[: text.index("she")].encode("utf-16-le")) // 2


def test_crlf_and_bom_are_normalised_and_offsets_point_into_the_normalised_text(
    study: Study,
) -> None:
    data = (
        "\ufeffInterviewer: Hello?\r\nJosé: Olá\r\n\r\nInterviewer: And?\rJosé: Fine.\r\n".encode()
    )
    interview = _import(study, "crlf.txt", data)
    assert "\r" not in interview.text
    assert not interview.text.startswith("\ufeff")
    said = [interview.text[t.start : t.end] for t in interview.turns.order_by("index")]
    assert said == ["Hello?", "Olá", "And?", "Fine."]


def test_combining_accents_are_composed_nfc(study: Study) -> None:
    interview = _import(study, "nfc.txt", "Interviewer: Cafe\u0301?\n".encode())
    assert "Café" in interview.text
    assert "\u0301" not in interview.text


def test_cp1252_fallback_is_stored_with_a_warning(study: Study) -> None:
    outcome = interview_import(
        dyad=_dyad(study),
        perspective="patient",
        filename="legacy.txt",
        data="Interviewer: Caf\xe9?\n".encode("cp1252"),
        imported_by=None,
    )
    assert "Café" in outcome.interview.text
    assert any("cp1252" in w for w in outcome.warnings)


BAD_INPUTS = {
    "empty file": ("empty.txt", b"", "empty"),
    "binary image": ("photo.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG image"),
    "unknown format": ("notes.pages", b"Interviewer: hello", ".pages"),
    "undecodable": ("bad.txt", b"Interviewer: \x81\x8d\x8f", "decode"),
    "not a docx": ("broken.docx", b"PK\x03\x04 this is not a zip", "docx"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_gets_a_clear_one_line_error_and_stores_nothing(study: Study, case: str) -> None:
    name, data, fragment = BAD_INPUTS[case]
    with pytest.raises(TranscriptError) as caught:
        _import(study, name, data)
    message = str(caught.value)
    assert name in message
    assert fragment.lower() in message.lower()
    assert "\n" not in message
    assert Interview.objects.count() == 0
    assert Turn.objects.count() == 0


def test_undecodable_without_fallback_is_refused(study: Study) -> None:
    with pytest.raises(TranscriptError, match="UTF-8"):
        _import(study, "legacy.txt", "Caf\xe9".encode("cp1252"), encoding_fallback=False)
    assert Interview.objects.count() == 0


@override_settings(HEALING_MAX_UPLOAD_BYTES=2048)
def test_file_over_the_size_limit_is_refused(study: Study) -> None:
    with pytest.raises(TranscriptError, match="HEALING_MAX_UPLOAD_BYTES"):
        _import(study, "long.txt", b"Interviewer: words words words\n" * 200)
    assert Interview.objects.count() == 0


def test_duplicate_text_is_refused_unless_forced(study: Study) -> None:
    data = b"Interviewer: Once?\nJane: Once.\n"
    first = _import(study, "one.txt", data)
    with pytest.raises(TranscriptError, match=f"interview {first.pk}"):
        _import(study, "again.txt", data)
    assert Interview.objects.count() == 1
    forced = _import(study, "again.txt", data, force=True)
    assert forced.text_sha256 == first.text_sha256
    assert Interview.objects.count() == 2


def test_same_text_in_another_study_is_not_a_duplicate(study: Study, other_study: Study) -> None:
    data = b"Interviewer: Once?\nJane: Once.\n"
    _import(study, "one.txt", data)
    _import(other_study, "one.txt", data)
    assert Interview.objects.count() == 2


def test_import_is_recorded_in_the_audit_trail(study: Study, lead: Any) -> None:
    interview = interview_import(
        dyad=_dyad(study), perspective="clinician", filename="c.txt",
        data=b"Interviewer: Hi?\nDr. Lee: Hello.\n", imported_by=lead,
    ).interview  # fmt: skip
    event = AuditEvent.objects.get(object_type="interview", object_id=str(interview.pk))
    assert event.action == "import"
    assert event.actor == lead
    assert event.after["perspective"] == "clinician"


def test_unknown_perspective_is_refused(study: Study) -> None:
    with pytest.raises(TranscriptError, match="perspective"):
        interview_import(
            dyad=_dyad(study), perspective="nurse", filename="x.txt", data=b"Hi", imported_by=None
        )
