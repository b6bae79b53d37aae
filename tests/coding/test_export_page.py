"""Data files from the Exchange tab: any member runs an export job and downloads its file;
blind coders export only what they may see; bad choices change nothing."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from coding.job_kinds import JobKind
from coding.services import coding_create
from healing.jobs.models import Job, JobState
from interviews.models import Interview, Study
from tests.factories import code

pytestmark = pytest.mark.django_db


def browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coded(interview: Interview, coder: Any, coder2: Any, study: Study) -> Interview:
    coding_create(interview=interview, code=code(study, "VAL"), coder=coder, start=0, end=5)
    coding_create(interview=interview, code=code(study, "ABI"), coder=coder2, start=2, end=9)
    return interview


@pytest.mark.parametrize("persona", ["lead", "coder", "viewer"])
def test_members_export_coded_segments_as_a_job_and_download_the_file(
    personas: dict[str, Any],
    coded: Interview,
    persona: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = browser(personas[persona])
    page = client.get("/studies/study/exchange/").content.decode()
    assert 'value="study:csv"' in page
    assert 'value="codebook:md"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/studies/study/exchange/",
            {"action": "export-data", "what": "study:csv", "layer": "all"},
        )
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.params == {
        "target": "study",
        "format": "csv",
        "layer": "all",
        "coder": None,
        "raw": False,
    }
    output = job.files.get(direction="output")
    assert f"/jobs/{job.pk}/files/{output.pk}/" in client.get(response["Location"]).content.decode()
    rows = list(csv.DictReader(io.StringIO(bytes(output.data).decode("utf-8-sig"))))
    assert sorted(row["code_key"] for row in rows) == ["ABI", "VAL"]


def test_the_codebook_as_markdown(
    lead: Any, study: Study, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        browser(lead).post(
            "/studies/study/exchange/", {"action": "export-data", "what": "codebook:md"}
        )
    job = Job.objects.get(kind=JobKind.EXPORT)
    assert job.params == {"target": "codebook", "format": "md"}
    assert b"Valuing" in bytes(job.files.get(direction="output").data)


def test_a_blind_coder_exports_only_their_own_codings(
    coded: Interview, coder: Any, study: Study, django_capture_on_commit_callbacks: Any
) -> None:
    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    client = browser(coder)
    page = client.get("/studies/study/exchange/").content.decode()
    form = page[page.index('data-testid="export-data"') :]
    form = form[: form.index("</form>")]
    assert '<option value="all">' not in form
    assert "my own codings" in form
    response = client.post(
        "/studies/study/exchange/", {"action": "export-data", "what": "study:csv", "layer": "all"}
    )
    assert response.status_code == 403
    assert not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/studies/study/exchange/",
            {"action": "export-data", "what": "study:csv", "layer": "individual"},
        )
    job = Job.objects.get()
    assert job.params["coder"] == coder.username
    rows = list(csv.DictReader(io.StringIO(bytes(job.files.get().data).decode("utf-8-sig"))))
    assert [row["code_key"] for row in rows] == ["VAL"]


@pytest.mark.parametrize(
    ("what", "layer", "message"),
    [
        ("study:pdf", "all", "Unknown study export format"),
        ("codebook:docx", "all", "Unknown codebook export format"),
        ("people:csv", "all", "Export the study or the codebook"),
        ("study:csv", "everything", "Unknown layer"),
    ],
)
def test_bad_choices_say_why_and_start_nothing(
    lead: Any, study: Study, what: str, layer: str, message: str
) -> None:
    response = browser(lead).post(
        "/studies/study/exchange/",
        {"action": "export-data", "what": what, "layer": layer},
        follow=True,
    )
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_outsiders_cannot_export(outsider: Any, study: Study) -> None:
    response = browser(outsider).post(
        "/studies/study/exchange/", {"action": "export-data", "what": "study:csv"}
    )
    assert response.status_code == 404
    assert not Job.objects.exists()
