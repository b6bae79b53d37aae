"""An archived study is read-only for everyone: every write the permission matrix knows (and a
representative of teamwork, the pages and imports) is refused with the archived message and
stores nothing; every read and export still answers; unarchiving restores writes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from coding.models import Assignment, Code, Coding, Memo, SavedQuery
from healing.audit.models import AuditEvent
from healing.jobs.models import Job
from interviews.models import AttributeDefinition, Dyad, Interview, Participant, Study
from interviews.selectors import STUDY_ARCHIVED
from interviews.services import study_update
from tests.api.test_permissions import CASES, Case, world  # noqa: F401 - world is a fixture
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db

# Writes that are not writes into the study's data: creating another study or a token, a job's
# own state, starting an export, importing a new study, and the outsider's own study.
NOT_INTO_THE_STUDY = {
    "create a study (STUDY_CREATORS=any)",
    "create a study (STUDY_CREATORS=staff)",
    "create a token",
    "revoke the lead's token",
    "cancel the lead's job",
    "export as a job",
    "import a study",
    "relabel another study's attribute",
    "delete another study's participant",
    "rename another study's dyad",
    "upload into another study",
    "rename another study's code",
    "code another study's interview",
    "paste into another study's dyads table",
    "correct a speaker in another study",
    "undo another study's autocode run",
    "replace another study's stop words",
}
# POSTs that read: running a coding query (re-running a saved one keeps no counts when archived).
POST_READS = {"run a coding query", "re-run a saved query"}
WRITES = [
    c
    for c in CASES
    if c.method != "get" and c.name not in NOT_INTO_THE_STUDY and c.name not in POST_READS
]
READS = [c for c in CASES if c.method == "get" or c.name in POST_READS]
MODELS = (Study, Dyad, Interview, Participant, AttributeDefinition, Code, Coding, Memo,
          Assignment, AuditEvent, SavedQuery)  # fmt: skip


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def archive(study: Study, lead: Any) -> None:
    study_update(study=study, actor=lead, archived=True)


def call(case: Case, world: dict[str, Any], user: Any) -> Any:  # noqa: F811
    client = APIClient()
    client.force_authenticate(user)
    payload = case.data(world) if case.data else None
    return getattr(client, case.method)(
        case.url(world), payload, format=case.format if payload is not None else None
    )


def test_the_matrix_has_writes_of_every_area() -> None:
    names = " ".join(case.name for case in WRITES)
    for area in ("attribute", "participant", "dyad", "transcript", "code", "memo", "consensus"):
        assert area in names


@pytest.mark.parametrize("case", WRITES, ids=[case.name for case in WRITES])
def test_every_write_into_an_archived_study_is_refused(
    case: Case,
    world: dict[str, Any],  # noqa: F811
    study: Study,
    lead: Any,
    settings: Any,
) -> None:
    for name, value in case.settings.items():
        setattr(settings, name, value)
    archive(study, lead)
    before = counts()
    for persona in ("lead", "coder", "viewer"):
        with transaction.atomic():
            response = call(case, world, world["users"][persona])
            assert response.status_code == 403, (persona, response.content)
            if persona == "lead":
                assert response.json()["error"]["message"] == STUDY_ARCHIVED
            transaction.set_rollback(True)
    assert counts() == before


@pytest.mark.parametrize("case", READS, ids=[case.name for case in READS])
def test_reads_and_exports_of_an_archived_study_still_answer(
    case: Case,
    world: dict[str, Any],  # noqa: F811
    study: Study,
    lead: Any,
    settings: Any,
) -> None:
    archive(study, lead)
    for persona in ("lead", "viewer"):
        response = call(case, world, world["users"][persona])
        assert response.status_code == case.expected[persona], persona


def test_an_export_job_still_runs_on_an_archived_study(
    world: dict[str, Any],  # noqa: F811
    study: Study,
    lead: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    archive(study, lead)
    client = APIClient()
    client.force_authenticate(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/studies/study/exports/", {"format": "matrix-xlsx"}, format="json"
        )
    assert response.status_code == 202
    assert Job.objects.get(pk=response.json()["id"]).state == "succeeded"
    csv = client.get("/api/v1/studies/study/exports/csv/")
    assert csv.status_code == 200


def test_teamwork_writes_are_refused(
    study: Study, interview: Interview, lead: Any, coder: Any, coder2: Any
) -> None:
    client = APIClient()
    client.force_authenticate(lead)
    assignment = Assignment.objects.create(interview=interview, coder=coder)
    archive(study, lead)
    before = counts()
    writes = [
        ("post", "/api/v1/studies/study/assignments/",
         {"interviews": [interview.pk], "coders": [coder2.pk]}),
        ("post", "/api/v1/studies/study/members/", {"username": "coder2", "role": "viewer"}),
        ("post", "/api/v1/studies/study/blind/", {"blind_coding": True}),
        ("post", f"/api/v1/codes/{code(study, 'OUT.TRUST').pk}/merge/",
         {"into": code(study, "OUT.HOPE").pk}),
        ("post", f"/api/v1/interviews/{interview.pk}/consensus-complete/", {"complete": True}),
    ]  # fmt: skip
    for method, url, payload in writes:
        response = getattr(client, method)(url, payload, format="json")
        assert response.status_code == 403, (url, response.content)
        assert response.json()["error"]["message"] == STUDY_ARCHIVED
    coder_client = APIClient()
    coder_client.force_authenticate(coder)
    done = coder_client.patch(
        f"/api/v1/assignments/{assignment.pk}/", {"done": True}, format="json"
    )
    assert done.status_code == 403
    assert counts() == before
    assignment.refresh_from_db()
    assert not assignment.done


def test_page_posts_are_refused_and_pages_still_show(
    study: Study, interview: Interview, lead: Any
) -> None:
    page = Client()
    page.force_login(lead)
    archive(study, lead)
    before = counts()
    invite = page.post(
        "/studies/study/members/", {"action": "add", "username": "coder2", "role": "viewer"}
    )
    assert invite.status_code == 403
    assert STUDY_ARCHIVED in invite.content.decode()
    add_code = page.post("/studies/study/codebook/", {"action": "add", "key": "NEW", "name": "New"})
    assert add_code.status_code == 403
    upload = page.post(
        "/studies/study/import/",
        {"dyad": "D09", "perspective": "patient", "files": []},
    )
    assert upload.status_code == 403
    assert counts() == before
    for url in ("/studies/study/", "/studies/study/members/", "/studies/study/codebook/",
                "/studies/study/assignments/", "/studies/study/audit/",
                f"/interviews/{interview.pk}/", "/studies/study/settings/"):  # fmt: skip
        assert page.get(url).status_code == 200, url


def test_a_transcript_import_started_before_archiving_does_not_write(
    study: Study, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = APIClient()
    client.force_authenticate(lead)
    upload = SimpleUploadedFile("a.txt", b"Interviewer: Hi?\nJo: Hello.\n", "text/plain")
    # The job is created, then the study archived before a worker runs it.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/api/v1/interviews/batch/",
            {"files": [upload], "study": "study",
             "items": '[{"file": "a.txt", "dyad": "D09", "perspective": "patient"}]'},
            format="multipart",
        )  # fmt: skip
    assert response.status_code == 202
    archive(study, lead)
    for callback in callbacks:
        callback()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == "failed"
    assert "archived" in job.error
    assert not Interview.objects.filter(dyad__study=study).exists()


def test_unarchiving_restores_writes(
    study: Study, interview: Interview, lead: Any, coder: Any
) -> None:
    archive(study, lead)
    client = APIClient()
    client.force_authenticate(coder)
    payload = {"interview": interview.pk, "code_key": "OUT.HOPE", "start": 2, "end": 9}
    assert client.post("/api/v1/codings/", payload, format="json").status_code == 403
    assert not Coding.objects.exists()
    study_update(study=study, actor=lead, archived=False)
    assert client.post("/api/v1/codings/", payload, format="json").status_code == 201
    memo = client.post("/api/v1/memos/", {"study": "study", "body": "Back to work."}, format="json")
    assert memo.status_code == 201


def test_archived_interview_still_codes_nothing_from_an_old_page(study: Study, lead: Any) -> None:
    """The workspace of an archived study opens read-only for a coder: a read."""
    interview = make_interview(study=study, dyad="D05", by=lead)
    archive(study, lead)
    client = APIClient()
    client.force_authenticate(lead)
    assert client.get(f"/api/v1/interviews/{interview.pk}/workspace/").status_code == 200


def test_coding_queries_run_but_save_nothing_when_archived(
    world: dict[str, Any],  # noqa: F811
    study: Study,
    lead: Any,
) -> None:
    archive(study, lead)
    client = APIClient()
    client.force_authenticate(lead)
    saved = world["saved_query"]
    response = client.post(f"/api/v1/studies/study/queries/{saved}/run/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["saved"]["counts_kept"] is False
    assert SavedQuery.objects.get(pk=saved).last_run is None
    page = Client()
    page.force_login(lead)
    rerun = page.post("/studies/study/queries/", {"rerun": saved})
    assert rerun.status_code == 302
    assert SavedQuery.objects.get(pk=saved).last_run is None
    assert page.get(f"/studies/study/queries/?run={saved}").status_code == 200
