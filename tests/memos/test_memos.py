"""Memos as a research tool: the memo type (model, service, API), the filters shared by the
Memos tab and the API, the Memos tab's access, filters, escaping and query count, blind coding
through the filters, and memos on the dyad and codebook pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from coding.models import Memo
from coding.services import CodingInput, codings_bulk_create, memo_create, memo_update
from healing.audit.models import AuditEvent
from interviews.models import Interview, Study
from tests.factories import code

pytestmark = pytest.mark.django_db

PERSONAS = ["lead", "coder", "coder2", "viewer", "outsider", "anonymous"]
XSS = '<script>alert("memo")</script><img src=x onerror=alert(1)>'


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def memos(
    study: Study, interview: Interview, lead: Any, coder: Any, coder2: Any
) -> dict[str, Memo]:
    """One memo of each kind; coder2's coding memo is what a blinded coder must not see."""
    val = code(study, "VAL")
    hope = code(study, "OUT.HOPE")
    coding_a = codings_bulk_create(
        interview=interview, coder=coder, items=[CodingInput(hope.pk, 0, 11)]
    )[0]
    coding_b = codings_bulk_create(
        interview=interview, coder=coder2, items=[CodingInput(hope.pk, 0, 11)]
    )[0]
    return {
        "study": memo_create(
            study=study, author=lead, title="Plan", body="Study-wide plan.", type="methodological"
        ),
        "dyad": memo_create(
            study=study, author=coder, body="Dyad thought.", dyad=interview.dyad, type="case_note"
        ),
        "interview": memo_create(
            study=study, author=coder, body="Interview thought.", interview=interview
        ),
        "code": memo_create(
            study=study, author=lead, body="When VAL applies.", code=val, type="reflexive"
        ),
        "coding_a": memo_create(study=study, author=coder, body="My hope coding.", coding=coding_a),
        "coding_b": memo_create(
            study=study, author=coder2, body="B-SECRET hope coding.", coding=coding_b
        ),
    }


# --- Model and service --------------------------------------------------------------------------


def test_memo_type_defaults_to_analytic_and_is_audited(study: Study, coder: Any) -> None:
    memo = memo_create(study=study, author=coder, body="A thought.")
    assert memo.type == "analytic"
    event = AuditEvent.objects.get(object_type="memo", object_id=str(memo.pk), action="create")
    assert event.after["type"] == "analytic"
    memo_update(memo=memo, actor=coder, type="reflexive")
    memo.refresh_from_db()
    assert memo.type == "reflexive"
    update = AuditEvent.objects.get(object_type="memo", object_id=str(memo.pk), action="update")
    assert update.before["type"] == "analytic"
    assert update.after["type"] == "reflexive"


