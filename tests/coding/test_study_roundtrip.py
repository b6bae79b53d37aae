"""A whole study moves between servers: export → import into an empty database → export again
gives the same data; a bad file is refused with a message and stores nothing."""

from __future__ import annotations

import copy
import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from coding.exchange.registry import ExportOptions
from coding.exchange.study_import import StudyImportError, study_import
from coding.exports import export_study_bytes, study_format
from coding.models import Adjudication, CaseStudySection, Code, CodebookVersion, Coding, Memo
from coding.selectors import codebook_version_snapshots
from healing.audit.models import AuditEvent
from healing.jobs.models import Job, JobState
from interviews.models import Dyad, Interview, Membership, Study
from tests.factories import code
from tests.rich_study import Rich, build_rich_study

pytestmark = pytest.mark.django_db

ID_COLUMNS = {"interview_id", "coding_id", "exported_at"}


@pytest.fixture
def importer(outsider: Any) -> Any:
    """A staff account: only staff import a whole study (HEALING_STUDY_IMPORT=staff)."""
    outsider.is_staff = True
    outsider.save(update_fields=["is_staff"])
    return outsider


AUTHOR_KEYS = {
    "created_by", "user", "coder", "author", "updated_by", "assigned_by", "coder_a", "coder_b",
    "accepted", "decided_by",
}  # fmt: skip


def provenance_free(value: Any, names: dict[str, str]) -> Any:
    """A whole-study document with its people renamed by ``names`` (the file's usernames to
    their placeholders) and without the times and importer a new import sets anew: what an
    import keeps (issue 14: authors become placeholders, rows are created at the import)."""
    if isinstance(value, dict):
        return {
            key: (names.get(item, item) if key in AUTHOR_KEYS else provenance_free(item, names))
            for key, item in value.items()
            if key not in {"created", "updated", "exported_at", "imported_by", "members", "users"}
        }
    if isinstance(value, list):
        return [provenance_free(item, names) for item in value]
    return value


@pytest.fixture
def rich(study: Study, lead: Any, coder: Any, coder2: Any) -> Rich:
    return build_rich_study(study=study, lead=lead, coder=coder, coder2=coder2)


def export(study: Study, name: str) -> bytes:
    return export_study_bytes(
        study=study, fmt=study_format(name), options=ExportOptions(), via="command"
    )


def segments_without_ids(data: bytes) -> list[dict[str, str]]:
    """CSV rows without the columns that are this server's ids or the export time."""
    return [
        {k: v for k, v in row.items() if k not in ID_COLUMNS}
        for row in csv.DictReader(io.StringIO(data.decode("utf-8")))
    ]


def empty_the_database() -> None:
    for study in Study.objects.all():
        study.delete()
    AuditEvent.objects.all().delete()
    get_user_model().objects.all().delete()


def settle_and_merge(rich: Rich, lead: Any, coder: Any, coder2: Any) -> None:
    """A decision settling the coders' disagreement, and a code merged into another."""
    from coding.services import code_create
    from coding.team.services import adjudication_decide, code_merge

    start = rich.patient.text.index("Café talk")
    adjudication_decide(
        interview=rich.patient, code=code(rich.study, "VAL.CON"), start=start,
        end=start + len("Café talk"), decision="accept", actor=lead, coder_a=coder,
        coder_b=coder2, accepted=coder2, note="Ben's reading",
    )  # fmt: skip
    spare = code_create(codebook=rich.study.codebook, key="SPARE", name="Spare", actor=lead)
    code_merge(source=spare, target=code(rich.study, "VAL"), actor=lead)


