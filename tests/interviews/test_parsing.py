"""Tests for interviews.importing: decoding, formats, speaker turns and role guessing.

Pure Python: no database. Binary fixtures (.docx, zips) are built in memory.
"""

import io
import zipfile

import docx
import pytest
from docx.document import Document as DocxDocument

from interviews.importing import (
    SUPPORTED_EXTENSIONS,
    ParsedTranscript,
    ParsedTurn,
    TranscriptError,
    guess_speaker_roles,
    parse_transcript,
)

MAX = 10_000_000


def parse(
    data: bytes | str,
    filename: str = "interview.txt",
    *,
    max_bytes: int = MAX,
    encoding_fallback: bool = True,
) -> ParsedTranscript:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return parse_transcript(raw, filename, max_bytes=max_bytes, encoding_fallback=encoding_fallback)


def spoken(parsed: ParsedTranscript) -> list[tuple[str, str, int | None]]:
    """(speaker, what was said, timestamp) for each turn, read back through the offsets."""
    return [
        (turn.speaker, parsed.text[turn.start : turn.end], turn.timestamp_ms)
        for turn in parsed.turns
    ]


def error_for(
    data: bytes | str,
    filename: str = "interview.txt",
    *,
    max_bytes: int = MAX,
    encoding_fallback: bool = True,
) -> str:
    """The message of the TranscriptError parsing raises; it must be a single line."""
    with pytest.raises(TranscriptError) as caught:
        parse(data, filename, max_bytes=max_bytes, encoding_fallback=encoding_fallback)
    message = str(caught.value)
    assert "\n" not in message
    return message


def docx_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# --- Plain text ---------------------------------------------------------------------------


def test_txt_turns_preamble_and_multi_paragraph_turns() -> None:
    text = (
        "Interview 12, recorded at the clinic.\n"
        "\n"
        "INT: How have you been?\n"
        "Take your time.\n"
        "\n"
        "PATIENT: Better, thanks.\n"
        "\n"
        "The new dose helps.   \n"
        "\n"
    )
    parsed = parse(text)
    assert parsed.text == text
    assert parsed.source_format == "txt"
    assert parsed.encoding == "utf-8"
    assert parsed.warnings == []
    assert spoken(parsed) == [
        ("", "Interview 12, recorded at the clinic.", None),
        ("INT", "How have you been?\nTake your time.", None),
        ("PATIENT", "Better, thanks.\n\nThe new dose helps.", None),
    ]
    assert parsed.turns[1] == ParsedTurn("INT", 44, 78, None)
    assert parsed.word_count == 21


def test_label_alone_on_its_line_starts_the_turn_at_the_next_non_empty_line() -> None:
    parsed = parse("Interviewer:\n\n   What brought you in?\nPatient:\nMy knee.\n")
    assert spoken(parsed) == [
        ("Interviewer", "What brought you in?", None),
        ("Patient", "My knee.", None),
    ]
    assert parsed.turns[0].start == parsed.text.index("What")


def test_label_without_words_is_dropped() -> None:
    parsed = parse("INT:\nPT: Hello.\nINT:   \n")
    assert spoken(parsed) == [("PT", "Hello.", None)]


@pytest.mark.parametrize(
    ("line", "speaker", "said", "timestamp_ms"),
    [
        ("Dr. Lee: How is the pain?", "Dr. Lee", "How is the pain?", None),
        ("DR. LEE: How is the pain?", "DR. LEE", "How is the pain?", None),
        ("  Patient 3: It comes and goes.", "Patient 3", "It comes and goes.", None),
        ("Mrs O'Neill (00:01:02): Yes.", "Mrs O'Neill", "Yes.", 62_000),
        ("José (01:02): Sí.", "José", "Sí.", 62_000),
        ("Sarah Jones [00:01:02]: Right.", "Sarah Jones", "Right.", 62_000),
        ("Sarah (1:02:03.5): Right.", "Sarah", "Right.", 3_723_500),
        ("[00:01:02] Sarah: Okay.", "Sarah", "Okay.", 62_000),
        ("00:01:02 Sarah: Okay.", "Sarah", "Okay.", 62_000),
        ("[00:00:07,250] Anne-Marie: Fine.", "Anne-Marie", "Fine.", 7_250),
        ("[Sarah] Okay then.", "Sarah", "Okay then.", None),
        ("[Dr. Okafor]: Okay then.", "Dr. Okafor", "Okay then.", None),
        ("\tQ: And then?", "Q", "And then?", None),
        ("A: Nothing.", "A", "Nothing.", None),
        ("P1: Nothing.", "P1", "Nothing.", None),
        ("Nurse Jackie: Next.", "Nurse Jackie", "Next.", None),
    ],
)
def test_label_shapes(line: str, speaker: str, said: str, timestamp_ms: int | None) -> None:
    parsed = parse(f"{line}\n")
    assert spoken(parsed) == [(speaker, said, timestamp_ms)]
    assert parsed.turns[0].start == line.index(said)


