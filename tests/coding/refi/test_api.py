"""REFI-QDA API: each endpoint for every persona, the inspect-confirm flow, errors, the schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from coding.job_kinds import JobKind
from coding.models import Code, Coding
from healing.jobs.models import Job, JobState
from interviews.models import Study
from interviews.services import study_create
from tests.coding.refi.test_pages import S1, small_project

pytestmark = pytest.mark.django_db
Run = Callable[..., Any]


def api(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Run:
    def go(call: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return go


def upload(data: bytes | None = None, name: str = "x.qdpx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, small_project() if data is None else data)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("lead", 202), ("coder", 202), ("viewer", 202), ("outsider", 404), (None, 401)],
)
def test_export_for_every_persona(
    personas: dict[str, Any], study: Study, persona: str | None, status: int, run: Run
) -> None:
    client = api(personas.get(persona or ""))
    response = run(
        lambda: client.post(
            "/api/v1/studies/study/refi/exports/", {"format": "qdpx"}, format="json"
        )
    )
    assert response.status_code == status
    if status == 202:
        body = response.json()
        assert response["Location"] == f"/api/v1/jobs/{body['id']}/"
        job = client.get(response["Location"]).json()
        assert job["state"] == "succeeded"
        assert job["result"]["format"] == "qdpx"
        [output] = job["outputs"]
        download = client.get(f"/api/v1/jobs/{job['id']}/files/{output['id']}/")
        assert download.status_code == 200
        assert download.content.startswith(b"PK")
    else:
        assert not Job.objects.exists()


def test_export_input_is_checked(study: Study, lead: Any) -> None:
    client = api(lead)
    bad = client.post("/api/v1/studies/study/refi/exports/", {"format": "pdf"}, format="json")
    assert bad.status_code == 400
    assert "format" in bad.json()["error"]["fields"]
    unknown = client.post(
        "/api/v1/studies/study/refi/exports/", {"format": "qdc", "colour": "red"}, format="json"
    )
    assert unknown.json()["error"]["fields"] == {"colour": ["Unknown field."]}
    study_create(slug="empty", title="Empty", created_by=lead, codebook="empty")
    empty = client.post("/api/v1/studies/empty/refi/exports/", {"format": "qdc"}, format="json")
    assert empty.status_code == 400
    assert "at least one code" in empty.json()["error"]["message"]
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("lead", 202), ("coder", 403), ("viewer", 403), ("outsider", 404), (None, 401)],
)
def test_importing_into_a_study_is_for_its_leads(
    personas: dict[str, Any], study: Study, persona: str | None, status: int, run: Run
) -> None:
    client = api(personas.get(persona or ""))
    for url in ("/api/v1/studies/study/refi/imports/", "/api/v1/studies/study/refi/codebook/"):
        response = run(lambda url=url: client.post(url, {"file": upload()}, format="multipart"))
        assert response.status_code == status, url
    assert Job.objects.count() == (2 if status == 202 else 0)


def test_inspect_then_confirm_imports_with_the_mapping(
    study: Study, lead: Any, coder: Any, run: Run
) -> None:
    client = api(lead)
    response = run(
        lambda: client.post(
            "/api/v1/studies/study/refi/imports/", {"file": upload()}, format="multipart"
        )
    )
    inspect = client.get(response["Location"]).json()
    assert inspect["state"] == "succeeded"
    plan = inspect["result"]["plan"]
    assert plan["sources"][0]["dyad"] == "D03"
    assert plan["counts"]["selections"] == 1
    url = f"/api/v1/refi/imports/{inspect['id']}/confirm/"
    assert api(coder).post(url, {}, format="json").status_code == 404
    bad = client.post(url, {"sources": [{"guid": S1, "perspective": "nurse"}]}, format="json")
    assert bad.status_code == 400
    assert "sources[0].perspective" in bad.json()["error"]["fields"]
    unknown_user = client.post(
        url,
        {"users": [{"guid": plan["users"][0]["guid"], "action": "member", "username": "outsider"}]},
        format="json",
    )
    assert unknown_user.status_code == 400
    assert "users[0].username" in unknown_user.json()["error"]["fields"]
    done = run(
        lambda: client.post(
            url,
            {"sources": [{"guid": S1, "dyad": "D77", "perspective": "clinician"}]},
            format="json",
        )
    )
    assert done.status_code == 202
    job = client.get(done["Location"]).json()
    assert job["state"] == "succeeded", job["error"]
    assert job["result"]["report"]["imported"]["codings"] == 1
    assert {o["name"] for o in job["outputs"]} == {"import-report.json"}
    coding = Coding.objects.get(interview__dyad__label="D77")
    assert coding.interview.perspective == "clinician"
    again = client.post(url, {}, format="json")
    assert again.status_code == 400
    assert "already" in again.json()["error"]["message"]


def test_anyone_signed_in_creates_a_study_from_a_file(
    outsider: Any,
    study: Study,
    run: Run,
    settings: Any,
) -> None:
    settings.HEALING_STUDY_IMPORT = "any"  # the staff rule: tests/coding/test_import_provenance.py
    client = api(outsider)
    assert api(None).post("/api/v1/refi/imports/", {}, format="multipart").status_code == 401
    taken = client.post(
        "/api/v1/refi/imports/",
        {"file": upload(), "slug": "study", "title": "X"},
        format="multipart",
    )
    assert taken.status_code == 400
    response = run(
        lambda: client.post(
            "/api/v1/refi/imports/",
            {"file": upload(), "slug": "new-one", "title": "New"},
            format="multipart",
        )
    )
    inspect = response.json()
    done = run(
        lambda: client.post(f"/api/v1/refi/imports/{inspect['id']}/confirm/", {}, format="json")
    )
    assert client.get(done["Location"]).json()["study"] == "new-one"
    new = Study.objects.get(slug="new-one")
    assert new.memberships.get(user=outsider).role == "lead"
    assert Code.objects.filter(codebook__study=new).count() == 1


def test_a_bad_upload_fails_its_job_with_a_clear_error_and_changes_nothing(
    lead: Any, study: Study, run: Run
) -> None:
    client = api(lead)
    codes = Code.objects.count()
    response = run(
        lambda: client.post(
            "/api/v1/studies/study/refi/imports/",
            {"file": upload(b"PK\x03\x04 broken")},
            format="multipart",
        )
    )
    job = client.get(response["Location"]).json()
    assert job["state"] == "failed"
    assert "ZIP" in job["error"]
    confirm = client.post(f"/api/v1/refi/imports/{job['id']}/confirm/", {}, format="json")
    assert confirm.status_code == 400
    assert Code.objects.count() == codes
    assert Job.objects.filter(kind=JobKind.IMPORT_QDPX, state=JobState.SUCCEEDED).count() == 0


def test_a_codebook_file_merges_through_the_api(lead: Any, study: Study, run: Run) -> None:
    qdc = (
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1:0"><Codes>'
        b'<Code guid="{AAAAAAAA-0000-0000-0000-000000000009}" name="Fresh" isCodable="true"/>'
        b"</Codes></CodeBook>"
    )
    response = run(
        lambda: api(lead).post(
            "/api/v1/studies/study/refi/codebook/",
            {"file": upload(qdc, "c.qdc"), "update_matched": "true"},
            format="multipart",
        )
    )
    job = api(lead).get(response["Location"]).json()
    assert job["result"]["report"]["imported"]["codes"] == 1
    assert Code.objects.filter(codebook__study=study, name="Fresh").exists()


def test_the_endpoints_are_in_the_schema(lead: Any) -> None:
    schema = api(lead).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in (
        "/api/v1/studies/{slug}/refi/exports/",
        "/api/v1/studies/{slug}/refi/imports/",
        "/api/v1/studies/{slug}/refi/codebook/",
        "/api/v1/refi/imports/",
        "/api/v1/refi/imports/{job_id}/confirm/",
    ):
        assert "post" in schema["paths"][path], path


@pytest.mark.parametrize(
    ("persona", "status"), [("coder", 404), ("viewer", 404), ("outsider", 404), (None, 401)]
)
def test_only_the_uploader_confirms_an_import(
    personas: dict[str, Any], study: Study, lead: Any, persona: str | None, status: int, run: Run
) -> None:
    response = run(
        lambda: api(lead).post(
            "/api/v1/studies/study/refi/imports/", {"file": upload()}, format="multipart"
        )
    )
    url = f"/api/v1/refi/imports/{response.json()['id']}/confirm/"
    assert api(personas.get(persona or "")).post(url, {}, format="json").status_code == status
    assert Job.objects.count() == 1
    assert run(lambda: api(lead).post(url, {}, format="json")).status_code == 202
