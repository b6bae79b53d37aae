"""Lenient with real files: namespace versions, file and folder name case, path forms, missing
or empty text, UTF-16 positions, CRLF, BOMs, nested or flattened codes, colours, empty wrappers,
non-text sources. And offsets that cannot be trusted are reported, never stored wrong."""

from __future__ import annotations

from typing import Any

import pytest

from coding.exchange.refi.imports import qdpx_import, qdpx_inspect
from coding.exchange.refi.offsets import CODEPOINTS, CRLF_AS_ONE, CRLF_AS_TWO, UTF16, PositionMap
from coding.models import Code, Coding
from interviews.models import Interview, Study
from tests.coding.refi.conftest import make_qdpx, project_xml

pytestmark = pytest.mark.django_db

S1 = "11111111-1111-1111-1111-111111111111"
S2 = "22222222-2222-2222-2222-222222222222"
C1 = "aaaaaaaa-0000-0000-0000-000000000001"
C2 = "aaaaaaaa-0000-0000-0000-000000000002"
U1 = "bbbbbbbb-0000-0000-0000-000000000001"
TEXT = "Interviewer: How are you?\nMaria: Café 🙂 fine, thank you.\n"
CAFE = TEXT.index("Café")


def codebook(extra: str = "") -> str:
    return (
        "<CodeBook><Codes>"
        f'<Code guid="{C1}" name="Trust" isCodable="true" color="#abc">{extra}'
        f'<Code guid="{C2}" name="Hope" isCodable="true" color="rgb(10, 20, 30)"/></Code>'
        "</Codes></CodeBook>"
    )


def source(guid: str, path: str, selections: str = "", name: str = "Maria patient") -> str:
    return (
        f'<TextSource guid="{guid}" name="{name}" plainTextPath="{path}">{selections}</TextSource>'
    )


def selection(start: int, end: int, code: str = C1, user: str = U1, name: str = "") -> str:
    return (
        f'<PlainTextSelection guid="{{{S2.upper()[:-3]}{start:03d}}}" name="{name}" '
        f'startPosition="{start}" endPosition="{end}" creatingUser="{user}">'
        f'<Coding guid="cccccccc-0000-0000-0000-000000000{start:03d}" creatingUser="{user}">'
        f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
    )


def run(lead: Any, data: bytes, **kwargs: Any) -> tuple[Study, dict[str, Any]]:
    report = qdpx_import(
        data=data, filename="x.qdpx", user=lead, new_study={"slug": "x", "title": "X"}, **kwargs
    )
    return Study.objects.get(slug="x"), report.as_dict()


def users() -> str:
    return f'<Users><User guid="{U1.upper()}" name="Lena Ortiz"/></Users>'


@pytest.mark.parametrize(
    "namespace", ["urn:QDA-XML:project:1.0", "urn:QDA-XML:project:0:10", "urn:QDA-XML:project:1:0"]
)
def test_any_qda_namespace_version_reads_the_same(lead: Any, namespace: str) -> None:
    data = make_qdpx(project_xml(codebook(), ns=namespace))
    study, report = run(lead, data)
    assert Code.objects.filter(codebook__study=study).count() == 2
    assert report["namespace"] == namespace


def test_a_document_without_namespace_is_read_too(lead: Any) -> None:
    data = make_qdpx(f'<Project name="Hand made">{codebook()}</Project>')
    study, _ = run(lead, data)
    assert Code.objects.filter(codebook__study=study).count() == 2


