"""REFI-QDA in Chromium: a lead imports a project through the mapping screen; a viewer exports."""

from __future__ import annotations

from typing import Any

import pytest

from coding.models import Coding
from interviews.models import Interview, Study
from tests.browser.conftest import login
from tests.coding.refi.test_pages import small_project

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_lead_imports_a_project_after_confirming_the_mapping(page: Any, study: Study) -> None:
    login(page, "lead")
    page.goto("/studies/study/")
    page.get_by_role("link", name="Exchange").click()
    page.get_by_label("Project (.qdpx) into this study").set_input_files(
        files=[{"name": "small.qdpx", "mimeType": "application/zip", "buffer": small_project()}]
    )
    page.get_by_role("button", name="Read the project").click()
    page.get_by_role("link", name="Review the mapping and import").click()
    assert page.get_by_label("Dyad of D03 patient").input_value() == "D03"
    page.get_by_label("Dyad of D03 patient").fill("D55")
    page.get_by_label("Perspective of D03 patient").select_option("clinician")
    page.get_by_role("button", name="Import").click()
    page.get_by_role("heading", name="Import report").wait_for()
    assert page.get_by_test_id("report-imported").get_by_text("codings").is_visible()
    page.get_by_role("link", name="the study").click()
    page.get_by_role("link", name="D55", exact=True).wait_for()
    interview = Interview.objects.get(dyad__study=study, dyad__label="D55")
    assert interview.perspective == "clinician"
    assert Coding.objects.filter(interview=interview).count() == 1
    assert page.script_errors == []


def test_a_viewer_exports_the_project_and_downloads_it(page: Any, study: Study) -> None:
    login(page, "viewer")
    page.goto("/studies/study/exchange/")
    assert page.get_by_text("Only the study's leads import into it.").is_visible()
    page.get_by_role("button", name="Export project (.qdpx)").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download study.qdpx").click()
    download = download_info.value
    assert download.suggested_filename == "study.qdpx"
    with open(download.path(), "rb") as stream:
        assert stream.read(2) == b"PK"
    assert page.script_errors == []


def test_the_job_page_follows_a_running_job_until_it_finishes(
    page: Any, study: Study, lead: Any
) -> None:
    from coding.job_kinds import JobKind
    from healing.jobs.models import Job, JobState

    job = Job.objects.create(
        kind=JobKind.EXPORT_QDPX,
        user=lead,
        study=study,
        state=JobState.RUNNING,
        progress=40,
        message="Wrote 10 sources",
        params={"format": "qdpx", "layer": "all"},
    )
    login(page, "lead")
    page.goto(f"/exchange/jobs/{job.pk}/")
    assert page.locator("#job-progress").get_attribute("value") == "40"
    Job.objects.filter(pk=job.pk).update(progress=70, message="Writing project.qde")
    page.get_by_text("Writing project.qde").wait_for()
    assert page.locator("#job-progress").evaluate("bar => bar.value") == 70
    Job.objects.filter(pk=job.pk).update(state=JobState.SUCCEEDED, progress=100, message="Done")
    page.get_by_test_id("job-state-label").get_by_text("Succeeded").wait_for()
    assert page.locator("#job-progress").count() == 0
    assert page.script_errors == []