@pytest.mark.parametrize(
    "line",
    [
        "Note: the clinic closed early.",
        "Diagnosis: flu",
        "Sarah: once only, in mixed case",
        "A note: not a speaker",
        "See http://example.org for more",
        "Everything that happened to me that year: a lot",
        "Name (00:75:00): minutes out of range",
        "[inaudible] and then we left",
    ],
)
def test_false_positive_guard_keeps_line_in_the_current_turn(line: str) -> None:
    parsed = parse(f"INT: So.\n{line}\n")
    assert spoken(parsed) == [("INT", f"So.\n{line}", None)]


def test_label_opening_two_lines_counts_even_in_mixed_case() -> None:
    parsed = parse("Sarah: Hello.\nTom: Hi.\nSarah: Bye.\n")
    assert spoken(parsed) == [("Sarah", "Hello.\nTom: Hi.", None), ("Sarah", "Bye.", None)]


def test_capitalised_label_counts_once() -> None:
    parsed = parse("Intro\nMOTHER: She was scared.\n")
    assert spoken(parsed) == [("", "Intro", None), ("MOTHER", "She was scared.", None)]


def test_text_without_labels_is_one_unlabelled_turn() -> None:
    parsed = parse("  We talked about the garden.\n\nThen about sleep.\n\n")
    assert spoken(parsed) == [("", "We talked about the garden.\n\nThen about sleep.", None)]
    assert parsed.turns[0].start == 2


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_bold_labels_keep_the_asterisks_in_the_text() -> None:
    text = (
        "# Interview 3\n"
        "\n"
        "**Interviewer:** How do you feel?\n"
        "**Maria**: Tired.\n"
        "**Interviewer:** Since when?\n"
        "**Maria**: *Weeks*.\n"
    )
    parsed = parse(text, "notes.md")
    assert parsed.text == text
    assert parsed.source_format == "md"
    assert spoken(parsed) == [
        ("", "# Interview 3", None),
        ("Interviewer", "How do you feel?", None),
        ("Maria", "Tired.", None),
        ("Interviewer", "Since when?", None),
        ("Maria", "*Weeks*.", None),
    ]


def test_bold_labels_are_plain_text_in_a_txt_file() -> None:
    parsed = parse("**Interviewer:** Hello.\n")
    assert spoken(parsed) == [("", "**Interviewer:** Hello.", None)]


# --- Word ------------------------------------------------------------------------------------


def test_docx_paragraphs_and_speaker_tables() -> None:
    document = docx.Document()
    document.add_paragraph("Interview 4")
    speakers = document.add_table(rows=3, cols=2)
    rows = [("Speaker", "Text"), ("Sarah", "Hello there."), ("Tom:", "Hi.\nSecond line.")]
    for row, (who, words) in zip(speakers.rows, rows, strict=True):
        row.cells[0].text = who
        row.cells[1].text = words
    document.add_paragraph("INT: And afterwards?")
    other = document.add_table(rows=1, cols=3)
    for cell, value in zip(other.rows[0].cells, ["a", "b", "c"], strict=True):
        cell.text = value
    document.add_paragraph("The end.")

    parsed = parse(docx_bytes(document), "session.docx")

    assert parsed.text == (
        "Interview 4\nSarah: Hello there.\nTom: Hi.\nSecond line.\n"
        "INT: And afterwards?\na\nb\nc\nThe end."
    )
    assert parsed.source_format == "docx"
    assert parsed.encoding is None
    assert spoken(parsed) == [
        ("", "Interview 4", None),
        ("Sarah", "Hello there.", None),  # trusted once: it is in a speaker column
        ("Tom", "Hi.\nSecond line.", None),
        ("INT", "And afterwards?\na\nb\nc\nThe end.", None),
    ]


def test_docx_without_text_is_refused() -> None:
    message = error_for(docx_bytes(docx.Document()), "blank.docx")
    assert message == "blank.docx contains no transcript text."


# --- RTF -------------------------------------------------------------------------------------

