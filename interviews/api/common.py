"""What the interviews API's modules share: filter backends, id parsing, the upload size limit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.response import Response

from healing.api.base import MAX_ID
from healing.api.errors import error_response
from healing.api.filters import StrictOrderingFilter

FILTER_BACKENDS = [DjangoFilterBackend, StrictOrderingFilter]


def pk_or_404(raw: Any) -> int:
    """A URL's id as an int, or a 404 for anything that is not one of ours."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
    if not 1 <= value <= MAX_ID:
        raise Http404("Not found.")
    return value


def too_large_response(upload: Any) -> Response | None:
    """A 413 for a file over HEALING_MAX_UPLOAD_BYTES, or None."""
    limit = settings.HEALING_MAX_UPLOAD_BYTES
    if upload.size <= limit:
        return None
    return error_response(
        413,
        "too_large",
        f"{upload.name} is {upload.size / 1_000_000:.1f} MB; the limit is "
        f"{limit / 1_000_000:.1f} MB (HEALING_MAX_UPLOAD_BYTES).",
    )