def test_export_import_into_an_empty_database_export_again_gives_the_same_data(
    rich: Rich, tmp_path: Path, lead: Any, coder: Any, coder2: Any
) -> None:
    settle_and_merge(rich, lead, coder, coder2)
    first_json = export(rich.study, "json")
    first_csv = export(rich.study, "csv")
    document = json.loads(first_json)
    assert {name: len(document[name]) for name in ("users", "members", "dyads", "codings")} == {
        "users": 4,
        "members": 4,
        "dyads": 2,
        "codings": 9,
    }
    assert len(document["memos"]) == 5
    assert len(document["case_studies"][0]["sections"][0]["evidence"]) == 2
    assert len(document["assignments"]) == 2
    assert len(document["adjudications"]) == 1
    decision = document["adjudications"][0]
    assert decision["accepted"] == "coder2"
    assert decision["result"][0][0] in {c["guid"] for c in document["codings"]}
    spare = next(c for c in document["codebook"]["codes"] if c["key"] == "SPARE")
    assert spare["merged_into"] == str(code(rich.study, "VAL").guid)
    versions = [v["number"] for v in document["codebook"]["versions"]]
    assert versions == list(range(1, rich.study.codebook.version + 1))
    assert "password" not in first_json.decode()
    assert "@example.org" not in first_json.decode()

    path = tmp_path / "study.json"
    path.write_bytes(first_json)
    empty_the_database()
    assert not Coding.objects.exists()
    assert not get_user_model().objects.exists()
    get_user_model().objects.create_superuser("admin", "admin@example.org", "x-long-pass")
    call_command("import_study", str(path), user="admin")

    # What the data says is kept; who did it is kept as placeholders carrying the file's names
    # (imported-<username>), and when as imported metadata in the audit event.
    study = Study.objects.get(slug="study")
    second_json = json.loads(export(study, "json"))
    names = {u["username"]: f"imported-{u['username']}" for u in document["users"]}
    assert second_json["study"].pop("created_by") == "admin"  # the importer created it here
    document["study"].pop("created_by")
    assert provenance_free(second_json, {}) == provenance_free(document, names)
    # The people the data names (the file's viewer, a member only, is no one here now).
    assert {(u["username"], u["first_name"], u["last_name"]) for u in second_json["users"]} <= {
        ("admin", "", ""),
        *((names[u["username"]], u["first_name"], u["last_name"]) for u in document["users"]),
    }
    assert second_json["members"] == [
        {"user": "admin", "role": "lead", "adjudicator": False, "created": ANY}
    ]
    first_rows, second_rows = (
        segments_without_ids(first_csv),
        segments_without_ids(export(study, "csv")),
    )
    assert len(first_rows) == len(second_rows)

    # What the database holds is whole, not only what the export shows.
    interview = Interview.objects.get(dyad__label="D01", perspective="patient")
    assert interview.text == rich.patient.text
    exported = next(i for i in document["interviews"] if i["guid"] == str(interview.guid))
    assert interview.turns.count() == len(exported["turns"]) == 4
    assert interview.created > rich.patient.created  # created by this import, not back-dated
    assert Coding.objects.get(guid=rich.codings[0].guid).created > rich.codings[0].created
    section = CaseStudySection.objects.get()
    assert {c.guid for c in section.evidence.all()} == {
        rich.codings[0].guid,
        rich.codings[4].guid,
    }
    assert Memo.objects.get(coding__isnull=False).coding.guid == rich.codings[0].guid
    humour = Code.objects.get(key="VAL.CON.HUMOR")
    assert humour.parent.key == "VAL.CON"
    latest = CodebookVersion.objects.get(number=4)
    codes = codebook_version_snapshots(codebook=latest.codebook, numbers=[4])[4]
    entry = next(e for e in codes if e["key"] == "VAL.CON.HUMOR")
    assert entry["id"] == humour.pk
    assert entry["parent"] == humour.parent_id
    # The file's people are placeholders: inactive, no password, no member, named as the file.
    coder = get_user_model().objects.get(username="imported-coder")
    assert (coder.is_active, coder.has_usable_password()) == (False, False)
    assert coder.first_name == "Ana"
    assert coder.placeholder.claimed_username == "coder"
    assert not Membership.objects.filter(user=coder).exists()
    event = AuditEvent.objects.get(action="import")
    assert event.after["codings"] == 9
    adjudication = Adjudication.objects.get()
    assert adjudication.accepted.username == "imported-coder2"
    assert Coding.objects.get(pk=adjudication.result[0][0]).layer == "consensus"
    assert Code.objects.get(key="SPARE").merged_into.key == "VAL"


def test_a_study_can_be_imported_beside_itself_under_another_slug(
    rich: Rich, importer: Any
) -> None:
    copy_of = study_import(data=export(rich.study, "json"), actor=importer, slug="study-copy")
    assert copy_of.slug == "study-copy"
    assert Coding.objects.filter(interview__dyad__study=copy_of).count() == 8
    assert Dyad.objects.filter(study=copy_of).count() == 2
    # The file's four people become four placeholders; the real accounts are not touched.
    assert get_user_model().objects.count() == 5 + 4
    assert not Coding.objects.filter(interview__dyad__study=copy_of, coder__placeholder=None)
    with pytest.raises(StudyImportError, match="already exists"):
        study_import(data=export(rich.study, "json"), actor=importer)
    with pytest.raises(StudyImportError, match="reserved"):
        study_import(data=export(rich.study, "json"), actor=importer, slug="new")


