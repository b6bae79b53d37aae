"""The Exchange tab, the new-study import page, a REFI job's page and the mapping screen:
access for every persona, what each may start, escaping, CSRF and pinned query counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coding.job_kinds import JobKind
from coding.models import Coding
from healing.jobs.models import Job, JobState
from healing.jobs.services import job_create
from interviews.models import Interview, Study
from tests.coding.refi.conftest import make_qdpx, project_xml

pytestmark = pytest.mark.django_db

S1 = "11111111-1111-1111-1111-111111111111"
EVIL = "&lt;script&gt;alert(1)&lt;/script&gt;"


def browser(user: Any, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    if user is not None:
        client.force_login(user)
    return client


def small_project(name: str = "D03 patient") -> bytes:
    body = (
        '<Users><User guid="bbbbbbbb-0000-0000-0000-000000000001" name="Lena Ortiz" '
        'id="lead"/></Users>'
        f'<CodeBook><Codes><Code guid="aaaaaaaa-0000-0000-0000-000000000001" name="Trust {EVIL}" '
        'isCodable="true"/></Codes></CodeBook>'
        f'<Sources><TextSource guid="{S1}" name="{name}" plainTextPath="internal://{S1}.txt">'
        '<PlainTextSelection guid="dddddddd-0000-0000-0000-000000000001" startPosition="0" '
        'endPosition="11" creatingUser="bbbbbbbb-0000-0000-0000-000000000001">'
        '<Coding guid="cccccccc-0000-0000-0000-000000000001" '
        'creatingUser="bbbbbbbb-0000-0000-0000-000000000001">'
        '<CodeRef targetGUID="aaaaaaaa-0000-0000-0000-000000000001"/></Coding>'
        "</PlainTextSelection></TextSource></Sources>"
    )
    text = b"Interviewer: <script>alert(2)</script> How are you?\nMaria: Fine.\n"
    return make_qdpx(project_xml(body), {f"sources/{S1}.txt": text})


Run = Callable[..., Any]


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Run:
    """Run a request and the jobs it starts (eagerly, as on a laptop)."""

    def go(call: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return go


@pytest.mark.parametrize("persona", ["lead", "coder", "coder2", "viewer"])
def test_members_see_the_exchange_tab_and_only_leads_see_imports(
    personas: dict[str, Any], study: Study, persona: str
) -> None:
    body = browser(personas[persona]).get("/studies/study/exchange/").content.decode()
    assert "Export project (.qdpx)" in body
    assert 'aria-current="page">Exchange' in body
    assert ("Read the project" in body) is (persona == "lead")
    overview = browser(personas[persona]).get("/studies/study/").content.decode()
    assert "/studies/study/exchange/" in overview


def test_outsiders_get_404_and_anonymous_users_are_sent_to_log_in(
    study: Study, outsider: Any, lead: Any, run: Run
) -> None:
    job = run(
        lambda: browser(lead).post(
            "/studies/study/exchange/", {"action": "export", "format": "qdc"}
        )
    )
    job_url = job["Location"]
    for url in ["/studies/study/exchange/", job_url, job_url + "mapping/"]:
        assert browser(outsider).get(url).status_code == 404, url
        response = browser(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert (
        browser(outsider).post("/studies/study/exchange/", {"action": "export"}).status_code == 404
    )
    response = browser(None).get("/exchange/import/")
    assert response["Location"].startswith("/accounts/login/")
    assert browser(outsider).get("/exchange/import/").status_code == 200


def test_a_viewer_exports_and_downloads_the_project(study: Study, viewer: Any, run: Run) -> None:
    client = browser(viewer)
    response = run(
        lambda: client.post("/studies/study/exchange/", {"action": "export", "format": "qdpx"})
    )
    job = Job.objects.get(kind=JobKind.EXPORT_QDPX)
    assert response["Location"] == f"/exchange/jobs/{job.pk}/"
    assert job.state == JobState.SUCCEEDED
    page = client.get(response["Location"]).content.decode()
    output = job.files.get(direction="output")
    assert f"/api/v1/jobs/{job.pk}/files/{output.pk}/" in page
    download = client.get(f"/api/v1/jobs/{job.pk}/files/{output.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="study.qdpx"'
    assert bytes(download.content).startswith(b"PK")
    listed = client.get("/studies/study/exchange/").content.decode()
    assert f"/exchange/jobs/{job.pk}/" in listed


@pytest.mark.parametrize("persona", ["coder", "viewer"])
def test_only_leads_start_imports(personas: dict[str, Any], study: Study, persona: str) -> None:
    client = browser(personas[persona])
    for action in ("import-project", "import-codebook"):
        response = client.post(
            "/studies/study/exchange/",
            {"action": action, "file": SimpleUploadedFile("x.qdpx", small_project())},
        )
        assert response.status_code == 403
    assert not Job.objects.exists()


def test_writes_need_the_csrf_token(study: Study, lead: Any) -> None:
    client = browser(lead, csrf=True)
    assert (
        client.post("/studies/study/exchange/", {"action": "export", "format": "qdc"}).status_code
        == 403
    )
    assert client.post("/exchange/import/", {"slug": "x", "title": "X"}).status_code == 403
    assert not Job.objects.exists()


def test_the_lead_reads_confirms_and_imports_a_project_into_the_study(
    study: Study, lead: Any, coder2: Any, run: Run
) -> None:
    client = browser(lead)
    response = run(
        lambda: client.post(
            "/studies/study/exchange/",
            {"action": "import-project", "file": SimpleUploadedFile("x.qdpx", small_project())},
        )
    )
    inspect = Job.objects.get()
    assert inspect.state == JobState.SUCCEEDED
    page = client.get(response["Location"]).content.decode()
    assert "Review the mapping and import" in page
    assert not Interview.objects.filter(dyad__study=study).exists()  # nothing stored yet
    mapping = client.get(f"/exchange/jobs/{inspect.pk}/mapping/")
    body = mapping.content.decode()
    assert mapping.status_code == 200
    assert 'value="D03"' in body
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(2)" in body
    form = {
        "sources-0-guid": S1,
        "sources-0-action": "new",
        "sources-0-dyad": "D03",
        "sources-0-perspective": "nurse",
        "users-0-guid": "bbbbbbbb-0000-0000-0000-000000000001",
        "users-0-choice": "member:lead",
    }
    refused = client.post(f"/exchange/jobs/{inspect.pk}/mapping/", form)
    assert refused.status_code == 400
    assert "perspective" in refused.content.decode()
    assert 'value="D03"' in refused.content.decode()
    form["sources-0-perspective"] = "patient"
    done = run(lambda: client.post(f"/exchange/jobs/{inspect.pk}/mapping/", form))
    job = Job.objects.exclude(pk=inspect.pk).get()
    assert done["Location"] == f"/exchange/jobs/{job.pk}/"
    assert job.state == JobState.SUCCEEDED, job.error
    report = client.get(done["Location"]).content.decode()
    assert "Import report" in report
    assert "<script>alert(1)" not in report
    coding = Coding.objects.get(interview__dyad__study=study, interview__dyad__label="D03")
    assert coding.coder == lead
    # A second confirmation is refused; the inspect page links to the import instead.
    again = client.post(f"/exchange/jobs/{inspect.pk}/mapping/", form)
    assert again.status_code == 400
    assert "already" in again.content.decode()
    assert (
        f"/exchange/jobs/{job.pk}/" in client.get(f"/exchange/jobs/{inspect.pk}/").content.decode()
    )
    # Another lead of the study sees the jobs but cannot confirm someone else's import.
    assert browser(coder2).get(f"/exchange/jobs/{inspect.pk}/").status_code == 404


def test_a_new_study_from_a_file_and_its_errors(
    study: Study, outsider: Any, run: Run, settings: Any
) -> None:
    settings.HEALING_STUDY_IMPORT = "any"  # the staff rule: tests/coding/test_import_provenance.py
    client = browser(outsider)
    taken = client.post(
        "/exchange/import/",
        {"slug": "study", "title": "T", "file": SimpleUploadedFile("x.qdpx", small_project())},
    )
    assert taken.status_code == 400
    assert "already exists" in taken.content.decode()
    response = run(
        lambda: client.post(
            "/exchange/import/",
            {
                "slug": "mine",
                "title": "Mine",
                "file": SimpleUploadedFile("x.qdpx", small_project()),
            },
        )
    )
    inspect = Job.objects.get()
    assert response["Location"] == f"/exchange/jobs/{inspect.pk}/"
    done = run(lambda: client.post(f"/exchange/jobs/{inspect.pk}/mapping/", {}))
    assert done.status_code == 302
    mine = Study.objects.get(slug="mine")
    assert mine.memberships.get(user=outsider).role == "lead"
    assert Job.objects.exclude(pk=inspect.pk).get().study == mine


def test_a_bad_file_fails_its_job_with_the_reason_and_stores_nothing(
    study: Study, lead: Any, run: Run
) -> None:
    client = browser(lead)
    response = run(
        lambda: client.post(
            "/studies/study/exchange/",
            {"action": "import-project", "file": SimpleUploadedFile("x.qdpx", b"not a zip")},
        )
    )
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert "not a .qdpx file" in job.error
    page = client.get(response["Location"]).content.decode()
    assert "not a .qdpx file" in page
    assert client.get(f"/exchange/jobs/{job.pk}/mapping/").status_code == 302


def test_a_codebook_import_shows_its_report(study: Study, lead: Any, run: Run) -> None:
    qdc = (
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        b'<Code guid="aaaaaaaa-0000-0000-0000-000000000009" name="New &lt;b&gt;code" '
        b'isCodable="true"/>'
        b"</Codes><Sets/></CodeBook>"
    )
    client = browser(lead)
    response = run(
        lambda: client.post(
            "/studies/study/exchange/",
            {"action": "import-codebook", "file": SimpleUploadedFile("c.qdc", qdc)},
        )
    )
    page = client.get(response["Location"]).content.decode()
    assert "Import report" in page
    assert "<b>code" not in page


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_query_counts_do_not_grow_with_jobs(study: Study, lead: Any, run: Run) -> None:
    client = browser(lead)
    first = run(
        lambda: client.post("/studies/study/exchange/", {"action": "export", "format": "qdpx"})
    )
    before = _queries(client, "/studies/study/exchange/")
    job_page = _queries(client, first["Location"])
    for _ in range(3):
        run(lambda: client.post("/studies/study/exchange/", {"action": "export", "format": "qdc"}))
    job_create(kind=JobKind.EXPORT_QDPX, user=lead, study=study, params={"format": "qdc"})
    assert _queries(client, "/studies/study/exchange/") == before
    # session, user, study + access, jobs, their output files
    assert before <= 5
    # session, user, job, output files
    assert job_page <= 4
    inspect = run(
        lambda: client.post(
            "/studies/study/exchange/",
            {"action": "import-project", "file": SimpleUploadedFile("x.qdpx", small_project())},
        )
    )
    # session, user, job with its files, the import that may follow it
    assert _queries(client, inspect["Location"]) <= 5
    # session, user, job and files: the plan holds everything else
    assert _queries(client, inspect["Location"] + "mapping/") <= 4


@pytest.mark.parametrize(
    ("persona", "own_job", "others_job", "mapping"),
    [
        ("lead", 200, 200, 404),  # a lead sees every job of the study, confirms only their own
        ("coder", 200, 404, 404),
        ("viewer", 200, 404, 404),
        ("outsider", 200, 404, 404),
    ],
)
def test_job_pages_for_every_persona(
    personas: dict[str, Any],
    study: Study,
    coder2: Any,
    run: Run,
    persona: str,
    own_job: int,
    others_job: int,
    mapping: int,
    settings: Any,
) -> None:
    settings.HEALING_STUDY_IMPORT = "any"  # the staff rule: tests/coding/test_import_provenance.py
    user = personas[persona]
    assert browser(user).get("/exchange/import/").status_code == 200
    mine = run(
        lambda: browser(user).post(
            "/exchange/import/",
            {
                "slug": f"s-{persona}",
                "title": "T",
                "file": SimpleUploadedFile("x.qdpx", small_project()),
            },
        )
    )
    assert browser(user).get(mine["Location"]).status_code == own_job
    assert browser(user).get(mine["Location"] + "mapping/").status_code == 200
    others = run(
        lambda: browser(coder2).post(
            "/studies/study/exchange/", {"action": "export", "format": "qdc"}
        )
    )
    assert browser(user).get(others["Location"]).status_code == others_job
    inspect = Job.objects.create(
        kind=JobKind.IMPORT_QDPX,
        user=coder2,
        study=study,
        state=JobState.SUCCEEDED,
        params={"format": "qdpx", "stage": "inspect"},
        result={"plan": {"sources": [], "cases": [], "users": []}},
    )
    assert browser(user).get(f"/exchange/jobs/{inspect.pk}/mapping/").status_code == mapping
    assert browser(user).post(f"/exchange/jobs/{inspect.pk}/mapping/", {}).status_code == mapping
    assert browser(None).get(mine["Location"]).status_code == 302
