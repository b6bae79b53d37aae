"""The job page reports in words (issue 13, item 6): for every kind of job the visible text
names files, sizes, dyads and studies, and shows no ``file_id`` and no ``/api/...`` path (links
may point anywhere; only their text is read)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from coding.exchange.refi.services import refi_export_start, refi_import_confirm, refi_inspect_start
from coding.job_kinds import JobKind
from coding.team.reports import AgreementRequest, agreement_report_start
from healing.jobs.models import Job, JobState
from healing.jobs.services import JobInput, job_create
from interviews.models import Interview, Study
from tests.coding.refi.test_pages import small_project
from tests.team.conftest import coded  # noqa: F401 - the coded interview fixture

pytestmark = pytest.mark.django_db


def visible_text(html: str) -> str:
    """What a reader sees of the page's main content: tags (and their attributes) and scripts
    removed, whitespace collapsed."""
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<script\b.*?</script>", " ", main, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", main).split())
    return re.sub(r" ([.,:;)])", r"\1", text)


def run(capture: Any, start: Any) -> Job:
    with capture(execute=True):
        job = start()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    return job


def page_text(user: Any, job: Job) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/jobs/{job.pk}/")
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "file_id" not in text
    assert "/api/" not in text
    assert "{'" not in text
    assert '{"' not in text
    return text


def test_an_export_job_names_its_file_and_size(
    study: Study,
    lead: Any,
    coded: Interview,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = run(
        django_capture_on_commit_callbacks,
        lambda: job_create(
            kind=JobKind.EXPORT,
            user=lead,
            study=study,
            params={"target": "study", "format": "csv", "layer": "all", "coder": None},
        ),
    )
    text = page_text(lead, job)
    name = job.result["file"]
    assert re.search(rf"Export finished: {re.escape(name)} \(\d+(\.\d)?\s(bytes|KB)\)", text)
    assert "Download" in text
    client = Client()
    client.force_login(lead)
    body = client.get(f"/jobs/{job.pk}/").content.decode()
    output = job.files.get(direction="output")
    download = reverse("job-download", args=[job.pk, output.pk])
    assert f'href="{download}" download>Download</a>' in body  # a link, not visible text


def test_an_agreement_job_reads_as_a_sentence(
    study: Study,
    lead: Any,
    coder: Any,
    coder2: Any,
    coded: Interview,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = AgreementRequest(scope="study", unit="character", coders=[coder.pk, coder2.pk])
    job = run(
        django_capture_on_commit_callbacks,
        lambda: agreement_report_start(study=study, user=lead, request=request),
    )
    text = page_text(lead, job)
    assert "percent agreement" in text
    assert "Open the agreement report" in text


def test_a_transcript_import_names_the_dyads(
    study: Study, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    items = [{"file": f"d0{n}.txt", "dyad": f"D0{n}", "perspective": "patient"} for n in (1, 2, 3)]
    job = run(
        django_capture_on_commit_callbacks,
        lambda: job_create(
            kind=JobKind.IMPORT_TRANSCRIPTS,
            user=lead,
            study=study,
            params={"items": items},
            inputs=[
                JobInput(item["file"], f"Interviewer: Hi?\nAna: Hello {n}.\n".encode())
                for n, item in enumerate(items)
            ],
        ),
    )
    text = page_text(lead, job)
    assert "Imported 3 transcripts into D01–D03: 3 files imported." in text


def test_refi_export_and_import_jobs_read_as_sentences(
    study: Study, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    export = run(capture, lambda: refi_export_start(study=study, user=lead, format="qdpx"))
    text = page_text(lead, export)
    assert re.search(r"Export finished: study\.qdpx \(\d+(\.\d)?\s(bytes|KB)\)", text)
    assert "the study as a REFI-QDA project (.qdpx)" in text
    assert re.search(r"It holds 1 user, \d+ codes\.", text)

    data = small_project()
    inspect = run(
        capture,
        lambda: refi_inspect_start(user=lead, filename="x.qdpx", data=data, study=study),
    )
    text = page_text(lead, inspect)
    assert "Read x.qdpx" in text
    assert "Nothing is stored yet" in text

    imported = run(
        capture, lambda: refi_import_confirm(inspect_job=inspect, user=lead, mapping=None)
    )
    text = page_text(lead, imported)
    assert "Imported x.qdpx" in text
    assert "into the study study" in text
    assert "The full import report lists each." in text


def test_a_study_import_job_names_the_new_study(
    study: Study,
    lead: Any,
    coded: Interview,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    lead.is_staff = True
    lead.save(update_fields=["is_staff"])
    capture = django_capture_on_commit_callbacks
    export = run(
        capture,
        lambda: job_create(
            kind=JobKind.EXPORT,
            user=lead,
            study=study,
            params={"target": "study", "format": "json", "layer": "all", "coder": None},
        ),
    )
    data = bytes(export.files.get(direction="output").data)
    imported = run(
        capture,
        lambda: job_create(
            kind=JobKind.IMPORT_STUDY,
            user=lead,
            params={"slug": "copy"},
            inputs=[JobInput("study.json", data)],
        ),
    )
    text = page_text(lead, imported)
    assert "Imported the study copy: 1 dyad, 1 interview. Open the study" in text


def test_any_other_result_leaves_out_ids_and_api_paths() -> None:
    # A kind without its own template falls back to the generic list, which stays readable.
    result = {"rows_written": 3, "file_id": 9, "url": "/api/v1/studies/study/", "id": 4}
    html = render_to_string("coding/job_results/generic.html", {"result": result})
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert text == "Rows written 3"
