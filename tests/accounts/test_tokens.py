"""Issue 14, finding 7: tokens expire, are managed only from a signed-in session and are revoked
by every password change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from healing.tokens.models import ApiToken
from interviews.services import api_token_create

pytestmark = pytest.mark.django_db


def _bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_a_token_expires_after_the_lifetime_chosen_at_creation(lead: Any) -> None:
    row, token = api_token_create(user=lead, name="r", days=30)
    assert abs((row.expires - timezone.now()) - dt.timedelta(days=30)) < dt.timedelta(minutes=1)
    assert _bearer(token).get("/api/v1/studies/").status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires=timezone.now() - dt.timedelta(seconds=1))
    answer = _bearer(token).get("/api/v1/studies/")
    assert answer.status_code == 401
    assert "expired" in answer.json()["error"]["message"]


def test_the_default_lifetime_is_90_days_and_the_maximum_is_a_setting(
    lead: Any, settings: Any
) -> None:
    row, _ = api_token_create(user=lead, name="default")
    assert (row.expires - timezone.now()).days in (89, 90)
    settings.HEALING_TOKEN_MAX_DAYS = 90
    with pytest.raises(ValidationError):
        api_token_create(user=lead, name="long", days=365)


def test_a_token_can_neither_mint_nor_revoke_tokens(lead: Any) -> None:
    """The attack: a token minted a new token, then revoked its parent."""
    parent, token = api_token_create(user=lead, name="parent")
    client = _bearer(token)
    minted = client.post("/api/v1/tokens/", {"name": "child"}, format="json")
    assert minted.status_code == 403
    assert (
        minted.json()["error"]["message"] == "Manage tokens from your account page while signed in."
    )
    assert client.delete(f"/api/v1/tokens/{parent.pk}/").status_code == 403
    assert client.get("/api/v1/tokens/").status_code == 403
    assert ApiToken.objects.filter(user=lead).count() == 1
    parent.refresh_from_db()
    assert parent.revoked is None


def test_a_signed_in_session_creates_a_token_with_a_lifetime(lead: Any) -> None:
    client = APIClient()
    client.force_login(lead)
    created = client.post("/api/v1/tokens/", {"name": "s", "days": 365}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["expires"]
    assert (
        client.post("/api/v1/tokens/", {"name": "x", "days": 7}, format="json").status_code == 400
    )


def test_the_account_page_creates_a_token_and_shows_expiry_and_last_use(
    client: Any, lead: Any
) -> None:
    client.force_login(lead)
    answer = client.post("/account/", {"action": "create", "name": "laptop", "days": "30"})
    assert answer.status_code == 200
    row = ApiToken.objects.get(user=lead, name="laptop")
    assert (row.expires - timezone.now()).days in (29, 30)
    page = client.get("/account/").content.decode()
    assert "Expires" in page
    assert "Last used" in page
    assert f"{row.expires:%Y-%m-%d}" in page


def _tokens_active(user: Any) -> int:
    return ApiToken.objects.filter(user=user, revoked__isnull=True).count()


def test_changing_the_password_on_the_account_page_revokes_every_token(
    client: Any, lead: Any, password: str
) -> None:
    _, token = api_token_create(user=lead, name="one")
    api_token_create(user=lead, name="two")
    client.force_login(lead)
    new = "a much Longer passphrase 42"
    answer = client.post(
        "/accounts/password/change/",
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert answer.status_code == 302
    assert _tokens_active(lead) == 0
    assert _bearer(token).get("/api/v1/studies/").status_code == 401
    assert "revoked" in client.get(answer["Location"]).content.decode()


def test_a_password_reset_revokes_every_token(client: Any, lead: Any) -> None:
    api_token_create(user=lead, name="one")
    uid = urlsafe_base64_encode(force_bytes(lead.pk))
    link = f"/accounts/password/reset/{uid}/{default_token_generator.make_token(lead)}/"
    form = client.get(link, follow=True)
    new = "a much Longer passphrase 42"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True
    )
    assert "revoked" in done.content.decode()
    assert _tokens_active(lead) == 0


def test_changepassword_command_and_set_password_revoke_tokens(lead: Any) -> None:
    api_token_create(user=lead, name="one")
    from django.contrib.auth.password_validation import password_changed

    lead.set_password("a much Longer passphrase 42")
    lead.save()
    password_changed("a much Longer passphrase 42", lead)  # what the admin form calls
    assert _tokens_active(lead) == 0
    api_token_create(user=lead, name="two")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("getpass.getpass", lambda prompt="": "another Longer passphrase 43")
        call_command("changepassword", lead.username, stdout=None)
    assert _tokens_active(lead) == 0


def test_token_events_are_in_the_audit_trail(lead: Any) -> None:
    from healing.audit.models import AuditEvent
    from healing.tokens.services import api_token_create, api_token_revoke, api_tokens_revoke_all

    row, _ = api_token_create(user=lead, name="scripts")
    api_token_revoke(token=row)
    api_token_create(user=lead, name="more")
    api_tokens_revoke_all(user=lead)
    events = list(
        AuditEvent.objects.filter(object_type="api_token", study__isnull=True)
        .order_by("id")
        .values_list("action", "actor_id")
    )
    assert events == [
        ("create", lead.pk),
        ("delete", lead.pk),
        ("create", lead.pk),
        ("delete", lead.pk),
    ]
