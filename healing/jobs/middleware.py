"""A page that starts a job answers the API's refusals as pages do: 503 when the broker is down,
429 over the per-user limit, with the message (the API's exception handler does the same)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape

from healing.jobs.services import JobsUnavailable, TooManyJobs


class JobRefusedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, JobsUnavailable | TooManyJobs):
            return None
        message = escape(str(exception.detail))
        response = HttpResponse(
            f"<!doctype html><title>Not started</title><h1>The job was not started</h1>"
            f"<p>{message}</p><p>Go back and try again.</p>",
            status=exception.status_code,
        )
        if isinstance(exception, JobsUnavailable):
            response["Retry-After"] = "60"
        return response
