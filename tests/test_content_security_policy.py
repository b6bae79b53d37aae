"""Defence in depth (issue 14, finding 11): a Content-Security-Policy that allows only the app's
own origin and no inline script, and templates that need nothing more.

Every browser test also fails on any violation Chromium reports (tests/browser/conftest.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def policy(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_pages_and_api_send_a_strict_policy(lead: Any, study: Any) -> None:
    client = Client()
    client.force_login(lead)
    anonymous = Client().get("/accounts/login/")
    assert policy(anonymous)["script-src"] == ["'self'"]
    for url in ("/", f"/studies/{study.slug}/", "/api/v1/studies/"):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = policy(response)
        assert directives["script-src"] == ["'self'"], url
        assert directives["default-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"], url
        assert directives["frame-ancestors"] == ["'none'"], url
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_no_template_has_an_inline_script_or_handler() -> None:
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in SCRIPT_TAG.finditer(text):
            attributes = match.group(1)
            if "src=" not in attributes and 'type="application/json"' not in attributes:
                found.append(f"{path.relative_to(TEMPLATES)}: <script{attributes}>")
        found.extend(
            f"{path.relative_to(TEMPLATES)}: inline handler"
            for _ in INLINE_HANDLER.finditer(re.sub(r"<script.*?</script>", "", text, flags=re.S))
        )
    assert found == []


def test_api_docs_load_nothing_from_outside(lead: Any) -> None:
    client = Client()
    client.force_login(lead)
    for url in ("/api/docs/", "/api/redoc/"):
        page = client.get(url, follow=True).content.decode()
        assert not re.search(r"https?://", page), url  # no CDN, no web fonts
        assert not [
            m.group(1)
            for m in SCRIPT_TAG.finditer(page)
            if "src=" not in m.group(1) and "application/json" not in m.group(1)
        ], url
