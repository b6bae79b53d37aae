"""Finding 2 of issue 14: a member removed from a study (or a lead lowered to viewer) walks every
page and every API operation the next request and finds none of the study's jobs, job files or
reports — not even the ones they started. The walker is the blind-coding test's."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from coding.services import CodingInput, codings_bulk_create, memo_create
from coding.team.reports import AgreementRequest, agreement_report_start
from coding.team.services import member_remove
from healing.jobs.models import Job, JobFile, JobState
from healing.jobs.services import job_create
from interviews.job_kinds import InterviewJobKind
from interviews.models import Membership, Role, Study
from interviews.services import membership_set
from tests.factories import SAMPLE_TRANSCRIPT, code, make_interview
from tests.team.conftest import span
from tests.team.test_blind_everywhere import (
    World,
    api_operations,
    body_text,
    filled_urls,
    url_patterns,
)

pytestmark = pytest.mark.django_db

SECRET = "TRANSCRIPT-SECRET-7Q"
TITLE = "Removal Study Q7"
JOB_MARK = "JOB-MARK-7Q"
PLACEHOLDER = 999_999  # collections this test does not fill: walked, found nothing


def _start_jobs(study: Study, user: Any, coders: list[int]) -> list[int]:
    """An export (CSV), a whole-study .qdpx and an agreement report, started by ``user``."""
    client = APIClient()
    client.force_authenticate(user)
    started = [
        client.post(f"/api/v1/studies/{study.slug}/exports/", {"format": "csv"}, format="json"),
        client.post(
            f"/api/v1/studies/{study.slug}/refi/exports/", {"format": "qdpx"}, format="json"
        ),
    ]
    for response in started:
        assert response.status_code == 202, response.content
    report = agreement_report_start(
        study=study,
        user=user,
        request=AgreementRequest(scope="study", unit="turn", coders=coders),
    )
    return [r.json()["id"] for r in started] + [report.pk]


def _world(study: Study, user: Any, lead: Any, jobs: list[int]) -> World:
    interviews = list(study.dyads.first().interviews.all())  # type: ignore[union-attr]
    # The jobs carry a mark in what the pages and the API show of them.
    Job.objects.filter(pk__in=jobs).update(message=JOB_MARK)
    assert Job.objects.filter(pk__in=jobs, state=JobState.SUCCEEDED).count() == len(jobs)
    files = list(JobFile.objects.filter(job_id__in=jobs).values_list("pk", flat=True))
    assert files
    memo = memo_create(study=study, author=lead, body="a note")
    return World(
        study=study,
        a=user,
        b=lead,
        lead=lead,
        interviews=interviews,
        ids={
            "slug": [study.slug],
            "interviews": [i.pk for i in interviews],
            "dyads": [interviews[0].dyad_id],
            "codings": list(
                study.codebook.codes.values_list("codings__pk", flat=True).exclude(  # type: ignore[attr-defined]
                    codings__pk=None
                )[:2]
            ),
            "codes": [code(study, "VAL.PRES.ATT").pk],
            "code_keys": ["VAL.PRES.ATT"],
            "memos": [memo.pk],
            "jobs": jobs,
            "files": files,
            "assignments": [PLACEHOLDER],
            "users": [user.pk, lead.pk],
            "participants": [PLACEHOLDER],
            "attributes": [PLACEHOLDER],
            "tokens": [PLACEHOLDER],
            "versions": [1],
            "deid_spans": [PLACEHOLDER],
            "deid_entities": [PLACEHOLDER],
            "deid_terms": [PLACEHOLDER],
            "queries": [PLACEHOLDER],
        },
    )


def walk_for_job_data(world: World, *, secrets: list[str]) -> tuple[int, list[str]]:
    """Every URL pattern and every GET operation as ``world.a``: what leaked."""
    page = Client(raise_request_exception=False)
    page.force_login(world.a)
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(world.a)
    job_paths = [f"/jobs/{pk}/" for pk in world.ids["jobs"]]
    found: list[str] = []
    walked = 0
    urls = [url for _, url in filled_urls(world)] + [url for _, url in api_operations(world)]
    for url in urls:
        response = (api if url.startswith("/api/") else page).get(url)
        walked += 1
        assert response.status_code < 500, (url, response.status_code)
        text = body_text(response)
        found += [f"{url}: {secret}" for secret in secrets if secret in text]
        if response.status_code == 200 and any(path in url for path in job_paths):
            found.append(f"{url}: answered 200")
    return walked, found


def _study_with_jobs(study: Study, lead: Any, coder: Any) -> Study:
    Study.objects.filter(pk=study.pk).update(title=TITLE)
    study.refresh_from_db()
    interview = make_interview(
        study=study, by=lead, text=SAMPLE_TRANSCRIPT + f"\nMaria: {SECRET} is my secret.\n"
    )
    start, end = span(interview, "she listened to every word")
    for who in (coder, lead):
        codings_bulk_create(
            interview=interview,
            coder=who,
            items=[CodingInput(code_id=code(study, "VAL.PRES.ATT").pk, start=start, end=end)],
        )
    return study


def test_a_removed_member_finds_none_of_the_studys_jobs_anywhere(
    study: Study, lead: Any, coder: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _study_with_jobs(study, lead, coder)
    with django_capture_on_commit_callbacks(execute=True):
        jobs = _start_jobs(study, coder, [coder.pk, lead.pk])
    world = _world(study, coder, lead, jobs)
    # Before: the member sees their jobs, and the walk finds them (so it can fail).
    walked, found = walk_for_job_data(world, secrets=[SECRET, JOB_MARK])
    assert any(JOB_MARK in leak for leak in found), found
    assert any("answered 200" in leak for leak in found), found

    member_remove(membership=Membership.objects.get(study=study, user=coder), actor=lead)

    walked, found = walk_for_job_data(world, secrets=[SECRET, TITLE, JOB_MARK])
    assert not found, "\n".join(found)
    assert walked >= 400, walked
    assert len({name for _, name, _ in url_patterns()}) >= 100


def test_a_lead_lowered_to_viewer_no_longer_sees_the_leads_jobs(
    study: Study, lead: Any, coder2: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """As a viewer the member still reads the study (its transcripts too), but not the other
    members' jobs a lead sees, nor the import they ran as a lead (imports are the leads')."""
    _study_with_jobs(study, lead, coder2)
    membership_set(study=study, user=coder2, role=Role.LEAD, actor=lead)
    with django_capture_on_commit_callbacks(execute=True):
        # The exports (reports are the study's, for every member who sees others' codings).
        leads_jobs = _start_jobs(study, lead, [coder2.pk, lead.pk])[:2]
        own_import = job_create(
            kind=InterviewJobKind.IMPORT_TRANSCRIPTS,
            user=coder2,
            study=study,
            params={"dyad": "D01"},
        )
    Job.objects.filter(pk=own_import.pk).update(state=JobState.SUCCEEDED)
    jobs = [*leads_jobs, own_import.pk]
    world = _world(study, coder2, lead, jobs)
    walked, found = walk_for_job_data(world, secrets=[JOB_MARK])
    assert any("answered 200" in leak for leak in found), found

    membership_set(study=study, user=coder2, role=Role.VIEWER, actor=lead)

    walked, found = walk_for_job_data(world, secrets=[JOB_MARK])
    assert not found, "\n".join(found)
    assert walked >= 400, walked
