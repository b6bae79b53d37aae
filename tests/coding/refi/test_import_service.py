"""Importing into an existing study: the mapping (users to members, sources to dyads and
interviews, codes merged), the consensus layer, placeholders, notes as memos, .qdc merges."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from coding.demo.build import demo_load
from coding.exchange.refi.export import CODING_MEMO_NAME, CONSENSUS_USER_GUID, qdc_bytes
from coding.exchange.refi.imports import qdc_import, qdpx_import, qdpx_inspect
from coding.models import Code, Codebook, Coding, Layer, Memo
from coding.services import CodingInput, codings_bulk_create
from interviews.models import (
    AttributeDefinition,
    Dyad,
    Interview,
    Membership,
    PlaceholderPerson,
    Study,
)
from tests.coding.refi.conftest import export_qdpx, make_qdpx, project_xml
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db

S1 = "11111111-1111-1111-1111-111111111111"
U1 = "bbbbbbbb-0000-0000-0000-000000000001"
U2 = "bbbbbbbb-0000-0000-0000-000000000002"
TEXT = "Interviewer: How did you meet?\nMaria: At the clinic, years ago.\n"


def test_our_own_export_imported_back_adds_nothing_and_says_why(lead: Any) -> None:
    demo = demo_load().study
    codings = Coding.objects.filter(interview__dyad__study=demo).count()
    plan = qdpx_inspect(data=export_qdpx(demo), filename="demo.qdpx", user=lead, study=demo)
    assert {s["action"] for s in plan["sources"]} == {"existing"}
    assert {u["action"] for u in plan["users"]} == {"member", "consensus"}
    assert plan["codes"]["match_guid"] == plan["codes"]["total"]
    report = qdpx_import(
        data=export_qdpx(demo), filename="demo.qdpx", user=lead, study=demo
    ).as_dict()
    assert Coding.objects.filter(interview__dyad__study=demo).count() == codings
    assert report["skipped_counts"]["duplicate coding"] == codings
    assert report["imported"].get("interviews", 0) == 0
    assert report["imported"].get("codes", 0) == 0
    assert Dyad.objects.filter(study=demo).count() == 9


def _file(*, users: str, selections: str, notes: str = "", extra: str = "") -> bytes:
    valuing_key = "[Healing: key VAL, group process]"
    body = (
        f"<Users>{users}</Users>"
        "<CodeBook><Codes>"
        '<Code guid="aaaaaaaa-0000-0000-0000-000000000001" name="Whatever" isCodable="true">'
        f"<Description>Renamed elsewhere.\n\n{valuing_key}</Description></Code>"
        '<Code guid="aaaaaaaa-0000-0000-0000-000000000002" name="abiding" isCodable="true"/>'
        '<Code guid="aaaaaaaa-0000-0000-0000-000000000003" name="Brand new" isCodable="false" '
        'color="#112233"/>'
        "</Codes></CodeBook>"
        f'<Sources><TextSource guid="{S1}" name="Maria, patient" plainTextPath="internal://{S1}.txt">'
        f"{selections}</TextSource></Sources>{notes}{extra}"
    )
    return make_qdpx(project_xml(body), {f"sources/{S1}.txt": TEXT.encode()})


def _selection(guid: str, start: int, end: int, codings: str, description: str = "") -> str:
    described = f"<Description>{description}</Description>" if description else ""
    return (
        f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}">'
        f"{described}{codings}</PlainTextSelection>"
    )


def _coding(guid: str, code: str, user: str, notes: str = "") -> str:
    return (
        f'<Coding guid="{guid}" creatingUser="{user}"><CodeRef targetGUID="{code}"/>'
        f"{notes}</Coding>"
    )


CLINIC = TEXT.index("At the clinic")


def test_users_go_to_members_the_consensus_or_placeholders(
    study: Study, lead: Any, coder: Any
) -> None:
    selections = _selection(
        "dddddddd-0000-0000-0000-000000000001",
        CLINIC,
        CLINIC + 13,
        _coding("cccccccc-0000-0000-0000-000000000001", "aaaaaaaa-0000-0000-0000-000000000001", U1)
        + _coding(
            "cccccccc-0000-0000-0000-000000000002", "aaaaaaaa-0000-0000-0000-000000000002", U2
        )
        + _coding(
            "cccccccc-0000-0000-0000-000000000003",
            "aaaaaaaa-0000-0000-0000-000000000002",
            CONSENSUS_USER_GUID,
        )
        + _coding(
            "cccccccc-0000-0000-0000-000000000004",
            "aaaaaaaa-0000-0000-0000-000000000003",
            "eeeeeeee-0000-0000-0000-000000000000",
        ),
    )
    users = (
        f'<User guid="{U1}" name="Ana Ruiz" id="coder"/><User guid="{U2}" name="Someone Else"/>'
        f'<User guid="{CONSENSUS_USER_GUID}" name="Consensus"/>'
    )
    data = _file(users=users, selections=selections)
    plan = qdpx_inspect(data=data, filename="x.qdpx", user=lead, study=study)
    actions = {u["name"]: (u["action"], u["username"]) for u in plan["users"]}
    assert actions["Ana Ruiz"] == ("member", "coder")
    assert actions["Someone Else"] == ("placeholder", "")
    assert actions["Consensus"] == ("consensus", "")
    assert actions["Unknown user eeeeeeee"] == ("placeholder", "")
    version = study.codebook.version
    report = qdpx_import(
        data=data,
        filename="x.qdpx",
        user=lead,
        study=study,
        mapping={
            "users": [{"guid": "eeeeeeee-0000-0000-0000-000000000000", "action": "skip"}],
            "sources": [{"guid": S1, "dyad": "D42", "perspective": "patient"}],
        },
    ).as_dict()
    interview = Interview.objects.get(dyad__study=study, dyad__label="D42")
    assert interview.perspective == "patient"
    rows = {
        (c.coder.username, c.layer, c.code.key)
        for c in Coding.objects.filter(interview=interview).select_related("coder", "code")
    }
    assert rows == {
        ("coder", Layer.INDIVIDUAL, "VAL"),  # matched by the key in the description
        ("imported-someone-else", Layer.INDIVIDUAL, "ABI"),  # matched by name, any case
        ("lead", Layer.CONSENSUS, "ABI"),  # the consensus is the importing lead's
    }
    # A placeholder (issue 14): no member, cannot sign in, flagged with the file's claim.
    assert not Membership.objects.filter(study=study, user__username="imported-someone-else")
    placeholder = PlaceholderPerson.objects.get(user__username="imported-someone-else")
    assert placeholder.claimed_name == "Someone Else"
    assert not placeholder.user.is_active
    assert not placeholder.user.has_usable_password()
    assert report["skipped_counts"]["coding"] == 1  # its coder was skipped
    new = Code.objects.get(codebook__study=study, name="Brand new")
    assert not new.is_active
    assert new.color == "#112233"
    assert code(study, "VAL").name == "Valuing"  # matched codes are kept as they are
    study.codebook.refresh_from_db()
    assert study.codebook.version == version + 1


def test_matched_codes_can_be_updated_from_the_file(study: Study, lead: Any) -> None:
    data = _file(users="", selections="")
    qdpx_import(
        data=data,
        filename="x.qdpx",
        user=lead,
        study=study,
        mapping={"update_codes": True, "sources": [{"guid": S1, "action": "skip"}]},
    )
    valuing = code(study, "VAL")
    assert valuing.name == "Whatever"
    assert valuing.definition == "Renamed elsewhere."


def test_a_mapping_is_checked_entry_by_entry(study: Study, lead: Any, other_study: Study) -> None:
    data = _file(users=f'<User guid="{U1}" name="X"/>', selections="")
    other = make_interview(study=other_study, text=TEXT)
    bad = {
        "sources": [{"guid": S1, "action": "new", "dyad": "x" * 61, "perspective": "nurse"}],
        "users": [{"guid": U1, "action": "member", "username": "outsider"}],
    }
    with pytest.raises(ValidationError) as caught:
        qdpx_import(data=data, filename="x.qdpx", user=lead, study=study, mapping=bad)
    fields = caught.value.message_dict
    assert set(fields) == {"sources[0].dyad", "sources[0].perspective", "users[0].username"}
    with pytest.raises(ValidationError) as caught:
        qdpx_import(
            data=data,
            filename="x.qdpx",
            user=lead,
            study=study,
            mapping={"sources": [{"guid": S1, "action": "existing", "interview": other.pk}]},
        )
    assert "No interview" in caught.value.message_dict["sources[0].interview"][0]
    mine = make_interview(study=study, text="Interviewer: A different text.\n")
    with pytest.raises(ValidationError, match="another text"):
        qdpx_import(
            data=data,
            filename="x.qdpx",
            user=lead,
            study=study,
            mapping={"sources": [{"guid": S1, "action": "existing", "interview": mine.pk}]},
        )
    with pytest.raises(ValidationError, match="No such source"):
        qdpx_import(
            data=data, filename="x.qdpx", user=lead, study=study,
            mapping={"sources": [{"guid": "99999999-9999-9999-9999-999999999999"}]},
        )  # fmt: skip
    assert not Dyad.objects.filter(study=study).exclude(label="D01").exists()


def test_codings_go_into_an_existing_interview_with_the_same_text(
    study: Study, lead: Any, coder: Any
) -> None:
    interview = make_interview(study=study, text=TEXT)
    codings_bulk_create(
        interview=interview,
        coder=coder,
        items=[CodingInput(code(study, "VAL").pk, CLINIC, CLINIC + 13)],
    )
    selections = _selection(
        "dddddddd-0000-0000-0000-000000000001",
        CLINIC,
        CLINIC + 13,
        _coding("cccccccc-0000-0000-0000-000000000001", "aaaaaaaa-0000-0000-0000-000000000001", U1)
        + _coding(
            "cccccccc-0000-0000-0000-000000000002", "aaaaaaaa-0000-0000-0000-000000000002", U1
        ),
    )
    data = _file(users=f'<User guid="{U1}" name="Ana Ruiz" id="coder"/>', selections=selections)
    plan = qdpx_inspect(data=data, filename="x.qdpx", user=lead, study=study)
    assert (plan["sources"][0]["action"], plan["sources"][0]["interview"]) == (
        "existing",
        interview.pk,
    )
    report = qdpx_import(data=data, filename="x.qdpx", user=lead, study=study).as_dict()
    assert Interview.objects.filter(dyad__study=study).count() == 1
    assert sorted(
        Coding.objects.filter(interview=interview).values_list("code__key", flat=True)
    ) == [
        "ABI",
        "VAL",
    ]
    assert report["skipped_counts"]["duplicate coding"] == 1


def test_notes_become_memos_where_they_belong(lead: Any) -> None:
    selections = (
        _selection(
            "dddddddd-0000-0000-0000-000000000001",
            CLINIC,
            CLINIC + 13,
            _coding(
                "cccccccc-0000-0000-0000-000000000001",
                "aaaaaaaa-0000-0000-0000-000000000001",
                U1,
                '<NoteRef targetGUID="99999999-0000-0000-0000-000000000001"/>'
                '<NoteRef targetGUID="99999999-0000-0000-0000-000000000002"/>',
            ),
            description="A comment from MAXQDA &lt;script&gt;",
        )
        + '<NoteRef targetGUID="99999999-0000-0000-0000-000000000003"/>'
    )

    def note(number: int, name: str, text: str) -> str:
        return (
            f'<Note guid="99999999-0000-0000-0000-00000000000{number}" name="{name}" '
            f'creatingUser="{U1}"><PlainTextContent>{text}</PlainTextContent></Note>'
        )

    notes = (
        "<Notes>"
        + note(1, CODING_MEMO_NAME, "Borderline.")
        + note(2, "Second thoughts", "On this coding.")
        + note(3, "About the interview", "On the source.")
        + note(4, "About the case", "On the case.")
        + note(5, "Loose", "On nothing in particular.")
        + "</Notes>"
    )
    extra = (
        '<Links><Link guid="77777777-0000-0000-0000-000000000001" name="memo" direction="OneWay" '
        'originGUID="99999999-0000-0000-0000-000000000004" '
        'targetGUID="66666666-0000-0000-0000-000000000001"/></Links>'
    )
    cases = (
        '<Cases><Case guid="66666666-0000-0000-0000-000000000001" name="D09">'
        f'<SourceRef targetGUID="{S1}"/></Case></Cases>'
    )
    data = make_qdpx(
        project_xml(
            f'<Users><User guid="{U1}" name="Lena Ortiz" id="lead"/></Users>'
            '<CodeBook><Codes><Code guid="aaaaaaaa-0000-0000-0000-000000000001" name="Trust" '
            'isCodable="true"/></Codes></CodeBook>'
            + cases
            + f'<Sources><TextSource guid="{S1}" name="Maria" plainTextPath="internal://{S1}.txt">'
            + selections
            + "</TextSource></Sources>"
            + notes
            + extra
        ),
        {f"sources/{S1}.txt": TEXT.encode()},
    )
    qdpx_import(data=data, filename="x.qdpx", user=lead, new_study={"slug": "n", "title": "N"})
    study = Study.objects.get(slug="n")
    coding = Coding.objects.get(interview__dyad__study=study)
    assert coding.memo == "Borderline."
    memos = {m.title: m for m in Memo.objects.filter(study=study)}
    assert memos["Second thoughts"].coding_id == coding.pk
    assert memos["About the interview"].interview_id == coding.interview_id
    assert memos["About the case"].dyad.label == "D09"
    assert memos["Loose"].dyad_id is None
    assert memos["Loose"].interview_id is None
    assert memos["Comment on “At the clinic”"].body == "A comment from MAXQDA <script>"
    assert memos["Comment on “At the clinic”"].coding_id == coding.pk
    assert all(m.author.username == "lead" for m in memos.values())


def test_cases_and_variables_become_dyads_people_and_typed_attributes(lead: Any) -> None:
    kinds = [
        ("clinician", "Text"),
        ("Years Together", "Integer"),
        ("patient.smoker", "Boolean"),
        ("patient", "Text"),
        ("Score", "Float"),
        ("Since", "Date"),
    ]
    variables = (
        "<Variables>"
        + "".join(
            f'<Variable guid="10000000-0000-0000-0000-00000000000{number}" name="{name}" '
            f'typeOfVariable="{kind}"/>'
            for number, (name, kind) in enumerate(kinds, start=1)
        )
        + "</Variables>"
    )

    def value(number: int, kind: str, text: str) -> str:
        return (
            "<VariableValue><VariableRef "
            f'targetGUID="10000000-0000-0000-0000-00000000000{number}"/>'
            f"<{kind}>{text}</{kind}></VariableValue>"
        )

    cases = (
        "<Cases>"
        '<Case guid="66666666-0000-0000-0000-000000000001" name="Pair 1">'
        + value(1, "TextValue", "Dr. Lee")
        + value(2, "IntegerValue", "12")
        + value(3, "BooleanValue", "true")
        + value(4, "TextValue", "Maria")
        + value(5, "FloatValue", "3.5")
        + value(6, "DateValue", "2019-04-01")
        + '</Case><Case guid="66666666-0000-0000-0000-000000000002" name="Pair 1">'
        + value(1, "TextValue", "Dr. Lee")
        + value(2, "IntegerValue", "many")
        + '</Case><Case guid="66666666-0000-0000-0000-000000000003"/></Cases>'
    )
    data = make_qdpx(project_xml(variables + cases))
    report = qdpx_import(
        data=data, filename="x.qdpx", user=lead, new_study={"slug": "n", "title": "N"}
    ).as_dict()
    study = Study.objects.get(slug="n")
    first = Dyad.objects.get(study=study, label="Pair 1")
    assert first.attributes == {
        "years_together": 12, "score": 3.5, "since": "2019-04-01",
    }  # fmt: skip
    assert first.clinician.pseudonym == "Dr. Lee"
    assert first.patient.attributes == {"smoker": True}
    second = Dyad.objects.get(study=study, label="Pair 1 (2)")  # a renamed duplicate
    assert second.clinician == first.clinician  # one clinician, several dyads
    assert Dyad.objects.filter(study=study, label="Case 3").exists()
    types = dict(AttributeDefinition.objects.filter(study=study).values_list("key", "type"))
    assert types == {
        "years_together": "integer", "smoker": "boolean", "score": "decimal", "since": "date",
    }  # fmt: skip
    assert report["skipped_counts"]["attribute value"] == 1
    assert report["converted_counts"]["renamed duplicate"] == 1


def test_a_qdc_merges_into_the_codebook_as_a_new_version(
    study: Study, lead: Any, other_study: Study
) -> None:
    theirs = Codebook.objects.get(study=other_study)
    from coding.services import code_create

    code_create(codebook=theirs, key="NEW.ONE", name="Brand new", actor=lead, color="#123456")
    valuing = Code.objects.get(codebook=theirs, key="VAL")
    Code.objects.filter(pk=valuing.pk).update(name="Valuing (theirs)")
    data = qdc_bytes(codebook=theirs)
    version = study.codebook.version
    before = Code.objects.filter(codebook__study=study).count()
    report = qdc_import(study=study, data=data, filename="theirs.qdc", actor=lead).as_dict()
    assert Code.objects.filter(codebook__study=study).count() == before + 1
    assert Code.objects.get(codebook__study=study, key="NEW.ONE").color == "#123456"
    assert code(study, "VAL").name == "Valuing"
    assert report["imported"] == {"codes": 1, "codes matched": before}
    study.codebook.refresh_from_db()
    assert study.codebook.version == version + 1
    assert study.codebook.versions.get(number=version + 1).summary.startswith("Imported theirs.qdc")
    qdc_import(study=study, data=data, filename="theirs.qdc", actor=lead, update_matched=True)
    assert code(study, "VAL").name == "Valuing (theirs)"
    # Nothing new the third time: no new version.
    study.codebook.refresh_from_db()
    version = study.codebook.version
    qdc_import(study=study, data=data, filename="theirs.qdc", actor=lead, update_matched=True)
    study.codebook.refresh_from_db()
    assert study.codebook.version == version