@pytest.mark.parametrize(
    ("qde_name", "folder", "path"),
    [
        ("project.qde", "sources", f"internal://{S1}.txt"),
        ("Trial.qde", "Sources", f"internal://{S1}.txt"),  # ATLAS.ti 26, NVivo for Windows
        ("PROJECT.QDE", "SOURCES", f"internal://{S1.upper()}.TXT"),
        ("project.qde", "", f"{S1}.txt"),  # a bare path, at the root (qc 1.3.2)
        ("project.qde", "sources", f"sources/{S1}.txt"),  # a relative path
        ("project.qde", "media", f"relative:///media/{S1}.txt"),  # outside, but packed anyway
    ],
)
def test_file_and_folder_names_in_any_case_and_paths_in_any_form(
    lead: Any, qde_name: str, folder: str, path: str
) -> None:
    entry = f"{folder}/{S1}.txt" if folder else f"{S1}.txt"
    data = make_qdpx(
        project_xml(
            users()
            + codebook()
            + f"<Sources>{source(S1, path, selection(CAFE, CAFE + 4))}</Sources>"
        ),
        {entry: TEXT.encode()},
        qde_name=qde_name,
    )
    study, report = run(lead, data)
    interview = Interview.objects.get(dyad__study=study)
    assert interview.text == TEXT
    assert Coding.objects.get(interview=interview).quote == "Café"
    assert report["skipped_total"] == 0


def test_missing_empty_and_external_texts_are_reported_with_their_selections(lead: Any) -> None:
    three = "33333333-3333-3333-3333-333333333333"
    sources = (
        source(S1, f"internal://{S1}.txt", selection(0, 4), name="Missing")
        + source(S2, f"internal://{S2}.txt", selection(0, 4), name="Empty")
        + source(three, "absolute:///C:/Users/me/elsewhere.txt", name="Outside")
        + '<TextSource guid="44444444-4444-4444-4444-444444444444" name="Inline">'
        "<PlainTextContent>Interviewer: Given inline.</PlainTextContent></TextSource>"
        '<PictureSource guid="55555555-5555-5555-5555-555555555555" name="photo.jpg" path="internal://x.jpg"/>'
    )
    data = make_qdpx(
        project_xml(users() + codebook() + f"<Sources>{sources}</Sources>"),
        {f"sources/{S2}.txt": b"\xef\xbb\xbf \n"},
    )
    study, report = run(lead, data)
    assert list(Interview.objects.filter(dyad__study=study).values_list("text", flat=True)) == [
        "Interviewer: Given inline."
    ]
    reasons = {
        item["what"]: item["reason"] for item in report["skipped"] if item["kind"] == "source"
    }
    assert "missing from the archive" in reasons["Missing"]
    assert "empty" in reasons["Empty"]
    assert "outside the archive" in reasons["Outside"]
    assert report["skipped_counts"]["selection of a skipped source"] == 2
    assert report["skipped_counts"]["non-text source"] == 1


def test_nvivo_utf16_positions_crlf_and_a_bom_are_converted(lead: Any) -> None:
    # NVivo for Windows: UTF-8 with BOM, CRLF line ends counted as two, UTF-16 units.
    raw = "Interviewer: Hi 🙂🙂\r\nMaria: Café and more.\r\n"
    start = len("Interviewer: Hi 🙂🙂\r\nMaria: ".encode("utf-16-le")) // 2
    data = make_qdpx(
        project_xml(
            users()
            + codebook()
            + "<Sources>"
            + source(S1, f"internal://{S1}.txt", selection(start, start + 4))
            + "</Sources>",
            origin="NVivo 12 Windows",
        ),
        {f"Sources/{S1}.txt": b"\xef\xbb\xbf" + raw.encode("utf-8")},
    )
    study, report = run(lead, data)
    interview = Interview.objects.get(dyad__study=study)
    assert interview.text == "Interviewer: Hi 🙂🙂\nMaria: Café and more.\n"
    assert Coding.objects.get(interview=interview).quote == "Café"
    kinds = report["converted_counts"]
    assert kinds["positions"] >= 1
    assert kinds["line ends"] == 1


def test_atlas_counts_a_crlf_as_one_character(lead: Any) -> None:
    raw = "Line one\r\nLine two has granola in it.\r\n"
    start = raw.replace("\r\n", "\n").index("granola")
    data = make_qdpx(
        project_xml(
            users()
            + codebook()
            + "<Sources>"
            + source(S1, f"internal://{S1}.txt", selection(start, start + 7))
            + "</Sources>",
            origin="ATLAS.ti 8.4.0",
        ),
        {f"sources/{S1}.txt": raw.encode()},
    )
    study, _ = run(lead, data)
    assert Coding.objects.get(interview__dyad__study=study).quote == "granola"


