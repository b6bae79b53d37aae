"""A complete audit trail (issue 14, finding 8): study and dyad creation, sign-ins and failed
sign-ins (account events, no study), and a lead's CSV of the study's trail."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.test import Client
from rest_framework.test import APIClient

from healing.audit.models import AuditEvent
from healing.audit.services import audit_record
from interviews.models import Study
from interviews.services import dyad_get_or_create, study_create
from tests.factories import PASSWORD


def test_study_and_dyad_creation_are_recorded(lead: Any) -> None:
    study = study_create(slug="fresh", title="Fresh", created_by=lead, codebook="empty")
    created = AuditEvent.objects.get(study=study, object_type="study", action="create")
    assert (created.actor, created.after["slug"]) == (lead, "fresh")
    dyad, _ = dyad_get_or_create(study=study, label="D09", actor=lead)
    dyad_get_or_create(study=study, label="D09", actor=lead)  # found, not created: no record
    events = AuditEvent.objects.filter(study=study, object_type="dyad", action="create")
    assert [(e.object_id, e.actor) for e in events] == [(str(dyad.pk), lead)]


def test_sign_ins_and_failed_sign_ins_are_recorded_without_a_study(lead: Any) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "lead", "password": "wrong"})
    client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    client.post("/accounts/login/", {"username": "lead", "password": PASSWORD})
    events = AuditEvent.objects.filter(study=None).order_by("id")
    assert [(e.action, e.after["username"], e.actor) for e in events] == [
        ("sign_in_failed", "lead", None),
        ("sign_in_failed", "nobody", None),
        ("sign_in", "lead", lead),
    ]
    assert all("password" not in e.after for e in events)
    assert events[0].after["ip"] == "127.0.0.1"


def test_account_events_have_a_hook_for_other_apps(lead: Any) -> None:
    """API tokens record their creation and revocation through the same call, study None."""
    event = audit_record(
        study_id=None, actor=lead, action="create", object_type="api_token", summary="token"
    )
    assert event.study_id is None


def _csv(response: Any) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_lead_exports_the_trail_as_csv_with_formulas_neutralised(
    personas: dict[str, Any], study: Study, lead: Any
) -> None:
    audit_record(
        study_id=study.pk,
        actor=lead,
        action="update",
        object_type="code",
        summary='=HYPERLINK("http://evil.example","x")',
    )
    page = Client()
    page.force_login(lead)
    response = page.get("/studies/study/audit.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    evil = next(r for r in rows if "HYPERLINK" in r["summary"])
    assert evil["summary"].startswith("'=")
    assert evil["actor"] == "lead"
    api = APIClient()
    api.force_authenticate(lead)
    from_api = api.get("/api/v1/studies/study/audit-trail.csv")
    assert from_api.status_code == 200
    assert len(_csv(from_api)) == len(rows) + 1  # the page's export is in the trail now
    exports = AuditEvent.objects.filter(study=study, action="export", after__what="audit trail")
    assert exports.count() == 2
    for persona, status in {"coder": 403, "viewer": 403, "outsider": 404}.items():
        client = Client()
        client.force_login(personas[persona])
        assert client.get("/studies/study/audit.csv").status_code == status
        api = APIClient()
        api.force_authenticate(personas[persona])
        assert api.get("/api/v1/studies/study/audit-trail.csv").status_code == status
