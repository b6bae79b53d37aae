"""Authentication fit for health data (issue 14, findings 6 and 7): sign-in lockout, API rate
limits, password change and reset, and the session's idle timeout."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from healing.accounts.sessions import SEEN_KEY
from interviews.services import api_token_create
from tests.factories import PASSWORD

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def sign_in(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_wrong_passwords_lock_the_sign_in_even_with_the_right_one(lead: Any) -> None:
    client = Client()
    for _ in range(5):
        response = sign_in(client, "lead", "not the password")
        assert response.status_code in (200, 429)
        assert "_auth_user_id" not in client.session
    locked = sign_in(client, "lead", PASSWORD)
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another person signing in from the same address is not locked out.
    assert sign_in(Client(), "lead2", "whatever").status_code == 200


def test_a_right_password_before_the_limit_resets_the_count(lead: Any) -> None:
    client = Client()
    for _ in range(4):
        sign_in(client, "lead", "nope")
    assert sign_in(client, "lead", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "lead", "nope")
    assert sign_in(client, "lead", PASSWORD).status_code == 302


def test_api_answers_429_past_the_rate_per_user_and_per_token(
    settings: Any, lead: Any, study: Any
) -> None:
    settings.CACHES = LOCMEM
    settings.HEALING_API_RATES = {"user": "5/min", "token": "3/min", "anon": "2/min"}
    session = APIClient()
    session.force_authenticate(lead)
    codes = [session.get("/api/v1/studies/").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    limited = session.get("/api/v1/studies/")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["error"]["status"] == 429

    settings.CACHES = {"default": {**LOCMEM["default"], "LOCATION": "tokens"}}
    settings.HEALING_API_RATES = {"user": None, "token": "3/min", "anon": "2/min"}
    _, first = api_token_create(user=lead, name="one")
    _, second = api_token_create(user=lead, name="two")
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Bearer {first}")
    assert [script.get("/api/v1/studies/").status_code for _ in range(4)] == [200] * 3 + [429]
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {second}")
    assert other.get("/api/v1/studies/").status_code == 200  # each token has its own budget


def test_password_change_signs_out_other_sessions(lead: Any) -> None:
    here, elsewhere = Client(), Client()
    here.force_login(lead)
    elsewhere.force_login(lead)
    assert elsewhere.get("/").status_code == 200
    page = here.get("/accounts/password/change/")
    assert page.status_code == 200
    response = here.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a much longer passphrase 42",
            "new_password2": "a much longer passphrase 42",
        },
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200  # this session stays signed in
    assert elsewhere.get("/").status_code == 302  # the other one is signed out
    lead.refresh_from_db()
    assert lead.check_password("a much longer passphrase 42")


def test_password_reset_by_mail(lead: Any) -> None:
    lead.email = "lead@example.org"
    lead.save()
    client = Client()
    assert "Forgot your password?" in client.get("/accounts/login/").content.decode()
    client.post("/accounts/password/reset/", {"email": "lead@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert unknown.status_code == 302  # the same answer: no account is revealed
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "another long passphrase 7",
            "new_password2": "another long passphrase 7",
        },
    )
    assert done.status_code == 302
    lead.refresh_from_db()
    assert lead.check_password("another long passphrase 7")
    again = client.get(link.group(1), follow=True)
    assert "has been used or has expired" in again.content.decode()


@pytest.mark.parametrize("idle_minutes", [30])
def test_an_idle_session_is_signed_out(settings: Any, lead: Any, idle_minutes: int) -> None:
    settings.HEALING_SESSION_IDLE_MINUTES = idle_minutes
    client = Client()
    client.force_login(lead)
    assert client.get("/").status_code == 200
    session = client.session
    seen = session[SEEN_KEY]
    assert time.time() - seen < 5
    # A live-update poll is not activity: it does not move the clock.
    session[SEEN_KEY] = seen - 120
    session.save()
    client.get("/api/v1/interviews/1/changes/")
    assert client.session[SEEN_KEY] == seen - 120
    # Idle for longer than the limit: the next request is signed out.
    session = client.session
    session[SEEN_KEY] = time.time() - idle_minutes * 60 - 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session
