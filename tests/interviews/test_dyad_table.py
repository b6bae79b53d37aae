"""The dyads table: retyping attributes, the paste box (preview, apply, every refusal), the page
for each persona and its query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from healing.audit.models import AuditEvent
from interviews.models import AttributeDefinition, Dyad, Participant, Study
from interviews.services import (
    attribute_define,
    attribute_retype,
    dyad_get_or_create,
    participant_get_or_create,
)
from interviews.services.dyad_table import MAX_PASTE_ROWS, dyad_table_paste
from tests.factories import make_interview

pytestmark = pytest.mark.django_db


@pytest.fixture
def table(study: Study) -> dict[str, Any]:
    """Three dyads; Dr Lee is the clinician of D01 and D02, Dr Kim of D03."""
    lee = participant_get_or_create(study=study, role="clinician", pseudonym="Dr Lee")
    kim = participant_get_or_create(study=study, role="clinician", pseudonym="Dr Kim")
    maria = participant_get_or_create(study=study, role="patient", pseudonym="Maria")
    years = attribute_define(
        study=study, entity="clinician", key="years", type="integer", label="Years in practice"
    )
    setting = attribute_define(
        study=study,
        entity="dyad",
        key="setting",
        type="choice",
        label="Setting",
        choices=["clinic", "home"],
    )
    visits = attribute_define(study=study, entity="dyad", key="visits", type="text")
    first = attribute_define(study=study, entity="dyad", key="first", type="date", label="First")
    d1, _ = dyad_get_or_create(study=study, label="D01", clinician=lee, patient=maria)
    d2, _ = dyad_get_or_create(study=study, label="D02", clinician=lee)
    d3, _ = dyad_get_or_create(study=study, label="D03", clinician=kim)
    return {"lee": lee, "kim": kim, "maria": maria, "years": years, "setting": setting,
            "visits": visits, "first": first, "d1": d1, "d2": d2, "d3": d3}  # fmt: skip


def block(*rows: list[str]) -> str:
    return "\r\n".join("\t".join(row) for row in rows) + "\r\n"


# --- Retype -----------------------------------------------------------------------------------


def test_retype_converts_every_value_and_is_audited(
    study: Study, lead: Any, table: dict[str, Any]
) -> None:
    Dyad.objects.filter(pk=table["d1"].pk).update(attributes={"visits": "12"})
    Dyad.objects.filter(pk=table["d2"].pk).update(attributes={"visits": " 3 "})
    attribute_retype(definition=table["visits"], type="integer", actor=lead)
    assert Dyad.objects.get(pk=table["d1"].pk).attributes == {"visits": 12}
    assert Dyad.objects.get(pk=table["d2"].pk).attributes == {"visits": 3}
    assert AttributeDefinition.objects.get(pk=table["visits"].pk).type == "integer"
    event = AuditEvent.objects.filter(object_type="attribute", action="update").latest("id")
    assert event.before["values"] == {"D01": "12", "D02": " 3 "}
    assert event.after["values"] == {"D01": 12, "D02": 3}
    assert event.after["type"] == "integer"


def test_retype_to_a_choice_needs_every_value_in_the_list(
    study: Study, lead: Any, table: dict[str, Any]
) -> None:
    Dyad.objects.filter(pk=table["d1"].pk).update(attributes={"visits": "weekly"})
    with pytest.raises(ValidationError) as refused:
        attribute_retype(definition=table["visits"], type="choice", choices=["monthly"], actor=lead)
    assert "D01: 'weekly' is not one of the choices (monthly)" in refused.value.messages
    attribute_retype(
        definition=table["visits"], type="choice", choices=["weekly", "monthly"], actor=lead
    )
    assert AttributeDefinition.objects.get(pk=table["visits"].pk).choices == ["weekly", "monthly"]


def test_retype_refuses_naming_each_value_and_changes_nothing(
    study: Study, lead: Any, table: dict[str, Any]
) -> None:
    Dyad.objects.filter(pk=table["d1"].pk).update(attributes={"visits": "12"})
    Dyad.objects.filter(pk=table["d3"].pk).update(attributes={"visits": "about ten"})
    Dyad.objects.filter(pk=table["d2"].pk).update(attributes={"visits": "many"})
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        attribute_retype(definition=table["visits"], type="integer", actor=lead)
    assert refused.value.message_dict["type"] == [
        "D02: 'many' is not a whole number",
        "D03: 'about ten' is not a whole number",
    ]
    assert AttributeDefinition.objects.get(pk=table["visits"].pk).type == "text"
    assert Dyad.objects.get(pk=table["d1"].pk).attributes == {"visits": "12"}
    assert AuditEvent.objects.count() == events


def test_retype_of_a_clinician_attribute_names_the_clinician(
    study: Study, lead: Any, table: dict[str, Any]
) -> None:
    Participant.objects.filter(pk=table["lee"].pk).update(attributes={"years": 12})
    with pytest.raises(ValidationError) as refused:
        attribute_retype(definition=table["years"], type="date", actor=lead)
    assert refused.value.message_dict["type"] == ["Dr Lee: '12' is not a date (YYYY-MM-DD)"]
    attribute_retype(definition=table["years"], type="decimal", actor=lead)
    assert Participant.objects.get(pk=table["lee"].pk).attributes == {"years": 12.0}
    attribute_retype(definition=table["years"], type="integer", actor=lead)
    assert Participant.objects.get(pk=table["lee"].pk).attributes == {"years": 12}


# --- Paste ------------------------------------------------------------------------------------


def test_paste_preview_lists_the_changes_and_stores_nothing(
    study: Study, lead: Any, table: dict[str, Any]
) -> None:
    text = block(
        ["Dyad", "Clinician: Years in practice", "Dyad: Setting", "Dyad: First"],
        ["D01", "12", "clinic", "2024-05-01"],
        ["D03", "7", "home", ""],
    )
    preview = dyad_table_paste(study=study, text=text, actor=lead, apply=False)
    assert preview.errors == []
    assert preview.applied is False
    assert {
        (c["row"], c["dyad"], c["column"], c["before"], c["after"]) for c in preview.changes
    } == {
        (2, "D01", "Clinician: Years in practice", "", "12"),
        (2, "D01", "Dyad: Setting", "", "clinic"),
        (2, "D01", "Dyad: First", "", "2024-05-01"),
        (3, "D03", "Clinician: Years in practice", "", "7"),
        (3, "D03", "Dyad: Setting", "", "home"),
    }
    assert Dyad.objects.get(pk=table["d1"].pk).attributes == {}
    assert Participant.objects.get(pk=table["lee"].pk).attributes == {}


def test_paste_apply_stores_every_cell_audited(
    study: Study, lead: Any, table: dict[str, Any]
) -> None:
    Dyad.objects.filter(pk=table["d2"].pk).update(attributes={"visits": "old"})
    text = block(
        ["Dyad", "Patient", "Clinician: Years in practice", "Dyad: Setting", "Dyad: Visits"],
        ["D01", "Maria", "12", "clinic", "weekly"],
        ["D02", "Rosa", "12", '"home"', ""],
    )
    events = AuditEvent.objects.count()
    preview = dyad_table_paste(study=study, text=text, actor=lead, apply=True)
    assert preview.errors == []
    assert preview.applied is True
    assert Participant.objects.get(pk=table["lee"].pk).attributes == {"years": 12}
    assert Dyad.objects.get(pk=table["d1"].pk).attributes == {
        "setting": "clinic",
        "visits": "weekly",
    }
    d2 = Dyad.objects.select_related("patient").get(pk=table["d2"].pk)
    assert d2.attributes == {"setting": "home"}
    assert d2.patient is not None
    assert d2.patient.pseudonym == "Rosa"
    # Dr Lee once (participant), Rosa added, D01 and D02 changed.
    assert AuditEvent.objects.count() - events == 4
    # The same clinician value in two rows is one change, reported once.
    years = [c for c in preview.changes if c["column"] == "Clinician: Years in practice"]
    assert len(years) == 1


def test_paste_handles_excel_quotes_and_a_bom(
    study: Study, lead: Any, table: dict[str, Any]
) -> None:
    text = '\ufeffDyad\tDyad: Visits\n"D01"\t"twice ""a"" week"\n'
    preview = dyad_table_paste(study=study, text=text, actor=lead, apply=True)
    assert preview.errors == []
    assert Dyad.objects.get(pk=table["d1"].pk).attributes == {"visits": 'twice "a" week'}


BAD_PASTES = [
    (
        "wrong column count",
        block(["Dyad", "Dyad: Setting"], ["D01", "clinic"], ["D02", "home", "extra"]),
        "row 3: 3 cells, but the heading row has 2",
    ),
    (
        "unknown heading",
        block(["Dyad", "Dyad: Colour"], ["D01", "red"]),
        "row 1, 'Dyad: Colour': no column has this heading",
    ),
    (
        "first column not the dyad",
        block(["Dyad: Setting", "Dyad"], ["clinic", "D01"]),
        "row 1, 'Dyad: Setting': the first column must be 'Dyad'",
    ),
    (
        "repeated heading",
        block(["Dyad", "Dyad: Setting", "Dyad: Setting"], ["D01", "clinic", "home"]),
        "row 1, 'Dyad: Setting': this heading appears twice",
    ),
    (
        "unknown dyad",
        block(["Dyad", "Dyad: Setting"], ["D01", "clinic"], ["D99", "home"]),
        "row 3, 'Dyad': no dyad 'D99' in this study",
    ),
    (
        "wrong type",
        block(["Dyad", "Dyad: Setting", "Clinician: Years in practice"], ["D01", "", "12"],
              ["D03", "home", "ten"]),
        "row 3, 'Clinician: Years in practice': 'ten' is not a whole number",
    ),
    (
        "not a choice",
        block(["Dyad", "Dyad: Setting"], ["D01", "hospital"]),
        "row 2, 'Dyad: Setting': 'hospital' is not one of the choices (clinic, home)",
    ),
    (
        "not a date",
        block(["Dyad", "Dyad: First"], ["D01", "01/05/2024"]),
        "row 2, 'Dyad: First': '01/05/2024' is not a date (YYYY-MM-DD)",
    ),
    (
        "duplicate dyad rows",
        block(["Dyad", "Dyad: Setting"], ["D01", "clinic"], ["D01", "home"]),
        "row 3, 'Dyad': dyad D01 is also on row 2",
    ),
    (
        "clinician conflict",
        block(["Dyad", "Clinician: Years in practice"], ["D01", "12"], ["D02", "13"]),
        "row 3, 'Clinician: Years in practice': rows 2 and 3 give clinician Dr Lee different "
        "values ('12' and '13')",
    ),
    (
        "patient value for a dyad without one",
        block(["Dyad", "Patient: Age"], ["D02", "40"]),
        "row 2, 'Patient: Age': dyad D02 has no patient",
    ),
    (
        "only headings",
        block(["Dyad", "Dyad: Setting"]),
        "The block has only its heading row",
    ),
    (
        "too many rows",
        block(["Dyad"], *[["D01"]] * (MAX_PASTE_ROWS + 1)),
        f"paste at most {MAX_PASTE_ROWS} at a time",
    ),
    (
        "too large",
        "Dyad\tDyad: Visits\n" + "D01\t" + "x" * 300_000 + "\n",
        "paste at most 256 KB",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in BAD_PASTES], ids=[c[0] for c in BAD_PASTES]
)
def test_bad_pastes_are_refused_naming_the_cell_and_store_nothing(
    study: Study, lead: Any, table: dict[str, Any], text: str, expected: str
) -> None:
    attribute_define(study=study, entity="patient", key="age", type="integer", label="Age")
    events = AuditEvent.objects.count()
    before = {d.pk: (d.attributes, d.clinician_id, d.patient_id) for d in Dyad.objects.all()}
    people = {p.pk: p.attributes for p in Participant.objects.all()}
    preview = dyad_table_paste(study=study, text=text, actor=lead, apply=True)
    assert preview.applied is False
    messages = [error["message"] for error in preview.errors]
    assert any(expected in message for message in messages), messages
    assert {d.pk: (d.attributes, d.clinician_id, d.patient_id) for d in Dyad.objects.all()} == (
        before
    )
    assert {p.pk: p.attributes for p in Participant.objects.all()} == people
    assert AuditEvent.objects.count() == events


def test_a_refused_paste_keeps_the_good_rows_out_too(
    study: Study, lead: Any, table: dict[str, Any]
) -> None:
    text = block(["Dyad", "Dyad: Setting"], ["D01", "clinic"], ["D02", "nowhere"])
    preview = dyad_table_paste(study=study, text=text, actor=lead, apply=True)
    assert [e["row"] for e in preview.errors] == [3]
    assert Dyad.objects.get(pk=table["d1"].pk).attributes == {}


# --- The page ---------------------------------------------------------------------------------


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_lead_gets_edit_controls(personas: dict[str, Any], table: dict[str, Any]) -> None:
    response = client_for(personas["lead"]).get("/studies/study/dyads/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Clinician: Years in practice" in body
    assert 'type="number" step="1"' in body
    assert 'type="date"' in body
    assert '<option value="home">home</option>' in body
    assert "paste-text" in body
    assert "js/dyads-table.js" in body
    # Dr Lee's attribute cell is in both of her rows, saved to the same participant.
    assert (
        body.count(f'data-holder="clinician" data-id="{table["lee"].pk}" data-field="attribute"')
        == 2
    )


@pytest.mark.parametrize("persona", ["coder", "coder2", "viewer"])
def test_other_members_read_the_table_without_controls(
    personas: dict[str, Any], table: dict[str, Any], persona: str
) -> None:
    Participant.objects.filter(pk=table["lee"].pk).update(attributes={"years": 12})
    response = client_for(personas[persona]).get("/studies/study/dyads/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Clinician: Years in practice" in body
    assert "<td>12</td>" in body
    assert "cell-control" not in body
    assert "paste-text" not in body
    assert "dyads-table.js" not in body


def test_outsider_404_and_anonymous_to_login(personas: dict[str, Any], study: Study) -> None:
    assert client_for(personas["outsider"]).get("/studies/study/dyads/").status_code == 404
    response = client_for(None).get("/studies/study/dyads/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_tabs_name_overview_and_dyads(personas: dict[str, Any], study: Study) -> None:
    body = client_for(personas["viewer"]).get("/studies/study/dyads/").content.decode()
    assert ">Overview</a>" in body
    assert 'href="/studies/study/dyads/" aria-current="page">Dyads</a>' in body


def _page_queries(user: Any) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/studies/study/dyads/").status_code == 200
    return len(queries)


def test_the_page_query_count_does_not_grow_with_dyads(
    study: Study, lead: Any, table: dict[str, Any]
) -> None:
    make_interview(study=study, dyad="D01", by=lead)
    small = _page_queries(lead)
    for n in range(4, 24):
        clinician = participant_get_or_create(
            study=study, role="clinician", pseudonym=f"Dr {n}", attributes={"years": n}
        )
        dyad, _ = dyad_get_or_create(
            study=study, label=f"D{n:02}", clinician=clinician, attributes={"setting": "home"}
        )
        make_interview(study=study, dyad=dyad.label, by=lead)
    large = _page_queries(lead)
    # session, user, study with membership, definitions, dyads (with people), their interviews,
    # the study's people: the same with 3 dyads or 23.
    assert large == small, (small, large)
    assert large <= 9
