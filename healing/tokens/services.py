"""Creating and revoking personal API tokens (only a token's hash is stored)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from healing.api.auth import token_generate, token_hash
from healing.tokens.models import ApiToken


def api_token_create(*, user: Any, name: str) -> tuple[Any, str]:
    """A new personal API token; returns the stored row and the token, which is shown only once."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": "Name the token (1 to 100 characters), e.g. 'R scripts'."})
    if ApiToken.objects.filter(user=user, name=name, revoked__isnull=True).exists():
        raise ValidationError({"name": "You already have an active token with this name."})
    token = token_generate()
    row = ApiToken.objects.create(
        user=user, name=name, prefix=token[:10], key_hash=token_hash(token)
    )
    return row, token


def api_token_revoke(*, token: Any) -> None:
    if token.revoked is None:
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
