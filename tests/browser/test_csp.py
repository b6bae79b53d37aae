"""The pages people use most, and the API docs, under the enforced Content-Security-Policy in
Chromium: nothing refused (the page fixture fails on any violation), nothing fetched from
another origin."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from interviews.models import Study
from tests.browser.conftest import login
from tests.factories import make_interview

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_and_api_docs_run_under_the_policy(page: Any, live_server: Any, study: Study) -> None:
    interview = make_interview(study=study, dyad="D01")
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((live_server.url, "data:", "blob:"))
            else None
        ),
    )
    login(page, "lead")
    for url in (
        f"/studies/{study.slug}/",
        f"/interviews/{interview.pk}/",
        f"/interviews/{interview.pk}/transcript/",
        f"/dyads/{interview.dyad_id}/case-study/",
        f"/studies/{study.slug}/comparison/",
        "/api/docs/",
        "/api/redoc/",
    ):
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        page.wait_for_load_state("networkidle")
    assert page.url.endswith("/api/docs/")  # /api/redoc/ opens the local Swagger UI
    expect(page.locator("#swagger-ui")).to_be_attached()
    assert outside == []
    assert page.script_errors == []
    assert page.csp_violations == []
