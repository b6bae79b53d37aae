"""Code relations and word frequencies in Chromium: open the co-occurrence table and switch it
to "within N turns", click a word for its keyword-in-context lines and open one in the
workspace, and download the word chart as PNG."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import login
from tests.comparison.conftest import gen  # noqa: F401 - the generated study fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_relations_and_a_word_in_context(
    page: Any,
    gen: dict[str, Any],  # noqa: F811
) -> None:
    login(page, "viewer")
    page.goto("/studies/study/comparison/")
    page.get_by_role("link", name="Code relations").click()
    page.wait_for_url("**view=relations**")
    table = page.locator("#relations-table")
    assert table.is_visible()
    assert "passages overlap" in page.locator("#relations-help").inner_text()
    assert page.locator("#chart-relations desc").first.text_content().startswith("Each row")
    page.get_by_label("Co-occur when").select_option("within")
    page.wait_for_url("**cooccur=within**")
    page.get_by_label("Within turns (N)").fill("2")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**window=2**")
    assert "within 2 participant turns" in page.locator("#relations-help").inner_text()
    assert page.locator("#relations-table td.hit").count() > 0

    page.get_by_role("link", name="Word frequencies").click()
    page.wait_for_url("**view=words**")
    page.get_by_label("Words of").select_option("role")
    page.wait_for_url("**source=role**")
    page.locator("#words-table a.word-link", has_text="trust").first.click()
    page.wait_for_url("**word=trust**")
    lines = page.locator("#kwic-table tbody tr")
    assert lines.count() > 0
    assert "“trust” in context" in page.locator("#kwic-title").inner_text()
    first = lines.first
    start, end = first.get_attribute("data-start"), first.get_attribute("data-end")
    assert first.locator(".kwic-match").inner_text().lower() == "trust"
    with page.expect_download() as png:
        page.get_by_role("button", name="PNG").click()
    assert png.value.suggested_filename == "study-words.png"
    first.locator(".kwic-match a").click()
    page.wait_for_url(f"**/interviews/*/#span-{start}-{end}")
    assert page.script_errors == []
