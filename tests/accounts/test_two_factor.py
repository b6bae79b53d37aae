"""Issue 14, item 5: optional TOTP two-factor, which a lead can require for a study."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from interviews.models import Study
from interviews.services import api_token_create

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _sign_in(user: Any, password: str, code: str = "") -> Client:
    client = Client()
    answer = client.post(
        "/accounts/login/", {"username": user.username, "password": password, "otp_token": code}
    )
    assert answer.status_code in (200, 302)
    return client


def _set_up_device(client: Client, user: Any) -> TOTPDevice:
    client.post("/account/", {"action": "totp-start"})
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "totp-secret" in client.get("/account/").content.decode()  # the key, for manual entry
    client.post("/account/", {"action": "totp-confirm", "code": "000000"})
    device.refresh_from_db()
    assert not device.confirmed  # a wrong code does not confirm
    device.throttle_reset()  # django-otp slows down guesses after a failure
    client.post("/account/", {"action": "totp-confirm", "code": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_a_member_without_two_factor_is_refused_pages_and_api_until_set_up(
    study: Study, coder: Any, password: str
) -> None:
    Study.objects.filter(pk=study.pk).update(require_two_factor=True)
    client = _sign_in(coder, password)
    page = client.get(f"/studies/{study.slug}/")
    assert page.status_code == 403
    assert "two-factor" in page.content.decode()
    assert "/account/#two-factor" in page.content.decode()
    api = client.get(f"/api/v1/studies/{study.slug}/")
    assert api.status_code == 403
    assert "two-factor" in api.json()["error"]["message"]
    assert client.get(f"/api/v1/dyads/?study={study.slug}").json()["results"] == []
    # A token created from an unverified sign-in does not open the study either.
    _, token = api_token_create(user=coder, name="plain")
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bearer.get(f"/api/v1/studies/{study.slug}/").status_code == 403

    device = _set_up_device(client, coder)
    # Setting up verifies this sign-in.
    assert client.get(f"/studies/{study.slug}/").status_code == 200

    # Next time: password alone is refused, a wrong code is refused, the right code gets in.
    no_code = Client()
    answer = no_code.post("/accounts/login/", {"username": coder.username, "password": password})
    assert answer.status_code == 200
    assert "6-digit code" in answer.content.decode()
    wrong = Client()
    answer = wrong.post(
        "/accounts/login/",
        {"username": coder.username, "password": password, "otp_token": "000000"},
    )
    assert answer.status_code == 200
    assert "wrong" in answer.content.decode()
    assert wrong.get(f"/studies/{study.slug}/").status_code == 302  # not signed in
    device.refresh_from_db()
    device.throttle_reset()
    device.last_t = -1
    device.save()
    verified = _sign_in(coder, password, _code(device))
    assert verified.get(f"/studies/{study.slug}/").status_code == 200
    assert verified.get(f"/api/v1/studies/{study.slug}/").status_code == 200

    # A token created from the verified session opens the study.
    created = verified.post("/api/v1/tokens/", {"name": "2fa"}, content_type="application/json")
    assert created.json()["two_factor"] is True
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {created.json()['token']}")
    assert bearer.get(f"/api/v1/studies/{study.slug}/").status_code == 200


def test_a_lead_requires_two_factor_only_once_verified(
    client: Client, study: Study, lead: Any
) -> None:
    client.force_login(lead)
    refused = client.patch(
        f"/api/v1/studies/{study.slug}/",
        {"require_two_factor": True},
        content_type="application/json",
    )
    assert refused.status_code == 400
    _set_up_device(client, lead)
    allowed = client.patch(
        f"/api/v1/studies/{study.slug}/",
        {"require_two_factor": True},
        content_type="application/json",
    )
    assert allowed.status_code == 200
    assert allowed.json()["require_two_factor"] is True
    page = client.get(f"/studies/{study.slug}/members/")
    assert "Stop requiring two-factor" in page.content.decode()
    client.post(f"/studies/{study.slug}/members/", {"action": "two-factor"})
    study.refresh_from_db()
    assert not study.require_two_factor
