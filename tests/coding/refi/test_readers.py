"""Our .qdpx read by other readers gets every coding with its coder and every memo.

Two readers: pyrefiqda (Pydantic models generated from the official schemas), and a minimal
reader written here that reads the way QualCoder's importer does (``src/qualcoder/refi.py``):
the coder of every coding is its enclosing PlainTextSelection's ``creatingUser`` (by the user's
name), a code is found by GUID among codable codes whose name is not taken yet, a coding
repeated for the same code, span and coder is dropped, and a note's text comes only from its
``plainTextPath`` file (a repeated note name stops the import). Both are compared with the
database: per coder, per layer, per code, and the (source, start, end, code, coder) tuples.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from coding.demo.build import demo_load
from coding.exchange.refi.codes import note_title
from coding.exchange.refi.export import CONSENSUS_USER_NAME
from coding.exchange.refi.imports import qdpx_import
from coding.exchange.refi.validate import project_problems, schema_errors
from coding.models import Code, Coding, Layer, Memo
from coding.services import memo_create
from interviews.models import Study
from tests.coding.refi.conftest import export_qdpx
from tests.rich_study import build_rich_study

pytestmark = pytest.mark.django_db
Q = "{urn:QDA-XML:project:1.0}"

# (source GUID, start, end, code GUID, coder name)
Tally = Counter[tuple[str, int, int, str, str]]


@dataclass
class Read:
    codings: Tally = field(default_factory=Counter)
    memos: Counter[tuple[str, str]] = field(default_factory=Counter)  # (text, author name)
    problems: list[str] = field(default_factory=list)


def _name(user: Any) -> str:
    return user.get_full_name() or user.username


def from_database(study: Study) -> Read:
    read = Read()
    for coding in Coding.objects.filter(interview__dyad__study=study).select_related(
        "interview", "code", "coder"
    ):
        coder = CONSENSUS_USER_NAME if coding.layer == Layer.CONSENSUS else _name(coding.coder)
        read.codings[
            (str(coding.interview.guid), coding.start, coding.end, str(coding.code.guid), coder)
        ] += 1
        if coding.memo.strip():
            read.memos[(coding.memo, _name(coding.coder))] += 1
    for memo in Memo.objects.filter(study=study).select_related("author"):
        read.memos[(memo.body, _name(memo.author))] += 1
    return read


def read_like_qualcoder(data: bytes) -> Read:
    """The minimal reader (see the module docstring); strict: anything it cannot place is a
    problem, never a guess."""
    read = Read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(files["project.qde"])
    users = {user.get("guid"): user.get("name") for user in root.iter(f"{Q}User")}
    codes: dict[str, str] = {}
    names: set[str] = set()
    for code in root.iter(f"{Q}Code"):
        if code.get("isCodable") == "false":
            read.problems.append(f"code {code.get('name')} would be a category, codings lost")
        elif code.get("name") in names:
            read.problems.append(f"code name {code.get('name')} repeated, its codings lost")
        else:
            names.add(code.get("name"))
            codes[code.get("guid")] = code.get("name")
    for source in root.iter(f"{Q}TextSource"):
        for selection in source.iter(f"{Q}PlainTextSelection"):
            coder = users.get(selection.get("creatingUser"), "default")
            for coding in selection.iter(f"{Q}Coding"):
                code_guid = coding.find(f"{Q}CodeRef").get("targetGUID")
                if code_guid not in codes:
                    read.problems.append(f"coding {coding.get('guid')}: no such codable code")
                    continue
                key = (
                    source.get("guid"),
                    int(selection.get("startPosition")),
                    int(selection.get("endPosition")),
                    code_guid,
                    coder,
                )
                if key in read.codings:
                    read.problems.append(f"coding {coding.get('guid')} repeats {key}: dropped")
                    continue
                read.codings[key] += 1
    note_names: set[str] = set()
    for note in root.iter(f"{Q}Note"):
        path, name = note.get("plainTextPath"), note.get("name") or ""
        if not path or not name:
            read.problems.append(f"note {note.get('guid')} has no plainTextPath or no name")
            continue
        if name in note_names:
            read.problems.append(f"note name {name!r} repeated: the import stops")
        note_names.add(name)
        entry = "sources/" + path.split("internal:/")[1].lstrip("/")
        if entry not in files:
            read.problems.append(f"note {note.get('guid')}: {entry} missing")
            continue
        author = users.get(note.get("creatingUser"), "default")
        read.memos[(files[entry].decode("utf-8"), author)] += 1
    return read


def read_with_pyrefiqda(data: bytes, workdir: Path) -> Read:
    from pyrefiqda import RefiProject

    archive = workdir / "study.qdpx"
    archive.write_bytes(data)
    extracted = workdir / "extracted"
    project = RefiProject.load(archive, extract_dir=str(extracted))
    read = Read()
    assert project.users is not None
    assert project.sources is not None
    users = {user.guid: user.name for user in project.users.user}
    for source in project.sources.text_source:
        for selection in source.plain_text_selection:
            for coding in selection.coding:
                if coding.creating_user != selection.creating_user:
                    read.problems.append(f"coding {coding.guid}: not its selection's user")
                key = (
                    source.guid,
                    selection.start_position,
                    selection.end_position,
                    coding.code_ref.target_guid,
                    users[coding.creating_user],
                )
                read.codings[key] += 1
    for note in project.notes.note if project.notes else []:
        assert note.plain_text_path is not None
        text = RefiProject.resolve_source_path(note.plain_text_path, extracted).read_text("utf-8")
        if text != (note.plain_text_content or ""):
            read.problems.append(f"note {note.guid}: file and PlainTextContent differ")
        read.memos[(text, users[note.creating_user])] += 1
    return read


def assert_reads_everything(read: Read, expected: Read) -> None:
    assert read.problems == []
    assert read.codings == expected.codings
    by = {
        "coder": lambda key: key[4],
        "layer": lambda key: key[4] == CONSENSUS_USER_NAME,
        "code": lambda key: key[3],
    }
    for what, part in by.items():
        got, want = Counter(), Counter()
        for tally, counts in ((got, read.codings), (want, expected.codings)):
            for key, number in counts.items():
                tally[part(key)] += number
        assert got == want, what
    assert read.memos == expected.memos


def _with_a_switched_off_code(study: Study) -> Code:
    """Switch off a code that has codings: other tools must still get them."""
    switched = Code.objects.filter(codebook__study=study, codings__isnull=False).distinct()[0]
    Code.objects.filter(pk=switched.pk).update(is_active=False)
    return switched


def test_the_demo_export_read_like_qualcoder_has_every_coding_coder_and_memo(lead: Any) -> None:
    study = demo_load().study
    switched = _with_a_switched_off_code(study)
    data = export_qdpx(study)
    expected = from_database(study)
    read = read_like_qualcoder(data)
    assert_reads_everything(read, expected)
    # The figures the outside check found lacking: 962 codings, 133 of them consensus, 6 notes.
    assert sum(read.codings.values()) == Coding.objects.filter(interview__dyad__study=study).count()
    assert sum(n for key, n in read.codings.items() if key[4] == CONSENSUS_USER_NAME) == (
        Coding.objects.filter(interview__dyad__study=study, layer=Layer.CONSENSUS).count()
    )
    assert sum(read.memos.values()) == 6
    assert {key[4] for key in read.codings} == {"Ana Ruiz", "Ben Clarke", CONSENSUS_USER_NAME}
    assert any(key[3] == str(switched.guid) for key in read.codings)


def test_a_rich_study_read_like_qualcoder_has_every_coding_coder_and_memo(
    study: Study, lead: Any, coder: Any, coder2: Any
) -> None:
    build_rich_study(study=study, lead=lead, coder=coder, coder2=coder2)
    _with_a_switched_off_code(study)
    assert_reads_everything(read_like_qualcoder(export_qdpx(study)), from_database(study))


def test_the_demo_export_read_with_pyrefiqda_has_every_coding_coder_and_memo(
    lead: Any, tmp_path: Path
) -> None:
    pytest.importorskip("pyrefiqda")
    study = demo_load().study
    _with_a_switched_off_code(study)
    data = export_qdpx(study)
    assert_reads_everything(read_with_pyrefiqda(data, tmp_path), from_database(study))


def test_switched_off_codes_come_back_switched_off_with_their_codings(
    refi_dir: Path, study: Study, lead: Any, coder: Any, coder2: Any
) -> None:
    build_rich_study(study=study, lead=lead, coder=coder, coder2=coder2)
    switched = _with_a_switched_off_code(study)
    first = export_qdpx(study)
    qde = zipfile.ZipFile(io.BytesIO(first)).read("project.qde")
    assert schema_errors(qde, refi_dir / "Project.xsd", engine="lxml") == []
    assert schema_errors(qde, refi_dir / "Project.xsd", engine="xmlschema") == []
    assert project_problems(first) == []
    element = etree.fromstring(qde).find(f".//{Q}Code[@guid='{switched.guid}']")
    assert element.get("isCodable") == "true"
    assert "switched off" in element.findtext(f"{Q}Description")
    report = qdpx_import(
        data=first, filename="rich.qdpx", user=lead, new_study={"slug": "copy", "title": "Copy"}
    ).as_dict()
    assert report["skipped_total"] == 0
    copy = Study.objects.get(slug="copy")
    assert set(
        Code.objects.filter(codebook__study=copy).values_list("guid", "key", "is_active")
    ) == set(Code.objects.filter(codebook__study=study).values_list("guid", "key", "is_active"))
    assert Coding.objects.filter(code__guid=switched.guid, interview__dyad__study=copy).count() == (
        Coding.objects.filter(code=switched).count()
    )

    # Memo titles come back without the suffix that made note names distinct (an untitled
    # memo is a note named "Memo", as before).
    def titles(of: Study) -> list[tuple[str, str]]:
        memos = Memo.objects.filter(study=of).values_list("title", "body")
        return sorted((title or "Memo", body) for title, body in memos)

    assert titles(copy) == titles(study)
    second = export_qdpx(copy)
    assert read_like_qualcoder(second).memos == read_like_qualcoder(first).memos
    names = [
        note_title(name=n.get("name"), guid=n.get("guid"))
        for n in etree.fromstring(zipfile.ZipFile(io.BytesIO(second)).read("project.qde")).iter(
            f"{Q}Note"
        )
    ]
    assert len(names) == sum(read_like_qualcoder(second).memos.values())


def _export_queries(study: Study) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        export_qdpx(study)
    return [query["sql"] for query in captured.captured_queries]


def test_the_export_runs_the_same_queries_whatever_the_size(
    study: Study, lead: Any, coder: Any, coder2: Any
) -> None:
    """Per-layer selections and note files are built from rows already read, so a study 50
    times larger takes the same queries: the codebook, its codes, the memos, which memos'
    codings are exported, attribute definitions, dyads with their people, the interview count,
    codings (streamed), interviews (streamed) and the users."""
    build_rich_study(study=study, lead=lead, coder=coder, coder2=coder2)
    demo = demo_load().study
    # The demo has no memo on a coding, which takes one query: give it one, like the rich study.
    memo_create(
        study=demo,
        author=lead,
        coding=Coding.objects.filter(interview__dyad__study=demo).first(),
        body="On a coding.",
    )
    small, large = _export_queries(study), _export_queries(demo)
    assert Coding.objects.filter(interview__dyad__study=demo).count() > 50 * (
        Coding.objects.filter(interview__dyad__study=study).count()
    )
    assert len(small) == len(large) == 10, "\n".join(large)
