"""Shared fixtures: personas (lead, coder, second coder, viewer, outsider) and a small study."""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

from interviews.models import Interview, Role, Study
from tests.factories import PASSWORD, UserFactory, make_interview, make_study

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    """Outside CI a missing tool skips the test; in CI nothing may be skipped."""
    if IN_CI:
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """A fast hasher for the personas' passwords: PBKDF2 costs about a second per test for
    nothing the tests check (production keeps Django's default)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    """API rate limits off: suites send thousands of requests as one persona, and the counters
    would live in a cache shared by parallel workers. tests/test_authentication.py turns them on
    with its own cache."""
    settings.HEALING_API_RATES = {"user": None, "token": None, "anon": None}
    # Tests start many jobs in one on-commit capture, all pending until it ends.
    settings.HEALING_MAX_ACTIVE_JOBS_PER_USER = 1000


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def lead(db: Any) -> Any:
    return UserFactory(username="lead", first_name="Lena", last_name="Ortiz")


@pytest.fixture
def coder(db: Any) -> Any:
    return UserFactory(username="coder", first_name="Ana", last_name="Ruiz")


@pytest.fixture
def coder2(db: Any) -> Any:
    return UserFactory(username="coder2", first_name="Ben", last_name="Clarke")


@pytest.fixture
def viewer(db: Any) -> Any:
    return UserFactory(username="viewer", first_name="Vera", last_name="Lind")


@pytest.fixture
def outsider(db: Any) -> Any:
    return UserFactory(username="outsider", first_name="Otto", last_name="Side")


@pytest.fixture
def study(lead: Any, coder: Any, coder2: Any, viewer: Any, outsider: Any) -> Study:
    """A study with the healing codebook; the outsider is a member of another study only."""
    made = make_study(lead=lead, coder=Role.CODER, coder2=Role.CODER, viewer=Role.VIEWER)
    make_study(lead=outsider, slug="other-study")
    return made


@pytest.fixture
def other_study(study: Study) -> Study:
    return Study.objects.get(slug="other-study")


@pytest.fixture
def interview(study: Study, lead: Any) -> Interview:
    return make_interview(study=study, by=lead)


@pytest.fixture
def personas(lead: Any, coder: Any, coder2: Any, viewer: Any, outsider: Any) -> dict[str, Any]:
    return {"lead": lead, "coder": coder, "coder2": coder2, "viewer": viewer, "outsider": outsider}


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(autouse=True)
def _celery_eager_unless_worker_test(request: pytest.FixtureRequest) -> Any:
    """Jobs run in-process in tests, even where REDIS_URL is set, except in worker tests."""
    from healing.celery import app

    eager = request.node.get_closest_marker("worker") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous
