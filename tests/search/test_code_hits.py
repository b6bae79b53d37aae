"""Coding search hits: every hit (or the chosen ones, or their turns) with one code into the
caller's own layer as one job, audited, duplicates skipped and counted, undone as one step; the
page; and who may do what (viewers read, blinded coders search but code only their own layer)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from coding.models import Coding, Layer
from healing.audit.models import AuditEvent
from healing.jobs.models import Job
from interviews.models import Study, Turn
from interviews.services import study_update
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db

TEXT = (
    "Interviewer: Do you trust her?\n\n"
    "Pat: I trust her. I really trust\nher now, you know.\n\n"
    "Interviewer: Why?\n\n"
    "Pat: Because I can trust her with anything.\n"
)
SEARCH = "/api/v1/studies/study/search/"
CODE = "/api/v1/studies/study/search/code/"


@pytest.fixture(autouse=True)
def _jobs_run_at_once(monkeypatch: Any) -> None:
    """The job starts when its transaction commits; a test's transaction never does."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, *args, **kwargs: func())


@pytest.fixture
def interviews(study: Study, lead: Any) -> list[Any]:
    return [
        make_interview(study=study, dyad="D01", text=TEXT, by=lead),
        make_interview(study=study, dyad="D02", perspective="clinician",
                       text=TEXT.replace("Pat:", "Dr. K:"), by=lead),
    ]  # fmt: skip


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def hits(client: APIClient, **params: Any) -> list[tuple[int, int, int]]:
    body = client.get(SEARCH, {"page_size": "500", **params}).json()
    return [(h["interview"], h["start"], h["end"]) for h in body["results"]]


def layer_of(user: Any, code_key: str = "VAL") -> set[tuple[int, int, int]]:
    return set(
        Coding.objects.filter(coder=user, layer=Layer.INDIVIDUAL, code__key=code_key).values_list(
            "interview_id", "start", "end"
        )
    )


def test_code_every_hit_then_again_then_undo(study: Study, interviews: list, coder: Any) -> None:
    client = api(coder)
    expected = hits(client, q="trust her", mode="phrase")
    assert len(expected) == 8  # 4 in each interview, one across a line break
    response = client.post(CODE, {"q": "trust her", "mode": "phrase", "code": "VAL"}, format="json")
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == "succeeded", job.error
    assert job.result["created"] == 8
    assert job.result["skipped"] == 0
    assert job.result["hits"] == 8
    assert layer_of(coder) == set(expected)
    quotes = set(Coding.objects.filter(coder=coder).values_list("quote", flat=True))
    assert quotes == {"trust her", "trust\nher"}
    # Audited: each coding, and the run as one event.
    run = AuditEvent.objects.get(object_type="search_code", action="create")
    assert run.after["created"] == 8
    assert run.actor == coder
    assert AuditEvent.objects.filter(object_type="coding", action="create").count() == 8
    # Again: every span is already coded, skipped and counted.
    again = client.post(CODE, {"q": "trust her", "mode": "phrase", "code": "VAL"}, format="json")
    second = Job.objects.get(pk=again.json()["id"])
    assert second.result["created"] == 0
    assert second.result["skipped"] == 8
    # Undo the first run as one step.
    undone = client.post(f"/api/v1/studies/study/autocode/{job.pk}/undo/")
    assert undone.status_code == 200, undone.content
    assert undone.json()["result"]["undone"]["deleted"] == 8
    assert layer_of(coder) == set()
    assert AuditEvent.objects.filter(object_type="search_code", action="delete").count() == 1
    assert AuditEvent.objects.filter(object_type="coding", action="delete").count() == 8
    twice = client.post(f"/api/v1/studies/study/autocode/{job.pk}/undo/")
    assert twice.status_code == 400
    assert "already undone" in twice.json()["error"]["message"] + str(twice.json())


def test_code_the_chosen_hits_or_their_turns(study: Study, interviews: list, coder: Any) -> None:
    client = api(coder)
    found = hits(client, q="trust", role="patient", perspective="patient")
    assert found
    assert all(i == interviews[0].pk for i, _, _ in found)
    chosen = found[:2]
    response = client.post(
        CODE,
        {"q": "trust", "filters": {"role": "patient", "perspective": "patient"}, "code": "VAL",
         "hits": [list(h) for h in chosen] + [[interviews[0].pk, 0, 3]]},
        format="json",
    )  # fmt: skip
    job = Job.objects.get(pk=response.json()["id"])
    assert job.result["created"] == 2
    assert job.result["not_found"] == 1
    assert layer_of(coder) == set(chosen)
    # Whole turns: each hit's turn once (two hits in one turn make one coding).
    response = client.post(
        CODE, {"q": "trust", "code": "POW", "unit": "turn", "filters": {"dyad": "D01"}},
        format="json",
    )  # fmt: skip
    job = Job.objects.get(pk=response.json()["id"])
    turns = Turn.objects.filter(interview=interviews[0])
    expected = set()
    for _, start, _ in hits(client, q="trust", dyad="D01"):
        turn = min((t for t in turns if t.end > start), key=lambda t: t.end)
        expected.add((interviews[0].pk, turn.start, turn.end))
    assert layer_of(coder, "POW") == expected
    assert job.result["created"] == len(expected) < job.result["hits"]


