"""The review of an interview's identifiers through the API, and the deid_review command."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from coding.models import Coding
from coding.services import CodingInput, codings_bulk_create
from healing.audit.models import AuditEvent
from interviews.models import (
    DeidEntity,
    DeidSpan,
    DeidStatus,
    DeidTerm,
    Interview,
    Membership,
    Study,
)
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db

TEXT = (
    "Interviewer: Who is your doctor?\n\n"
    "Maria: Dr. Evelyn Shaw at Millbrook Family Clinic. Call her on 555-201-7788. "
    "I have hope, and Evelyn listens.\n"
)
SECOND = "Interviewer: And then?\n\nMaria: Evelyn called again. My neighbour Tomasz came too.\n"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(interview: Interview, tail: str = "") -> str:
    return f"/api/v1/interviews/{interview.pk}/deid/{tail}"


@pytest.fixture
def two(study: Study, lead: Any) -> tuple[Interview, Interview]:
    return (
        make_interview(study=study, text=TEXT, by=lead),
        make_interview(study=study, dyad="D02", text=SECOND, by=lead),
    )


def words_at(interview: Interview, span: dict[str, Any]) -> str:
    return interview.text[span["start"] : span["end"]]


def test_propose_then_decide_then_apply(two: tuple[Interview, Interview], lead: Any) -> None:
    first, _second = two
    client = client_for(lead)
    proposed = client.post(url(first, "propose/"))
    assert proposed.status_code == 200, proposed.content
    assert proposed.json()["proposed"] >= 4
    review = client.get(url(first)).json()
    assert review["status"] == "in_review"
    found = {words_at(first, s): s for s in review["spans"]}
    assert {"Evelyn Shaw", "555-201-7788"} <= set(found)
    assert "hope" not in found  # a word of this field, used as a word
    assert not any(AuditEvent.objects.filter(summary__icontains="Evelyn"))

    # Accept the name: its entity gets a suggested pseudonym; reject nothing, change a kind.
    name = found["Evelyn Shaw"]
    accepted = client.patch(url(first, f"spans/{name['id']}/"), {"status": "accepted"},
                            content_type="application/json")  # fmt: skip
    assert accepted.status_code == 200
    entity = DeidEntity.objects.get(pk=accepted.json()["entity"])
    assert entity.kind == "PERSON"
    assert len(entity.replacement.split()) == 2  # first name and surname for a full name
    assert "Evelyn" not in entity.digest
    assert len(entity.digest) == 64

    # Rename the replacement; accept every other proposal; apply.
    renamed = client.patch(url(first, f"entities/{entity.pk}/"), {"replacement": "Ella Stone"},
                           content_type="application/json")  # fmt: skip
    assert renamed.json()["replacement"] == "Ella Stone"
    for span in client.get(url(first)).json()["spans"]:
        if span["status"] == "proposed":
            answer = client.patch(url(first, f"spans/{span['id']}/"), {"status": "accepted"},
                                  content_type="application/json")  # fmt: skip
            assert answer.status_code == 200
    applied = client.post(url(first, "apply/"))
    assert applied.status_code == 200, applied.content
    first.refresh_from_db()
    assert "Ella Stone" in first.text
    assert "Evelyn" not in first.text
    assert "555-201-7788" not in first.text
    assert first.deid_status == DeidStatus.COMPLETE
    # Once applied, the review is closed.
    again = client.post(url(first, "spans/"), {"start": 0, "end": 5, "kind": "PERSON"},
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 400


def test_accept_an_entity_study_wide(two: tuple[Interview, Interview], lead: Any) -> None:
    first, second = two
    client = client_for(lead)
    client.post(url(first, "propose/"))
    evelyn = next(
        s for s in client.get(url(first)).json()["spans"] if words_at(first, s) == "Evelyn"
    )
    counts = client.post(url(first, f"spans/{evelyn['id']}/accept-all/")).json()
    assert counts["interviews"] == 2
    assert counts["accepted"] + counts["added"] == 2
    there = DeidSpan.objects.get(interview=second, status="accepted")
    assert second.text[there.start : there.end] == "Evelyn"
    here = DeidSpan.objects.get(pk=evelyn["id"])
    assert there.entity_id == here.entity_id  # one replacement for the whole study
    second.refresh_from_db()
    assert second.deid_status == DeidStatus.IN_REVIEW


def test_add_a_missed_identifier_and_bad_spans(two: tuple[Interview, Interview], lead: Any) -> None:
    _, second = two
    client = client_for(lead)
    start = second.text.index("Tomasz")
    added = client.post(url(second, "spans/"), {"start": start, "end": start + 6,
                        "kind": "PERSON"}, content_type="application/json")  # fmt: skip
    assert added.status_code == 201
    assert added.json()["status"] == "accepted"
    for bad in (
        {"start": start, "end": start + 3, "kind": "PERSON"},  # overlaps
        {"start": 5, "end": 2, "kind": "PERSON"},
        {"start": 0, "end": 99999, "kind": "PERSON"},
        {"start": 12, "end": 14, "kind": "PERSON"},  # begins with a space
        {"start": 0, "end": 5, "kind": "NAME"},
        {"start": 0, "end": 5},
        {"start": "x", "end": 5, "kind": "PERSON"},
    ):
        answer = client.post(url(second, "spans/"), bad, content_type="application/json")
        assert answer.status_code == 400, bad
    assert DeidSpan.objects.filter(interview=second).count() == 1


def test_names_list_and_pseudonyms_are_proposed(study: Study, lead: Any) -> None:
    interview = make_interview(study=study, text=SECOND, by=lead)
    DeidTerm.objects.create(study=study, list="names", text="tomasz")
    client_for(lead).post(url(interview, "propose/"))
    texts = {interview.text[s.start : s.end] for s in DeidSpan.objects.filter(interview=interview)}
    assert "Tomasz" in texts


def test_complete_without_findings(study: Study, lead: Any) -> None:
    interview = make_interview(study=study, text="Interviewer: Hi?\n\nP1: It was fine.\n", by=lead)
    client = client_for(lead)
    client.post(url(interview, "propose/"))
    answer = client.post(url(interview, "complete/"))
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "complete"


def test_complete_refused_with_open_proposals(two: tuple[Interview, Interview], lead: Any) -> None:
    first, _ = two
    client = client_for(lead)
    client.post(url(first, "propose/"))
    assert client.post(url(first, "complete/")).status_code == 400


def test_who_reviews(two: tuple[Interview, Interview], study: Study, coder: Any,
                     outsider: Any) -> None:  # fmt: skip
    first, _ = two
    assert client_for(coder).get(url(first)).status_code == 403
    assert client_for(outsider).get(url(first)).status_code == 404
    Membership.objects.filter(study=study, user=coder).update(deid_reviewer=True)
    assert client_for(coder).get(url(first)).status_code == 200
    assert client_for(coder).post(url(first, "propose/")).status_code == 200
    study.archived = True
    study.save()
    assert client_for(coder).get(url(first)).status_code == 200
    assert client_for(coder).post(url(first, "propose/")).status_code == 403


def test_apply_moves_codings_through_the_api(two: tuple[Interview, Interview], lead: Any,
                                              coder: Any, study: Study) -> None:  # fmt: skip
    first, _ = two
    start = first.text.index("Call her")
    made = codings_bulk_create(
        interview=first, coder=coder,
        items=[CodingInput(code(study, "VAL").pk, start, start + len("Call her on 555-201-7788"))],
    )[0]  # fmt: skip
    call_command("deid_review", interview=first.pk, user="lead", accept_all=True, apply=True,
                 stdout=io.StringIO())  # fmt: skip
    made.refresh_from_db()
    first.refresh_from_db()
    assert made.quote == first.text[made.start : made.end]
    assert made.quote.startswith("Call her on [")
    assert Coding.objects.filter(pk=made.pk).exists()


def test_deid_review_command(two: tuple[Interview, Interview], lead: Any, coder: Any) -> None:
    first, _ = two
    out = io.StringIO()
    call_command("deid_review", interview=first.pk, user="lead", accept_all=True, apply=True,
                 stdout=out)  # fmt: skip
    report = json.loads(out.getvalue())
    assert report["accepted"] >= 4
    assert report["applied"]["replaced"] == report["accepted"]
    first.refresh_from_db()
    assert first.deid_status == DeidStatus.COMPLETE
    assert "Evelyn" not in first.text
    with pytest.raises(CommandError):
        call_command("deid_review", interview=first.pk, user="coder", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("deid_review", interview=999999, user="lead", stdout=io.StringIO())
