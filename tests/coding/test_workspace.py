"""The interview workspace: the page for every persona, its data (the workspace JSON), the fast
create path the page codes through, CSRF on the page's writes, and pinned query counts."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from coding.codings_api import CodingSerializer
from coding.models import Coding
from coding.services import CodingInput, code_update, codings_bulk_create, memo_create
from healing.audit.models import AuditEvent
from interviews.models import Interview, Study
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db

MEMBERS = ["lead", "coder", "coder2", "viewer"]
EVIL = (
    "Interviewer: <script>alert('x')</script>?\n"
    '<img src=x onerror=alert(1)>: <a href="javascript:alert(2)">click</a>\n'
    "<img src=x onerror=alert(1)>: again\n"
)


def browser_for(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def api_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def config_of(body: str) -> dict[str, Any]:
    match = re.search(
        r'<script id="workspace-config" type="application/json">(.*?)</script>', body, re.S
    )
    assert match, "the page hands its data to the script in a json_script block"
    return json.loads(match.group(1))


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", MEMBERS)
def test_members_open_the_workspace(
    personas: dict[str, Any], interview: Interview, persona: str
) -> None:
    response = browser_for(personas[persona]).get(f"/interviews/{interview.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    config = config_of(body)
    assert config["interview"] == interview.pk
    assert config["urls"]["workspace"] == f"/api/v1/interviews/{interview.pk}/workspace/"
    assert config["urls"]["changes"] == f"/api/v1/interviews/{interview.pk}/changes/"
    assert config["role"] == ("lead" if persona == "lead" else persona.rstrip("2"))
    # Viewers have no codings of their own: they open everyone's.
    assert config["layer"]["name"] == ("all" if persona == "viewer" else "mine")
    assert "js/workspace.js" in body
    assert f'href="/interviews/{interview.pk}/transcript/"' in body  # Read / print
    assert f'href="/interviews/{interview.pk}/disagreements/"' in body
    assert "csrftoken" in response.cookies


def test_blind_coders_get_no_link_to_the_disagreements(
    personas: dict[str, Any], interview: Interview, study: Study
) -> None:
    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    body = browser_for(personas["coder"]).get(f"/interviews/{interview.pk}/").content.decode()
    assert "/disagreements/" not in body
    lead_body = browser_for(personas["lead"]).get(f"/interviews/{interview.pk}/").content.decode()
    assert f'href="/interviews/{interview.pk}/disagreements/"' in lead_body


def test_outsider_gets_404_and_anonymous_is_sent_to_log_in(
    personas: dict[str, Any], interview: Interview, other_study: Study
) -> None:
    assert browser_for(personas["outsider"]).get(f"/interviews/{interview.pk}/").status_code == 404
    assert browser_for(personas["coder"]).get("/interviews/999999/").status_code == 404
    response = browser_for(None).get(f"/interviews/{interview.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_layer_in_the_address_is_handed_to_the_script(
    personas: dict[str, Any], interview: Interview, coder2: Any
) -> None:
    body = (
        browser_for(personas["lead"])
        .get(f"/interviews/{interview.pk}/?layer=coder&coder={coder2.pk}")
        .content.decode()
    )
    assert config_of(body)["layer"] == {"name": "coder", "coder": str(coder2.pk)}


def test_names_in_the_page_are_escaped(study: Study, coder: Any) -> None:
    interview = make_interview(study=study, text=EVIL, dyad="<b>D9</b><script>x()</script>")
    body = browser_for(coder).get(f"/interviews/{interview.pk}/").content.decode()
    assert "<b>D9</b>" not in body
    assert "<script>x()</script>" not in body
    assert "&lt;b&gt;D9&lt;/b&gt;&lt;script&gt;x()&lt;/script&gt;" in body
    config_of(body)


def test_study_overview_and_dyad_page_open_interviews_in_the_workspace(
    interview: Interview, coder: Any
) -> None:
    client = browser_for(coder)
    for url in ["/studies/study/", f"/dyads/{interview.dyad_id}/"]:
        body = client.get(url).content.decode()
        assert f'href="/interviews/{interview.pk}/"' in body, url
        assert f'href="/interviews/{interview.pk}/transcript/"' in body, url
    transcript = client.get(f"/interviews/{interview.pk}/transcript/").content.decode()
    assert f'href="/interviews/{interview.pk}/"' in transcript


def _queries(client: Client, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_page_and_api_query_counts_do_not_grow_with_codings(
    interview: Interview, coder: Any, coder2: Any, study: Study
) -> None:
    client = browser_for(coder)
    page = f"/interviews/{interview.pk}/"
    workspace = f"/api/v1/interviews/{interview.pk}/workspace/?layer=all"
    changes = f"/api/v1/interviews/{interview.pk}/changes/?layer=all&since=0"
    before = {url: _queries(client, url)[0] for url in (page, workspace, changes)}
    val, hope = code(study, "VAL").pk, code(study, "OUT.HOPE").pk
    for who in (coder, coder2):
        codings_bulk_create(
            interview=interview,
            coder=who,
            items=[CodingInput(val if i % 2 else hope, i, i + 7) for i in range(40)],
        )
    memo_create(study=study, author=coder, body="A memo", interview=interview)
    after = {url: _queries(client, url)[0] for url in (page, workspace, changes)}
    assert after[page] == before[page] == 3  # session, user, interview + access
    # session, user, interview + access, the read's audit record, turns, coders, codings,
    # codebook, memos, cursor
    assert after[workspace] == before[workspace] == 10
    # session, user, interview + access, change events, changed codings (only when some changed)
    assert before[changes] == 4
    assert after[changes] == 5


# --- the workspace JSON -------------------------------------------------------------------------


def test_workspace_json_carries_the_codebook_and_the_interviews_memos(
    interview: Interview, coder: Any, lead: Any, study: Study
) -> None:
    memo_create(
        study=study, author=lead, title="First read", body="Trust <b>early</b>", interview=interview
    )
    memo_create(study=study, author=lead, body="On the dyad, not here", dyad=interview.dyad)
    payload = api_for(coder).get(f"/api/v1/interviews/{interview.pk}/workspace/").json()
    codes = payload["codebook"]["codes"]
    assert payload["codebook"]["version"] == study.codebook.version
    assert [c["key"] for c in codes][:3] == ["VAL", "VAL.NJ", "VAL.CON"]
    val_nj = next(c for c in codes if c["key"] == "VAL.NJ")
    assert val_nj["parent"] == code(study, "VAL").pk
    assert set(val_nj) >= {"definition", "inclusion", "exclusion", "example", "color", "group"}
    assert [m["title"] for m in payload["memos"]] == ["First read"]
    assert payload["memos"][0]["body"] == "Trust <b>early</b>"  # data, escaped by the page
    assert payload["memos"][0]["author_name"] == "Lena Ortiz"


def test_all_coders_layer_writes_to_the_coders_own_layer(
    interview: Interview, coder: Any, viewer: Any, lead: Any
) -> None:
    url = f"/api/v1/interviews/{interview.pk}/workspace/?layer=all"
    assert api_for(coder).get(url).json()["permissions"]["writes_to"] == "individual"
    assert api_for(viewer).get(url).json()["permissions"]["writes_to"] is None
    consensus = f"/api/v1/interviews/{interview.pk}/workspace/?layer=consensus"
    assert api_for(lead).get(consensus).json()["permissions"]["writes_to"] == "consensus"
    assert api_for(coder).get(consensus).json()["permissions"]["writes_to"] is None


# --- creating one coding (the page's hot path) --------------------------------------------------


def test_created_coding_body_equals_the_coding_serializer(
    interview: Interview, coder: Any, study: Study
) -> None:
    start = interview.text.index("We met")
    response = api_for(coder).post(
        "/api/v1/codings/",
        {
            "interview": interview.pk,
            "code": code(study, "VAL").pk,
            "start": start,
            "end": start + 6,
        },
        format="json",
    )
    assert response.status_code == 201
    coding = Coding.objects.select_related("interview__dyad__study", "code", "coder").get()
    assert response.json() == json.loads(json.dumps(CodingSerializer(coding).data))
    assert coding.quote == "We met"
    event = AuditEvent.objects.get(object_type="coding", action="create")
    assert event.object_id == str(coding.pk)
    assert event.after["quote"] == "We met"


def test_the_quote_is_cut_in_code_points_after_an_emoji(study: Study, coder: Any) -> None:
    text = "Maria: 🙂🙂 then é and n\u0308 ok, 👩‍⚕️ said \U0001d11e yes\n"
    interview = make_interview(study=study, text=text)
    for words in ["then é", "n\u0308 ok", "👩‍⚕️ said", "\U0001d11e yes"]:
        start = interview.text.index(words)
        response = api_for(coder).post(
            "/api/v1/codings/",
            {
                "interview": interview.pk,
                "code_key": "VAL",
                "start": start,
                "end": start + len(words),
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        assert response.json()["quote"] == words


def test_create_queries_are_few(interview: Interview, coder: Any, study: Study) -> None:
    payload = {"interview": interview.pk, "code": code(study, "VAL").pk, "start": 0, "end": 5}
    with CaptureQueriesContext(connection) as captured:
        response = api_for(coder).post("/api/v1/codings/", payload, format="json")
    assert response.status_code == 201
    statements = [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))
    ]
    # the target (interview, access, code, quote); then on PostgreSQL one statement inserts the
    # coding and its audit event, elsewhere two do
    assert len(statements) == (2 if connection.vendor == "postgresql" else 3), statements
    coding = Coding.objects.get()
    event = AuditEvent.objects.get(object_type="coding", action="create")
    assert event.object_id == str(coding.pk)
    assert event.actor_id == coder.pk
    assert event.interview_id == interview.pk
    assert event.after["start"] == 0
    assert event.after["quote"] == interview.text[0:5]


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"start": 5, "end": 99_999}, "end", "past the end of the text"),
        ({"start": 10**15, "end": 10**15 + 3}, "start", "past the end of the text"),
        ({"start": 9, "end": 3}, "end", "must be after start"),
        ({"start": -2, "end": 3}, "start", "before the beginning"),
        ({"start": 0, "end": 3, "code_key": "NOPE"}, "code_key", "No code 'NOPE'"),
        ({"start": 0, "end": 3, "code": 10**18}, "code", "not in this study's codebook"),
        ({"start": 0, "end": 3, "code": 10**19}, "code", "nothing with this id"),
        ({"start": 0, "end": 3, "code": -5}, "code", "nothing with this id"),
        ({"start": 0, "end": 3, "code_key": None, "code": None}, "code", "Give code"),
        ({"start": 0, "end": 3, "code_key": "HEAL"}, "code", "inactive"),
    ],
)
def test_bad_input_to_create_is_a_400_and_changes_nothing(
    interview: Interview, coder: Any, payload: dict[str, Any], field: str, words: str
) -> None:
    body = {"interview": interview.pk, "code_key": "VAL", **payload}
    body = {k: v for k, v in body.items() if v is not None}
    response = api_for(coder).post("/api/v1/codings/", body, format="json")
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert field in error["fields"]
    assert words in error["message"]
    assert not Coding.objects.exists()
    assert not AuditEvent.objects.filter(object_type="coding").exists()


def test_create_refuses_outsiders_viewers_and_other_studies(
    interview: Interview, viewer: Any, outsider: Any, coder: Any, other_study: Study
) -> None:
    payload = {"interview": interview.pk, "code_key": "VAL", "start": 0, "end": 4}
    assert api_for(outsider).post("/api/v1/codings/", payload, format="json").status_code == 404
    assert api_for(viewer).post("/api/v1/codings/", payload, format="json").status_code == 403
    for interview_id in (10**19, -1, 0):
        response = api_for(coder).post(
            "/api/v1/codings/", {**payload, "interview": interview_id}, format="json"
        )
        assert response.status_code in (400, 404)
    foreign = make_interview(study=other_study)
    foreign_payload = {**payload, "interview": foreign.pk}
    assert (
        api_for(coder).post("/api/v1/codings/", foreign_payload, format="json").status_code == 404
    )
    assert not Coding.objects.exists()


def test_the_same_coding_twice_is_refused(interview: Interview, coder: Any) -> None:
    payload = {"interview": interview.pk, "code_key": "VAL", "start": 0, "end": 4}
    assert api_for(coder).post("/api/v1/codings/", payload, format="json").status_code == 201
    again = api_for(coder).post("/api/v1/codings/", payload, format="json")
    assert again.status_code == 400
    assert "exactly this span" in again.json()["error"]["message"]
    assert Coding.objects.count() == 1


def test_code_names_reach_the_page_as_data(
    interview: Interview, coder: Any, lead: Any, study: Study
) -> None:
    code_update(code=code(study, "VAL"), actor=lead, name="<img src=x onerror=alert(1)>")
    payload = api_for(coder).get(f"/api/v1/interviews/{interview.pk}/workspace/").json()
    assert payload["codebook"]["codes"][0]["name"] == "<img src=x onerror=alert(1)>"


# --- CSRF on the page's writes ------------------------------------------------------------------


def test_session_writes_need_the_csrf_token(interview: Interview, coder: Any) -> None:
    client = browser_for(coder, enforce_csrf_checks=True)
    page = client.get(f"/interviews/{interview.pk}/")
    token = page.cookies["csrftoken"].value
    payload = json.dumps({"interview": interview.pk, "code_key": "VAL", "start": 0, "end": 4})
    refused = client.post("/api/v1/codings/", payload, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]
    assert not Coding.objects.exists()
    accepted = client.post(
        "/api/v1/codings/", payload, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201
    coding_id = accepted.json()["id"]
    assert client.delete(f"/api/v1/codings/{coding_id}/").status_code == 403
    assert client.delete(f"/api/v1/codings/{coding_id}/", HTTP_X_CSRFTOKEN=token).status_code == 204


def test_reading_a_transcript_is_audited_once_per_view_never_per_poll(
    interview: Interview, coder: Any, study: Study
) -> None:
    """Finding 8: who viewed which interview, when. The workspace's load, the printable
    transcript and the API's interview each leave one record; the polls of changes none."""
    browser = browser_for(coder)
    api = api_for(coder)
    views = AuditEvent.objects.filter(action="view", interview=interview, actor=coder)
    assert browser.get(f"/interviews/{interview.pk}/").status_code == 200
    assert api.get(f"/api/v1/interviews/{interview.pk}/workspace/").status_code == 200
    assert views.count() == 1
    for _ in range(5):
        api.get(f"/api/v1/interviews/{interview.pk}/changes/?since=0")
    assert views.count() == 1
    browser.get(f"/interviews/{interview.pk}/transcript/")
    api.get(f"/api/v1/interviews/{interview.pk}/")
    assert [e.after["what"] for e in views.order_by("id")] == [
        "workspace",
        "printable transcript",
        "transcript (API)",
    ]
    assert {e.study_id for e in views} == {study.pk}
