"""Memos on a coding, as the workspace writes and reads them (the memo API with ``coding=``), blind
coding kept; and an archived study's pages (workspace, codebook, dashboard, dyads table) offering
no write."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from coding.models import Coding, Memo
from coding.services import CodingInput, codings_bulk_create
from interviews.models import Interview, Study
from interviews.services import study_update
from tests.factories import code

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def coding_of(interview: Interview, coder: Any, key: str = "OUT.HOPE") -> Coding:
    study = interview.dyad.study
    return codings_bulk_create(
        interview=interview, coder=coder, items=[CodingInput(code(study, key).pk, 0, 11)]
    )[0]


def workspace_config(html: str) -> dict[str, Any]:
    found = re.search(r'<script id="workspace-config" type="application/json">(.*?)</script>', html)
    assert found, "the workspace page hands its config to the script"
    return dict(json.loads(found.group(1)))


# --- Coding memos through the workspace's calls -------------------------------------------------


def test_a_coder_writes_lists_edits_and_deletes_a_memo_on_their_coding(
    study: Study, interview: Interview, coder: Any, coder2: Any, lead: Any
) -> None:
    coding = coding_of(interview, coder)
    api = api_for(coder)
    created = api.post(
        "/api/v1/memos/",
        {
            "study": "study",
            "coding": coding.pk,
            "type": "reflexive",
            "title": "Me",
            "body": "I hoped.",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    memo = Memo.objects.get()
    assert (memo.coding_id, memo.type, memo.title, memo.author) == (
        coding.pk, "reflexive", "Me", coder
    )  # fmt: skip
    # The list the coding panel asks for.
    listed = api.get(f"/api/v1/memos/?study=study&coding={coding.pk}&page_size=100").json()
    assert [(m["id"], m["type"], m["author_username"]) for m in listed["results"]] == [
        (memo.pk, "reflexive", "coder")
    ]
    # Another coder (not blind) reads it but may not change it; the author may.
    assert api_for(coder2).patch(
        f"/api/v1/memos/{memo.pk}/", {"body": "Mine now"}, format="json"
    ).status_code == 403  # fmt: skip
    assert api.patch(
        f"/api/v1/memos/{memo.pk}/", {"type": "analytic", "body": "I hoped, then doubted."},
        format="json",
    ).status_code == 200  # fmt: skip
    memo.refresh_from_db()
    assert (memo.type, memo.body) == ("analytic", "I hoped, then doubted.")
    # It shows in the Memos tab under target=coding, linked back to the coding in the workspace.
    tab = client_for(lead).get("/studies/study/memos/?target=coding").content.decode()
    assert "I hoped, then doubted." in tab
    assert f"/interviews/{interview.pk}/#coding-{coding.pk}" in tab
    assert api.delete(f"/api/v1/memos/{memo.pk}/").status_code == 204
    assert not Memo.objects.exists()


def test_a_blinded_coder_never_sees_memos_on_another_coders_coding(
    study: Study, interview: Interview, coder: Any, coder2: Any
) -> None:
    theirs = coding_of(interview, coder2)
    api_for(coder2).post(
        "/api/v1/memos/",
        {"study": "study", "coding": theirs.pk, "body": "B-SECRET about my coding."},
        format="json",
    )
    assert Memo.objects.filter(coding=theirs).count() == 1
    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    api = api_for(coder)
    listed = api.get(f"/api/v1/memos/?study=study&coding={theirs.pk}&page_size=100")
    assert b"B-SECRET" not in listed.content
    if listed.status_code == 200:
        assert listed.json()["results"] == []
    for layer in ("mine", "consensus", "all"):
        payload = api.get(f"/api/v1/interviews/{interview.pk}/workspace/?layer={layer}")
        assert b"B-SECRET" not in payload.content, layer
        if payload.status_code == 200:
            assert theirs.pk not in {c["id"] for c in payload.json()["codings"]}, layer
    # Nor can they write on it.
    refused = api.post(
        "/api/v1/memos/", {"study": "study", "coding": theirs.pk, "body": "peek"}, format="json"
    )
    assert refused.status_code in (400, 404)
    assert Memo.objects.count() == 1


def test_the_workspace_page_has_a_coding_memo_section(
    study: Study, interview: Interview, coder: Any
) -> None:
    html = client_for(coder).get(f"/interviews/{interview.pk}/").content.decode()
    assert 'id="ws-coding-memos"' in html
    config = workspace_config(html)
    assert (config["read_only"], config["archived"]) == (False, False)
    assert "ws-archived" not in html


# --- Archived: no write offered ----------------------------------------------------------------


def test_the_workspace_of_an_archived_study_is_read_only(
    study: Study, interview: Interview, lead: Any, coder: Any
) -> None:
    study_update(study=study, actor=lead, archived=True)
    for user in (lead, coder):
        payload = api_for(user).get(f"/api/v1/interviews/{interview.pk}/workspace/").json()
        assert payload["permissions"]["read_only"] is True
        assert payload["permissions"]["archived"] is True
        assert payload["permissions"]["writes_to"] is None
        html = client_for(user).get(f"/interviews/{interview.pk}/").content.decode()
        assert "Archived — read-only" in html
        assert workspace_config(html)["read_only"] is True


def test_a_writable_study_workspace_payload_is_not_read_only(
    study: Study, interview: Interview, coder: Any, viewer: Any
) -> None:
    payload = api_for(coder).get(f"/api/v1/interviews/{interview.pk}/workspace/").json()
    assert payload["permissions"]["read_only"] is False
    assert payload["permissions"]["writes_to"] == "individual"
    as_viewer = api_for(viewer).get(f"/api/v1/interviews/{interview.pk}/workspace/").json()
    assert as_viewer["permissions"]["read_only"] is True


LEAD_WRITES = {
    "/studies/study/codebook/": ('id="add-code-heading"', 'id="merge-heading"', ">Edit</a>"),
    "/studies/study/dyads/": ("data-editable", "cell-control", "js/dyads-table.js"),
    "/studies/study/": ('data-step="', ">to do<"),
}


@pytest.mark.parametrize("url", list(LEAD_WRITES))
def test_an_archived_studys_lead_pages_offer_no_write(
    url: str, study: Study, interview: Interview, lead: Any
) -> None:
    code(study, "OUT.HOPE")
    before = client_for(lead).get(url).content.decode()
    assert any(marker in before for marker in LEAD_WRITES[url]), "the lead writes here normally"
    study_update(study=study, actor=lead, archived=True)
    response = client_for(lead).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for marker in LEAD_WRITES[url]:
        assert marker not in html, marker
    assert "Archived — read-only" in html
