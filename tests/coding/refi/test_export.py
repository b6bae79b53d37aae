"""Our .qdpx and .qdc: valid against the official schemas (lxml and xmlschema), every
reference resolves, every position is a code point into its text, layers as documented."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from coding.demo.build import demo_load
from coding.exchange.refi.codes import read_description
from coding.exchange.refi.export import (
    CONSENSUS_USER_GUID,
    ExportError,
    qdc_bytes,
)
from coding.exchange.refi.validate import (
    codebook_problems,
    project_problems,
    read_qdpx,
    schema_errors,
)
from coding.exchange.registry import codebook_export, study_export
from coding.models import Code, Codebook, Coding, Layer
from coding.services import CodingInput, codings_bulk_create, memo_create
from healing.audit.models import AuditEvent
from interviews.models import Interview, Study
from interviews.services import study_create
from tests.coding.refi.conftest import export_qdpx
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db
NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def coded(study: Study, lead: Any, coder: Any, coder2: Any) -> Interview:
    """An interview with an emoji and accented letters before its codings, two coders' layers,
    a consensus, memos of every kind and names that XML must escape."""
    interview = make_interview(study=study, by=lead)
    text = interview.text
    start = text.index("We met")
    after_emoji = (start, start + len("We met at the clinic"))
    drawing = text.index("explained the diabetes")
    codings_bulk_create(
        interview=interview,
        coder=coder,
        items=[
            CodingInput(code(study, "VAL.CON").pk, *after_emoji, memo="Café <b>&</b> \x07 bell"),
            CodingInput(code(study, "POW.EDU").pk, drawing, drawing + 22),
        ],
    )
    codings_bulk_create(
        interview=interview,
        coder=coder2,
        items=[CodingInput(code(study, "VAL.CON").pk, *after_emoji)],
    )
    made = codings_bulk_create(
        interview=interview,
        coder=lead,
        layer=Layer.CONSENSUS,
        items=[CodingInput(code(study, "VAL.CON").pk, *after_emoji)],
    )
    memo_create(study=study, author=lead, title='Study "memo" <x>', body="On the whole study.")
    memo_create(study=study, author=coder, dyad=interview.dyad, body="On the dyad.")
    memo_create(study=study, author=coder, interview=interview, body="On the interview.")
    memo_create(study=study, author=lead, code=code(study, "VAL"), body="On a code.")
    memo_create(study=study, author=lead, coding=made[0], body="On the consensus coding.")
    return interview


def test_the_demo_export_is_valid_with_lxml_and_xmlschema(refi_dir: Path, lead: Any) -> None:
    data = export_qdpx(demo_load().study)
    qde, files = read_qdpx(data)
    assert schema_errors(qde, refi_dir / "Project.xsd", engine="lxml") == []
    assert schema_errors(qde, refi_dir / "Project.xsd", engine="xmlschema") == []
    assert project_problems(data) == []
    # 18 interview texts and one file per note (6 memos, no coding memos in the demo).
    assert len(files) == 18 + 6
    assert all(name.startswith("sources/") and name.endswith(".txt") for name in files)


def test_references_resolve_and_positions_are_code_points_into_the_texts(
    refi_dir: Path, coded: Interview
) -> None:
    data = export_qdpx(coded.dyad.study)
    qde, files = read_qdpx(data)
    assert schema_errors(qde, refi_dir / "Project.xsd", engine="lxml") == []
    assert schema_errors(qde, refi_dir / "Project.xsd", engine="xmlschema") == []
    assert project_problems(data) == []
    root = etree.fromstring(qde)
    source = root.find(".//q:TextSource", NS)
    assert source.get("guid") == str(coded.guid)
    text = files[f"sources/{coded.guid}.txt"].decode("utf-8")
    assert text == coded.text  # UTF-8, LF, no BOM: exactly the stored text
    assert "🙂" in text[: coded.text.index("We met")]
    quotes = {str(c.guid): c.quote for c in Coding.objects.filter(interview=coded)}
    checked = 0
    for selection in source.findall("q:PlainTextSelection", NS):
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        for coding in selection.findall("q:Coding", NS):
            assert text[start:end] == quotes[coding.get("guid")]
            checked += 1
    assert checked == Coding.objects.filter(interview=coded).count() == 4


def test_layers_are_coders_and_a_consensus_user(coded: Interview, coder: Any) -> None:
    root = etree.fromstring(read_qdpx(export_qdpx(coded.dyad.study))[0])
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:User", NS)}
    by_user: dict[str, int] = {}
    for element in root.iterfind(".//q:Coding", NS):
        name = users[element.get("creatingUser")]
        by_user[name] = by_user.get(name, 0) + 1
    assert by_user == {"Ana Ruiz": 2, "Ben Clarke": 1, "Consensus": 1}
    assert users[CONSENSUS_USER_GUID] == "Consensus"
    # One selection per span and layer user, holding only that user's codings: readers take
    # each coding's coder from its selection.
    spans = root.findall(".//q:PlainTextSelection", NS)
    assert sorted(len(s.findall("q:Coding", NS)) for s in spans) == [1, 1, 1, 1]
    for selection in spans:
        assert {c.get("creatingUser") for c in selection.findall("q:Coding", NS)} == {
            selection.get("creatingUser")
        }
    assert len({s.get("guid") for s in spans}) == 4
    assert len({(s.get("startPosition"), s.get("endPosition")) for s in spans}) == 2

    only_consensus = etree.fromstring(
        read_qdpx(export_qdpx(coded.dyad.study, layer="consensus"))[0]
    )
    assert {c.get("creatingUser") for c in only_consensus.iterfind(".//q:Coding", NS)} == {
        CONSENSUS_USER_GUID
    }
    only_ana = etree.fromstring(
        read_qdpx(export_qdpx(coded.dyad.study, layer="individual", coder=coder.username))[0]
    )
    assert len(only_ana.findall(".//q:Coding", NS)) == 2


def test_blind_coding_limits_a_coders_export_to_their_own_layer_and_the_consensus(
    coded: Interview, coder: Any, lead: Any
) -> None:
    Study.objects.filter(pk=coded.dyad.study_id).update(blind_coding=True)
    study = Study.objects.get(pk=coded.dyad.study_id)
    mine = etree.fromstring(read_qdpx(export_qdpx(study, actor=coder))[0])
    names = {u.get("name") for u in mine.iterfind(".//q:User", NS)}
    assert "Ben Clarke" not in names
    assert len(mine.findall(".//q:Coding", NS)) == 3
    everything = etree.fromstring(read_qdpx(export_qdpx(study, actor=lead))[0])
    assert len(everything.findall(".//q:Coding", NS)) == 4


def test_memos_become_notes_referenced_from_what_they_are_about(coded: Interview) -> None:
    root = etree.fromstring(read_qdpx(export_qdpx(coded.dyad.study))[0])
    notes = {n.get("guid"): n for n in root.iterfind(".//q:Note", NS)}
    assert len(notes) == 6  # five memos and the coding's own memo
    body = {g: n.find("q:PlainTextContent", NS).text for g, n in notes.items()}
    assert "Café <b>&</b>  bell" in body.values()  # the bell (a control character) is dropped
    project_refs = [r.get("targetGUID") for r in root.findall("q:NoteRef", NS)]
    assert [body[g] for g in project_refs] == ["On the whole study."]
    source_refs = [
        r.get("targetGUID") for r in root.find(".//q:TextSource", NS).findall("q:NoteRef", NS)
    ]
    assert [body[g] for g in source_refs] == ["On the interview."]
    link = root.find(".//q:Link", NS)
    assert body[link.get("originGUID")] == "On the dyad."
    assert link.get("targetGUID") == str(coded.dyad.guid)
    code_refs = root.find(".//q:Code[@name='Valuing']", NS).findall("q:NoteRef", NS)
    assert [body[r.get("targetGUID")] for r in code_refs] == ["On a code."]


def test_dyads_are_cases_with_their_attributes(refi_dir: Path, lead: Any) -> None:
    study = demo_load().study
    root = etree.fromstring(read_qdpx(export_qdpx(study))[0])
    variables = {v.get("guid"): v.get("name") for v in root.iterfind(".//q:Variable", NS)}
    case = root.find(".//q:Case[@name='D01']", NS)
    values = {
        variables[v.find("q:VariableRef", NS).get("targetGUID")]: v[1].text
        for v in case.findall("q:VariableValue", NS)
    }
    assert values["clinician"] == "Dr. Okafor"
    assert values["patient"] == "Evelyn H."
    assert values["clinician.type"] == "MD"
    assert values["clinician.years_in_practice"] == "24"
    assert values["dyad.years_together"] == "22"
    assert len(case.findall("q:SourceRef", NS)) == 2


def test_the_codebook_exports_as_a_valid_qdc_with_definitions_and_criteria(
    refi_dir: Path, study: Study
) -> None:
    data = qdc_bytes(codebook=Codebook.objects.get(study=study))
    assert schema_errors(data, refi_dir / "Codebook.xsd", engine="lxml") == []
    assert schema_errors(data, refi_dir / "Codebook.xsd", engine="xmlschema") == []
    assert codebook_problems(data) == []
    root = etree.fromstring(data)
    ns = {"c": "urn:QDA-XML:codebook:1.0"}
    element = root.find(".//c:Code[@name='Full attention']", ns)
    full = code(study, "VAL.PRES.ATT")
    assert element.get("guid") == str(full.guid)
    assert element.get("color") == full.color.upper()
    fields = read_description(element.find("c:Description", ns).text)
    assert (fields.definition, fields.inclusion, fields.exclusion, fields.example) == (
        full.definition,
        full.inclusion,
        full.exclusion,
        full.example,
    )
    assert (fields.key, fields.group) == ("VAL.PRES.ATT", "process")
    assert element.getparent().get("name") == "Presence"
    # A switched-off code stays codable for other tools (QualCoder would make it a category and
    # drop its codings); its Description says it is switched off, for our import.
    inactive = root.find(".//c:Code[@name='Healing (optional extension)']", ns)
    assert inactive.get("isCodable") == "true"
    description = inactive.find("c:Description", ns).text
    assert description.endswith(", switched off]")
    assert read_description(description).switched_off


def test_an_empty_codebook_is_a_clear_error_everywhere(lead: Any, tmp_path: Path) -> None:
    study = study_create(slug="empty", title="Empty", created_by=lead, codebook="empty")
    with pytest.raises(ExportError, match="at least one code"):
        qdc_bytes(codebook=study.codebook)
    out = tmp_path / "empty.qdc"
    with pytest.raises(CommandError, match="at least one code"):
        call_command("export_codebook", "--study", "empty", "--format", "qdc", "--out", str(out))
    assert not out.exists()
    # The project of an empty study is still valid: no empty wrappers.
    data = export_qdpx(study)
    assert project_problems(data) == []
    root = etree.fromstring(read_qdpx(data)[0])
    assert [etree.QName(child).localname for child in root] == []


def test_an_empty_study_project_is_schema_valid(refi_dir: Path, lead: Any) -> None:
    study = study_create(slug="empty", title="Empty", created_by=lead, codebook="empty")
    qde = read_qdpx(export_qdpx(study))[0]
    assert schema_errors(qde, refi_dir / "Project.xsd", engine="lxml") == []
    assert schema_errors(qde, refi_dir / "Project.xsd", engine="xmlschema") == []


def test_the_registered_formats_and_commands_write_the_files(
    coded: Interview, tmp_path: Path, lead: Any
) -> None:
    assert study_export("qdpx").extension == "qdpx"
    assert codebook_export("qdc").extension == "qdc"
    out = tmp_path / "study.qdpx"
    call_command(
        "export_study", "--study", "study", "--format", "qdpx", "--out", str(out), "--user", "lead",
        stderr=io.StringIO(),
    )  # fmt: skip
    assert zipfile.ZipFile(out).namelist()[-1] == "project.qde"
    assert project_problems(out.read_bytes()) == []
    assert AuditEvent.objects.filter(action="export", object_type="study", actor=lead).exists()
    qdc = tmp_path / "codebook.qdc"
    call_command(
        "export_codebook", "--study", "study", "--format", "qdc", "--out", str(qdc),
        stderr=io.StringIO(),
    )  # fmt: skip
    assert codebook_problems(qdc.read_bytes()) == []
    assert Code.objects.filter(codebook__study__slug="study").count() == len(
        etree.fromstring(qdc.read_bytes()).findall(".//{urn:QDA-XML:codebook:1.0}Code")
    )
