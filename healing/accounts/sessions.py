"""Sessions for health data: a sign-in ends after a stretch of inactivity, whatever the cookie's
age; live-update polls of an open page do not count as activity."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SEEN_KEY = "healing_last_seen"
# Write the session at most this often (seconds): the idle clock needs no write per request.
TOUCH_EVERY = 60
# Requests a page makes by itself (the workspace's live updates) are not a person's activity.
BACKGROUND_SUFFIXES = ("/changes/",)


def start_idle_clock(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """A sign-in starts the idle clock (saved with the new session, so the first page after it
    writes nothing)."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = time.time()


class IdleTimeoutMiddleware:
    """Sign out a session idle for ``HEALING_SESSION_IDLE_MINUTES``; the next page asks to sign
    in again (the API answers 401/403 as for any signed-out request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        idle_seconds = settings.HEALING_SESSION_IDLE_MINUTES * 60
        if user is not None and user.is_authenticated and idle_seconds:
            now = time.time()
            seen = request.session.get(SEEN_KEY)
            if seen is not None and now - seen > idle_seconds:
                logout(request)
                messages.info(request, "You were signed out after a period of inactivity.")
            elif not request.path.endswith(BACKGROUND_SUFFIXES) and (
                seen is None or now - seen > TOUCH_EVERY
            ):
                request.session[SEEN_KEY] = now
        return self.get_response(request)
