"""Search in Chromium: a coder types a phrase in the search box of a study page, reads the hits
grouped by interview (one across a line break), codes all of them with a code in one step, reads
the job's outcome in words and undoes it; a hit opens the workspace at its span; axe finds
nothing serious on the search page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from coding.models import Coding, Layer
from interviews.models import Study
from tests.browser.conftest import login
from tests.browser.workspace_helpers import axe_violations
from tests.factories import make_interview

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "Interviewer: Do you trust her?\n\n"
    "Pat: I trust her 🙂. I really trust\nher now.\n\n"
    "Interviewer: Why?\n\n"
    "Pat: Café talk: I can TRUST   her with anything.\n"
)


def test_search_a_phrase_code_all_hits_and_undo(page: Any, study: Study, lead: Any,
                                                coder: Any) -> None:  # fmt: skip
    interview = make_interview(study=study, text=TEXT, by=lead)
    make_interview(study=study, dyad="D02", text="Interviewer: Hello.\n\nPat: No match.\n", by=lead)
    login(page, "coder")
    page.goto(f"/studies/{study.slug}/")
    page.get_by_role("searchbox", name="Search the transcripts").fill('"trust her"')
    page.get_by_role("searchbox", name="Search the transcripts").press("Enter")
    expect(page.get_by_role("heading", level=3)).to_contain_text("the phrase “trust her”")
    expect(page.locator("#search-count")).to_contain_text("4 hits in 1 interview")
    lines = page.locator(".kwic-line mark")
    expect(lines).to_have_text(["trust her", "trust her", "trust\nher", "TRUST   her"])
    assert axe_violations(page) == []

    page.get_by_label("Code", exact=True).select_option(label="OUT.TRUST — Trust")
    page.get_by_role("button", name="Code all hits").click()
    summary = page.locator("[data-field=search-code-summary]")
    expect(summary).to_contain_text("Coded 4 spans")
    expect(summary).to_contain_text("with OUT.TRUST into coder's layer")
    codings = list(Coding.objects.order_by("start"))
    assert [c.quote for c in codings] == ["trust her", "trust her", "trust\nher", "TRUST   her"]
    assert {(c.coder_id, c.layer) for c in codings} == {(coder.pk, Layer.INDIVIDUAL)}
    assert [(c.start, c.end) for c in codings] == [
        (m, m + len(q)) for m, q in ((TEXT.index("trust her"), "trust her"),
        (TEXT.index("trust her", 30), "trust her"), (TEXT.index("trust\nher"), "trust\nher"),
        (TEXT.index("TRUST   her"), "TRUST   her"))
    ]  # fmt: skip

    page.get_by_role("button", name="Undo this search coding").click()
    expect(page.get_by_role("status")).to_contain_text("Removed 4 of the 4 codings")
    expect(page.locator("[data-field=search-code-undone]")).to_be_visible()
    assert not Coding.objects.exists()

    # Back to the search; a hit opens the workspace with that span.
    page.get_by_role("link", name="Back to the search").click()
    first = page.locator(".kwic-text").first
    start, end = first.get_attribute("data-start"), first.get_attribute("data-end")
    first.click()
    expect(page).to_have_url(
        f"{page.url.split('/interviews/')[0]}/interviews/{interview.pk}/#span-{start}-{end}"
    )
    assert page.script_errors == []
