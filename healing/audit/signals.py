"""Sign-ins and failed sign-ins in the audit trail (account events: no study)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from healing.audit.services import audit_record

USERNAME_KEYS = ("username", "email")


def _client(request: HttpRequest | None) -> dict[str, Any]:
    if request is None:
        return {}
    return {
        "ip": request.META.get("REMOTE_ADDR", ""),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
    }


def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(
        study_id=None,
        actor=user,
        action="sign_in",
        object_type="account",
        object_id=user.pk,
        after={"username": user.get_username(), **_client(request)},
        summary=f"{user.get_username()} signed in",
    )


def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already masked the password in ``credentials``; keep only the name tried.
    tried = next((str(credentials[k]) for k in USERNAME_KEYS if credentials.get(k)), "")[:150]
    audit_record(
        study_id=None,
        actor=None,
        action="sign_in_failed",
        object_type="account",
        object_id="",
        after={"username": tried, **_client(request)},
        summary=f"Failed sign-in as {tried!r}",
    )