def test_the_importer_becomes_the_only_member_a_lead(rich: Rich, importer: Any) -> None:
    imported = study_import(data=export(rich.study, "json"), actor=importer, slug="mine")
    assert list(Membership.objects.filter(study=imported).values_list("user", "role")) == [
        (importer.pk, "lead")
    ]


def _broken(document: dict[str, Any], change: str) -> dict[str, Any]:
    broken = copy.deepcopy(document)
    if change == "span past the text":
        broken["codings"][0]["end"] = 10**6
    elif change == "end before start":
        broken["codings"][0]["start"], broken["codings"][0]["end"] = 9, 3
    elif change == "unknown code":
        broken["codings"][0]["code"] = "00000000-0000-0000-0000-000000000000"
    elif change == "unknown coder":
        broken["codings"][0]["coder"] = "ghost"
    elif change == "unknown field":
        broken["dyads"][0]["colour"] = "red"
    elif change == "wrong type":
        broken["interviews"][0]["word_count"] = "many"
    elif change == "duplicate dyad":
        broken["dyads"].append(broken["dyads"][0])
    elif change == "bad attribute value":
        broken["dyads"][0]["attributes"]["years_together"] = "twelve"
    elif change == "no lead":
        broken["members"] = [m for m in broken["members"] if m["role"] != "lead"]
    elif change == "turn outside the text":
        broken["interviews"][0]["turns"][0][4] = 10**6
    elif change == "parent cycle":
        codes = broken["codebook"]["codes"]
        codes[0]["parent"] = codes[1]["guid"]
        codes[1]["parent"] = codes[0]["guid"]
    elif change == "duplicate coding":
        broken["codings"].append(dict(broken["codings"][0], guid=broken["dyads"][0]["guid"]))
    elif change == "memo with two targets":
        broken["memos"][0]["dyad"] = "D01"
        broken["memos"][0]["code"] = broken["codebook"]["codes"][0]["guid"]
    return broken


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("span past the text", "not inside the interview's text"),
        ("end before start", "not inside"),
        ("unknown code", "no code"),
        ("unknown coder", "not in the users list"),
        ("unknown field", "Additional properties are not allowed"),
        ("wrong type", "is not of type 'integer'"),
        ("duplicate dyad", "Two dyad labels are the same"),
        ("bad attribute value", "years_together"),
        ("no lead", "no lead"),
        ("turn outside the text", r"interviews\[0\]\.turns\[0\]"),
        ("parent cycle", "its own ancestor"),
        ("duplicate coding", "breaks a rule of the database"),
        ("memo with two targets", "at most one target"),
    ],
)
def test_a_bad_file_is_refused_and_stores_nothing(
    rich: Rich, importer: Any, change: str, message: str
) -> None:
    document = json.loads(export(rich.study, "json"))
    before = (Study.objects.count(), Coding.objects.count(), get_user_model().objects.count())
    with pytest.raises(StudyImportError, match=message):
        study_import(data=_broken(document, change), actor=importer, slug="broken")
    after = (Study.objects.count(), Coding.objects.count(), get_user_model().objects.count())
    assert after == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[1, 2]", "not a whole-study export"),
        (b'{"format": "healing-study", "version": 99}', "version 99"),
        (b"\x1f\x8b\x08\x00garbage", "damaged"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ],
)
def test_a_file_that_is_not_a_study_export_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(StudyImportError, match=message):
        study_import(data=data)
    assert not Study.objects.exists()


def test_the_import_command_reports_a_bad_file(tmp_path: Path, db: Any) -> None:
    get_user_model().objects.create_superuser("admin", "admin@example.org", "x-long-pass")
    path = tmp_path / "bad.json"
    path.write_text("{}")
    with pytest.raises(CommandError, match=r"bad\.json: This is not a whole-study export"):
        call_command("import_study", str(path), user="admin")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_study", str(tmp_path / "missing.json"), user="admin")


