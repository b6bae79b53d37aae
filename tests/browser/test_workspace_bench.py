"""The workspace-browser benchmark suite runs (at a small size here) in the test's Chromium."""

from __future__ import annotations

import io
from typing import Any

import pytest

from coding.benchmarks import BenchContext
from coding.benchmarks import workspace as suite

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_browser_suite_times_the_workspace_in_chromium(
    browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(suite, "WORDS", 1_500)
    monkeypatch.setattr(suite, "CODINGS", 60)
    out = io.StringIO()
    ctx = BenchContext(out=out, repeat=1)
    suite.measure_workspace_in_browser(ctx, browser)
    report = out.getvalue()
    assert "workspace interactive in Chromium" in report, report
    assert "60 stripes drawn" in report, report
    assert "code a passage in Chromium" in report, report
    assert [m.name for m in ctx.results] == [
        "workspace interactive in Chromium (1280×800)",
        "code a passage in Chromium (Enter → stripe)",
    ]
    assert all(0 < second < 30 for m in ctx.results for second in m.seconds)
