"""Creating and revoking personal API tokens (only a token's hash is stored)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from healing.api.auth import token_generate, token_hash
from healing.audit.services import audit_record
from healing.tokens.models import ApiToken

TOKEN_LIFETIME_CHOICES = (30, 90, 365)
TOKEN_LIFETIME_DEFAULT = 90


def token_lifetime_choices() -> list[int]:
    """The lifetimes (days) a creator may pick: 30, 90, 365, capped by HEALING_TOKEN_MAX_DAYS."""
    cap = settings.HEALING_TOKEN_MAX_DAYS
    return [days for days in TOKEN_LIFETIME_CHOICES if days <= cap] or [cap]


def api_token_create(
    *, user: Any, name: str, days: int | None = None, two_factor: bool = False
) -> tuple[Any, str]:
    """A new personal API token valid for ``days`` (default 90); returns the stored row and the
    token, which is shown only once. ``two_factor``: created from a two-factor-verified sign-in."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": "Name the token (1 to 100 characters), e.g. 'R scripts'."})
    choices = token_lifetime_choices()
    if days is None:
        days = TOKEN_LIFETIME_DEFAULT if TOKEN_LIFETIME_DEFAULT in choices else choices[-1]
    if days not in choices:
        raise ValidationError(
            {"days": f"A token lasts {', '.join(map(str, choices))} days; pick one of them."}
        )
    if ApiToken.objects.filter(user=user, name=name, revoked__isnull=True).exists():
        raise ValidationError({"name": "You already have an active token with this name."})
    token = token_generate()
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=token[:10],
        key_hash=token_hash(token),
        expires=timezone.now() + dt.timedelta(days=days),
        two_factor=two_factor,
    )
    audit_record(
        study_id=None,
        actor=user,
        action="create",
        object_type="api_token",
        object_id=row.pk,
        after={"name": row.name, "prefix": row.prefix, "expires": row.expires.isoformat()},
        summary=f"API token “{row.name}” created, valid {days} days",
    )
    return row, token


def api_token_revoke(*, token: Any) -> None:
    if token.revoked is None:
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
        audit_record(
            study_id=None,
            actor=token.user,
            action="delete",
            object_type="api_token",
            object_id=token.pk,
            before={"name": token.name, "prefix": token.prefix},
            summary=f"API token “{token.name}” revoked",
        )


def api_tokens_revoke_all(*, user: Any) -> int:
    """Revoke every active token of the user (after a password change); returns how many."""
    revoked = ApiToken.objects.filter(user=user, revoked__isnull=True).update(
        revoked=timezone.now()
    )
    if revoked:
        audit_record(
            study_id=None,
            actor=user,
            action="delete",
            object_type="api_token",
            summary=f"{revoked} API token(s) revoked by a password change",
        )
    return revoked
