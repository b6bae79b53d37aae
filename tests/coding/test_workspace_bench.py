"""The workspace benchmark suites run (at a small size here) and print their rows."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from coding.benchmarks import workspace as suite
from coding.models import Coding
from interviews.models import Study
from tests.conftest import chromium_path, skip_or_fail

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(suite, "WORDS", 1_500)
    monkeypatch.setattr(suite, "CODINGS", 60)


def test_the_workspace_suite_measures_load_create_poll_and_page(small: None) -> None:
    out = io.StringIO()
    call_command("bench", "--only", "workspace", "--repeat", "1", stdout=out)
    report = out.getvalue()
    for row in (
        "load workspace JSON",
        "create one coding",
        "poll for changes, nothing new",
        "workspace page HTML",
    ):
        assert row in report, report
    assert "60 codings" in report
    assert "0 upserts" in report
    # The suite cleans up after itself.
    assert not Study.objects.filter(slug__startswith="bench-workspace").exists()
    assert not Coding.objects.exists()


@pytest.mark.browser
def test_the_browser_suite_times_the_workspace_in_chromium(small: None, settings: Any) -> None:
    if chromium_path() is None:
        skip_or_fail("Debian's chromium is not installed (apt-get install chromium)")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = io.StringIO()
    call_command("bench", "--only", "workspace-browser", "--repeat", "1", stdout=out)
    report = out.getvalue()
    assert "workspace interactive in Chromium" in report, report
    assert "60 stripes drawn" in report, report
    assert "code a passage in Chromium" in report, report
