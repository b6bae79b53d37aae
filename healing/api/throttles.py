"""API rate limits: per signed-in user and, for scripts, per personal token (DRF throttles).

Rates come from ``settings.HEALING_API_RATES`` at each request (``None`` switches one off), so a
deployment tunes them from the environment and tests can change them. Counters live in the
default cache: Redis on a team server (shared by every gunicorn process), memory otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

if TYPE_CHECKING:  # DRF loads this module while rest_framework.views is still importing
    from rest_framework.request import Request
    from rest_framework.views import APIView


class _SettingsRateThrottle(SimpleRateThrottle):
    def __init__(self) -> None:
        # The rate is read per request (see allow_request), not once at start-up.
        pass

    def allow_request(self, request: Request, view: APIView) -> bool:
        self.rate = settings.HEALING_API_RATES.get(self.scope or "")
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class UserRateThrottle(_SettingsRateThrottle):
    """Every signed-in user's requests, by session or by any of their tokens."""

    scope = "user"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class TokenRateThrottle(_SettingsRateThrottle):
    """Each personal API token on its own, so one runaway script does not use a user's whole
    allowance for their other tokens."""

    scope = "token"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        token: Any = request.auth
        if token is None or not hasattr(token, "key_hash"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class AnonRateThrottle(_SettingsRateThrottle):
    """Requests without a sign-in (they are refused, but still cost a look-up)."""

    scope = "anon"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
