"""The speaker table of an interview and the lead's correction of a label's role: the turns'
roles change, never the text, the turns' offsets or any coding; audited; refused clearly."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from coding.models import Coding
from coding.services import CodingInput, codings_bulk_create
from healing.audit.models import AuditEvent
from interviews.models import Dyad, Interview, Turn
from interviews.services import participant_get_or_create
from interviews.speakers.selectors import speakers_for_interview
from interviews.speakers.services import speaker_role_set
from tests.factories import code

pytestmark = pytest.mark.django_db


def _state(interview: Interview) -> tuple[Any, ...]:
    interview.refresh_from_db()
    turns = list(
        Turn.objects.filter(interview=interview).values_list("index", "speaker", "start", "end")
    )
    codings = list(
        Coding.objects.filter(interview=interview).values_list(
            "id", "code_id", "coder_id", "start", "end", "quote", "updated"
        )
    )
    return interview.text, interview.text_sha256, turns, codings


def test_the_table_lists_each_label_once_with_role_turns_and_person(
    interview: Interview, study: Any
) -> None:
    maria = participant_get_or_create(study=study, role="patient", pseudonym="Maria P.")
    Dyad.objects.filter(pk=interview.dyad_id).update(patient=maria)
    interview.refresh_from_db()
    rows = [row.as_dict() for row in speakers_for_interview(interview=interview)]
    assert rows == [
        {"speaker": "Interviewer", "role": "interviewer", "turns": 2, "person": None},
        {"speaker": "Maria", "role": "patient", "turns": 2, "person": "Maria P."},
    ]


def test_a_role_change_touches_only_the_turns_roles(
    interview: Interview, lead: Any, coder: Any
) -> None:
    codings_bulk_create(
        interview=interview,
        coder=coder,
        items=[CodingInput(code(interview.dyad.study, "VAL").pk, 60, 80)],
    )
    before = _state(interview)
    count = speaker_role_set(interview=interview, speaker="Maria", role="clinician", actor=lead)
    assert count == 2
    assert _state(interview) == before
    assert set(
        Turn.objects.filter(interview=interview, speaker="Maria").values_list("role", flat=True)
    ) == {"clinician"}
    assert set(
        Turn.objects.filter(interview=interview, speaker="Interviewer").values_list(
            "role", flat=True
        )
    ) == {"interviewer"}
    event = AuditEvent.objects.get(object_type="speaker")
    assert event.actor == lead
    assert event.interview_id == interview.pk
    assert event.before == {"speaker": "Maria", "roles": ["patient"]}
    assert event.after == {"speaker": "Maria", "role": "clinician", "turns": 2, "changed": 2}
    # The same role again changes and records nothing.
    speaker_role_set(interview=interview, speaker="Maria", role="clinician", actor=lead)
    assert AuditEvent.objects.filter(object_type="speaker").count() == 1


@pytest.mark.parametrize(
    ("speaker", "role", "field"),
    [("Maria", "doctor", "role"), ("Nobody", "patient", "speaker"), ("maria", "other", "speaker")],
)
def test_bad_input_is_refused_and_changes_nothing(
    interview: Interview, lead: Any, speaker: str, role: str, field: str
) -> None:
    roles = list(Turn.objects.filter(interview=interview).values_list("role", flat=True))
    with pytest.raises(ValidationError) as caught:
        speaker_role_set(interview=interview, speaker=speaker, role=role, actor=lead)
    assert field in caught.value.message_dict
    assert list(Turn.objects.filter(interview=interview).values_list("role", flat=True)) == roles
    assert not AuditEvent.objects.filter(object_type="speaker").exists()


PAGE_GET = {"lead": 200, "coder": 200, "coder2": 200, "viewer": 200, "outsider": 404}
PAGE_POST = {"lead": 302, "coder": 403, "coder2": 403, "viewer": 403, "outsider": 404}


def test_page_access(interview: Interview, personas: dict[str, Any]) -> None:
    url = f"/interviews/{interview.pk}/speakers/"
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    got_get, got_post = {}, {}
    for name, user in personas.items():
        client = Client()
        client.force_login(user)
        got_get[name] = client.get(url).status_code
        got_post[name] = client.post(url, {"speaker": "Maria", "role": "patient"}).status_code
    assert got_get == PAGE_GET
    assert got_post == PAGE_POST


def test_the_lead_corrects_a_role_on_the_page(interview: Interview, lead: Any, coder: Any) -> None:
    client = Client()
    client.force_login(lead)
    page = client.get(f"/interviews/{interview.pk}/speakers/")
    assert b"Maria" in page.content
    assert b"Interviewer" in page.content
    assert b'name="role"' in page.content
    done = client.post(
        f"/interviews/{interview.pk}/speakers/", {"speaker": "Maria", "role": "other"}, follow=True
    )
    assert "Maria is now other in 2 turns." in done.content.decode()
    refused = client.post(
        f"/interviews/{interview.pk}/speakers/", {"speaker": "Maria", "role": "boss"}
    )
    assert refused.status_code == 400
    assert "role: Unknown role" in refused.content.decode()
    assert set(
        Turn.objects.filter(interview=interview, speaker="Maria").values_list("role", flat=True)
    ) == {"other"}
    # A coder reads the table, without the form.
    reader = Client()
    reader.force_login(coder)
    assert b'name="role"' not in reader.get(f"/interviews/{interview.pk}/speakers/").content


def test_the_api_reads_and_corrects(interview: Interview, lead: Any) -> None:
    client = APIClient()
    client.force_authenticate(lead)
    url = f"/api/v1/interviews/{interview.pk}/speakers/"
    assert client.get(url).json()[1] == {
        "speaker": "Maria",
        "role": "patient",
        "turns": 2,
        "person": None,
    }
    changed = client.patch(url, {"speaker": "Maria", "role": "clinician"}, format="json")
    assert changed.status_code == 200
    assert changed.json()[1]["role"] == "clinician"
    unknown = client.patch(url, {"speaker": "Zed", "role": "clinician"}, format="json")
    assert unknown.status_code == 400
    assert "speaker" in unknown.json()["error"]["fields"]
    bad = client.patch(url, {"speaker": "Maria", "role": "boss"}, format="json")
    assert bad.status_code == 400
    assert "role" in bad.json()["error"]["fields"]
