"""Backup and restore of a study database (issue 14, finding 11; docs/operations.md).

On PostgreSQL: ``pg_dump --format=custom`` of the test database and ``pg_restore`` into a new
one, exactly the documented recipe; on SQLite: the online backup. Every row of every table comes
back, with the transcripts' and job files' bytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from coding.job_kinds import JobKind
from coding.services import memo_create
from healing.jobs.models import Job
from healing.jobs.services import job_add_output
from tests.rich_study import build_rich_study

pytestmark = pytest.mark.django_db(transaction=True)


def _tables(cursor: Any) -> list[str]:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return sorted(row[0] for row in cursor.fetchall() if not row[0].startswith("sqlite_"))


def _fingerprint(cursor: Any) -> dict[str, Any]:
    """Rows per table, and a hash of every transcript and job file."""
    found: dict[str, Any] = {}
    for table in _tables(cursor):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        found[table] = cursor.fetchone()[0]
    cursor.execute('SELECT id, "text" FROM interviews_interview ORDER BY id')
    found["texts"] = [(pk, hashlib.sha256(text.encode()).hexdigest()) for pk, text in cursor]
    cursor.execute("SELECT id, data FROM coding_jobfile ORDER BY id")
    found["files"] = [(pk, hashlib.sha256(bytes(data)).hexdigest()) for pk, data in cursor]
    return found


def _build(study: Any, lead: Any, coder: Any, coder2: Any) -> None:
    rich = build_rich_study(study=study, lead=lead, coder=coder, coder2=coder2)
    memo_create(study=study, author=lead, body="A memo to keep.", interview=rich.patient)
    assert rich.patient.dyad.case_study.summary  # the rich study has a case study
    # A finished job with its file, written directly: no broker is involved in a backup.
    job = Job.objects.create(
        kind=JobKind.EXPORT, user=lead, study=study, params={"format": "csv"}, state="succeeded"
    )
    job_add_output(job=job, name="export.csv", data=b"a,b\r\n1,2\r\n", content_type="text/csv")


def test_a_backup_restores_every_row(study: Any, lead: Any, coder: Any, coder2: Any) -> None:
    _build(study, lead, coder, coder2)
    with connection.cursor() as cursor:
        before = _fingerprint(cursor)
    assert before["coding_coding"] > 0
    assert before["coding_auditevent"] > 0
    assert before["files"]
    after = _pg_dump_and_restore() if connection.vendor == "postgresql" else _sqlite_backup()
    assert after == before


def _pg_dump_and_restore() -> dict[str, Any]:
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.fail("pg_dump and pg_restore are needed (postgresql-client)")
    params = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": params.get("HOST") or "127.0.0.1",
        "PGPORT": str(params.get("PORT") or 5432),
        "PGUSER": params.get("USER") or "postgres",
        "PGPASSWORD": params.get("PASSWORD") or "",
    }
    restored = f"{params['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "healing.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), params["NAME"]],
            env=env,
            check=True,
        )
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{restored}"')
        try:
            subprocess.run(
                ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)],
                env=env,
                check=True,
            )
            import psycopg2

            other = psycopg2.connect(
                dbname=restored,
                host=env["PGHOST"],
                port=env["PGPORT"],
                user=env["PGUSER"],
                password=env["PGPASSWORD"],
            )
            try:
                with other.cursor() as cursor:
                    return _fingerprint(cursor)
            finally:
                other.close()
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')


def _sqlite_backup() -> dict[str, Any]:
    source = connection.connection
    assert source is not None
    copy = sqlite3.connect(":memory:")
    try:
        source.backup(copy)
        return _fingerprint(copy.cursor())
    finally:
        copy.close()
