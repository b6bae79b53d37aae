"""Study pages: access for every persona, escaping, and query counts that do not grow with rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coding.services import CodingInput, codings_bulk_create
from interviews.models import Interview, Study
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db

MEMBERS = ["lead", "coder", "coder2", "viewer"]


def browser_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def pages(interview: Interview) -> list[str]:
    return [
        "/studies/study/",
        f"/dyads/{interview.dyad_id}/",
        f"/interviews/{interview.pk}/transcript/",
    ]


@pytest.mark.parametrize("persona", MEMBERS)
def test_members_see_every_study_page(
    personas: dict[str, Any], interview: Interview, persona: str
) -> None:
    client = browser_for(personas[persona])
    for url in ["/", *pages(interview)]:
        assert client.get(url).status_code == 200, url


def test_outsider_gets_404_and_anonymous_is_sent_to_log_in(
    personas: dict[str, Any], interview: Interview
) -> None:
    outsider = browser_for(personas["outsider"])
    for url in pages(interview):
        assert outsider.get(url).status_code == 404, url
    anonymous = browser_for(None)
    for url in ["/", "/account/", *pages(interview)]:
        response = anonymous.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_home_lists_only_my_studies(personas: dict[str, Any], study: Study) -> None:
    body = browser_for(personas["coder"]).get("/").content.decode()
    assert "/studies/study/" in body
    assert "other-study" not in body


def test_transcript_text_speakers_and_codes_are_escaped(
    study: Study, lead: Any, coder: Any
) -> None:
    evil = (
        "Interviewer: <script>alert('x')</script>?\n"
        '<img src=x onerror=alert(1)>: <a href="javascript:alert(2)">click</a>\n'
        "<img src=x onerror=alert(1)>: again\n"
    )
    interview = make_interview(study=study, text=evil, dyad="<b>D9</b>")
    for url in [
        f"/interviews/{interview.pk}/transcript/",
        f"/dyads/{interview.dyad_id}/",
        "/studies/study/",
    ]:
        body = browser_for(coder).get(url).content.decode()
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert 'href="javascript:' not in body
        assert "<b>D9</b>" not in body
    body = browser_for(coder).get(f"/interviews/{interview.pk}/transcript/").content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_page_query_counts_do_not_grow_with_dyads_interviews_or_codings(
    study: Study, lead: Any, coder: Any
) -> None:
    first = make_interview(study=study, dyad="D01")
    client = browser_for(lead)
    urls = [
        "/",
        "/studies/study/",
        f"/dyads/{first.dyad_id}/",
        f"/interviews/{first.pk}/transcript/",
    ]
    before = {url: _queries(client, url) for url in urls}
    for label in ("D02", "D03", "D04"):
        for perspective in ("patient", "clinician"):
            other = make_interview(study=study, dyad=label, perspective=perspective)
            codings_bulk_create(
                interview=other, coder=coder, items=[CodingInput(code(study, "VAL").pk, 0, 9)]
            )
    make_interview(study=study, dyad="D01", perspective="clinician")
    codings_bulk_create(
        interview=first,
        coder=coder,
        items=[CodingInput(code(study, "VAL").pk, i, i + 4) for i in range(30)],
    )
    after = {url: _queries(client, url) for url in urls}
    assert after == before
    # The study dashboard: session, user, study + access, interviews, codings, assignments,
    # adjudicated interviews, agreement reports, coded and assigned coder pairs (no interview
    # has two coders here, so no disagreement queries), codebook, dyads, interview lengths,
    # code stats, saturation, the checklist, my assignments. tests/coding/test_dashboard.py
    # pins it with disagreements and reports too.
    assert before["/studies/study/"] <= 17, before


def test_account_page_creates_shows_once_and_revokes_a_token(study: Study, coder: Any) -> None:
    client = browser_for(coder)
    body = client.post("/account/", {"action": "create", "name": "pandas"}).content.decode()
    assert "Copy your new token now" in body
    assert "hl_" in body
    again = client.get("/account/").content.decode()
    assert "Copy your new token now" not in again
    from healing.tokens.models import ApiToken

    token = ApiToken.objects.get(user=coder)
    client.post("/account/", {"action": "revoke", "token": token.pk})
    token.refresh_from_db()
    assert token.revoked is not None
