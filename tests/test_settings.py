"""Settings come from the environment; a malformed value stops start-up naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k
    not in {
        "DATABASE_URL",
        "REDIS_URL",
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "HEALING_MAX_UPLOAD_BYTES",
        "HEALING_STUDY_CREATORS",
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests in this process
    }
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**CLEAN, "HEALING_VAR_DIR": str(ROOT / "var"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"HEALING_MAX_UPLOAD_BYTES": "ten"}, "HEALING_MAX_UPLOAD_BYTES"),
        ({"HEALING_MAX_UPLOAD_BYTES": "12"}, "HEALING_MAX_UPLOAD_BYTES"),
        ({"DATABASE_URL": "mysql://root@localhost/db"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgres://host:notaport/db"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL"),
        ({"ALLOWED_HOSTS": "a.org,,b.org"}, "ALLOWED_HOSTS"),
        ({"HEALING_STUDY_CREATORS": "everyone"}, "HEALING_STUDY_CREATORS"),
    ],
)
def test_malformed_setting_stops_start_up_naming_the_variable(
    env: dict[str, str], named: str
) -> None:
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.strip().splitlines()[-1]


def test_production_mode_refuses_to_start_without_secret_key() -> None:
    result = manage("check", DEBUG="false", ALLOWED_HOSTS="healing.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_mode_refuses_to_start_without_allowed_hosts() -> None:
    result = manage("check", DEBUG="false", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_check_deploy_is_clean_in_production_mode() -> None:
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k8Zp2-vQ9w!xR4tY7uI0oP3aS6dF1gH5jK8lZ2xC5vB8nM1qW4eR7tY0uI3oP6a",
        ALLOWED_HOSTS="healing.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_embedded_default_uses_sqlite_under_var_and_eager_celery() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
        "s.CELERY_TASK_ALWAYS_EAGER, s.STUDY_CREATORS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **CLEAN,
            "DJANGO_SETTINGS_MODULE": "healing.settings",
            "HEALING_VAR_DIR": str(ROOT / "var"),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    engine, name, eager, creators = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name == str(ROOT / "var" / "healing.sqlite3")
    assert eager == "True"
    assert creators == "any"  # one person on their own machine creates studies


def test_database_and_redis_urls_switch_to_postgresql_and_a_broker() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], "
        "s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.STUDY_CREATORS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **CLEAN,
            "DJANGO_SETTINGS_MODULE": "healing.settings",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/somedb",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "somedb",
        "False",
        "redis://127.0.0.1:6379/3",
        "staff",  # a team server: staff create studies unless HEALING_STUDY_CREATORS=any
    ]
