"""Forged provenance (issue 14, finding 1): the attack, and why it fails now.

A viewer edited a whole-study export so that it named a new username, enrolled an existing
user as lead, and credited a coding and a memo to another real user in 2019, then imported it:
the server created the account, enrolled the users and wrote the work as theirs, back-dated.
Now a non-staff import is refused everywhere (API, job, command, REFI new study); a staff import
creates placeholders only, enrols no one but the importer, dates every row now, and keeps what
the file claims as imported metadata in one audit event.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from coding.exchange.registry import ExportOptions
from coding.exchange.study_import import study_import
from coding.exports import export_study_bytes, study_format
from coding.models import Coding, Memo
from healing.audit.models import AuditEvent
from healing.jobs.models import Job
from interviews.models import Membership, PlaceholderPerson, Study
from tests.rich_study import Rich, build_rich_study

pytestmark = pytest.mark.django_db

FORGED_TIME = "2019-03-01T09:00:00+00:00"


@pytest.fixture
def rich(study: Study, lead: Any, coder: Any, coder2: Any) -> Rich:
    return build_rich_study(study=study, lead=lead, coder=coder, coder2=coder2)


def forged(rich: Rich, victim: Any, credited: Any) -> bytes:
    """The viewer's edit: a new username, ``victim`` enrolled as lead, and a coding and a memo
    credited to ``credited`` in 2019."""
    document = json.loads(
        export_study_bytes(
            study=rich.study, fmt=study_format("json"), options=ExportOptions(), via="command"
        )
    )
    document["study"]["slug"] = "forged"
    document["users"] += [
        {"username": "mallory-new", "first_name": "Mal", "last_name": "Lory"},
        {"username": victim.username, "first_name": "V", "last_name": "Ictim"},
    ]
    document["users"] = list({u["username"]: u for u in document["users"]}.values())
    document["members"] += [
        {"user": "mallory-new", "role": "coder", "adjudicator": False, "created": FORGED_TIME},
        {"user": victim.username, "role": "lead", "adjudicator": True, "created": FORGED_TIME},
    ]
    document["codings"][0].update(coder=credited.username, created=FORGED_TIME)
    document["codings"][0]["updated"] = "2020-01-01T00:00:00+00:00"
    document["memos"][0].update(author=credited.username, created=FORGED_TIME)
    document["memos"][0]["updated"] = "2020-06-01T00:00:00+00:00"
    return json.dumps(document).encode()


def test_a_viewer_cannot_import_a_whole_study(
    rich: Rich, viewer: Any, outsider: Any, tmp_path: Path
) -> None:
    data = forged(rich, victim=outsider, credited=rich.study.created_by)
    users_before = get_user_model().objects.count()
    client = APIClient()
    client.force_authenticate(viewer)
    response = client.post(
        "/api/v1/study-imports/",
        {"file": SimpleUploadedFile("forged.json", data)},
        format="multipart",
    )
    assert response.status_code == 403
    assert "staff" in response.json()["error"]["message"]
    assert not Job.objects.exists()
    with pytest.raises(PermissionDenied):
        study_import(data=data, actor=viewer)
    path = tmp_path / "forged.json"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="staff"):
        call_command("import_study", str(path), user=viewer.username)
    page = client.post(
        "/api/v1/refi/imports/",
        {"file": SimpleUploadedFile("p.qdpx", b"PK"), "slug": "x", "title": "X"},
        format="multipart",
    )
    assert page.status_code == 403
    assert not Study.objects.filter(slug="forged").exists()
    assert get_user_model().objects.count() == users_before


def test_any_user_may_import_when_the_setting_says_so(
    rich: Rich, viewer: Any, outsider: Any, settings: Any
) -> None:
    settings.HEALING_STUDY_IMPORT = "any"
    study = study_import(data=forged(rich, outsider, rich.study.created_by), actor=viewer)
    assert Membership.objects.get(study=study).user == viewer


def test_a_staff_import_of_the_forged_file_writes_no_one_s_name_and_no_past_time(
    rich: Rich, lead: Any, outsider: Any, viewer: Any
) -> None:
    staff = viewer
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    real_ids = set(get_user_model().objects.values_list("pk", flat=True))
    started = timezone.now()
    study = study_import(data=forged(rich, victim=outsider, credited=lead), actor=staff)

    # No account: not "mallory-new", and the victim is not enrolled; only placeholders are new.
    assert not get_user_model().objects.filter(username="mallory-new").exists()
    new = get_user_model().objects.exclude(pk__in=real_ids)
    assert new.exists()
    assert all(not u.is_active and not u.has_usable_password() for u in new)
    assert PlaceholderPerson.objects.filter(user__in=new).count() == new.count()
    assert list(Membership.objects.filter(study=study).values_list("user", "role")) == [
        (staff.pk, "lead")
    ]
    assert not Membership.objects.filter(study=study, user=outsider).exists()
    # No row of the new study is authored by a real user, none is back-dated.
    codings = Coding.objects.filter(interview__dyad__study=study)
    memos = Memo.objects.filter(study=study)
    assert not codings.filter(coder_id__in=real_ids).exists()
    assert not memos.filter(author_id__in=real_ids).exists()
    assert not codings.filter(created__lt=started).exists()
    assert not memos.filter(created__lt=started).exists()
    assert study.created >= started
    assert study.created_by == staff
    # What the file claims is imported metadata, in the one audit event of the import.
    events = AuditEvent.objects.filter(study=study)
    assert list(events.values_list("action", flat=True)) == ["import"]
    imported = events.get().after["imported"]
    authors = {a["username"]: a for a in imported["authors"]}
    assert authors["lead"]["credited"]["codings"] >= 1
    assert authors["lead"]["credited"]["memos"] >= 1
    assert authors["lead"]["placeholder"].startswith("imported-lead")
    assert authors["mallory-new"]["placeholder"].startswith("imported-mallory-new")
    assert {"user": outsider.username, "role": "lead", "adjudicator": True} in imported["members"]
    assert imported["times"]["codings"][0] == FORGED_TIME
    assert dt.datetime.fromisoformat(imported["times"]["memos"][0]).year == 2019
