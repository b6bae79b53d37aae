"""Two-factor sign-in with a TOTP authenticator app (django-otp): setting up a device, checking
a code, and whether a request's sign-in was verified."""

from __future__ import annotations

import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"


def user_two_factor_verified(user: Any) -> bool:
    """Whether this sign-in passed a two-factor code (django-otp's ``is_verified``; a token
    created from a verified sign-in carries it too, healing/api/auth.py)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def totp_device_confirmed(*, user: Any) -> TOTPDevice | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_pending(*, user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


@transaction.atomic
def totp_device_start(*, user: Any) -> TOTPDevice:
    """A new, unconfirmed authenticator (replacing an earlier unconfirmed one); it counts only
    once a code from it is confirmed."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, code: str) -> bool:
    """Confirm a pending device with a code from the app; any earlier device is replaced."""
    if not device.verify_token(code.strip()):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def totp_device_remove(*, user: Any, code: str) -> bool:
    """Turn two-factor off, proven with a current code."""
    device = match_token(user, code.strip())
    if device is None:
        return False
    TOTPDevice.objects.filter(user=user).delete()
    return True


def totp_code_check(*, user: Any, code: str) -> Any:
    """The user's confirmed device that accepts this code, or None."""
    return match_token(user, code.strip()) if code.strip() else None


def totp_qr_svg(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` URI as an SVG QR code (no script, no inline style)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode("utf-8")
