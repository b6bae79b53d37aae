"""Case study API: every endpoint for every persona, concurrency (409), bad input, exports."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from rest_framework.test import APIClient

from coding.models import CaseStudySection, Coding, Layer
from coding.services import coding_create
from healing.audit.models import AuditEvent
from interviews.models import Study
from tests.casestudy.conftest import Coded
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db

PERSONAS = ["lead", "coder", "coder2", "viewer", "outsider", "anonymous"]


def client_for(personas: dict[str, Any], who: str) -> APIClient:
    client = APIClient()
    if who != "anonymous":
        client.force_authenticate(personas[who])
    return client


def base(coded: Coded) -> str:
    return f"/api/v1/dyads/{coded.dyad.pk}/case-study/"


@pytest.mark.parametrize("who", PERSONAS)
def test_reads_by_persona(personas: dict[str, Any], coded: Coded, who: str) -> None:
    client = client_for(personas, who)
    expected = {"outsider": 404, "anonymous": 401}.get(who, 200)
    for url in (base(coded), base(coded) + "export/md/", base(coded) + "export/docx/"):
        response = client.get(url)
        assert response.status_code == expected, (url, response.content[:300])
    if expected != 200:
        assert client.get(base(coded)).json()["error"]["status"] == expected


@pytest.mark.parametrize("who", PERSONAS)
def test_writes_by_persona(personas: dict[str, Any], coded: Coded, who: str) -> None:
    client = client_for(personas, who)
    expected_ok = {"outsider": 404, "anonymous": 401, "viewer": 403}.get(who)
    coding = Coding.objects.filter(interview=coded.patient, layer=Layer.CONSENSUS).first()
    assert coding is not None
    calls = [
        ("put", base(coded) + "summary/", {"text": f"by {who}", "updated": None}),
        ("put", base(coded) + "sections/VAL/", {"text": f"by {who}", "updated": None}),
        ("post", base(coded) + "sections/VAL/evidence/", {"coding": coding.pk}),
        ("delete", base(coded) + "sections/VAL/evidence/", {"coding": coding.pk}),
    ]
    for method, url, body in calls:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == (expected_ok or 200), (url, response.content[:300])
    if expected_ok:
        assert not CaseStudySection.objects.exists()
        assert not AuditEvent.objects.filter(object_type__startswith="case_study").exists()
    else:
        assert AuditEvent.objects.filter(object_type__startswith="case_study").count() == 4


def test_get_shape_layer_and_query_count(
    personas: dict[str, Any], coded: Coded, coder: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(personas, "lead")
    # auth (force_authenticate: none), dyad + access, default layer, tree, interviews, stats,
    # excerpts, case study, sections, history, evidence, coders
    with django_assert_max_num_queries(12):
        data = client.get(base(coded)).json()
    layer = data["layer"]
    assert (layer["name"], layer["coder"]) == ("best", None)
    assert layer["sides"] == "patient: consensus; clinician: consensus"
    assert layer["usage"]["consensus"] == 1
    assert layer["usage"]["dyads_without_codings"] == []
    assert [g["key"] for g in data["groups"]] == ["process", "outcome", "competency"]
    val = data["groups"][0]["components"][0]
    assert val["code"] == "VAL"
    assert val["concordance"] == "both"
    assert (val["patient"]["count"], val["patient"]["covered"]) == (3, 25)
    assert [child["code"] for child in val["children"]] == ["VAL.NJ", "VAL.CON", "VAL.PRES"]
    data = client.get(base(coded) + f"?layer=coder&coder={coder.pk}").json()
    assert data["layer"]["label"] == "Coder: Ana Ruiz"
    for _ in range(20):  # more codings: the same number of queries
        coding_create(interview=coded.patient, code=code(coded.dyad.study, "ABI"), coder=coder,
                      start=5 + _, end=20 + _)  # fmt: skip
    with django_assert_max_num_queries(12):
        client.get(base(coded) + "?layer=all")


def test_bad_input(personas: dict[str, Any], coded: Coded, other_study: Study) -> None:
    client = client_for(personas, "lead")
    assert client.get(base(coded) + "?layer=nope").status_code == 400
    assert client.get(base(coded) + "?layer=coder&coder=x").status_code == 400
    assert client.get(base(coded) + "export/pdf/").status_code == 404
    url = base(coded) + "sections/VAL/"
    assert client.put(base(coded) + "sections/NOPE/", {"text": "x", "updated": None},
                      format="json").status_code == 404  # fmt: skip
    bodies: list[dict[str, Any]] = [
        {"text": "x"},
        {"text": "x", "updated": None, "extra": 1},
        {"text": "x", "updated": "yesterday"},
        {"text": "\x00", "updated": None},
    ]
    for body in bodies:
        response = client.put(url, body, format="json")
        assert response.status_code == 400, body
        assert response.json()["error"]["code"] == "invalid"
    evidence = base(coded) + "sections/VAL/evidence/"
    foreign = make_interview(study=other_study, dyad="X1")
    theirs = coding_create(interview=foreign, code=code(other_study, "VAL"),
                           coder=other_study.memberships.first().user, start=0, end=4)  # fmt: skip
    for body in ({"coding": theirs.pk}, {"coding": 0}, {"coding": "x"}, {}, {"coding": 2**80}):
        response = client.post(evidence, body, format="json")
        assert response.status_code == 400, body
        assert "error" in response.json()
    assert not CaseStudySection.objects.filter(evidence__isnull=False).exists()
    assert client.get("/api/v1/dyads/999999/case-study/").status_code == 404


def test_stale_put_is_409_with_the_current_text(personas: dict[str, Any], coded: Coded) -> None:
    ana, ben = client_for(personas, "coder"), client_for(personas, "coder2")
    url = base(coded) + "sections/OUT.TRUST/"
    first = ana.put(url, {"text": "Trust grew.", "updated": None}, format="json").json()
    assert first["updated_by"] == "Ana Ruiz"
    assert first["code"] == "OUT.TRUST"
    ok = ben.put(url, {"text": "Trust grew slowly.", "updated": first["updated"]}, format="json")
    assert ok.status_code == 200
    stale = ana.put(url, {"text": "Mine.", "updated": first["updated"]}, format="json")
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "conflict"
    assert error["current"]["text"] == "Trust grew slowly."
    assert error["current"]["updated_by"] == "Ben Clarke"
    assert CaseStudySection.objects.get().synthesis == "Trust grew slowly."
    # Saving again from the text shown in the conflict goes through.
    again = ana.put(url, {"text": "Mine.", "updated": error["current"]["updated"]}, format="json")
    assert again.status_code == 200
    summary = base(coded) + "summary/"
    s1 = ana.put(summary, {"text": "S1", "updated": None}, format="json").json()
    ben.put(summary, {"text": "S2", "updated": s1["updated"]}, format="json")
    assert ana.put(summary, {"text": "S3", "updated": s1["updated"]},
                   format="json").status_code == 409  # fmt: skip


def test_evidence_roundtrip(personas: dict[str, Any], coded: Coded) -> None:
    client = client_for(personas, "coder")
    coding = Coding.objects.filter(interview=coded.clinician, layer=Layer.CONSENSUS).first()
    assert coding is not None
    url = base(coded) + "sections/POW/evidence/"
    listed = client.post(url, {"coding": coding.pk}, format="json").json()
    assert [e["coding"] for e in listed["evidence"]] == [coding.pk]
    assert listed["evidence"][0]["speaker"] == "Dr. Lee"
    assert listed["evidence"][0]["link"].endswith(
        f"?layer=consensus#span-{coding.start}-{coding.end}"
    )
    data = client.get(base(coded)).json()
    pow_ = next(c for c in data["groups"][0]["components"] if c["code"] == "POW")
    assert [e["coding"] for e in pow_["evidence"]] == [coding.pk]
    assert client.delete(url, {"coding": coding.pk}, format="json").json()["evidence"] == []


def test_api_export_files(personas: dict[str, Any], coded: Coded) -> None:
    client = client_for(personas, "viewer")
    response = client.get(base(coded) + "export/docx/")
    assert response["Content-Disposition"] == 'attachment; filename="study-case-study-D01.docx"'
    document = Document(io.BytesIO(response.content))
    assert document.paragraphs[0].text == "Case study: dyad D01"
    md = client.get(base(coded) + "export/md/?layer=all")
    assert md["Content-Type"].startswith("text/markdown")
    assert "- **Layer**: All coders (union)" in md.content.decode()
    event = AuditEvent.objects.filter(action="export").order_by("id").last()
    assert event is not None
    assert event.after["format"] == "md"
    assert event.after["layer"] == "all"
