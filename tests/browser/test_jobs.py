"""A job page follows its job live: progress moves, then the report appears without a reload."""

from __future__ import annotations

import os
import statistics
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from coding.job_kinds import JobKind
from coding.models import Code
from coding.services import coding_create
from coding.team.reports import AgreementRequest
from healing.jobs.models import Job, JobState
from healing.jobs.runner import job_execute
from interviews.models import Study
from tests.browser.conftest import login
from tests.factories import make_interview

# Set in the page before the job ends; a full-page reload (or <meta refresh>) would lose it.
MARK_DOCUMENT = "window.__sameDocument = true"
# Records, in the browser's wall clock, when the report's overall figures are first on screen.
WATCH_RESULT = """() => {
  window.__resultSeenAt = null;
  const seen = () => document.querySelector('#overall');
  new MutationObserver((_, observer) => {
    if (seen() && window.__resultSeenAt === null) {
      window.__resultSeenAt = Date.now();
      observer.disconnect();
    }
  }).observe(document.body, { childList: true, subtree: true });
}"""

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
    page.evaluate(MARK_DOCUMENT)
    page.get_by_text("1 file imported").wait_for()
    assert page.locator('[data-field="state"]').inner_text() == "Succeeded"
    assert page.evaluate("window.__sameDocument") is True  # swapped in, not reloaded
    assert page.script_errors == []


def test_agreement_report_appears_when_its_job_ends_without_a_page_refresh(
    page: Any, study: Study, lead: Any, coder: Any, coder2: Any
) -> None:
    """The running report polls the job's status and swaps the report in as soon as the job
    ends; prints the time from the job's end to the figures on screen (a browser benchmark:
    JOB_RESULT_ROUNDS=10 for a median)."""
    interview = make_interview(study=study, by=lead)
    code = Code.objects.get(codebook__study=study, key="VAL.PRES.ATT")
    for who in (coder, coder2):
        coding_create(interview=interview, code=code, coder=who, start=0, end=40)
    request = AgreementRequest(scope="study", unit="character", coders=[coder.pk, coder2.pk])
    login(page, "lead")
    delays = []
    for _ in range(int(os.environ.get("JOB_RESULT_ROUNDS", "1"))):
        job = Job.objects.create(
            kind=JobKind.AGREEMENT,
            user=lead,
            study=study,
            params=asdict(request),
            state=JobState.QUEUED,  # as if the broker took it: what a worker then runs
        )
        page.goto(f"/studies/{study.slug}/agreement/{job.pk}/")
        page.get_by_role("status").wait_for()
        assert page.locator('meta[http-equiv="refresh"]').count() == 0
        page.evaluate(MARK_DOCUMENT)
        page.evaluate(WATCH_RESULT)
        page.wait_for_timeout(400)  # the page polls at least once while the job is queued
        job_execute(job.pk)  # what the worker does
        finished = Job.objects.get(pk=job.pk)
        assert finished.state == JobState.SUCCEEDED
        page.locator("#overall").wait_for()
        # Polled from here: a predicate string would be evaluated in the page, which the CSP
        # forbids.
        for _ in range(100):
            if page.evaluate("window.__resultSeenAt !== null"):
                break
            page.wait_for_timeout(50)
        assert page.evaluate("window.__sameDocument") is True  # no full-page reload
        assert finished.finished is not None
        delays.append(page.evaluate("window.__resultSeenAt") - finished.finished.timestamp() * 1000)
    assert page.get_by_role("heading", name="Per code").is_visible()
    assert page.script_errors == []
    print(
        f"\nagreement report on screen after its job ended: median {statistics.median(delays):.0f}"
        f" ms, max {max(delays):.0f} ms over {len(delays)} round(s)"
    )


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