def test_selection_names_pick_the_way_an_unknown_tool_counts(lead: Any) -> None:
    # An unknown tool counting a CRLF as one: the names (the selected text) show it.
    raw = "".join(f"Line {n} says something.\r\n" for n in range(10))
    lf = raw.replace("\r\n", "\n")
    selections = "".join(
        selection(lf.index(f"Line {n}"), lf.index(f"Line {n}") + 6, name=f"Line {n}")
        for n in range(3, 9)
    )
    data = make_qdpx(
        project_xml(
            users()
            + codebook()
            + f"<Sources>{source(S1, f'internal://{S1}.txt', selections)}</Sources>",
            origin="Some tool",
        ),
        {f"sources/{S1}.txt": raw.encode()},
    )
    study, report = run(lead, data)
    quotes = sorted(
        Coding.objects.filter(interview__dyad__study=study).values_list("quote", flat=True)
    )
    assert quotes == [f"Line {n}" for n in range(3, 9)]
    assert any("selection names fit" in item["detail"] for item in report["converted"])


def test_selections_outside_their_text_are_reported_never_stored(lead: Any) -> None:
    length = len(TEXT)
    selections = (
        selection(0, 4)
        + selection(length - 2, length + 10)
        + selection(12, 12)
        + selection(30, 20)
        + f'<PlainTextSelection guid="{S2}" startPosition="x" endPosition="3"/>'
    )
    data = make_qdpx(
        project_xml(
            users()
            + codebook()
            + f"<Sources>{source(S1, f'internal://{S1}.txt', selections)}</Sources>"
        ),
        {f"sources/{S1}.txt": TEXT.encode()},
    )
    study, report = run(lead, data)
    assert list(
        Coding.objects.filter(interview__dyad__study=study).values_list("start", "end")
    ) == [(0, 4)]
    skipped = report["skipped_counts"]
    assert skipped["selection outside its text"] == 1
    assert skipped["empty selection"] == 2
    assert skipped["selection"] == 1


def test_codes_nested_or_flattened_colours_in_any_form_and_empty_wrappers(lead: Any) -> None:
    flat = (
        "<Users/><Variables/><Cases/><Notes/><Links/><Sets/><Graphs/>"
        "<CodeBook><Codes>"
        f'<Code guid="{{{C1.upper()}}}" name="Coke" isCodable="True"/>'
        f'<Code guid="{C2}" name="Coke::diet Coke" isCodable="false" color="#AABBCCDD"/>'
        '<Code guid="not-a-guid" name="Odd" isCodable="true" color="red"/>'
        "</Codes></CodeBook><Sources/>"
    )
    study, report = run(lead, make_qdpx(project_xml(flat)))
    codes = {c.name: c for c in Code.objects.filter(codebook__study=study)}
    assert set(codes) == {"Coke", "Coke::diet Coke", "Odd"}
    assert str(codes["Coke"].guid) == C1  # braces and case do not matter
    assert codes["Coke::diet Coke"].color == "#AABBCC"
    assert not codes["Coke::diet Coke"].is_active
    assert codes["Odd"].color.startswith("#")
    assert report["converted_counts"]["new GUID"] == 1
    assert report["converted_counts"]["colour given"] == 2  # none for Coke, "red" for Odd


def test_colours_in_short_and_rgb_form(lead: Any) -> None:
    study, _ = run(lead, make_qdpx(project_xml(codebook())))
    assert Code.objects.get(codebook__study=study, name="Trust").color == "#AABBCC"
    hope = Code.objects.get(codebook__study=study, name="Hope")
    assert hope.color == "#0A141E"
    assert hope.parent.name == "Trust"


def test_whole_source_codings_and_unknown_codes(lead: Any) -> None:
    body = (
        '<Coding guid="cccccccc-1111-0000-0000-000000000000" creatingUser="'
        + U1
        + f'"><CodeRef targetGUID="{C2}"/></Coding>'
        + selection(0, 4, code="dddddddd-0000-0000-0000-000000000000")
    )
    data = make_qdpx(
        project_xml(
            users() + codebook() + f"<Sources>{source(S1, f'internal://{S1}.txt', body)}</Sources>"
        ),
        {f"sources/{S1}.txt": TEXT.encode()},
    )
    study, report = run(lead, data)
    coding = Coding.objects.get(interview__dyad__study=study)
    assert (coding.start, coding.end, coding.code.name) == (0, len(TEXT), "Hope")
    assert report["converted_counts"]["whole-source coding"] == 1
    assert "unknown code" in next(i["reason"] for i in report["skipped"] if i["kind"] == "coding")


