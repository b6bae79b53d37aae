"""Moving jobs, the audit trail and API tokens to ``healing/`` changed Django's state only: a
database at the previous schema (coding 0003, interviews 0002) migrates forward and every row is
there, read through the new models."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from healing.audit.models import AuditEvent
from healing.jobs.models import Job, JobFile
from healing.tokens.models import ApiToken

BEFORE = [
    ("coding", "0003_adjudication_agreed"),
    ("interviews", "0002_interview_text_length"),
    ("jobs", None),
    ("audit", None),
    ("tokens", None),
]


def _migrate(targets: list[tuple[str, str | None]]) -> Any:
    """Migrate to ``targets``; the apps registry of the state reached."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest() -> list[tuple[str, str | None]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_jobs_audit_events_and_tokens_survive_the_move() -> None:
    old = _migrate(BEFORE)
    # At the previous schema the models are coding's and interviews' own.
    with pytest.raises(LookupError):
        old.get_model("jobs", "Job")
    user = old.get_model("auth", "User").objects.create(username="lead")
    study = old.get_model("interviews", "Study").objects.create(
        slug="s", title="S", created_by=user
    )
    dyad = old.get_model("interviews", "Dyad").objects.create(study=study, label="D01")
    interview = old.get_model("interviews", "Interview").objects.create(
        dyad=dyad, perspective="patient", text="Hello.", text_sha256="0" * 64
    )
    old_job = old.get_model("coding", "Job").objects.create(
        kind="export",
        study=study,
        user=user,
        state="succeeded",
        progress=100,
        params={"format": "csv"},
        result={"file": "s.csv"},
    )
    old.get_model("coding", "Job").objects.create(kind="import_transcripts", user=user)
    old_file = old.get_model("coding", "JobFile").objects.create(
        job=old_job, direction="output", name="s.csv", size=3, data=b"a,b"
    )
    old_event = old.get_model("coding", "AuditEvent").objects.create(
        study=study,
        interview=interview,
        actor=user,
        action="update",
        object_type="interview",
        object_id=str(interview.pk),
        before={"title": ""},
        after={"title": "First"},
    )
    old_token = old.get_model("interviews", "ApiToken").objects.create(
        user=user, name="R", prefix="hl_abc", key_hash="f" * 64
    )

    _migrate(_latest())

    job = Job.objects.get(pk=old_job.pk)
    assert (job.kind, job.study_id, job.user_id, job.state, job.progress) == (
        "export",
        study.pk,
        user.pk,
        "succeeded",
        100,
    )
    assert (job.params, job.result) == ({"format": "csv"}, {"file": "s.csv"})
    assert job.get_kind_display() == "Export"  # the kind coding registered
    assert Job.objects.count() == 2
    stored = JobFile.objects.get(pk=old_file.pk)
    assert (stored.job_id, stored.name, bytes(stored.data)) == (job.pk, "s.csv", b"a,b")
    event = AuditEvent.objects.get(pk=old_event.pk)
    assert (event.study_id, event.interview_id, event.actor_id) == (study.pk, interview.pk, user.pk)
    assert (event.before, event.after) == ({"title": ""}, {"title": "First"})
    token = ApiToken.objects.get(pk=old_token.pk)
    assert (token.user_id, token.name, token.key_hash) == (user.pk, "R", "f" * 64)
    # Permissions and admin history follow the models to their new apps.
    assert ContentType.objects.get_for_model(Job).app_label == "jobs"
    assert not ContentType.objects.filter(app_label="coding", model="job").exists()
    # The tables are the ones the rows were written to.
    assert Job._meta.db_table == "coding_job"
    assert AuditEvent._meta.db_table == "coding_auditevent"
    assert ApiToken._meta.db_table == "interviews_apitoken"
