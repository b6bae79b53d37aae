"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

Playwright's own browser download is never used: ``executable_path`` points at the system
Chromium (``/usr/bin/chromium``, or ``CHROMIUM_PATH``). Without Chromium these tests skip,
except in CI (``CI=1``), where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import chromium_path, skip_or_fail
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told this is deliberate (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Personas log in through the real form; hashing their passwords with the production
    hasher (PBKDF2, a million rounds) would cost over a second per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        skip_or_fail("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context at 1280×800 whose failures print the console."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("pageerror", lambda error: errors.append(str(error)))
    # The app sends a Content-Security-Policy (no inline script, own origin only); Chromium
    # reports each thing it refuses on the console, and any of them fails the test.
    violations: list[str] = []
    new_page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    new_page.on(
        "dialog",
        lambda dialog: errors.append(f"dialog opened: {dialog.message}") or dialog.dismiss(),
    )
    new_page.script_errors = errors
    new_page.csp_violations = violations
    yield new_page
    context.close()
    assert violations == [], f"Content-Security-Policy violations: {violations}"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Where a test saves its screenshots: docs/screenshots/ with HEALING_SCREENSHOTS=1 (as
    `python3 dev.py screenshots` runs them), else a temporary folder."""
    if os.environ.get("HEALING_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path


def login(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