RTF = (
    r"{\rtf1\ansi\deff0{\fonttbl{\f0 Arial;}}\f0\fs24 "
    r"INT: How are you?\par "
    r"PT: Tr\u232?s bien, caf\'e9 \u-10179?\u-8704?.\par"
    r"}"
)


def test_rtf_escapes_and_turns() -> None:
    parsed = parse(RTF, "call.rtf")
    assert parsed.text == "INT: How are you?\nPT: Très bien, café 😀.\n"
    assert parsed.source_format == "rtf"
    assert parsed.encoding == "utf-8"
    assert spoken(parsed) == [
        ("INT", "How are you?", None),
        ("PT", "Très bien, café 😀.", None),
    ]


def test_rtf_must_start_with_the_rtf_header() -> None:
    message = error_for("INT: hello", "call.rtf")
    assert message.startswith("call.rtf is not an RTF document")


def test_rtf_without_text_is_refused() -> None:
    assert error_for(r"{\rtf1\ansi{\fonttbl{\f0 Arial;}}}", "x.rtf") == (
        "x.rtf contains no transcript text."
    )


# --- WebVTT ----------------------------------------------------------------------------------

VTT = """WEBVTT

1
00:00:01.500 --> 00:00:03.000
<v Dr. Lee>How are you <i>today</i>?

2
00:00:03.000 --> 00:00:04.000
<v Dr. Lee>Any pain?

00:01:02.345 --> 00:01:05.000
<v.loud Maria>Some, &amp; it
<c.yellow>keeps me up</c>.

00:01:05.000 --> 00:01:06.000
at night.

00:01:06.999 --> 00:01:08.000
<b>Narrator: </b>Later.
"""


def test_vtt_voices_tags_merging_and_exact_milliseconds() -> None:
    parsed = parse(VTT, "visit.vtt")
    assert parsed.text == (
        "Dr. Lee: How are you today? Any pain?\n"
        "Maria: Some, & it keeps me up. at night.\n"
        "Narrator: Later."
    )
    assert parsed.source_format == "vtt"
    assert spoken(parsed) == [
        ("Dr. Lee", "How are you today? Any pain?", 1_500),
        ("Maria", "Some, & it keeps me up. at night.", 62_345),
        ("Narrator", "Later.", 66_999),
    ]


def test_vtt_without_speakers_is_one_unlabelled_turn() -> None:
    vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHello\n\n00:00:01.000 --> 00:00:02.000\nthere\n"
    parsed = parse(vtt, "a.vtt")
    assert parsed.text == "Hello there"
    assert parsed.turns == [ParsedTurn("", 0, 11, 0)]


def test_vtt_without_header_is_refused() -> None:
    message = error_for("00:00:00.000 --> 00:00:01.000\nHello\n", "a.vtt")
    assert message == 'a.vtt is not a WebVTT file: its first line must start with "WEBVTT".'


@pytest.mark.parametrize(
    "body",
    [
        "00:00:00.000 --> 00:00:01.000\nHello\n00:00:01.000 --> 00:00:02.000\nNo blank line\n",
        "00:00:00.000 --> 00:0x:01.000\nBad time\n",
    ],
)
def test_vtt_with_malformed_cue_is_refused(body: str) -> None:
    message = error_for(f"WEBVTT\n\n{body}", "a.vtt")
    assert message.startswith("a.vtt has a malformed WebVTT cue: ")


def test_vtt_with_no_cues_is_refused() -> None:
    assert error_for("WEBVTT\n\nNOTE nothing here\n", "a.vtt") == (
        "a.vtt contains no transcript text."
    )


# --- SubRip ----------------------------------------------------------------------------------

SRT = """1
00:00:01,250 --> 00:00:03,000
Interviewer: How did it start?

2
00:00:03,000 --> 00:00:05,000
Maria: With a cough,
<i>a dry one</i>.

3
00:00:05,000 --> 00:00:06,000
{\\an8}Then fever.

4
01:02:03,004 --> 01:02:04,000
Interviewer: I see.
"""


def test_srt_name_labels_merging_and_milliseconds() -> None:
    parsed = parse(SRT, "call.srt")
    assert parsed.text == (
        "Interviewer: How did it start?\n"
        "Maria: With a cough, a dry one. Then fever.\n"
        "Interviewer: I see."
    )
    assert parsed.source_format == "srt"
    assert spoken(parsed) == [
        ("Interviewer", "How did it start?", 1_250),
        ("Maria", "With a cough, a dry one. Then fever.", 3_000),
        ("Interviewer", "I see.", 3_723_004),
    ]


