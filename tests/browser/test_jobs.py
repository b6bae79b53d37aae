"""A job page follows its job live: progress moves, then the report appears without a reload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coding.job_kinds import JobKind
from healing.jobs.models import Job, JobState
from interviews.models import Study
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_job_page_shows_progress_then_the_report(page: Any, study: Study, lead: Any) -> None:
    job = Job.objects.create(
        kind=JobKind.IMPORT_TRANSCRIPTS,
        user=lead,
        study=study,
        state=JobState.RUNNING,
        progress=5,
        message="Starting",
    )
    login(page, "lead")
    page.goto(f"/jobs/{job.pk}/")
    Job.objects.filter(pk=job.pk).update(progress=60, message="Importing b.txt")
    page.get_by_text("60% · Importing b.txt").wait_for()
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "60"
    Job.objects.filter(pk=job.pk).update(
        state=JobState.SUCCEEDED,
        progress=100,
        message="Done",
        result={
            "imported": 1,
            "failed": 0,
            "files": [
                {
                    "file": "b.txt",
                    "ok": True,
                    "message": "b.txt: imported",
                    "dyad": "D1",
                    "warnings": [],
                }
            ],
        },
    )
    page.get_by_text("1 file imported").wait_for()
    assert page.locator('[data-field="state"]').inner_text() == "Succeeded"
    assert page.script_errors == []


def test_a_viewer_exports_a_data_file_and_downloads_it(
    page: Any, study: Study, viewer: Any
) -> None:
    login(page, "viewer")
    page.goto("/studies/study/exchange/")
    page.get_by_label("File", exact=True).select_option(
        label="Codebook as Markdown, for a paper's appendix"
    )
    page.get_by_role("button", name="Export file").click()
    page.get_by_role("heading", name="Files").wait_for()
    assert page.locator('[data-field="state"]').inner_text() == "Succeeded"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="study-codebook").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".md")
    assert "Valuing" in Path(download.path()).read_text(encoding="utf-8")
    assert page.script_errors == []
