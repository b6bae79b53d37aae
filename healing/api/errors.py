"""One JSON shape for every API error::

    {"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"end": ["…"]}}}

Django ValidationErrors raised by services become 400s with their field messages.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Errors as ``{"field path": [messages]}``: nested errors get paths like ``items[3].end``
    or ``choices[1]``; errors about a list or object as a whole are under its own name."""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = str(key)
            if name == "non_field_errors" and prefix:
                path = prefix
            elif name.isdigit():
                path = f"{prefix}[{name}]"
            else:
                path = f"{prefix}.{name}" if prefix else name
            for field, messages in _flatten(value, path).items():
                fields.setdefault(field, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            if detail:
                fields.setdefault(prefix or "non_field_errors", []).extend(str(i) for i in detail)
        else:
            for index, item in enumerate(detail):
                for field, messages in _flatten(item, f"{prefix}[{index}]").items():
                    fields.setdefault(field, []).extend(messages)
    elif detail not in (None, ""):
        fields.setdefault(prefix or "non_field_errors", []).append(str(detail))
    return fields


def error_lines(exc: Exception) -> list[str]:
    """An API or service error as lines a page can show ("field: message …", one per field;
    messages about nothing in particular on lines of their own)."""
    if isinstance(exc, exceptions.APIException):
        fields = _flatten(exc.detail)
    elif isinstance(exc, DjangoValidationError):
        fields = (
            {name: list(messages) for name, messages in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"non_field_errors": list(exc.messages)}
        )
    else:
        fields = {"non_field_errors": [str(exc)]}
    lines: list[str] = []
    for name, messages in fields.items():
        if name in ("non_field_errors", "__all__"):
            lines += messages
        else:
            lines.append(f"{name}: {' '.join(messages)}")
    return lines


def _first_message(fields: Any, key: str = "") -> str:
    """The first message found, prefixed with the field it is about ("end: …")."""
    if isinstance(fields, dict):
        for name, value in fields.items():
            return _first_message(value, str(name))
    elif isinstance(fields, list):
        for value in fields:
            return _first_message(value, key)
    elif fields:
        return f"{key}: {fields}" if key and key != "non_field_errors" else str(fields)
    return "The request is not valid."


def error_response(
    status_code: int,
    code: str,
    message: str,
    fields: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {"status": status_code, "code": code, "message": message}
    if fields:
        body["fields"] = fields
    return Response({"error": body}, status=status_code, headers=headers)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        fields = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        flat = _flatten(fields)
        return error_response(400, "invalid", _first_message(flat), flat)
    if isinstance(exc, OverflowError | DataError):
        # A number or text the database cannot hold; inputs are bounded, this is the safety net
        # (logged: it means a check is missing).
        logger.warning("A value reached the database out of range: %s", exc)
        return error_response(400, "invalid", "A value in the request is out of range.")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    headers = {
        k: v
        for k, v in response.headers.items()
        if k in {"WWW-Authenticate", "Retry-After", "Allow"}
    }
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        return error_response(
            status.HTTP_400_BAD_REQUEST, "invalid", _first_message(fields), fields, headers
        )
    detail = exc.detail
    message = (
        str(detail) if not isinstance(detail, dict | list) else _first_message(_flatten(detail))
    )
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
    return error_response(response.status_code, str(code), message, headers=headers)
