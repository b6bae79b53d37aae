"""Teamwork API: every endpoint for every persona, blind coding, bad input, the error shape."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from coding.models import Adjudication, Assignment, Code, Coding, Layer
from coding.team.reports import AgreementRequest, agreement_report_start
from healing.audit.models import AuditEvent
from healing.jobs.models import Job
from interviews.models import Interview, Invitation, Study
from interviews.services import invitation_accept
from tests.factories import UserFactory, code

pytestmark = pytest.mark.django_db

PERSONAS = ["lead", "coder", "coder2", "viewer", "outsider", "anonymous"]


def client_for(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def report(
    study: Study, coded: Interview, lead: Any, coder: Any, coder2: Any,
    django_capture_on_commit_callbacks: Any,
) -> Job:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        job = agreement_report_start(
            study=study,
            user=lead,
            request=AgreementRequest(scope="study", unit="turn", coders=[coder.pk, coder2.pk]),
        )
    job.refresh_from_db()
    return job


def reads(study: Study, interview: Interview, job: Job) -> dict[str, str]:
    return {
        "members": "/api/v1/studies/study/members/",
        "assignments": "/api/v1/studies/study/assignments/",
        "agreement": "/api/v1/studies/study/agreement/",
        "report": f"/api/v1/studies/study/agreement/{job.pk}/",
        "export": f"/api/v1/studies/study/agreement/{job.pk}/export/?as=csv",
        "disagreements": f"/api/v1/interviews/{interview.pk}/disagreements/",
        "adjudications": f"/api/v1/interviews/{interview.pk}/adjudications/",
        "versions": "/api/v1/studies/study/codebook/versions/",
        "version": "/api/v1/studies/study/codebook/versions/1/",
        "audit": "/api/v1/studies/study/audit/",
        "interview_audit": f"/api/v1/interviews/{interview.pk}/audit/",
    }


LEAD_ONLY = {"audit", "interview_audit"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_read_for_every_persona(
    personas: dict[str, Any], study: Study, coded: Interview, report: Job, persona: str
) -> None:
    client = client_for(personas.get(persona))
    for name, url in reads(study, coded, report).items():
        response = client.get(url)
        expected = {"anonymous": 401, "outsider": 404}.get(
            persona, 403 if name in LEAD_ONLY and persona != "lead" else 200
        )
        assert response.status_code == expected, (persona, name, response.content[:200])
        if expected >= 400:
            assert response.json()["error"]["status"] == expected


def test_blind_coders_are_refused_what_shows_other_layers(
    study: Study, coded: Interview, report: Job, coder: Any, viewer: Any
) -> None:
    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    urls = reads(study, coded, report)
    for name in ("agreement", "report", "export", "disagreements", "adjudications"):
        response = client_for(coder).get(urls[name])
        assert response.status_code == 403, name
        assert "Blind coding is on" in response.json()["error"]["message"]
        assert client_for(viewer).get(urls[name]).status_code == 200
    response = client_for(coder).post(
        "/api/v1/studies/study/agreement/",
        {"unit": "turn", "coders": [coder.pk, viewer.pk]},
        format="json",
    )
    assert response.status_code == 403


def expect(responses: dict[str, int], persona_calls: dict[str, Any]) -> None:
    for persona, status in responses.items():
        response = persona_calls[persona]()
        assert response.status_code == status, (persona, response.content[:300])


def test_members_endpoints(personas: dict[str, Any], study: Study, lead: Any) -> None:
    nora = UserFactory(username="nora")
    url = "/api/v1/studies/study/members/"
    payload = {"username": "nora", "role": "coder", "adjudicator": True}
    for persona, status in {"coder": 403, "viewer": 403, "outsider": 404, "anonymous": 401}.items():
        response = client_for(personas.get(persona)).post(url, payload, format="json")
        assert response.status_code == status
    response = client_for(lead).post(url, payload, format="json")
    assert response.status_code == 202
    body = response.json()
    assert (body["invited_name"], body["role"], body["adjudicator"]) == ("nora", "coder", True)
    invitation = Invitation.objects.get(study=study, user=nora)
    invitation_accept(invitation=invitation, user=nora)
    member = f"{url}{nora.pk}/"
    assert (
        client_for(personas["coder"]).patch(member, {"role": "lead"}, format="json").status_code
        == 403
    )
    response = client_for(lead).patch(member, {"role": "viewer"}, format="json")
    assert response.json()["role"] == "viewer"
    bad = client_for(lead).patch(member, {"role": "emperor"}, format="json")
    assert bad.status_code == 400
    assert "role" in bad.json()["error"]["fields"]
    unknown = client_for(lead).post(url, {"username": "ghost", "role": "coder"}, format="json")
    assert unknown.status_code == 202  # the same answer as for an account that exists
    extra = client_for(lead).post(url, {**payload, "colour": "red"}, format="json")
    assert "colour" in extra.json()["error"]["fields"]
    assert client_for(lead).delete(member).status_code == 204
    assert client_for(lead).delete(member).status_code == 404
    me = f"{url}{lead.pk}/"
    last = client_for(lead).delete(me)
    assert last.status_code == 400
    assert "at least one lead" in last.json()["error"]["message"]


def test_blind_and_reveal_endpoints(personas: dict[str, Any], study: Study, lead: Any) -> None:
    blind = "/api/v1/studies/study/blind/"
    reveal = "/api/v1/studies/study/reveal/"
    assert (
        client_for(personas["coder"]).post(blind, {"blind_coding": True}, format="json").status_code
        == 403
    )
    assert client_for(personas["outsider"]).post(reveal).status_code == 404
    assert client_for(lead).post(blind, {"blind_coding": True}, format="json").json() == {
        "blind_coding": True
    }
    assert client_for(personas["viewer"]).post(reveal).status_code == 403
    assert client_for(lead).post(reveal).json() == {"blind_coding": False}
    assert client_for(lead).post(reveal).status_code == 400  # nothing to reveal now
    # The study endpoint's own switch is audited too.
    client_for(lead).patch("/api/v1/studies/study/", {"blind_coding": True}, format="json")
    assert AuditEvent.objects.filter(object_type="study", action="update").count() == 3


def test_assignment_endpoints(
    personas: dict[str, Any], study: Study, interview: Interview, lead: Any, coder: Any,
    coder2: Any,
) -> None:  # fmt: skip
    url = "/api/v1/studies/study/assignments/"
    payload = {"interviews": [interview.pk], "coders": [coder.pk, coder2.pk]}
    assert client_for(coder).post(url, payload, format="json").status_code == 403
    assert client_for(personas["outsider"]).post(url, payload, format="json").status_code == 404
    response = client_for(lead).post(url, payload, format="json")
    assert response.status_code == 201
    assert {row["coder_username"] for row in response.json()} == {"coder", "coder2"}
    assert client_for(lead).get(url).json()["count"] == 2
    assert [r["coder_username"] for r in client_for(coder).get(url).json()["results"]] == ["coder"]
    mine = Assignment.objects.get(coder=coder)
    theirs = Assignment.objects.get(coder=coder2)
    assert client_for(coder).patch(f"/api/v1/assignments/{mine.pk}/", {"done": True},
                                   format="json").json()["done"] is True  # fmt: skip
    assert client_for(coder).patch(f"/api/v1/assignments/{theirs.pk}/", {"done": True},
                                   format="json").status_code == 403  # fmt: skip
    outsider = client_for(personas["outsider"])
    done = {"done": True}
    assert (
        outsider.patch(f"/api/v1/assignments/{theirs.pk}/", done, format="json").status_code == 404
    )
    viewer_only = {"interviews": [interview.pk], "coders": [personas["viewer"].pk]}
    bad = client_for(lead).post(url, viewer_only, format="json")
    assert bad.status_code == 400
    assert "viewers do not code" in bad.json()["error"]["message"]
    withdraw = "/api/v1/studies/study/assignments/withdraw/"
    assert client_for(coder).post(withdraw, payload, format="json").status_code == 403
    assert client_for(lead).post(withdraw, payload, format="json").json() == {"withdrawn": 2}


def test_agreement_endpoints(
    study: Study, coded: Interview, viewer: Any, coder: Any, coder2: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    url = "/api/v1/studies/study/agreement/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(viewer).post(
            url, {"unit": "segment", "coders": [coder.pk, coder2.pk], "threshold": 0.5},
            format="json",
        )  # fmt: skip
    assert response.status_code == 202
    job_id = response.json()["id"]
    body = client_for(viewer).get(f"{url}{job_id}/").json()
    assert body["state"] == "succeeded"
    assert body["result"]["unit"] == "segment"
    assert body["result"]["overall"]["units"] == 4
    export = client_for(viewer).get(f"{url}{job_id}/export/?as=xlsx")
    assert export.status_code == 200
    assert export["Content-Disposition"].endswith('.xlsx"')
    bad = client_for(viewer).get(f"{url}{job_id}/export/?as=doc")
    assert bad.status_code == 400
    for payload, field in (
        ({"unit": "segment", "coders": [coder.pk]}, "coders"),
        ({"unit": "segment", "coders": [coder.pk, coder2.pk], "threshold": 2}, "threshold"),
        ({"unit": "line", "coders": [coder.pk, coder2.pk]}, "unit"),
        ({"unit": "turn", "coders": [coder.pk, coder2.pk], "scope": "dyad"}, "target"),
    ):
        response = client_for(viewer).post(url, payload, format="json")
        assert response.status_code == 400
        assert field in response.json()["error"]["fields"]
    assert client_for(viewer).get(f"{url}999999/").status_code == 404


def test_disagreements_and_adjudication_endpoints(
    personas: dict[str, Any], study: Study, coded: Interview, lead: Any, coder: Any,
    coder2: Any,
) -> None:  # fmt: skip
    url = f"/api/v1/interviews/{coded.pk}/disagreements/?a={coder.pk}&b={coder2.pk}"
    body = client_for(lead).get(url).json()
    assert (body["open"], body["settled"], body["agreed"]) == (3, 1, 1)
    everything = client_for(lead).get(url + "&status=all").json()["results"]
    agreed = next(row for row in everything if row["kind"] == "agreed")
    assert (agreed["code_key"], agreed["settled"], agreed["in_consensus"]) == (
        "ABI.NGU",
        True,
        False,
    )
    kinds = {row["code_key"]: row["kind"] for row in body["results"]}
    assert kinds == {"OUT.TRUST": "only_b", "VAL.PRES.ATT": "boundaries", "POW.EDU": "only_a"}
    att = next(row for row in body["results"] if row["code_key"] == "VAL.PRES.ATT")
    assert att["a"][0]["quote"] == "she listened to every word"
    assert att["b"][0]["quote"] == "listened to every word"
    decide = f"/api/v1/interviews/{coded.pk}/adjudications/"
    payload = {
        "code": att["code"],
        "start": att["start"],
        "end": att["end"],
        "a": coder.pk,
        "b": coder2.pk,
        "decision": "accept",
        "accepted": coder.pk,
        "note": "whole clause",
    }
    for persona, status in {"coder": 403, "viewer": 403, "outsider": 404, "anonymous": 401}.items():
        assert (
            client_for(personas.get(persona)).post(decide, payload, format="json").status_code
            == status
        )
    response = client_for(lead).post(decide, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["note"] == "whole clause"
    assert response.json()["decided_by"] == "lead"
    consensus = Coding.objects.get(layer=Layer.CONSENSUS, code_id=att["code"])
    assert consensus.quote == "she listened to every word"
    body = client_for(lead).get(url + "&status=all").json()
    assert (body["open"], body["settled"]) == (2, 2)
    agreed = next(row for row in body["results"] if row["kind"] == "agreed")
    assert agreed["in_consensus"]  # taken in with the first decision
    new = {**payload, "decision": "new", "spans": [[0, 10**6]]}
    new.pop("accepted")
    bad = client_for(lead).post(decide, new, format="json")
    assert bad.status_code == 400
    foreign = code(Study.objects.get(slug="other-study"), "VAL")
    bad = client_for(lead).post(decide, {**payload, "code": foreign.pk}, format="json")
    assert bad.status_code == 400
    assert Adjudication.objects.count() == 2  # the decision and the agreed passage
    assert len(client_for(personas["viewer"]).get(decide).json()) == 2
    complete = f"/api/v1/interviews/{coded.pk}/consensus-complete/"
    assert client_for(coder).post(complete, {"complete": True}, format="json").status_code == 403
    refused = client_for(lead).post(complete, {"complete": True}, format="json")
    assert refused.status_code == 400
    assert "confirm_open" in refused.json()["error"]["fields"]
    confirmed = {"complete": True, "confirm_open": True, "reason": "Boundaries only."}
    assert client_for(lead).post(complete, confirmed, format="json").json() == {
        "interview": coded.pk, "consensus_complete": True, "open_disagreements": 2}  # fmt: skip


def test_codebook_change_endpoints(
    personas: dict[str, Any], study: Study, coded: Interview, lead: Any, coder: Any,
    other_study: Study,
) -> None:  # fmt: skip
    trust, hope = code(study, "OUT.TRUST"), code(study, "OUT.HOPE")
    merge = f"/api/v1/codes/{trust.pk}/merge/"
    assert client_for(coder).post(merge, {"into": hope.pk}, format="json").status_code == 403
    assert (
        client_for(personas["outsider"]).post(merge, {"into": hope.pk}, format="json").status_code
        == 404
    )
    foreign = code(other_study, "VAL")
    assert client_for(lead).post(merge, {"into": foreign.pk}, format="json").status_code == 400
    body = client_for(lead).post(merge, {"into": hope.pk}, format="json").json()
    assert (body["moved"], body["duplicates"]) == (1, 0)
    attention = code(study, "VAL.PRES.ATT")
    split = f"/api/v1/codes/{attention.pk}/split/"
    children = {"children": [{"key": "ATT.EAR", "name": "Ears"}]}
    assert client_for(coder).post(split, children, format="json").status_code == 403
    response = client_for(lead).post(split, children, format="json")
    assert response.status_code == 201
    ear = response.json()[0]
    assert ear["parent"] == attention.pk
    move = "/api/v1/studies/study/codings/move/"
    ids = list(Coding.objects.filter(code=attention).values_list("pk", flat=True))
    assert (
        client_for(coder).post(move, {"codings": ids, "code": ear["id"]}, format="json").status_code
        == 403
    )
    moved = client_for(lead).post(move, {"codings": ids, "code": ear["id"]}, format="json")
    assert moved.json() == {"moved": 2, "duplicates": 0}
    versions = client_for(coder).get("/api/v1/studies/study/codebook/versions/").json()
    assert [v["number"] for v in versions] == [3, 2, 1]
    detail = client_for(coder).get("/api/v1/studies/study/codebook/versions/3/").json()
    assert [c["key"] for c in detail["diff"]["added"]] == ["ATT.EAR"]
    assert client_for(coder).get("/api/v1/studies/study/codebook/versions/9/").status_code == 404
    assert Code.objects.get(pk=trust.pk).merged_into_id == hope.pk


def test_audit_endpoint_filters_and_pages(
    study: Study, coded: Interview, lead: Any, coder: Any
) -> None:
    url = "/api/v1/studies/study/audit/"
    body = client_for(lead).get(f"{url}?object_type=coding&actor={coder.pk}").json()
    assert body["count"] == 3
    assert all(row["actor"] == "coder" for row in body["results"])
    assert body["results"][0]["after"]["quote"]
    assert client_for(lead).get(f"{url}?since=yesterday").status_code == 400
    assert client_for(lead).get(f"{url}?action=explode").status_code == 400
    assert client_for(lead).get(f"{url}?page_size=2").json()["next"]
    one = client_for(lead).get(f"/api/v1/interviews/{coded.pk}/audit/?action=create").json()
    assert one["count"] == 6  # six codings (the import is an "import")
