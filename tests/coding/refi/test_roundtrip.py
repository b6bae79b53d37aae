"""Round trip: the demo study -> .qdpx -> import as a new study -> .qdpx gives the same codes,
texts, codings, coders, memos and attributes."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

import pytest
from lxml import etree

from coding.demo.build import demo_load
from coding.exchange.refi.codes import note_title
from coding.exchange.refi.imports import qdpx_import
from coding.exchange.refi.validate import project_problems, read_qdpx
from coding.models import Code, Coding, Memo
from interviews.models import AttributeDefinition, Dyad, Interview, Participant, Study
from tests.coding.refi.conftest import export_qdpx

pytestmark = pytest.mark.django_db
Q = "{urn:QDA-XML:project:1.0}"


def _local(element: Any) -> str:
    return etree.QName(element).localname


def summary(data: bytes) -> dict[str, Any]:
    """What a .qdpx says, in terms that do not depend on database ids or export time."""
    qde, files = read_qdpx(data)
    root = etree.fromstring(qde)
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{Q}User")}
    variables = {v.get("guid"): v.get("name") for v in root.iter(f"{Q}Variable")}
    texts: dict[str, str] = {}
    for source in root.iter(f"{Q}TextSource"):
        text = files["sources/" + source.get("plainTextPath").removeprefix("internal://")]
        texts[source.get("guid")] = hashlib.sha256(text).hexdigest()
    codes = {
        (
            code.get("guid"),
            code.get("name"),
            code.get("color"),
            code.get("isCodable"),
            code.findtext(f"{Q}Description"),
            code.getparent().get("guid") if _local(code.getparent()) == "Code" else None,
        )
        for code in root.iter(f"{Q}Code")
    }
    codings: Counter[tuple[Any, ...]] = Counter()
    for source in root.iter(f"{Q}TextSource"):
        for selection in source.iter(f"{Q}PlainTextSelection"):
            for coding in selection.iter(f"{Q}Coding"):
                codings[
                    (
                        texts[source.get("guid")],
                        selection.get("startPosition"),
                        selection.get("endPosition"),
                        coding.find(f"{Q}CodeRef").get("targetGUID"),
                        users[coding.get("creatingUser")],
                    )
                ] += 1
    targets: dict[str, str] = {}
    for element in root.iter():
        for ref in element.findall(f"{Q}NoteRef"):
            kind = _local(element)
            key = {
                "TextSource": lambda e: texts[e.get("guid")],
                "Code": lambda e: e.get("name"),
                "Project": lambda e: "",
                "Coding": lambda e: (
                    e.find(f"{Q}CodeRef").get("targetGUID") + users[e.get("creatingUser")]
                ),
            }[kind](element)
            targets[ref.get("targetGUID")] = f"{kind}:{key}"
    cases = {c.get("guid"): c.get("name") for c in root.iter(f"{Q}Case")}
    for link in root.iter(f"{Q}Link"):
        targets[link.get("originGUID")] = "Case:" + cases[link.get("targetGUID")]
    # A repeated note name carries a suffix from the note's GUID (QualCoder needs distinct
    # names); coding memos' GUIDs are derived anew on import, so compare the titles.
    memos = Counter(
        (
            note_title(name=note.get("name"), guid=note.get("guid")),
            note.findtext(f"{Q}PlainTextContent"),
            users[note.get("creatingUser")],
            targets.get(note.get("guid"), "nowhere"),
        )
        for note in root.iter(f"{Q}Note")
    )
    attributes = {
        case.get("name"): {
            variables[value.find(f"{Q}VariableRef").get("targetGUID")]: value[1].text
            for value in case.findall(f"{Q}VariableValue")
        }
        for case in root.iter(f"{Q}Case")
    }
    perspectives = Counter(
        (texts[source.get("guid")], value[1].text)
        for source in root.iter(f"{Q}TextSource")
        for value in source.findall(f"{Q}VariableValue")
        if variables[value.find(f"{Q}VariableRef").get("targetGUID")] == "interview.perspective"
    )
    return {
        "codes": codes,
        "texts": sorted(texts.values()),
        "codings": codings,
        "coders": {name for *_, name in codings},
        "memos": memos,
        "attributes": attributes,
        "perspectives": perspectives,
        "variables": sorted(variables.values()),
    }


def test_demo_round_trip_keeps_codes_texts_codings_coders_memos_and_attributes(lead: Any) -> None:
    demo = demo_load().study
    first = export_qdpx(demo)
    report = qdpx_import(
        data=first, filename="demo.qdpx", user=lead, new_study={"slug": "copy", "title": "Copy"}
    ).as_dict()
    copy = Study.objects.get(slug="copy")
    second = export_qdpx(copy)
    assert project_problems(second) == []
    before, after = summary(first), summary(second)
    for part in ("codes", "texts", "codings", "coders", "memos", "attributes", "perspectives"):
        assert after[part] == before[part], part
    assert before["coders"] == {"Ana Ruiz", "Ben Clarke", "Consensus"}
    assert (
        sum(before["codings"].values())
        == Coding.objects.filter(interview__dyad__study=demo).count()
    )
    # And in the database: the same rows, attributes typed as before.
    assert (
        Coding.objects.filter(interview__dyad__study=copy).count()
        == Coding.objects.filter(interview__dyad__study=demo).count()
    )
    assert (
        report["imported"]["codings"] == Coding.objects.filter(interview__dyad__study=copy).count()
    )
    assert Memo.objects.filter(study=copy).count() == Memo.objects.filter(study=demo).count()
    assert set(
        Code.objects.filter(codebook__study=copy).values_list("key", "group", "is_active")
    ) == set(Code.objects.filter(codebook__study=demo).values_list("key", "group", "is_active"))

    def definitions(study: Study) -> set[tuple[str, ...]]:
        return {
            (d.entity, d.key, d.type, d.label, *d.choices)
            for d in AttributeDefinition.objects.filter(study=study)
        }

    assert definitions(copy) == definitions(demo)
    for label in ("D01", "D05"):
        original, copied = (Dyad.objects.get(study=s, label=label) for s in (demo, copy))
        assert copied.attributes == original.attributes
        assert copied.clinician.attributes == original.clinician.attributes
        assert copied.patient.pseudonym == original.patient.pseudonym
    assert (
        Participant.objects.filter(study=copy).count()
        == Participant.objects.filter(study=demo).count()
    )
    assert set(
        Interview.objects.filter(dyad__study=copy).values_list("guid", "perspective")
    ) == set(Interview.objects.filter(dyad__study=demo).values_list("guid", "perspective"))
    # Turns are found again by the transcript import's detection.
    assert Interview.objects.filter(dyad__study=copy).first().turns.count() > 10
    assert report["skipped_total"] == 0
