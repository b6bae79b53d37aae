"""The study setting "coding requires de-identification", and keeping or destroying originals."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from coding.models import Coding
from coding.services import CodingInput, codings_bulk_create
from healing.audit.models import AuditEvent
from interviews.models import DeidStatus, Interview, Study
from tests.factories import code

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_lead_turns_the_settings_on_in_the_page_and_the_api(study: Study, lead: Any) -> None:
    client = client_for(lead)
    response = client.post(
        "/studies/study/settings/",
        {"action": "save", "title": "Study", "deid_required": "on", "deid_keep_original": "on"},
    )
    assert response.status_code == 302
    study.refresh_from_db()
    assert (study.deid_required, study.deid_keep_original) == (True, True)
    assert AuditEvent.objects.filter(object_type="study", after__deid_required=True).exists()
    answer = client.patch(
        "/api/v1/studies/study/", {"deid_keep_original": False}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert answer.json()["deid_keep_original"] is False
    assert answer.json()["deid_required"] is True


def test_a_coder_may_not_change_them(study: Study, coder: Any) -> None:
    answer = client_for(coder).patch(
        "/api/v1/studies/study/", {"deid_required": False}, content_type="application/json"
    )
    assert answer.status_code == 403


def test_coding_waits_for_a_complete_review(study: Study, interview: Interview, coder: Any) -> None:
    study.deid_required = True
    study.save()
    client = client_for(coder)
    payload = {"interview": interview.pk, "code": code(study, "VAL").pk, "start": 0, "end": 5}
    refused = client.post("/api/v1/codings/", payload, content_type="application/json")
    assert refused.status_code == 400
    assert "de-identification review" in refused.content.decode()
    with pytest.raises(ValidationError):
        codings_bulk_create(
            interview=interview, coder=coder, items=[CodingInput(code(study, "VAL").pk, 0, 5)]
        )
    assert not Coding.objects.exists()
    Interview.objects.filter(pk=interview.pk).update(deid_status=DeidStatus.COMPLETE)
    allowed = client.post("/api/v1/codings/", payload, content_type="application/json")
    assert allowed.status_code == 201, allowed.content
    interview.refresh_from_db()
    assert codings_bulk_create(
        interview=interview, coder=coder, items=[CodingInput(code(study, "VAL").pk, 6, 9)]
    )


def test_without_the_setting_coding_needs_no_review(
    study: Study, interview: Interview, coder: Any
) -> None:
    payload = {"interview": interview.pk, "code": code(study, "VAL").pk, "start": 0, "end": 5}
    answer = client_for(coder).post("/api/v1/codings/", payload, content_type="application/json")
    assert answer.status_code == 201
