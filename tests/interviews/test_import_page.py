"""The import page: leads upload one transcript with its dyad and perspective, or several with a
manifest; the import runs as a job; bad input says why and stores nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from healing.jobs.models import Job, JobState
from interviews.models import Dyad, Interview, Study

pytestmark = pytest.mark.django_db

TEXT = b"Interviewer: How is it going?\n\nMaria: Better since Dr Lee listened to me.\n"


def browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(name: str = "d07-patient.txt", data: bytes = TEXT) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


@pytest.mark.parametrize(("persona", "status"), [("lead", 200), ("coder", 403), ("viewer", 403)])
def test_only_leads_import(
    personas: dict[str, Any], study: Study, persona: str, status: int
) -> None:
    client = browser(personas[persona])
    assert client.get("/studies/study/import/").status_code == status
    response = client.post(
        "/studies/study/import/",
        {"files": [upload()], "dyad": "D07", "perspective": "patient"},
    )
    assert response.status_code == (302 if persona == "lead" else 403)
    assert Job.objects.count() == (1 if persona == "lead" else 0)
    overview = client.get("/studies/study/").content.decode()
    assert ("/studies/study/import/" in overview) is (persona == "lead")


def test_outsiders_get_404_and_anonymous_users_log_in(study: Study, outsider: Any) -> None:
    assert browser(outsider).get("/studies/study/import/").status_code == 404
    response = Client().get("/studies/study/import/")
    assert response["Location"].startswith("/accounts/login/")


def test_one_file_becomes_an_interview_of_a_new_dyad(
    study: Study, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = browser(lead).post(
            "/studies/study/import/",
            {
                "files": [upload()],
                "dyad": "D07",
                "perspective": "patient",
                "patient": "Maria",
                "speakers": "Maria=patient; Interviewer=interviewer",
            },
        )
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    interview = Interview.objects.get(dyad__label="D07")
    assert interview.perspective == "patient"
    assert interview.dyad.patient.pseudonym == "Maria"
    assert [t.role for t in interview.turns.order_by("index")] == ["interviewer", "patient"]
    assert "1 file imported" in browser(lead).get(response["Location"]).content.decode()


def test_several_files_with_a_manifest(
    study: Study, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    manifest = b"file,dyad,perspective\nd08-p.txt,D08,patient\nd08-c.txt,D08,clinician\n"
    with django_capture_on_commit_callbacks(execute=True):
        browser(lead).post(
            "/studies/study/import/",
            {
                "files": [upload("d08-p.txt"), upload("d08-c.txt", TEXT.replace(b"Maria", b"Lee"))],
                "manifest": SimpleUploadedFile("m.csv", manifest, content_type="text/csv"),
            },
        )
    assert sorted(
        Interview.objects.filter(dyad__label="D08").values_list("perspective", flat=True)
    ) == [
        "clinician",
        "patient",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"dyad": "D07", "perspective": "patient"}, "Choose at least one transcript file"),
        ({"files": "one", "perspective": "patient"}, "Give the dyad&#x27;s label"),
        (
            {"files": "one", "dyad": "D07", "perspective": "other"},
            "patient&#x27;s or the clinician",
        ),
        (
            {"files": "two", "dyad": "D07", "perspective": "patient"},
            "Several files need a manifest",
        ),
        (
            {"files": "one", "dyad": "D07", "perspective": "patient", "speakers": "Maria"},
            "is not NAME=ROLE",
        ),
        ({"files": "one", "manifest": b"nope\n1\n"}, "missing column"),
        (
            {"files": "one", "manifest": b"file,dyad,perspective\nx.txt,D1,patient\n"},
            "not uploaded",
        ),
    ],
)
def test_bad_input_says_why_and_stores_nothing(
    study: Study, lead: Any, data: dict[str, Any], message: str
) -> None:
    payload = dict(data)
    if payload.get("files") == "one":
        payload["files"] = [upload()]
    elif payload.get("files") == "two":
        payload["files"] = [upload("a.txt"), upload("b.txt")]
    if "manifest" in payload:
        payload["manifest"] = SimpleUploadedFile("m.csv", payload["manifest"])
    response = browser(lead).post("/studies/study/import/", payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Job.objects.exists()
    assert not Dyad.objects.filter(study=study).exists()


def test_a_file_over_the_limit_is_refused(study: Study, lead: Any, settings: Any) -> None:
    settings.HEALING_MAX_UPLOAD_BYTES = 10
    response = browser(lead).post(
        "/studies/study/import/", {"files": [upload()], "dyad": "D07", "perspective": "patient"}
    )
    assert response.status_code == 400
    assert "HEALING_MAX_UPLOAD_BYTES" in response.content.decode()
    assert not Job.objects.exists()


def test_a_hostile_dyad_label_comes_back_escaped(study: Study, lead: Any) -> None:
    response = browser(lead).post(
        "/studies/study/import/", {"dyad": "<script>alert(1)</script>", "perspective": "patient"}
    )
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
