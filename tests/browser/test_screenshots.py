"""Screenshots of the workspace with the demo study, for docs/screenshots/.

Every run takes them (so they cannot silently break); ``make screenshots`` (``python3 dev.py
screenshots``) runs this file with HEALING_SCREENSHOTS=1, which writes them into
docs/screenshots/ instead of a temporary folder.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest

from coding.demo.build import DEMO_USERS, demo_load
from interviews.models import Interview
from tests.browser.conftest import login
from tests.browser.workspace_helpers import drag_select, open_workspace

pytestmark = pytest.mark.django_db(transaction=True)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def password_of(username: str) -> str:
    return next(user.password for user in DEMO_USERS if user.username == username)


def test_workspace_screenshots(page: Any, folder: Path) -> None:
    demo_load()
    interview = Interview.objects.get(
        dyad__study__slug="demo", dyad__label="D01", perspective="patient"
    )
    login(page, "ana", password_of("ana"))
    open_workspace(page, interview.pk)
    page.locator(".stripe").nth(2).click()  # a coding selected: its panel, definition, stripe
    page.mouse.move(5, 400)
    page.screenshot(path=str(folder / "workspace.png"))

    drag_select(page, "go to the clinic on Fifth")
    page.keyboard.press("c")
    page.keyboard.type("pres")
    page.screenshot(path=str(folder / "workspace-picker.png"))
    page.keyboard.press("Escape")

    page.get_by_role("button", name="Log out").click()
    login(page, "lead", password_of("lead"))
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_workspace(page, interview.pk, "?layer=all")
    page.locator(".stripe").nth(5).hover()
    page.screenshot(path=str(folder / "workspace-all-coders-1920.png"))

    for name, size in [
        ("workspace.png", (1280, 800)),
        ("workspace-picker.png", (1280, 800)),
        ("workspace-all-coders-1920.png", (1920, 1080)),
    ]:
        assert png_size(folder / name) == size
        assert (folder / name).stat().st_size > 30_000, f"{name} looks empty"
    assert page.script_errors == []


def test_case_study_screenshot(page: Any, folder: Path) -> None:
    from coding.casestudy.services import case_study_section_save, case_study_summary_save
    from interviews.models import Dyad
    from tests.factories import code

    demo_load()
    dyad = Dyad.objects.get(study__slug="demo", label="D01")
    lead = next(m.user for m in dyad.study.memberships.filter(role="lead"))
    case_study_summary_save(
        dyad=dyad, actor=lead, based_on=None,
        text="Twelve years of visits built a relationship both describe in the same words: "
        "she is known, and he does not give up. Valuing and abiding are present on both sides.",
    )  # fmt: skip
    case_study_section_save(
        dyad=dyad, code=code(dyad.study, "VAL"), actor=lead, based_on=None,
        text="Both describe an accepting bond: the patient feels she counts; the clinician "
        "speaks of setting judgement aside on purpose.",
    )  # fmt: skip
    login(page, "lead", password_of("lead"))
    page.goto(f"/dyads/{dyad.pk}/case-study/#component-VAL")
    page.locator("#component-VAL").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -40)")
    page.screenshot(path=str(folder / "case-study.png"))
    assert png_size(folder / "case-study.png") == (1280, 800)
    assert (folder / "case-study.png").stat().st_size > 30_000
    assert page.script_errors == []


def test_comparison_screenshot(page: Any, folder: Path) -> None:
    demo_load()
    login(page, "lead", password_of("lead"))
    page.goto("/studies/demo/comparison/?view=matrix&measure=coverage&side=both&layer=all")
    page.get_by_role("button", name="Sub-codes of VAL").click()
    page.mouse.move(5, 790)
    page.screenshot(path=str(folder / "comparison.png"))
    assert png_size(folder / "comparison.png") == (1280, 800)
    assert (folder / "comparison.png").stat().st_size > 30_000, "comparison.png looks empty"
    assert page.script_errors == []
