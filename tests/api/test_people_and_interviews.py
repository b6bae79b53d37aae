"""The API for attribute definitions, participants, dyads, interviews and batch
imports: what each write does, what it refuses, and the filters and ordering of the lists."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from coding.services import CodingInput, codings_bulk_create
from healing.audit.models import AuditEvent
from healing.jobs.models import Job, JobState
from interviews.models import AttributeDefinition, Dyad, Interview, Participant, Study
from interviews.services import attribute_define, dyad_get_or_create, participant_get_or_create
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def error(response: Any) -> dict[str, Any]:
    return response.json()["error"]


# --- Attribute definitions ----------------------------------------------------------------------


def test_attributes_are_defined_relabelled_and_deleted_with_their_values(
    study: Study, lead: Any
) -> None:
    client = client_for(lead)
    created = client.post(
        "/api/v1/attributes/",
        {"study": "study", "entity": "dyad", "key": "visits", "type": "choice",
         "choices": ["monthly", "yearly"]},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    dyad_get_or_create(study=study, label="D01", attributes={"visits": "monthly"})
    narrowed = client.patch(f"/api/v1/attributes/{pk}/", {"choices": ["yearly"]}, format="json")
    assert narrowed.status_code == 400
    assert "monthly" in error(narrowed)["message"]
    relabelled = client.patch(
        f"/api/v1/attributes/{pk}/", {"label": "Visit frequency", "order": 3}, format="json"
    )
    assert relabelled.json()["label"] == "Visit frequency"
    assert client.delete(f"/api/v1/attributes/{pk}/").status_code == 204
    assert Dyad.objects.get(label="D01").attributes == {}
    deleted = AuditEvent.objects.get(object_type="attribute", action="delete")
    assert list(deleted.before["values"].values()) == ["monthly"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"entity": "dyad", "key": "Bad Key", "type": "text"}, "key"),
        ({"entity": "dyad", "key": "years", "type": "choice"}, "choices"),
        ({"entity": "dyad", "key": "years", "type": "text", "choices": ["a"]}, "choices"),
        ({"entity": "robot", "key": "years", "type": "text"}, "entity"),
        ({"entity": "dyad", "key": "taken", "type": "text"}, "__all__"),
    ],
)
def test_bad_attribute_definitions_are_refused(
    study: Study, lead: Any, payload: dict[str, Any], field: str
) -> None:
    attribute_define(study=study, entity="dyad", key="taken", type="text")
    response = client_for(lead).post(
        "/api/v1/attributes/", {"study": "study", **payload}, format="json"
    )
    assert response.status_code == 400
    assert field in error(response)["fields"]
    assert AttributeDefinition.objects.filter(study=study).count() == 1


# --- Participants -------------------------------------------------------------------------------


def test_participants_are_created_typed_changed_and_deleted_when_free(
    study: Study, lead: Any
) -> None:
    attribute_define(study=study, entity="clinician", key="years_in_practice", type="integer")
    client = client_for(lead)
    created = client.post(
        "/api/v1/participants/",
        {"study": "study", "role": "clinician", "pseudonym": "Dr. Lee",
         "attributes": {"years_in_practice": "12"}},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    assert created.json()["attributes"] == {"years_in_practice": 12}
    assert created.json()["dyads"] == []
    pk = created.json()["id"]
    unknown = client.patch(
        f"/api/v1/participants/{pk}/", {"attributes": {"shoe_size": 9}}, format="json"
    )
    assert unknown.status_code == 400
    assert "shoe_size" in error(unknown)["fields"]
    cleared = client.patch(
        f"/api/v1/participants/{pk}/", {"attributes": {"years_in_practice": None}}, format="json"
    )
    assert cleared.json()["attributes"] == {}
    taken = client.post(
        "/api/v1/participants/",
        {"study": "study", "role": "clinician", "pseudonym": "Dr. Lee"},
        format="json",
    )
    assert taken.status_code == 400
    dyad_get_or_create(study=study, label="D01", clinician=Participant.objects.get(pk=pk))
    assert client.get(f"/api/v1/participants/{pk}/").json()["dyads"][0]["label"] == "D01"
    in_use = client.delete(f"/api/v1/participants/{pk}/")
    assert in_use.status_code == 400
    assert "D01" in error(in_use)["message"]
    Dyad.objects.filter(label="D01").update(clinician=None)
    assert client.delete(f"/api/v1/participants/{pk}/").status_code == 204


# --- Dyads and interviews -----------------------------------------------------------------------


def test_a_dyads_people_are_set_and_cleared(study: Study, lead: Any) -> None:
    clinician = participant_get_or_create(study=study, role="clinician", pseudonym="Dr. Lee")
    patient = participant_get_or_create(study=study, role="patient", pseudonym="Maria")
    dyad, _ = dyad_get_or_create(study=study, label="D01")
    client = client_for(lead)
    url = f"/api/v1/dyads/{dyad.pk}/"
    both = client.patch(url, {"clinician": clinician.pk, "patient": patient.pk}, format="json")
    assert both.json()["clinician"]["pseudonym"] == "Dr. Lee"
    assert both.json()["patient"]["pseudonym"] == "Maria"
    wrong_slot = client.patch(url, {"clinician": patient.pk}, format="json")
    assert wrong_slot.status_code == 400
    assert "clinician" in error(wrong_slot)["fields"]
    cleared = client.patch(url, {"patient": None}, format="json")
    assert cleared.json()["patient"] is None
    assert cleared.json()["clinician"]["pseudonym"] == "Dr. Lee"


def test_a_dyad_is_deleted_with_its_interviews_only_while_uncoded(
    study: Study, lead: Any, coder: Any
) -> None:
    interview = make_interview(study=study, by=lead)
    client = client_for(lead)
    codings_bulk_create(
        interview=interview, coder=coder, items=[CodingInput(code(study, "VAL").pk, 0, 5)]
    )
    refused = client.delete(f"/api/v1/dyads/{interview.dyad_id}/")
    assert refused.status_code == 400
    assert "1 coding" in error(refused)["message"]
    refused_interview = client.delete(f"/api/v1/interviews/{interview.pk}/")
    assert refused_interview.status_code == 400
    interview.codings.all().delete()
    assert client.delete(f"/api/v1/dyads/{interview.dyad_id}/").status_code == 204
    assert not Interview.objects.exists()
    assert set(
        AuditEvent.objects.filter(action="delete").values_list("object_type", flat=True)
    ) == {"dyad", "interview"}


def test_an_interview_is_described_but_its_text_stays(study: Study, lead: Any) -> None:
    interview = make_interview(study=study, by=lead)
    client = client_for(lead)
    url = f"/api/v1/interviews/{interview.pk}/"
    changed = client.patch(
        url, {"title": "First", "conducted_on": "2024-05-01", "interviewer": "Kim"}, format="json"
    )
    assert changed.status_code == 200
    assert changed.json()["conducted_on"] == "2024-05-01"
    assert client.patch(url, {"conducted_on": None}, format="json").json()["conducted_on"] is None
    assert client.patch(url, {"text": "new"}, format="json").status_code == 400
    assert client.patch(url, {"perspective": "dog"}, format="json").status_code == 400
    assert Interview.objects.get(pk=interview.pk).text == interview.text


# --- Batch import -------------------------------------------------------------------------------

MANIFEST = (
    "file,dyad,perspective,clinician,patient,clinician.type,years_together\n"
    "d01-patient.txt,D01,patient,Dr. Lee,Maria,MD,12\n"
    "d01-clinician.txt,D01,clinician,Dr. Lee,Maria,MD,12\n"
)


def _files() -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile("d01-patient.txt", b"Interviewer: Hello?\nMaria: Hello there.\n"),
        SimpleUploadedFile("d01-clinician.txt", b"Interviewer: Hi?\nDr. Lee: Good morning.\n"),
    ]


def test_a_batch_with_a_manifest_imports_as_a_job(
    study: Study, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(lead).post(
            "/api/v1/interviews/batch/",
            {"study": "study", "files": _files(),
             "manifest": SimpleUploadedFile("manifest.csv", MANIFEST.encode())},
            format="multipart",
        )  # fmt: skip
    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.result["imported"] == 2
    dyad = Dyad.objects.get(study=study, label="D01")
    assert dyad.attributes == {"years_together": 12}
    assert dyad.clinician.attributes == {"type": "MD"}
    assert dyad.interviews.count() == 2


def test_a_batch_with_items_imports_as_a_job(
    study: Study, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    items = [
        {"file": "d01-patient.txt", "dyad": "D07", "perspective": "patient",
         "speakers": "Maria=patient", "conducted_on": "2024-02-03"},
        {"file": "d01-clinician.txt", "dyad": "D07", "perspective": "clinician"},
    ]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(lead).post(
            "/api/v1/interviews/batch/",
            {"study": "study", "files": _files(), "items": json.dumps(items)},
            format="multipart",
        )
    assert response.status_code == 202, response.json()
    interview = Interview.objects.get(dyad__label="D07", perspective="patient")
    assert str(interview.conducted_on) == "2024-02-03"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({}, "manifest"),
        ({"items": "not json"}, "items"),
        ({"items": json.dumps([{"file": "d01-patient.txt", "dyad": "D1"}])},
         "items[0].perspective"),
        ({"items": json.dumps([{"file": "d01-patient.txt", "dyad": "D1",
                                "perspective": "patient"}])}, "files"),
        ({"items": json.dumps([{"file": "nope.txt", "dyad": "D1", "perspective": "patient"},
                               {"file": "d01-patient.txt", "dyad": "D1",
                                "perspective": "patient"},
                               {"file": "d01-clinician.txt", "dyad": "D1",
                                "perspective": "clinician"}])}, "files"),
        ({"manifest": "file,dyad\nx.txt,D1\n"}, "manifest"),
        ({"manifest": MANIFEST, "items": "[]"}, "items"),
    ],
)  # fmt: skip
def test_a_bad_batch_is_refused_before_any_job(
    study: Study, lead: Any, extra: dict[str, Any], field: str
) -> None:
    payload: dict[str, Any] = {"study": "study", "files": _files(), **extra}
    if "manifest" in extra:
        payload["manifest"] = SimpleUploadedFile("manifest.csv", extra["manifest"].encode())
    response = client_for(lead).post("/api/v1/interviews/batch/", payload, format="multipart")
    assert response.status_code == 400, response.json()
    assert field in error(response)["fields"]
    assert not Job.objects.exists()


def test_an_oversize_upload_is_a_413(study: Study, lead: Any, settings: Any) -> None:
    settings.HEALING_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("big.txt", b"Interviewer: " + b"word " * 400)
    single = client_for(lead).post(
        "/api/v1/interviews/",
        {"file": big, "study": "study", "dyad": "D1", "perspective": "patient"},
        format="multipart",
    )
    assert single.status_code == 413
    assert error(single)["code"] == "too_large"
    big.seek(0)
    batch = client_for(lead).post(
        "/api/v1/interviews/batch/",
        {"study": "study", "files": [big],
         "items": json.dumps([{"file": "big.txt", "dyad": "D1", "perspective": "patient"}])},
        format="multipart",
    )  # fmt: skip
    assert batch.status_code == 413
    assert not Interview.objects.exists()
    assert not Job.objects.exists()


# --- Lists: filters, ordering, bad parameters -----------------------------------------------------


def test_lists_order_by_the_fields_they_offer(study: Study, lead: Any) -> None:
    for label in ("B", "C", "A"):
        dyad_get_or_create(study=study, label=label)
    client = client_for(lead)
    labels = [d["label"] for d in client.get("/api/v1/dyads/?ordering=-label").json()["results"]]
    assert labels == ["C", "B", "A"]
    refused = client.get("/api/v1/dyads/?ordering=secret_field")
    assert refused.status_code == 400
    assert "ordering" in error(refused)["fields"]
    assert "label" in error(refused)["message"]


def test_codings_filter_by_date_code_tree_and_order(study: Study, lead: Any, coder: Any) -> None:
    interview = make_interview(study=study, by=lead)
    codings_bulk_create(
        interview=interview,
        coder=coder,
        items=[
            CodingInput(code(study, "VAL.PRES.ATT").pk, 0, 5),
            CodingInput(code(study, "OUT.HOPE").pk, 1, 6),
        ],
    )
    client = client_for(lead)
    under_val = client.get("/api/v1/codings/?code_key=VAL").json()["results"]
    assert [c["code_key"] for c in under_val] == ["VAL.PRES.ATT"]
    newest_first = client.get("/api/v1/codings/?ordering=-id").json()["results"]
    assert [c["code_key"] for c in newest_first] == ["OUT.HOPE", "VAL.PRES.ATT"]
    assert client.get("/api/v1/codings/?created_after=2999-01-01T00:00:00Z").json()["results"] == []
    assert len(client.get("/api/v1/codings/?updated_before=2999-01-01").json()["results"]) == 2
    assert client.get("/api/v1/codings/?created_after=yesterday").status_code == 400


def test_interviews_filter_by_date_and_perspective(study: Study, lead: Any) -> None:
    first = make_interview(study=study, by=lead)
    make_interview(study=study, dyad="D02", perspective="clinician", by=lead)
    Interview.objects.filter(pk=first.pk).update(conducted_on="2024-03-01")
    client = client_for(lead)
    found = client.get("/api/v1/interviews/?conducted_after=2024-01-01").json()["results"]
    assert [i["id"] for i in found] == [first.pk]
    clinicians = client.get("/api/v1/interviews/?perspective=clinician").json()["results"]
    assert [i["dyad_label"] for i in clinicians] == ["D02"]
    ordered = client.get("/api/v1/interviews/?ordering=-dyad_label").json()["results"]
    assert [i["dyad_label"] for i in ordered] == ["D02", "D01"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/codings/?dyad=abc",
        "/api/v1/codings/?interview=99999999999999999999999",
        "/api/v1/memos/?dyad=-4",
        "/api/v1/dyads/?study=%00",
        "/api/v1/interviews/{interview}/changes/?since=999999999999999999999999",
        "/api/v1/studies/?role=boss",
        "/api/v1/codings/?created_after=0001-01-01T00:00:00%2B23:00",
    ],
)
def test_bad_query_parameters_are_a_400(study: Study, lead: Any, url: str) -> None:
    interview = make_interview(study=study, by=lead)
    response = client_for(lead).get(url.format(interview=interview.pk))
    assert response.status_code == 400, response.content
    assert error(response)["status"] == 400


@pytest.mark.parametrize(
    ("method", "url", "payload"),
    [
        ("post", "/api/v1/codings/", {"interview": 2**70, "code_key": "VAL", "start": 0, "end": 1}),
        ("post", "/api/v1/codes/", {"study": "study", "key": "K", "name": "N", "order": 2**40}),
        ("post", "/api/v1/dyads/", {"study": "study", "label": "D\x00"}),
        ("post", "/api/v1/memos/", b'{"study": "study", "body": "bad \\ud800 half"}'),
        ("post", "/api/v1/participants/",
         {"study": "study", "role": "patient", "pseudonym": "P", "attributes": {"a\x00": 1}}),
    ],
)  # fmt: skip
def test_values_the_database_cannot_hold_are_a_400(
    study: Study, lead: Any, method: str, url: str, payload: dict[str, Any] | bytes
) -> None:
    make_interview(study=study, by=lead)
    if isinstance(payload, bytes):  # what a client may send, but json.dumps would not write
        response = client_for(lead).post(url, payload, content_type="application/json")
    else:
        response = getattr(client_for(lead), method)(url, payload, format="json")
    assert response.status_code == 400, response.content


def test_a_time_with_any_offset_python_reads_is_compared_in_utc(study: Study, lead: Any) -> None:
    # PostgreSQL refuses offsets beyond ±15:59; the filter converts to UTC first.
    response = client_for(lead).get("/api/v1/codings/?created_after=0126-12-01T20:38:00%2B19:27")
    assert response.status_code == 200


def test_unknown_urls_and_huge_ids_answer_in_the_error_shape(study: Study, lead: Any) -> None:
    client = client_for(lead)
    for url in ("/api/v1/nothing/", "/api/v1/dyads/1.5/", f"/api/v1/dyads/{2**80}/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"


def test_requests_django_refuses_early_answer_in_the_error_shape(
    study: Study, lead: Any, settings: Any
) -> None:
    client = client_for(lead)
    fields = {f"field{n}": "x" for n in range(1100)}
    too_many = client.post("/api/v1/interviews/batch/", fields, format="multipart")
    assert too_many.status_code == 400
    assert too_many.json()["error"]["status"] == 400
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    too_big = client.post("/api/v1/memos/", {"study": "study", "body": "x" * 5000}, format="json")
    assert too_big.status_code == 413
    assert too_big.json()["error"]["code"] == "too_large"
