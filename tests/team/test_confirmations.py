"""One-click actions that cannot be undone (reveal blind coding, switch it off, merge two codes)
ask first: the POST without ``confirm=yes`` renders a confirmation step stating the consequence
and changes nothing; the same POST with ``confirm=yes`` does it. No JavaScript is needed."""

from __future__ import annotations

from typing import Any

from django.test import Client

from coding.models import Code, Coding
from healing.audit.models import AuditEvent
from interviews.models import Interview, Study
from tests.factories import code


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reveal_asks_for_confirmation_first(study: Study, lead: Any) -> None:
    study.blind_coding = True
    study.save(update_fields=["blind_coding"])
    client = client_for(lead)
    events = AuditEvent.objects.count()

    response = client.post("/studies/study/members/", {"action": "reveal"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Reveal all layers?" in body
    assert "Coders will see each other&#x27;s codings" in body
    assert "cannot be re-hidden for work already seen" in body
    assert 'name="confirm" value="yes"' in body
    assert 'value="reveal"' in body
    assert 'href="/studies/study/members/">Cancel</a>' in body
    study.refresh_from_db()
    assert study.blind_coding is True
    assert AuditEvent.objects.count() == events

    response = client.post("/studies/study/members/", {"action": "reveal", "confirm": "yes"})
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.blind_coding is False
    assert AuditEvent.objects.filter(object_type="study").latest("id").after["revealed"] is True


def test_switching_blind_coding_off_asks_but_switching_it_on_does_not(
    study: Study, lead: Any
) -> None:
    client = client_for(lead)
    assert (
        client.post("/studies/study/members/", {"action": "blind", "blind": "on"}).status_code
        == 302
    )
    study.refresh_from_db()
    assert study.blind_coding is True

    response = client.post("/studies/study/members/", {"action": "blind"})
    assert response.status_code == 200
    assert "Switch blind coding off?" in response.content.decode()
    study.refresh_from_db()
    assert study.blind_coding is True

    client.post("/studies/study/members/", {"action": "blind", "confirm": "yes"})
    study.refresh_from_db()
    assert study.blind_coding is False


def test_merge_states_what_moves_and_waits_for_confirmation(
    study: Study, coded: Interview, lead: Any, coder: Any
) -> None:
    client = client_for(lead)
    trust = code(study, "OUT.TRUST")
    hope = code(study, "OUT.HOPE")
    moving = Coding.objects.filter(code=trust).count()
    assert moving >= 1
    version = study.codebook.version
    form = {"action": "merge", "source": trust.pk, "into": hope.pk}

    response = client.post("/studies/study/codebook/", form)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Merge OUT.TRUST into OUT.HOPE?" in body
    plural = "" if moving == 1 else "s"
    assert f"OUT.TRUST&#x27;s {moving} coding{plural} move to OUT.HOPE" in body
    assert f"the codebook records a new version ({version + 1})" in body
    assert f'name="source" value="{trust.pk}"' in body
    assert f'name="into" value="{hope.pk}"' in body
    assert 'href="/studies/study/codebook/">Cancel</a>' in body
    trust.refresh_from_db()
    assert (trust.is_active, trust.merged_into_id) == (True, None)
    assert Coding.objects.filter(code=trust).count() == moving

    response = client.post("/studies/study/codebook/", {**form, "confirm": "yes"})
    assert response.status_code == 302
    trust.refresh_from_db()
    assert (trust.is_active, trust.merged_into_id) == (False, hope.pk)
    assert not Coding.objects.filter(code=trust).exists()
    assert Code.objects.get(pk=hope.pk).codebook.version == version + 1


def test_the_confirmation_step_is_the_lead_s_only(study: Study, coder: Any) -> None:
    trust = code(study, "OUT.TRUST")
    hope = code(study, "OUT.HOPE")
    client = client_for(coder)
    assert client.post("/studies/study/members/", {"action": "reveal"}).status_code == 403
    response = client.post(
        "/studies/study/codebook/", {"action": "merge", "source": trust.pk, "into": hope.pk}
    )
    assert response.status_code == 403