def test_a_bad_memo_type_is_refused_naming_it(study: Study, coder: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        memo_create(study=study, author=coder, body="A thought.", type="hunch")
    assert "type" in refused.value.message_dict
    assert not Memo.objects.exists()
    memo = memo_create(study=study, author=coder, body="A thought.")
    with pytest.raises(ValidationError):
        memo_update(memo=memo, actor=coder, type="hunch")
    memo.refresh_from_db()
    assert memo.type == "analytic"


def test_the_database_refuses_a_bad_memo_type(study: Study, coder: Any) -> None:
    memo = memo_create(study=study, author=coder, body="A thought.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Memo.objects.filter(pk=memo.pk).update(type="hunch")


# --- API ----------------------------------------------------------------------------------------


def test_api_writes_reads_and_changes_the_type(study: Study, coder: Any) -> None:
    api = api_for(coder)
    made = api.post(
        "/api/v1/memos/",
        {"study": "study", "body": "On method.", "type": "methodological"},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["type"] == "methodological"
    default = api.post("/api/v1/memos/", {"study": "study", "body": "Plain."}, format="json")
    assert default.json()["type"] == "analytic"
    changed = api.patch(f"/api/v1/memos/{made.json()['id']}/", {"type": "other"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["type"] == "other"
    bad = api.post(
        "/api/v1/memos/", {"study": "study", "body": "x", "type": "hunch"}, format="json"
    )
    assert bad.status_code == 400
    assert "type" in bad.json()["error"]["fields"]
    assert Memo.objects.count() == 2


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_api_filters_each_narrow(
    study: Study, interview: Interview, lead: Any, coder: Any, memos: dict[str, Memo]
) -> None:
    api = api_for(lead)
    base = "/api/v1/memos/?study=study"
    assert ids(api.get(f"{base}&type=case_note")) == {memos["dyad"].pk}
    assert ids(api.get(f"{base}&target=study")) == {memos["study"].pk}
    assert ids(api.get(f"{base}&target=coding")) == {memos["coding_a"].pk, memos["coding_b"].pk}
    assert ids(api.get(f"{base}&target=code")) == {memos["code"].pk}
    assert ids(api.get(f"{base}&author=coder")) == {
        memos["dyad"].pk,
        memos["interview"].pk,
        memos["coding_a"].pk,
    }
    hope = code(study, "OUT.HOPE").pk
    assert ids(api.get(f"{base}&code={hope}")) == {memos["coding_a"].pk, memos["coding_b"].pk}
    assert ids(api.get(f"{base}&code={code(study, 'VAL').pk}")) == {memos["code"].pk}
    assert ids(api.get(f"{base}&q=PLAN")) == {memos["study"].pk}  # title, any case
    assert ids(api.get(f"{base}&q=interview thought")) == {memos["interview"].pk}
    today = dt.date.today().isoformat()
    assert len(ids(api.get(f"{base}&since={today}&until={today}"))) == 6
    assert ids(api.get(f"{base}&until=2000-01-01")) == set()
    assert ids(api.get(f"{base}&dyad={interview.dyad_id}")) == {memos["dyad"].pk}
    for bad in ("type=hunch", "target=person", "since=yesterday", "until=2026-13-01"):
        refused = api.get(f"{base}&{bad}")
        assert refused.status_code == 400, bad
        assert bad.split("=")[0] in refused.json()["error"]["fields"]


def test_a_blinded_coder_finds_no_other_coders_memo_through_the_filters(
    study: Study, coder: Any, memos: dict[str, Memo]
) -> None:
    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    api = api_for(coder)
    hope = code(study, "OUT.HOPE").pk
    for query in (
        f"code={hope}",
        "target=coding",
        "q=hope coding",
        "author=coder2",
        "type=analytic",
        "",
    ):
        response = api.get(f"/api/v1/memos/?{query}")
        if response.status_code == 400:  # coder2 as an author filter: refused, also fine
            continue
        assert memos["coding_b"].pk not in ids(response), query
        assert b"B-SECRET" not in response.content
    # The page too.
    for query in (
        f"code={hope}",
        "target=coding",
        "q=hope+coding",
        f"author={memos['coding_b'].author_id}",
    ):
        page = client_for(coder).get(f"/studies/study/memos/?{query}")
        assert page.status_code == 200
        assert b"B-SECRET" not in page.content
        assert b"Ben Clarke" not in page.content


# --- The Memos tab ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_memos_tab_access(
    persona: str, personas: dict[str, Any], study: Study, memos: dict[str, Memo]
) -> None:
    user = personas.get(persona)
    response = client_for(user).get("/studies/study/memos/")
    expected = {"outsider": 404, "anonymous": 302}.get(persona, 200)
    assert response.status_code == expected
    if persona == "anonymous":
        assert "/login" in response["Location"]
    if expected == 200:
        html = response.content.decode()
        assert "Study-wide plan." in html
        assert 'aria-current="page">Memos</a>' in html
        # Viewers read; coders and leads get the form to write a study memo.
        assert ('data-kind="study"' in html) == (persona != "viewer")


def test_memos_tab_filters_and_links(
    study: Study, interview: Interview, lead: Any, memos: dict[str, Memo]
) -> None:
    client = client_for(lead)

    def shown(query: str) -> set[int]:
        response = client.get(f"/studies/study/memos/?{query}")
        assert response.status_code == 200
        return {memo.pk for memo in response.context["page"].object_list}

    assert len(shown("")) == 6
    assert shown("type=reflexive") == {memos["code"].pk}
    assert shown("target=dyad") == {memos["dyad"].pk}
    assert shown(f"interview={interview.pk}") == {memos["interview"].pk}
    assert shown(f"author={lead.pk}") == {memos["study"].pk, memos["code"].pk}
    assert shown(f"code={code(study, 'OUT.HOPE').pk}") == {
        memos["coding_a"].pk,
        memos["coding_b"].pk,
    }
    assert shown("q=when val") == {memos["code"].pk}
    assert shown("since=2000-01-01&until=2000-12-31") == set()
    assert shown("type=case_note&target=study") == set()
    html = client.get("/studies/study/memos/").content.decode()
    assert f'href="/dyads/{interview.dyad_id}/"' in html
    assert f'href="/interviews/{interview.pk}/"' in html
    assert f'href="/interviews/{interview.pk}/#coding-{memos["coding_a"].coding_id}"' in html
    assert f'href="/studies/study/codebook/#code-{memos["code"].code_id}"' in html


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("since=31-12-2026", "since"),
        ("until=tomorrow", "until"),
        ("type=hunch", "type"),
        ("target=person", "target"),
        ("code=abc", "code"),
        ("since=2026-02-01&until=2026-01-01", "until"),
    ],
)
def test_memos_tab_bad_filter_is_a_message_not_an_error(
    lead: Any, study: Study, memos: dict[str, Memo], query: str, named: str
) -> None:
    response = client_for(lead).get(f"/studies/study/memos/?{query}")
    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    assert any(text.startswith(f"{named}:") for text in texts), texts


def test_memos_tab_escapes_what_people_wrote(study: Study, coder: Any, lead: Any) -> None:
    memo_create(study=study, author=coder, title=XSS, body=XSS)
    html = client_for(lead).get("/studies/study/memos/").content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert" in html


def test_memos_tab_query_count_does_not_grow(
    study: Study, interview: Interview, lead: Any, coder: Any, memos: dict[str, Memo]
) -> None:
    client = client_for(lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/studies/study/memos/").status_code == 200
        return len(captured.captured_queries)

    few = count()
    coding = codings_bulk_create(
        interview=interview, coder=coder, items=[CodingInput(code(study, "VAL").pk, 0, 5)]
    )[0]
    for n in range(8):
        memo_create(study=study, author=coder, body=f"More {n}.", dyad=interview.dyad)
        memo_create(study=study, author=lead, body=f"On coding {n}.", coding=coding)
        memo_create(study=study, author=lead, body=f"On code {n}.", code=code(study, "VAL"))
        memo_create(study=study, author=coder, body=f"On interview {n}.", interview=interview)
    # Session and user, the study and membership, the messages, the page of memos and its count,
    # and the option lists (dyads, interviews, codes, authors): the same for 6 memos or 38.
    assert count() == few


def test_memos_tab_pages_by_fifty(study: Study, coder: Any, lead: Any) -> None:
    Memo.objects.bulk_create(Memo(study=study, author=coder, body=f"Memo {n}.") for n in range(55))
    first = client_for(lead).get("/studies/study/memos/")
    assert len(first.context["page"].object_list) == 50
    second = client_for(lead).get("/studies/study/memos/?type=analytic&page=2")
    assert len(second.context["page"].object_list) == 5
    assert b"type=analytic&amp;page=1" in second.content


# --- Memos where they are shown -----------------------------------------------------------------


def test_dyad_and_codebook_pages_show_memos_and_the_form(
    study: Study, interview: Interview, lead: Any, viewer: Any, memos: dict[str, Memo]
) -> None:
    dyad = client_for(lead).get(f"/dyads/{interview.dyad_id}/").content.decode()
    assert "Dyad thought." in dyad
    assert 'data-kind="dyad"' in dyad
    assert "js/memos.js" in dyad
    codebook = client_for(lead).get("/studies/study/codebook/").content.decode()
    assert "When VAL applies." in codebook
    assert f'data-kind="code" data-target="{code(study, "VAL").pk}"' in codebook
    as_viewer = client_for(viewer).get("/studies/study/codebook/").content.decode()
    assert "When VAL applies." in as_viewer
    assert 'data-kind="code"' not in as_viewer


def test_an_archived_study_shows_memos_without_forms(
    study: Study, interview: Interview, lead: Any, memos: dict[str, Memo]
) -> None:
    Study.objects.filter(pk=study.pk).update(archived=True)
    client = client_for(lead)
    for url in (
        "/studies/study/memos/",
        f"/dyads/{interview.dyad_id}/",
        "/studies/study/codebook/",
    ):
        html = client.get(url).content.decode()
        assert "memo-form" not in html, url
        assert "memo-edit" not in html, url
    assert "Study-wide plan." in client.get("/studies/study/memos/").content.decode()
    refused = api_for(lead).post("/api/v1/memos/", {"study": "study", "body": "x"}, format="json")
    assert refused.status_code == 403
