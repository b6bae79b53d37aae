"""De-identification pages: an interview's review page (leads and named reviewers), the study's
de-identification page (leads: statuses, names and places lists, reviewers), its terms API, the
overview's review status and the workspace's banner while coding waits for the review."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

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
from tests.factories import make_interview

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def name_reviewer(study: Study, user: Any) -> None:
    Membership.objects.filter(study=study, user=user).update(deid_reviewer=True)


def page_json(response: Any, element_id: str) -> Any:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, element_id
    return json.loads(match.group(1))


# --- The review page ----------------------------------------------------------------------------


def test_the_review_page_for_every_persona_and_a_named_reviewer(
    study: Study, interview: Interview, lead: Any, coder: Any, coder2: Any, viewer: Any,
    outsider: Any,
) -> None:  # fmt: skip
    name_reviewer(study, coder2)
    url = f"/interviews/{interview.pk}/deid/"
    assert client_for(lead).get(url).status_code == 200
    assert client_for(coder2).get(url).status_code == 200
    assert client_for(coder).get(url).status_code == 403
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    # A named reviewer reviews, but the study's lists stay the leads'.
    assert client_for(coder2).get("/studies/study/deid/").status_code == 403
    assert client_for(coder2).get("/api/v1/studies/study/deid/terms/").status_code == 403


def test_the_review_page_carries_the_text_spans_and_the_api(
    study: Study, interview: Interview, lead: Any
) -> None:
    entity = DeidEntity.objects.create(
        study=study, kind="PERSON", digest="1" * 64, replacement="Ella"
    )
    DeidSpan.objects.create(
        interview=interview, start=0, end=11, kind="PERSON", status="accepted", entity=entity
    )
    DeidSpan.objects.create(
        interview=interview, start=36, end=43, kind="PERSON", confidence=0.8, source="context"
    )
    response = client_for(lead).get(f"/interviews/{interview.pk}/deid/")
    body = response.content.decode()
    config = page_json(response, "dp-config")
    assert config["urls"]["apply"] == f"/api/v1/interviews/{interview.pk}/deid/apply/"
    assert config["writable"] is True
    assert [k["value"] for k in config["kinds"]][:2] == ["PERSON", "LOCATION"]
    assert page_json(response, "dp-text") == interview.text
    review = page_json(response, "dp-review")
    assert [(s["start"], s["status"]) for s in review["spans"]] == [
        (0, "accepted"),
        (36, "proposed"),
    ]
    assert review["entities"] == [{"id": entity.pk, "kind": "PERSON", "replacement": "Ella"}]
    # The keys are documented on the page, and apply is confirmed with what it does.
    assert "accept every occurrence of these words in the study" in body
    assert "The original text is destroyed" in body
    assert 'src="/static/js/deid/review.js"' in body
    assert "<script>" not in body  # strict CSP: data only in application/json blocks
    # The read is audited like the transcript's.
    assert AuditEvent.objects.filter(
        object_type="interview", action="view", after__what="de-identification review"
    ).exists()


def test_the_confirmation_says_the_original_is_kept_when_the_study_keeps_it(
    study: Study, interview: Interview, lead: Any
) -> None:
    Study.objects.filter(pk=study.pk).update(deid_keep_original=True)
    body = client_for(lead).get(f"/interviews/{interview.pk}/deid/").content.decode()
    assert "The original text is kept" in body
    assert "destroyed" not in body


def test_a_complete_or_archived_review_is_read_only(
    study: Study, interview: Interview, lead: Any
) -> None:
    Interview.objects.filter(pk=interview.pk).update(deid_status=DeidStatus.COMPLETE)
    response = client_for(lead).get(f"/interviews/{interview.pk}/deid/")
    assert page_json(response, "dp-config")["writable"] is False
    assert 'id="dp-apply-open"' not in response.content.decode()
    Interview.objects.filter(pk=interview.pk).update(deid_status=DeidStatus.IN_REVIEW)
    Study.objects.filter(pk=study.pk).update(archived=True)
    response = client_for(lead).get(f"/interviews/{interview.pk}/deid/")
    assert response.status_code == 200
    assert page_json(response, "dp-config")["writable"] is False


def test_the_review_page_costs_the_same_few_queries_with_many_spans(
    study: Study, interview: Interview, lead: Any, django_assert_num_queries: Any
) -> None:
    entity = DeidEntity.objects.create(
        study=study, kind="PERSON", digest="2" * 64, replacement="Ella"
    )
    DeidSpan.objects.bulk_create(
        DeidSpan(
            interview=interview, start=i, end=i + 1, kind="PERSON", status="accepted", entity=entity
        )
        for i in range(0, 100, 2)
    )
    client = client_for(lead)
    # session, user, the interview with access, may review, the spans, their entities, the
    # counts by status, the view's audit record
    with django_assert_num_queries(8):
        assert client.get(f"/interviews/{interview.pk}/deid/").status_code == 200


# --- The study's de-identification page ---------------------------------------------------------


def test_the_study_page_lists_each_interviews_review(
    study: Study, interview: Interview, lead: Any
) -> None:
    other = make_interview(study=study, dyad="D02", by=lead)
    DeidSpan.objects.create(interview=interview, start=0, end=11, kind="PERSON")
    Interview.objects.filter(pk=interview.pk).update(deid_status=DeidStatus.IN_REVIEW)
    Interview.objects.filter(pk=other.pk).update(deid_status=DeidStatus.COMPLETE)
    body = client_for(lead).get("/studies/study/deid/").content.decode()
    assert f'href="/interviews/{interview.pk}/deid/"' in body
    assert "in review" in body
    assert "complete" in body
    assert 'aria-current="page">De-identification</a>' in body


def test_the_lead_edits_the_lists_and_the_audit_trail_holds_no_name(
    study: Study, lead: Any
) -> None:
    client = client_for(lead)
    answer = client.post(
        "/studies/study/deid/",
        {"action": "add-terms", "list": "names", "texts": "Evelyn Shaw\n  evelyn  \n\nEvelyn Shaw"},
    )
    assert answer.status_code == 302
    assert sorted(DeidTerm.objects.filter(study=study).values_list("text", flat=True)) == [
        "Evelyn Shaw", "evelyn",
    ]  # fmt: skip
    term = DeidTerm.objects.get(text="evelyn")
    assert (
        client.post("/studies/study/deid/", {"action": "remove-term", "term": term.pk}).status_code
        == 302
    )
    assert not DeidTerm.objects.filter(pk=term.pk).exists()
    events = AuditEvent.objects.filter(object_type="deid_terms")
    assert [e.action for e in events.order_by("id")] == ["create", "delete"]
    dump = json.dumps([[e.summary, e.before, e.after, e.object_id] for e in events])
    assert "velyn" not in dump
    assert events.order_by("id")[0].after == {"list": "names", "added": 2, "total": 2}
    # Bad input: a clear 400, nothing changed.
    refused = client.post(
        "/studies/study/deid/", {"action": "add-terms", "list": "towns", "texts": "X"}
    )
    assert refused.status_code == 400
    assert "Use names or places." in refused.content.decode()
    refused = client.post(
        "/studies/study/deid/", {"action": "add-terms", "list": "names", "texts": " "}
    )
    assert refused.status_code == 400
    assert (
        client.post("/studies/study/deid/", {"action": "remove-term", "term": "x"}).status_code
        == 400
    )
    assert DeidTerm.objects.filter(study=study).count() == 1


def test_the_lead_names_a_reviewer_audited(study: Study, lead: Any, coder: Any) -> None:
    membership = Membership.objects.get(study=study, user=coder)
    client = client_for(lead)
    answer = client.post(
        "/studies/study/deid/",
        {"action": "reviewer", "membership": membership.pk, "reviewer": "on"},
    )
    assert answer.status_code == 302
    membership.refresh_from_db()
    assert membership.deid_reviewer
    event = AuditEvent.objects.get(object_type="membership", after__deid_reviewer=True)
    assert event.before == {"deid_reviewer": False}
    assert (
        client_for(coder)
        .get(f"/interviews/{make_interview(study=study, dyad='D09').pk}/deid/")
        .status_code
        == 200
    )
    client.post("/studies/study/deid/", {"action": "reviewer", "membership": membership.pk})
    membership.refresh_from_db()
    assert not membership.deid_reviewer
    lead_membership = Membership.objects.get(study=study, user=lead)
    refused = client.post(
        "/studies/study/deid/",
        {"action": "reviewer", "membership": lead_membership.pk, "reviewer": "on"},
    )
    assert refused.status_code == 400
    assert "Leads always review" in refused.content.decode()


def test_members_below_lead_may_not_post_and_archived_refuses(
    study: Study, lead: Any, coder: Any
) -> None:
    assert (
        client_for(coder)
        .post("/studies/study/deid/", {"action": "add-terms", "list": "names", "texts": "X"})
        .status_code
        == 403
    )
    Study.objects.filter(pk=study.pk).update(archived=True)
    client = client_for(lead)
    assert client.get("/studies/study/deid/").status_code == 200
    assert (
        client.post(
            "/studies/study/deid/", {"action": "add-terms", "list": "names", "texts": "X"}
        ).status_code
        == 403
    )
    assert not DeidTerm.objects.exists()


# --- The terms API ------------------------------------------------------------------------------


def test_the_terms_api(study: Study, lead: Any) -> None:
    api = APIClient()
    api.force_authenticate(lead)
    added = api.post(
        "/api/v1/studies/study/deid/terms/",
        {"list": "places", "texts": ["Millbrook", " Oak  Street Clinic ", "Millbrook"]},
        format="json",
    )
    assert added.status_code == 201
    assert sorted(t["text"] for t in added.json()) == ["Millbrook", "Oak Street Clinic"]
    listed = api.get("/api/v1/studies/study/deid/terms/").json()
    assert [(t["list"], t["text"]) for t in listed] == [
        ("places", "Millbrook"),
        ("places", "Oak Street Clinic"),
    ]
    assert api.delete(f"/api/v1/studies/study/deid/terms/{listed[0]['id']}/").status_code == 204
    assert api.delete(f"/api/v1/studies/study/deid/terms/{listed[0]['id']}/").status_code == 404
    for bad in ({"list": "towns", "texts": ["X"]}, {"list": "names", "texts": []},
                {"list": "names", "texts": ["   "]}, {"list": "names", "texts": ["x" * 201]},
                {"list": "names", "texts": "Evelyn"}):  # fmt: skip
        answer = api.post("/api/v1/studies/study/deid/terms/", bad, format="json")
        assert answer.status_code == 400, bad
        assert answer.json()["error"]["message"]
    assert DeidTerm.objects.filter(study=study).count() == 1
    dump = json.dumps(
        list(AuditEvent.objects.filter(object_type="deid_terms").values("summary", "after"))
    )
    assert "Millbrook" not in dump
    assert "Oak Street" not in dump


def test_the_lists_reach_the_detector(study: Study, interview: Interview, lead: Any) -> None:
    api = APIClient()
    api.force_authenticate(lead)
    api.post(
        "/api/v1/studies/study/deid/terms/", {"list": "names", "texts": ["Maria"]}, format="json"
    )
    api.post(f"/api/v1/interviews/{interview.pk}/deid/propose/")
    words = {interview.text[s.start : s.end] for s in DeidSpan.objects.filter(interview=interview)}
    assert "Maria" in words


# --- The overview and the workspace -------------------------------------------------------------


def test_the_overview_shows_each_review_when_the_study_requires_it(
    study: Study, interview: Interview, lead: Any, coder: Any, coder2: Any
) -> None:
    link = f'href="/interviews/{interview.pk}/deid/"'
    assert "De-identification</th>" not in client_for(lead).get("/studies/study/").content.decode()
    Study.objects.filter(pk=study.pk).update(deid_required=True)
    body = client_for(lead).get("/studies/study/").content.decode()
    assert "De-identification</th>" in body
    assert "not reviewed" in body
    assert link in body
    coder_page = client_for(coder).get("/studies/study/").content.decode()
    assert "not reviewed" in coder_page
    assert link not in coder_page
    name_reviewer(study, coder2)
    Interview.objects.filter(pk=interview.pk).update(deid_status=DeidStatus.IN_REVIEW)
    reviewer_page = client_for(coder2).get("/studies/study/").content.decode()
    assert "in review" in reviewer_page
    assert link in reviewer_page


def test_the_workspace_refuses_coding_with_a_banner_until_the_review_is_complete(
    study: Study, interview: Interview, lead: Any, coder: Any
) -> None:
    Study.objects.filter(pk=study.pk).update(deid_required=True)
    page = client_for(coder).get(f"/interviews/{interview.pk}/").content.decode()
    assert "Coding waits for de-identification." in page
    assert f'href="/interviews/{interview.pk}/deid/"' not in page
    assert (
        f'href="/interviews/{interview.pk}/deid/"'
        in client_for(lead).get(f"/interviews/{interview.pk}/").content.decode()
    )
    payload = (
        client_for(coder).get(f"/api/v1/interviews/{interview.pk}/workspace/?layer=mine").json()
    )
    assert payload["permissions"]["awaits_deid"] is True
    assert payload["permissions"]["writes_to"] is None
    Interview.objects.filter(pk=interview.pk).update(deid_status=DeidStatus.COMPLETE)
    assert (
        "Coding waits" not in client_for(coder).get(f"/interviews/{interview.pk}/").content.decode()
    )
    payload = (
        client_for(coder).get(f"/api/v1/interviews/{interview.pk}/workspace/?layer=mine").json()
    )
    assert payload["permissions"]["writes_to"] == "individual"