def test_srt_without_cues_is_refused() -> None:
    message = error_for("Just some notes about the visit.\n", "call.srt")
    assert message == (
        "call.srt has no subtitle cues that could be read; is it a SubRip (.srt) file?"
    )


def test_srt_with_an_unreadable_cue_is_refused() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:02,000 --> 00:0x:03,000\nHello\n"
    message = error_for(srt, "call.srt")
    assert message == "call.srt is not a valid SubRip (.srt) file: cannot read the cue at line 5."


# --- Decoding --------------------------------------------------------------------------------

SAMPLE = "INT: Ça va?\nPT: Très bien.\n"


def test_utf8() -> None:
    parsed = parse(SAMPLE.encode("utf-8"))
    assert (parsed.text, parsed.encoding, parsed.warnings) == (SAMPLE, "utf-8", [])


def test_utf8_with_bom() -> None:
    parsed = parse(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"))
    assert (parsed.text, parsed.encoding) == (SAMPLE, "utf-8-sig")
    assert spoken(parsed)[0] == ("INT", "Ça va?", None)
    assert parsed.turns[0].start == 5


@pytest.mark.parametrize(("bom", "codec"), [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_utf16_with_bom_despite_nul_bytes(bom: bytes, codec: str) -> None:
    data = bom + SAMPLE.encode(codec)
    assert b"\x00" in data
    parsed = parse(data)
    assert (parsed.text, parsed.encoding, parsed.warnings) == (SAMPLE, "utf-16", [])
    assert spoken(parsed) == [("INT", "Ça va?", None), ("PT", "Très bien.", None)]


def test_utf16_bom_with_broken_body_is_refused() -> None:
    message = error_for(b"\xff\xfeI\x00N\x00T")
    assert message.startswith(
        "interview.txt starts with a UTF-16 byte order mark but could not be decoded as UTF-16"
    )


def test_cp1252_fallback_warns() -> None:
    parsed = parse("INT: Café “ok”\n".encode("cp1252"))
    assert parsed.text == "INT: Café “ok”\n"
    assert parsed.encoding == "cp1252"
    assert parsed.warnings == [
        "interview.txt is not UTF-8; read as Windows-1252 (cp1252). Check accented letters."
    ]


def test_cp1252_fallback_off_is_refused() -> None:
    message = error_for("INT: Café\n".encode("cp1252"), encoding_fallback=False)
    assert message == (
        "interview.txt could not be decoded as UTF-8 (byte 0xE9 at position 8). "
        "Save it as UTF-8 text and upload it again."
    )


@pytest.mark.parametrize("byte", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_bytes_undefined_in_cp1252_are_refused(byte: int) -> None:
    message = error_for(b"INT: caf" + bytes([byte]) + b"\n")
    assert message == (
        f"interview.txt could not be decoded as UTF-8 (byte 0x{byte:02X} at position 8) "
        "nor as Windows-1252. Save it as UTF-8 text and upload it again."
    )


def test_crlf_and_bom_offsets_refer_to_the_normalised_text() -> None:
    data = b"\xef\xbb\xbfINT: Hello\r\nthere\r\n\r\nPT: Fine\rthanks\r\n"
    parsed = parse(data)
    assert parsed.text == "INT: Hello\nthere\n\nPT: Fine\nthanks\n"
    assert parsed.turns == [
        ParsedTurn("INT", 5, 16, None),
        ParsedTurn("PT", 22, 33, None),
    ]
    assert spoken(parsed) == [("INT", "Hello\nthere", None), ("PT", "Fine\nthanks", None)]


def test_text_is_nfc() -> None:
    parsed = parse("INT: cafe\u0301 au lait\n")
    assert parsed.text == "INT: caf\u00e9 au lait\n"
    assert len(parsed.text) == 18
    assert spoken(parsed) == [("INT", "caf\u00e9 au lait", None)]


def test_offsets_are_code_points_after_emoji_and_accents() -> None:
    text = "Préambule 🙂 éàü\nINT: Ça va? 🙂\nPT: Très bien.\n"
    parsed = parse(text)
    # "🙂" is one code point (two in UTF-16, four in UTF-8); offsets count code points.
    assert parsed.turns == [
        ParsedTurn("", 0, 15, None),
        ParsedTurn("INT", 21, 29, None),
        ParsedTurn("PT", 34, 44, None),
    ]
    assert spoken(parsed) == [
        ("", "Préambule 🙂 éàü", None),
        ("INT", "Ça va? 🙂", None),
        ("PT", "Très bien.", None),
    ]


# --- Bad input -------------------------------------------------------------------------------


def test_empty_file_is_refused() -> None:
    assert error_for(b"") == "interview.txt is empty (0 bytes)."


def test_whitespace_only_file_is_refused() -> None:
    assert error_for(" \n\t\r\n") == (
        "interview.txt contains only blank space, no transcript text."
    )


def test_labels_without_words_are_refused() -> None:
    assert error_for("INT:\nPT:\n") == "interview.txt contains no transcript text."


def test_too_large_file_is_refused() -> None:
    message = error_for(b"a" * 12_300_000, max_bytes=10_000_000)
    assert message == ("interview.txt is 12.3 MB; the limit is 10.0 MB (HEALING_MAX_UPLOAD_BYTES).")


def test_size_just_over_the_limit_is_given_in_bytes() -> None:
    message = error_for(b"a" * 10_001, max_bytes=10_000)
    assert message == (
        "interview.txt is 10,001 bytes; the limit is 10,000 bytes (HEALING_MAX_UPLOAD_BYTES)."
    )


def test_file_exactly_at_the_limit_is_read() -> None:
    assert parse(b"INT: hi", max_bytes=7).text == "INT: hi"


@pytest.mark.parametrize(
    ("filename", "kind"),
    [("scan.pdf", "a .pdf file"), ("notes", "a file without an extension")],
)
def test_unsupported_extension_is_refused(filename: str, kind: str) -> None:
    assert error_for("INT: hi", filename) == (
        f"{filename} is {kind}; transcripts are read from "
        ".txt, .md, .docx, .vtt, .srt and .rtf files."
    )


def test_extension_is_case_insensitive_and_folders_are_left_out_of_messages() -> None:
    assert parse("INT: hi", "Uploads/INTERVIEW.TXT").source_format == "txt"
    assert error_for(b"", "C:\\Users\\me\\Interview.TXT") == "Interview.TXT is empty (0 bytes)."


def test_supported_extensions() -> None:
    assert SUPPORTED_EXTENSIONS == (".txt", ".md", ".docx", ".vtt", ".srt", ".rtf")


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.txt", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "photo.md", "a JPEG image"),
        (b"GIF89a\x01\x00", "anim.vtt", "a GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3", "report.txt", "a PDF document"),
        (b"\x7fELF\x02\x01\x01", "program.srt", "a program (ELF executable)"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
            "old.docx",
            "an old Word (.doc), other Office 97-2003 or password-protected file",
        ),
        (b"%PDF-1.4\n", "report.docx", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n", "photo.rtf", "a PNG image"),
    ],
)
def test_binary_files_are_refused(data: bytes, filename: str, kind: str) -> None:
    assert error_for(data, filename) == (
        f"{filename} is {kind}, not a transcript. "
        "Save the transcript as .txt, .md, .docx, .vtt, .srt or .rtf and upload that."
    )


def test_zip_with_a_text_extension_is_refused() -> None:
    message = error_for(zip_bytes({"a.txt": b"hello"}), "interview.txt")
    assert message == (
        "interview.txt is a ZIP archive, not a text transcript. If it is a Word document, "
        "upload it with the .docx extension."
    )


def test_nul_bytes_in_text_are_refused() -> None:
    assert error_for(b"INT: hello\x00\x00world").startswith(
        "interview.txt contains binary data (NUL bytes), not text."
    )


def test_many_control_characters_are_refused() -> None:
    assert error_for(b"INT: \x01\x02\x03\x04 hi\x1b\x1b").startswith(
        "interview.txt contains binary data (many control characters), not text."
    )


def test_a_few_control_characters_are_tolerated() -> None:
    text = "INT: hello there, this is fine.\x0c\n" + "PT: " + "word " * 20 + "\x1a"
    parsed = parse(text)
    assert [turn.speaker for turn in parsed.turns] == ["INT", "PT"]


def test_docx_that_is_not_a_zip_is_refused() -> None:
    assert error_for(b"INT: hello", "talk.docx") == (
        "talk.docx is not a valid Word .docx file. Open it in Word and save it again as .docx."
    )


def test_zip_that_is_not_a_word_document_is_refused() -> None:
    message = error_for(zip_bytes({"hello.txt": b"hi"}), "talk.docx")
    assert message.startswith("talk.docx is not a valid Word .docx file (")
    assert message.endswith("). Open it in Word and save it again as .docx.")


def test_docx_zip_bomb_by_total_size_is_refused() -> None:
    data = zip_bytes({"word/document.xml": b"<" * 300_000})
    message = error_for(data, "bomb.docx", max_bytes=10_000)
    assert message == (
        "bomb.docx would unpack to 0.3 MB, more than a Word document should; "
        "it may be a zip bomb and was not opened."
    )


def test_docx_zip_bomb_by_compression_ratio_is_refused() -> None:
    data = zip_bytes({"[Content_Types].xml": b"<a/>", "word/media/x.bin": b"\0" * 3_000_000})
    assert len(data) < 10_000
    message = error_for(data, "bomb.docx")
    assert message == (
        "bomb.docx contains a part (word/media/x.bin) compressed more than 100:1; "
        "it may be a zip bomb and was not opened."
    )


# --- Speaker roles ---------------------------------------------------------------------------


def test_roles_from_labels_for_a_patient_interview() -> None:
    roles = guess_speaker_roles(
        ["Interviewer", "Patient", "Dr. Lee", "Interviewer", "", "NURSE"],
        perspective="patient",
    )
    assert roles == {
        "Interviewer": "interviewer",
        "Patient": "patient",
        "Dr. Lee": "clinician",
        "": "other",
        "NURSE": "clinician",
    }


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("INT", "interviewer"),
        ("I", "interviewer"),
        ("Q", "interviewer"),
        ("Researcher", "interviewer"),
        ("Moderator", "interviewer"),
        ("Interviewer 2", "interviewer"),
        ("Dr Okafor", "clinician"),
        ("Doctor", "clinician"),
        ("Clinician", "clinician"),
        ("Physician", "clinician"),
        ("NP", "clinician"),
        ("PA", "clinician"),
        ("GP", "clinician"),
        ("Provider", "clinician"),
        ("Pt", "patient"),
        ("Patient 3", "patient"),
    ],
)
def test_role_words(label: str, role: str) -> None:
    # Two more unknown speakers keep the "single remaining speaker" rule out of the way.
    roles = guess_speaker_roles([label, "Ann", "Bob"], perspective="clinician")
    assert roles == {label: role, "Ann": "other", "Bob": "other"}


@pytest.mark.parametrize(
    ("perspective", "expected"),
    [("patient", "patient"), ("clinician", "clinician"), ("other", "other")],
)
@pytest.mark.parametrize("label", ["R", "A", "P", "Respondent", "P2"])
def test_interviewee_letters_take_the_perspective_role(
    label: str, perspective: str, expected: str
) -> None:
    roles = guess_speaker_roles(["I", label], perspective=perspective)
    assert roles == {"I": "interviewer", label: expected}


def test_single_remaining_speaker_takes_the_perspective_role() -> None:
    roles = guess_speaker_roles(["Interviewer", "Maria", ""], perspective="clinician")
    assert roles == {"Interviewer": "interviewer", "Maria": "clinician", "": "other"}


def test_several_remaining_speakers_are_other() -> None:
    roles = guess_speaker_roles(["Interviewer", "Maria", "Tom"], perspective="patient")
    assert roles == {"Interviewer": "interviewer", "Maria": "other", "Tom": "other"}


def test_remaining_speaker_is_other_when_the_perspective_role_is_taken() -> None:
    roles = guess_speaker_roles(["Interviewer", "Dr. Lee", "Mrs Smith"], perspective="clinician")
    assert roles == {"Interviewer": "interviewer", "Dr. Lee": "clinician", "Mrs Smith": "other"}


def test_speaker_map_wins_and_matches_loosely() -> None:
    roles = guess_speaker_roles(
        ["Maria", "Dr. Lee", "Tom"],
        perspective="patient",
        speaker_map={" maria: ": "clinician", "DR. LEE:": "Patient"},
    )
    # Tom is the only speaker left, but "patient" is taken, so he is not the interviewee.
    assert roles == {"Maria": "clinician", "Dr. Lee": "patient", "Tom": "other"}


def test_speaker_map_with_unknown_role_is_refused() -> None:
    with pytest.raises(TranscriptError, match="'boss' for 'Maria' is not a role"):
        guess_speaker_roles(["Maria"], perspective="patient", speaker_map={"Maria": "boss"})


def test_unknown_perspective_is_refused() -> None:
    with pytest.raises(TranscriptError, match="perspective must be patient, clinician or other"):
        guess_speaker_roles(["Maria"], perspective="family")


def test_no_speakers_gives_no_roles() -> None:
    assert guess_speaker_roles([], perspective="patient") == {}
