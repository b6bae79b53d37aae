"""Project-wide error pages: the API answers in its JSON error shape, pages in HTML."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"error": {"status": status, "code": code, "message": message}}, status=status
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _api_error(404, "not_found", "Not found.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _api_error(500, "error", "The server failed; the error is in its log.")
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django refuses some requests before any view (too many fields, a body too large)."""
    from django.core.exceptions import RequestDataTooBig

    if request.path.startswith("/api/"):
        if isinstance(exception, RequestDataTooBig):
            return _api_error(413, "too_large", "The request body is too large.")
        return _api_error(400, "invalid", str(exception) or "The request is not valid.")
    return defaults.bad_request(request, exception)  # type: ignore[arg-type]
