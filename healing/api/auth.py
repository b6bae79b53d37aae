"""Personal API tokens: ``Authorization: Bearer <token>`` (or ``Token <token>``).

Only the SHA-256 of a token is stored; the token itself is shown once, when it is created.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from healing.tokens.models import ApiToken

TOKEN_PREFIX = "hl_"  # noqa: S105 - a marker, not a secret
# Writing last_used on every request would make every read a write; once a minute is enough.
LAST_USED_GRANULARITY_SECONDS = 60


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_generate() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(30)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send 'Authorization: Bearer <token>'.")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(
                "The token has characters it cannot have."
            ) from None
        found = ApiToken.objects.select_related("user").filter(key_hash=token_hash(token)).first()
        if found is None or found.revoked is not None or not found.user.is_active:
            raise exceptions.AuthenticationFailed("Unknown or revoked API token.")
        if found.expired:
            raise exceptions.AuthenticationFailed(
                f"This API token expired on {found.expires:%Y-%m-%d}; "
                "create a new one on your account page."
            )
        now = timezone.now()
        if (
            found.last_used is None
            or (now - found.last_used).total_seconds() > LAST_USED_GRANULARITY_SECONDS
        ):
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        # A study that requires two-factor asks user.is_verified() (django-otp's name): a token
        # created from a two-factor-verified sign-in carries that verification.
        user: Any = found.user
        user.is_verified = lambda: found.two_factor
        return user, found

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token scheme in the OpenAPI schema."""

    target_class = "healing.api.auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A personal API token (hl_…)."}
