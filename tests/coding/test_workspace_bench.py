"""The workspace benchmark suite runs (at a small size here) and prints its rows; the Chromium
suite is run by tests/browser/test_workspace_bench.py."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from coding.benchmarks import workspace as suite
from coding.models import Coding
from interviews.models import Study

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