def test_the_plan_says_where_each_proposal_comes_from(lead: Any) -> None:
    sources = source(S1, f"internal://{S1}.txt", name="D07 clinician interview") + source(
        S2, f"internal://{S2}.txt", name="notes"
    )
    data = make_qdpx(
        project_xml(codebook() + f"<Sources>{sources}</Sources>"),
        {f"sources/{S1}.txt": TEXT.encode(), f"sources/{S2}.txt": b"Other text entirely."},
    )
    plan = qdpx_inspect(
        data=data, filename="x.qdpx", user=lead, new_study={"slug": "x", "title": "X"}
    )
    first, second = plan["sources"]
    assert (first["dyad"], first["dyad_from"], first["perspective"], first["perspective_from"]) == (
        "D07", "name", "clinician", "name",
    )  # fmt: skip
    assert (second["dyad_from"], second["perspective_from"]) == ("guess", "guess")
    assert plan["needs_review"] is True
    assert first["preview"].startswith("Interviewer:")


def test_position_map_units() -> None:
    raw = "a🙂b\r\nc\u0065\u0301d"  # an emoji, a CRLF, a decomposed é
    units = PositionMap(raw, unit=UTF16, crlf=CRLF_AS_TWO)
    assert units.text == "a🙂b\ncéd"
    assert units.convert(1, 3) == (1, 2, False)  # the emoji is two UTF-16 units
    assert units.convert(2, 4) == (1, 3, True)  # a start inside the pair moves out
    assert units.convert(7, 9) == (5, 6, False)  # é was two code points, is one
    assert units.convert(8, 10) == (5, 7, True)
    assert units.convert(0, 11) is None
    points = PositionMap(raw, unit=CODEPOINTS, crlf=CRLF_AS_ONE)
    assert points.convert(4, 5) == (4, 5, False)
    assert points.text[4:5] == "c"


@pytest.mark.parametrize(
    ("encoded", "note"),
    [
        (("\ufeff" + TEXT).encode("utf-16-le"), "UTF-16 text"),
        (TEXT.replace("🙂 ", "").encode("cp1252"), "Windows-1252"),
    ],
)
def test_utf16_and_windows_1252_texts_are_decoded_and_reported(
    lead: Any, encoded: bytes, note: str
) -> None:
    data = make_qdpx(
        project_xml(
            users() + codebook() + f"<Sources>{source(S1, f'internal://{S1}.txt')}</Sources>"
        ),
        {f"sources/{S1}.txt": encoded},
    )
    study, report = run(lead, data)
    assert "Café" in Interview.objects.get(dyad__study=study).text
    assert any(note in item["detail"] for item in report["converted"])


def test_codings_without_a_user_go_to_the_importer_of_a_new_study(lead: Any) -> None:
    body = (
        f'<PlainTextSelection guid="{S2}" startPosition="{CAFE}" endPosition="{CAFE + 4}">'
        f'<Coding guid="cccccccc-0000-0000-0000-000000000001"><CodeRef targetGUID="{C1}"/>'
        "</Coding></PlainTextSelection>"
    )
    data = make_qdpx(
        project_xml(codebook() + f"<Sources>{source(S1, f'internal://{S1}.txt', body)}</Sources>"),
        {f"sources/{S1}.txt": TEXT.encode()},
    )
    plan = qdpx_inspect(
        data=data, filename="x.qdpx", user=lead, new_study={"slug": "x", "title": "X"}
    )
    assert [(u["name"], u["action"], u["username"]) for u in plan["users"]] == [
        ("(no user given)", "member", "lead")
    ]
    study, _ = run(lead, data)
    assert Coding.objects.get(interview__dyad__study=study).coder == lead
