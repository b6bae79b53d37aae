"""A staff user starts a study in Chromium: the slug is suggested from the title and checked as
they type, the study is created from the healing codebook, and its lead archives it from the
settings page (confirmed on the server) and sees it read-only. axe finds no serious or critical
violation on either page; the form is photographed for docs/screenshots/new-study.png
(``HEALING_SCREENSHOTS=1`` writes it there, as tests/browser/test_screenshots.py does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from coding.models import Code
from interviews.models import Membership, Role, Study
from tests.browser.conftest import login
from tests.browser.workspace_helpers import axe_violations
from tests.factories import UserFactory, make_study

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_creates_a_study_and_archives_it(page: Any, settings: Any, folder: Path) -> None:
    settings.STUDY_CREATORS = "staff"
    staff = UserFactory(username="stella", first_name="Stella", last_name="Marsh", is_staff=True)
    make_study(lead=staff, slug="pilot-2023")  # a slug that is taken
    login(page, "stella")
    page.get_by_role("link", name="New study").click()
    page.wait_for_url("**/studies/new/")
    assert page.get_by_role("heading", name="New study").is_visible()

    # The slug follows the title, and the check says a taken one is taken.
    page.get_by_label("Title").fill("Pilot 2023")
    slug = page.get_by_label("Slug")
    assert slug.input_value() == "pilot-2023"
    status = page.locator("#study-slug-status")
    status.get_by_text("already exists").wait_for()
    page.get_by_label("Title").fill("Healing relationships in rural clinics, Año 2")
    assert slug.input_value() == "healing-relationships-in-rural-clinics-ano-2"
    status.get_by_text("This slug is free.").wait_for()
    page.get_by_label("Description (optional)").fill("Dyads from three rural clinics.")
    assert page.get_by_label("The healing-relationships codebook").is_checked()
    # The study select shows only when copying a codebook.
    assert not page.get_by_label("Copy the codebook of").is_visible()
    page.get_by_label("A copy of another study's codebook").check()
    assert page.get_by_label("Copy the codebook of").is_visible()
    page.get_by_label("The healing-relationships codebook").check()
    assert axe_violations(page) == []
    page.screenshot(path=str(folder / "new-study.png"), full_page=True)

    page.get_by_role("button", name="Create the study").click()
    page.wait_for_url("**/studies/healing-relationships-in-rural-clinics-ano-2/")
    assert page.get_by_role(
        "heading", name="Healing relationships in rural clinics, Año 2"
    ).is_visible()
    study = Study.objects.get(slug="healing-relationships-in-rural-clinics-ano-2")
    assert Membership.objects.get(study=study, user_id=staff.pk).role == Role.LEAD
    assert Code.objects.filter(codebook__study=study).count() > 10

    page.get_by_role("link", name="Settings").click()
    page.wait_for_url("**/settings/")
    assert axe_violations(page) == []
    # Archiving without ticking "I understand" changes nothing.
    page.get_by_role("button", name="Archive the study").click()
    page.get_by_role("alert").get_by_text("Tick “I understand”").wait_for()
    study.refresh_from_db()
    assert not study.archived
    page.get_by_label("I understand: nobody can change this study while it is archived").check()
    page.get_by_role("button", name="Archive the study").click()
    page.get_by_role("button", name="Unarchive the study").wait_for()
    study.refresh_from_db()
    assert study.archived
    assert page.locator(".study-head .badge.archived").inner_text() == "Archived — read-only"
    assert axe_violations(page) == []
    page.goto(f"/studies/{study.slug}/")
    assert page.locator(".study-head .badge.archived").is_visible()
    assert page.script_errors == []
