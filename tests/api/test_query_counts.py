"""List endpoints run a fixed number of queries, whatever the page size and the number of rows.

Each list is read with a page of 2 and a page of 40 over the same rows (more than 40 of each);
the counts must be equal and stay under the pinned number. The comment on each case names the
queries.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from coding.models import Memo
from coding.services import CodingInput, codings_bulk_create
from healing.jobs.models import Job, JobFile
from healing.tokens.models import ApiToken
from interviews.models import (
    AttributeDefinition,
    Dyad,
    Interview,
    Membership,
    Participant,
    Study,
)
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db

ROWS = 42


@pytest.fixture
def many(study: Study, lead: Any, coder: Any) -> Study:
    """More than a page of everything in one study (rows made in bulk: this is about reads)."""
    clinicians = Participant.objects.bulk_create(
        Participant(study=study, role="clinician", pseudonym=f"Dr. {n:02d}") for n in range(ROWS)
    )
    patients = Participant.objects.bulk_create(
        Participant(study=study, role="patient", pseudonym=f"P{n:02d}") for n in range(ROWS)
    )
    Dyad.objects.bulk_create(
        Dyad(study=study, label=f"D{n:02d}", clinician=clinicians[n], patient=patients[n])
        for n in range(ROWS)
    )
    AttributeDefinition.objects.bulk_create(
        AttributeDefinition(study=study, entity="dyad", key=f"a{n:02d}", type="text")
        for n in range(ROWS)
    )
    Memo.objects.bulk_create(Memo(study=study, author=coder, body=f"Memo {n}") for n in range(ROWS))
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"member{n:02d}") for n in range(ROWS)
    )
    Membership.objects.bulk_create(Membership(study=study, user=u, role="viewer") for u in users)
    ApiToken.objects.bulk_create(
        ApiToken(
            user=lead,
            name=f"token {n}",
            prefix="hl_",
            key_hash=f"{n:064d}",
            expires=timezone.now() + dt.timedelta(days=90),
        )
        for n in range(ROWS)
    )
    jobs = Job.objects.bulk_create(Job(kind="export", user=lead, study=study) for _ in range(ROWS))
    JobFile.objects.bulk_create(
        JobFile(job=job, direction="output", name="x", content_type="text/csv", size=1, data=b"x")
        for job in jobs
    )
    for n in range(3):
        interview = make_interview(study=study, dyad=f"D{n:02d}", by=lead)
        codings_bulk_create(
            interview=interview,
            coder=coder,
            items=[CodingInput(code(study, "VAL").pk, i, i + 3) for i in range(15)],
        )
    Interview.objects.bulk_create(
        Interview(dyad=dyad, perspective="clinician", text="Some words.", text_sha256=str(n))
        for n, dyad in enumerate(Dyad.objects.filter(study=study))
    )
    return study


CASES = [
    # user, count, page (studies with role and counts)
    ("/api/v1/studies/", 3),
    # study and access, then coding.team's members overview: members with users, coding and
    # assignment counts (not paginated: a study's team)
    ("/api/v1/studies/study/members/", 4),
    # user, count, page
    ("/api/v1/attributes/?study=study", 3),
    # user, count, page, dyads as clinician, dyads as patient
    ("/api/v1/participants/?study=study", 5),
    # user, count, page with people, interviews
    ("/api/v1/dyads/?study=study", 4),
    # user, count, page with dyad and study
    ("/api/v1/interviews/?study=study", 3),
    # user, count, page
    ("/api/v1/codes/?study=study", 3),
    # user, page (cursor: no count)
    ("/api/v1/codings/?study=study", 2),
    # user, count, page
    ("/api/v1/memos/?study=study", 3),
    # user, count, page, output files
    ("/api/v1/jobs/", 4),
    # user, count, page
    ("/api/v1/tokens/", 3),
]


def _queries(client: APIClient, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    rows = len(body["results"]) if isinstance(body, dict) else len(body)
    real = [q for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    return len(real), rows


@pytest.mark.parametrize(("url", "pinned"), CASES, ids=[url for url, _ in CASES])
def test_a_list_runs_the_same_queries_for_any_page_size(
    many: Study, lead: Any, url: str, pinned: int
) -> None:
    client = APIClient()
    client.force_authenticate(lead)
    separator = "&" if "?" in url else "?"
    small, small_rows = _queries(client, f"{url}{separator}page_size=2")
    large, large_rows = _queries(client, f"{url}{separator}page_size=40")
    if url != "/api/v1/studies/":  # the lead is in one study; everything else has > 40 rows
        assert small_rows == 2 or "members" in url
        assert large_rows > 20
    assert small == large <= pinned, f"{small} and {large} queries; pinned at {pinned}"
