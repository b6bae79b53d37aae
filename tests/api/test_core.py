"""The API core: auth, error shape, codings by role, the workspace payload and live changes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from coding.models import Coding, Layer
from coding.services import CodingInput, codings_bulk_create
from healing.audit.models import AuditEvent
from interviews.models import Interview, Study
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def span(interview: Interview, words: str) -> tuple[int, int]:
    start = interview.text.index(words)
    return start, start + len(words)


def test_anonymous_requests_are_refused_with_the_error_shape(study: Study) -> None:
    response = APIClient().get("/api/v1/studies/")
    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_studies_list_only_the_users_own(study: Study, coder: Any, outsider: Any) -> None:
    slugs = [s["slug"] for s in client_for(coder).get("/api/v1/studies/").json()["results"]]
    assert slugs == ["study"]
    assert client_for(outsider).get("/api/v1/studies/study/").status_code == 404


def test_coder_creates_a_coding_and_the_quote_is_cut_from_the_text(
    interview: Interview, coder: Any, study: Study
) -> None:
    start, end = span(interview, "she listened to every word")
    response = client_for(coder).post(
        "/api/v1/codings/",
        {"interview": interview.pk, "code_key": "VAL.PRES.ATT", "start": start, "end": end},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["quote"] == "she listened to every word"
    assert body["coder_username"] == "coder"
    assert body["layer"] == "individual"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"start": 5, "end": 99_999}, "end"),
        ({"start": 9, "end": 3}, "end"),
        ({"start": -2, "end": 3}, "start"),
        ({"start": 0, "end": 3, "colour": "red"}, "colour"),
        ({"start": 0, "end": 3, "code_key": "NOPE"}, "code_key"),
    ],
)
def test_bad_coding_input_is_a_400_naming_the_field(
    interview: Interview, coder: Any, payload: dict[str, Any], field: str
) -> None:
    response = client_for(coder).post(
        "/api/v1/codings/", {"interview": interview.pk, "code_key": "VAL", **payload}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert error["message"]
    assert not Coding.objects.exists()


def test_a_code_of_another_study_is_refused(
    interview: Interview, coder: Any, other_study: Study
) -> None:
    response = client_for(coder).post(
        "/api/v1/codings/",
        {"interview": interview.pk, "code": code(other_study, "VAL").pk, "start": 0, "end": 4},
        format="json",
    )
    assert response.status_code == 400
    assert "not in this study's codebook" in response.json()["error"]["message"]


def test_viewer_cannot_code_and_outsider_gets_404(
    interview: Interview, viewer: Any, outsider: Any
) -> None:
    payload = {"interview": interview.pk, "code_key": "VAL", "start": 0, "end": 4}
    assert client_for(viewer).post("/api/v1/codings/", payload, format="json").status_code == 403
    assert client_for(outsider).post("/api/v1/codings/", payload, format="json").status_code == 404
    assert not Coding.objects.exists()


def test_consensus_is_written_by_the_lead_only(interview: Interview, coder: Any, lead: Any) -> None:
    payload = {
        "interview": interview.pk,
        "code_key": "VAL",
        "start": 0,
        "end": 4,
        "layer": "consensus",
    }
    assert client_for(coder).post("/api/v1/codings/", payload, format="json").status_code == 403
    assert client_for(lead).post("/api/v1/codings/", payload, format="json").status_code == 201


def test_a_coder_changes_only_their_own_codings(
    interview: Interview, coder: Any, coder2: Any, study: Study
) -> None:
    coding = codings_bulk_create(
        interview=interview, coder=coder, items=[CodingInput(code(study, "VAL").pk, 0, 8)]
    )[0]
    assert (
        client_for(coder2)
        .patch(f"/api/v1/codings/{coding.pk}/", {"end": 12}, format="json")
        .status_code
        == 403
    )
    assert client_for(coder2).delete(f"/api/v1/codings/{coding.pk}/").status_code == 403
    response = client_for(coder).patch(
        f"/api/v1/codings/{coding.pk}/", {"end": 12, "memo": "wider"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["quote"] == interview.text[0:12]
    assert client_for(coder).delete(f"/api/v1/codings/{coding.pk}/").status_code == 204
    assert AuditEvent.objects.filter(
        object_type="coding", action="delete", before__memo="wider"
    ).exists()


def test_bulk_create_is_all_or_nothing(interview: Interview, coder: Any) -> None:
    items = [
        {"code_key": "VAL", "start": 0, "end": 4},
        {"code_key": "OUT.HOPE", "start": 2, "end": 99_999},
    ]
    response = client_for(coder).post(
        "/api/v1/codings/bulk/", {"interview": interview.pk, "items": items}, format="json"
    )
    assert response.status_code == 400
    assert "items[1].end" in response.json()["error"]["fields"]
    assert not Coding.objects.exists()
    items[1]["end"] = 9
    response = client_for(coder).post(
        "/api/v1/codings/bulk/", {"interview": interview.pk, "items": items}, format="json"
    )
    assert response.status_code == 201
    assert len(response.json()) == 2


def _workspace_queries(
    client: APIClient, interview: Interview, layer: str = "mine"
) -> tuple[int, dict[str, Any]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v1/interviews/{interview.pk}/workspace/?layer={layer}")
    assert response.status_code == 200
    return len(captured.captured_queries), response.json()


def test_workspace_loads_text_turns_and_a_layer_in_a_fixed_number_of_queries(
    interview: Interview, coder: Any, study: Study
) -> None:
    client = client_for(coder)
    few, _ = _workspace_queries(client, interview)
    val = code(study, "VAL").pk
    codings_bulk_create(
        interview=interview, coder=coder, items=[CodingInput(val, i, i + 5) for i in range(60)]
    )
    many, payload = _workspace_queries(client, interview)
    # interview + access, the read's audit record, turns, coders, codings, codebook, interview
    # memos, cursor
    assert many == few == 8
    assert payload["text"] == interview.text
    assert [t[1] for t in payload["turns"]] == ["Interviewer", "Maria", "Interviewer", "Maria"]
    assert len(payload["codings"]) == 60
    assert payload["permissions"]["writes_to"] == "individual"


def test_workspace_layers_and_blind_coding(
    interview: Interview, coder: Any, coder2: Any, lead: Any, viewer: Any, study: Study
) -> None:
    val = code(study, "VAL").pk
    codings_bulk_create(interview=interview, coder=coder, items=[CodingInput(val, 0, 5)])
    codings_bulk_create(interview=interview, coder=coder2, items=[CodingInput(val, 1, 6)])
    _, mine = _workspace_queries(client_for(coder), interview)
    assert [c["coder"] for c in mine["codings"]] == [coder.pk]
    _, everyone = _workspace_queries(client_for(coder), interview, "all")
    assert {c["coder"] for c in everyone["codings"]} == {coder.pk, coder2.pk}
    _, as_viewer = _workspace_queries(client_for(viewer), interview, "all")
    assert as_viewer["permissions"]["writes_to"] is None

    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    blind = client_for(coder).get(f"/api/v1/interviews/{interview.pk}/workspace/?layer=all")
    assert blind.status_code == 403
    assert "Blind coding" in blind.json()["error"]["message"]
    assert (
        client_for(coder)
        .get(f"/api/v1/interviews/{interview.pk}/workspace/?layer=coder&coder={coder2.pk}")
        .status_code
        == 403
    )
    listed = client_for(coder).get(f"/api/v1/codings/?interview={interview.pk}").json()["results"]
    assert {c["coder"] for c in listed} == {coder.pk}
    _, lead_view = _workspace_queries(client_for(lead), interview, "all")
    assert len(lead_view["codings"]) == 2


def test_changes_report_another_coders_creates_and_deletes(
    interview: Interview, coder: Any, coder2: Any, study: Study
) -> None:
    _, payload = _workspace_queries(client_for(coder), interview, "all")
    cursor = payload["cursor"]
    created = (
        client_for(coder2)
        .post(
            "/api/v1/codings/",
            {"interview": interview.pk, "code_key": "VAL", "start": 0, "end": 4},
            format="json",
        )
        .json()
    )
    changes = (
        client_for(coder)
        .get(f"/api/v1/interviews/{interview.pk}/changes/?layer=all&since={cursor}")
        .json()
    )
    assert [c["id"] for c in changes["upserts"]] == [created["id"]]
    assert changes["cursor"] > cursor
    client_for(coder2).delete(f"/api/v1/codings/{created['id']}/")
    later = (
        client_for(coder)
        .get(f"/api/v1/interviews/{interview.pk}/changes/?layer=all&since={changes['cursor']}")
        .json()
    )
    assert later["deleted"] == [created["id"]]
    assert later["upserts"] == []


def test_personal_tokens_authenticate_until_revoked(study: Study, coder: Any) -> None:
    created = client_for(coder).post("/api/v1/tokens/", {"name": "R scripts"}, format="json").json()
    token = created["token"]
    assert token.startswith("hl_")
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bearer.get("/api/v1/studies/").status_code == 200
    listed = client_for(coder).get("/api/v1/tokens/").json()["results"]
    assert "token" not in listed[0]
    assert listed[0]["prefix"] == token[:10]
    assert client_for(coder).delete(f"/api/v1/tokens/{created['id']}/").status_code == 204
    assert bearer.get("/api/v1/studies/").status_code == 401


def test_upload_creates_an_interview_through_the_import_service(
    study: Study, lead: Any, coder: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "d09.txt", b"Interviewer: Hi?\nJo: Hello there.\n", content_type="text/plain"
    )
    data = {
        "file": upload,
        "study": "study",
        "dyad": "D09",
        "perspective": "patient",
        "speakers": "Jo=patient",
    }
    assert (
        client_for(coder).post("/api/v1/interviews/", data, format="multipart").status_code == 403
    )
    upload.seek(0)
    response = client_for(lead).post("/api/v1/interviews/", data, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["turns"][1]["speaker"] == "Jo"
    bad = SimpleUploadedFile("bad.txt", b"\x89PNG\r\n\x1a\n" + bytes(40), content_type="text/plain")
    response = client_for(lead).post(
        "/api/v1/interviews/", {**data, "file": bad}, format="multipart"
    )
    assert response.status_code == 400
    assert "bad.txt" in response.json()["error"]["message"]


def test_the_schema_and_docs_are_served(lead: Any) -> None:
    client = client_for(lead)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    # Served from local files: every script, style and link is on this site (the page's random
    # CSRF token may contain any letters, so look at the addresses, not for a word).
    page = docs.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert addresses
    assert all(a.startswith("/") for a in addresses), addresses
    assert not re.search(r"https?://(?!testserver)", page.split("</head>")[0])


def test_make_interview_in_other_study_is_invisible(other_study: Study, coder: Any) -> None:
    foreign = make_interview(study=other_study, dyad="Z1")
    assert client_for(coder).get(f"/api/v1/interviews/{foreign.pk}/workspace/").status_code == 404
    assert Layer.CONSENSUS == "consensus"