def test_the_api_imports_a_gzipped_study_as_a_job(
    rich: Rich, importer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = gzip.compress(export(rich.study, "json"))
    client = APIClient()
    client.force_authenticate(importer)
    upload = SimpleUploadedFile("study.json.gz", data, content_type="application/gzip")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/study-imports/", {"file": upload, "slug": "moved"}, format="multipart"
        )
    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.result["study"] == "moved"
    assert job.study is not None
    assert job.study.slug == "moved"
    assert client.get("/api/v1/studies/moved/").json()["role"] == "lead"
    assert client.get("/api/v1/codings/?study=moved").json()["results"]


def test_the_api_refuses_a_taken_slug_a_broken_file_and_an_oversize_file(
    rich: Rich, importer: Any, settings: Any
) -> None:
    client = APIClient()
    client.force_authenticate(importer)
    data = export(rich.study, "json")
    taken = client.post(
        "/api/v1/study-imports/",
        {"file": SimpleUploadedFile("s.json", data)},
        format="multipart",
    )
    assert taken.status_code == 400
    assert "slug" in taken.json()["error"]["fields"]
    broken = client.post(
        "/api/v1/study-imports/",
        {"file": SimpleUploadedFile("s.json", b"not json")},
        format="multipart",
    )
    assert broken.status_code == 400
    assert "s.json" in broken.json()["error"]["message"]
    settings.HEALING_MAX_UPLOAD_BYTES = 2048
    large = client.post(
        "/api/v1/study-imports/",
        {"file": SimpleUploadedFile("s.json", data), "slug": "other"},
        format="multipart",
    )
    assert large.status_code == 413
    assert large.json()["error"]["code"] == "too_large"
    assert not Job.objects.exists()
    assert APIClient().post("/api/v1/study-imports/", {}, format="multipart").status_code == 401


def test_a_failed_import_job_says_why(
    rich: Rich, importer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    document = json.loads(export(rich.study, "json"))
    document["codings"][0]["end"] = 10**6
    client = APIClient()
    client.force_authenticate(importer)
    upload = SimpleUploadedFile("s.json", json.dumps(document).encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/study-imports/", {"file": upload, "slug": "nope"}, format="multipart"
        )
    job = Job.objects.get(pk=response.json()["id"])
    assert job.state == JobState.FAILED
    assert "s.json: At codings[0]" in job.error
    assert not Study.objects.filter(slug="nope").exists()


GOOD_CODING = {
    "guid": "0ea301f7-7815-4039-8992-c9adbee13453",
    "interview": "1ea301f7-7815-4039-8992-c9adbee13453",
    "code": "2ea301f7-7815-4039-8992-c9adbee13453",
    "coder": "ana",
    "layer": "individual",
    "start": 0,
    "end": 5,
    "quote": "Hello",
    "memo": "",
    "codebook_version": 1,
    "created": "2024-05-01T09:30:00+00:00",
    "updated": "2024-05-01T09:30:00+00:00",
}


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"start": "0"},
        {"start": True},
        {"start": -1},
        {"end": 2**31},
        {"layer": "mine"},
        {"guid": "not a guid"},
        {"memo": "x" * 10_001},
        {"coder": ""},
        {"colour": "red"},
        {"quote": None},
    ],
)
def test_the_fast_check_of_codings_agrees_with_the_schema(change: dict[str, Any]) -> None:
    """Codings are checked by a fast path; it must accept and refuse what jsonschema does."""
    from jsonschema import Draft202012Validator

    from coding.exchange.study_import.schema import CODING_SCHEMA, _check_flat

    item = {**GOOD_CODING, **change}
    schema_accepts = Draft202012Validator(CODING_SCHEMA).is_valid(item)
    try:
        _check_flat([item], CODING_SCHEMA, "codings")
        fast_accepts = True
    except StudyImportError:
        fast_accepts = False
    assert fast_accepts == schema_accepts == (change == {})


@pytest.mark.parametrize(
    ("turn", "message"),
    [
        ([0, "Jo", "patient", 0, 5], "expected a list of 6 values"),
        ([0, "Jo", "boss", 0, 5, None], r"\[2\]: 'boss' is not one of"),
        ([0, "Jo", "patient", "0", 5, None], r"\[3\]: '0' is not of type 'integer'"),
    ],
)
def test_bad_turns_are_refused_with_their_place(
    rich: Rich, importer: Any, turn: list[Any], message: str
) -> None:
    document = json.loads(export(rich.study, "json"))
    document["interviews"][0]["turns"][0] = turn
    with pytest.raises(StudyImportError, match=message):
        study_import(data=document, actor=importer, slug="broken")
