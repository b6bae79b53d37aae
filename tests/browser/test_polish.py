"""Small defects found on the way (issue 13, item 6), checked in Chromium: the import page's slug
pattern is a valid regular expression under the ``v`` flag and flags a bad slug; the API docs
load nothing from another host."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from interviews.models import Study
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_import_slug_pattern_is_valid_and_flags_a_bad_slug(
    page: Any, live_server: Any, study: Study
) -> None:
    console_errors: list[str] = []
    page.on(
        "console",
        lambda message: console_errors.append(message.text) if message.type == "error" else None,
    )
    login(page, "lead")
    response = page.goto("/exchange/import/")
    assert response is not None
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    slug = "#new-slug"
    # An invalid pattern is reported on the console and switches pattern validation off.
    page.fill(slug, "has spaces!")
    assert page.eval_on_selector(slug, "el => el.validity.patternMismatch") is True
    assert page.eval_on_selector(slug, "el => el.checkValidity()") is False
    for good in ("nvivo-pilot", "pilot_2", "A-b-9"):
        page.fill(slug, good)
        assert page.eval_on_selector(slug, "el => el.validity.patternMismatch") is False, good
    page.fill(slug, "trailing-")
    assert page.eval_on_selector(slug, "el => el.validity.valid") is True
    assert [e for e in console_errors if "pattern" in e.lower()] == []
    assert console_errors == []
    assert page.script_errors == []


def test_api_docs_and_redoc_load_nothing_from_another_host(
    page: Any, live_server: Any, study: Study
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    login(page, "lead")
    for url in ("/api/redoc/", "/api/docs/"):
        requested.clear()
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Healing API")
        outside = [
            seen
            for seen in requested
            if not seen.startswith((f"{live_server.url}/", "data:", "blob:"))
        ]
        assert requested, url
        assert outside == [], f"{url} fetched from another host: {outside}"
    assert page.script_errors == []