def test_bad_requests_start_nothing(study: Study, interviews: list, coder: Any) -> None:
    client = api(coder)
    for body, field in [
        ({"q": "(", "mode": "regex", "code": "VAL"}, "q"),
        ({"q": "", "code": "VAL"}, "q"),
        ({"q": "trust", "code": "NOPE"}, "code"),
        ({"q": "trust", "code": "VAL", "unit": "sentence"}, "unit"),
        ({"q": "trust", "code": "VAL", "hits": [[1, 2]]}, "hits"),
        ({"q": "trust", "code": "VAL", "filters": {"role": "boss"}}, "role"),
        ({"q": "trust", "code": "VAL", "filters": {"q": "x"}}, "filters"),
        ({"q": "trust", "code": "VAL", "colour": "red"}, "colour"),
    ]:
        response = client.post(CODE, body, format="json")
        assert response.status_code == 400, (body, response.content)
        fields = response.json()["error"].get("fields", {})
        assert any(name.startswith(field) for name in fields), response.json()
    assert not Job.objects.exists()
    assert not Coding.objects.exists()


def test_a_catastrophic_pattern_fails_the_job_cleanly(
    study: Study, lead: Any, coder: Any, settings: Any
) -> None:
    make_interview(study=study, text="Pat: " + "a" * 60 + "b\n", by=lead)
    settings.HEALING_SEARCH_REGEX_JOB_MS = 200
    response = api(coder).post(CODE, {"q": "(a|aa)+$", "mode": "regex", "code": "VAL"},
                               format="json")  # fmt: skip
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == "failed"
    assert "took longer" in job.error
    assert not Coding.objects.exists()


def test_who_codes_and_undoes(
    study: Study, interviews: list, lead: Any, coder: Any, coder2: Any, viewer: Any
) -> None:
    body = {"q": "trust", "code": "VAL"}
    assert api(viewer).get(SEARCH, {"q": "trust"}).status_code == 200
    assert api(viewer).post(CODE, body, format="json").status_code == 403
    job_id = api(coder).post(CODE, body, format="json").json()["id"]
    undo = f"/api/v1/studies/study/autocode/{job_id}/undo/"
    assert api(coder2).post(undo).status_code == 403
    assert api(viewer).post(undo).status_code == 403
    assert api(lead).post(undo).status_code == 200
    # Archived: searching still answers, coding and undoing do not.
    job_id = api(coder).post(CODE, body, format="json").json()["id"]
    study_update(study=study, actor=lead, archived=True)
    assert api(coder).get(SEARCH, {"q": "trust"}).status_code == 200
    assert api(coder).post(CODE, body, format="json").status_code == 403
    assert api(coder).post(f"/api/v1/studies/study/autocode/{job_id}/undo/").status_code == 403


def test_a_blinded_coder_searches_the_text_and_codes_only_their_own_layer(
    study: Study, interviews: list, lead: Any, coder: Any, coder2: Any
) -> None:
    study_update(study=study, actor=lead, blind_coding=True)
    study.refresh_from_db()
    client = api(coder)
    assert len(hits(client, q="trust")) == 8
    response = client.post(CODE, {"q": "trust", "code": "VAL"}, format="json")
    assert Job.objects.get(pk=response.json()["id"]).state == "succeeded"
    assert Coding.objects.filter(coder=coder, layer=Layer.INDIVIDUAL).count() == 8
    assert not Coding.objects.exclude(coder=coder).exists()
    # The request names no layer: a field to do so is refused.
    refused = client.post(CODE, {"q": "trust", "code": "VAL", "coder": coder2.pk}, format="json")
    assert refused.status_code == 400


def test_the_page_searches_groups_and_codes(
    study: Study, interviews: list, coder: Any, viewer: Any
) -> None:
    client = Client()
    client.force_login(coder)
    overview = client.get("/studies/study/").content.decode()
    assert 'role="search"' in overview
    assert 'action="/studies/study/search/"' in overview
    page = client.get("/studies/study/search/", {"q": "trust her", "mode": "phrase"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "8 hits</strong> in 2 interviews" in html
    assert html.count('class="kwic-line"') == 8
    start, end = hits(api(coder), q="trust her", mode="phrase")[0][1:]
    assert f'href="/interviews/{interviews[0].pk}/#span-{start}-{end}"' in html
    assert "<mark>trust\nher</mark>" in html
    assert "Code all hits" in html
    bad = client.get("/studies/study/search/", {"q": "(", "mode": "regex"})
    assert bad.status_code == 400
    assert "Not a valid regular expression" in bad.content.decode()
    # The form codes the chosen hits and lands on the job's page.
    response = client.post(
        "/studies/study/search/code/",
        {"q": "trust her", "mode": "phrase", "code": code(study, "VAL").pk, "unit": "hit",
         "which": "chosen", "hit": [f"{interviews[0].pk}:{start}:{end}"]},
        follow=True,
    )  # fmt: skip
    assert "Undo this search coding" in response.content.decode()
    assert layer_of(coder) == {(interviews[0].pk, start, end)}
    nothing = client.post(
        "/studies/study/search/code/", {"q": "trust", "code": "VAL", "which": "chosen"}, follow=True
    )
    assert "Tick the hits to code first" in nothing.content.decode()
    # A viewer reads the page without the coding form, and may not post it.
    viewer_client = Client()
    viewer_client.force_login(viewer)
    html = viewer_client.get("/studies/study/search/", {"q": "trust"}).content.decode()
    assert "kwic-line" in html
    assert "Code all hits" not in html
    assert viewer_client.post("/studies/study/search/code/", {"q": "trust"}).status_code == 403
