"""Shared API pieces: strict input serializers, pagination, and parsing of query parameters."""

from __future__ import annotations

from typing import Any

from rest_framework import pagination, serializers
from rest_framework.exceptions import ValidationError

# Ids are 64-bit in the database; a larger number can only be a client's mistake, and must be a
# 400 or a 404, never an overflow deep in the database driver.
MAX_ID = 2**63 - 1
# PositiveIntegerField columns (order, offsets) are 32-bit on PostgreSQL.
MAX_INT32 = 2**31 - 1


def id_field(**kwargs: Any) -> serializers.IntegerField:
    """An input field for the id of an object (a positive 64-bit integer)."""
    messages: dict[str, Any] = {
        "min_value": "There is nothing with this id.",
        "max_value": "There is nothing with this id.",
    }
    return serializers.IntegerField(
        min_value=1, max_value=MAX_ID, error_messages=messages, **kwargs
    )


def offset_field(**kwargs: Any) -> serializers.IntegerField:
    """An input field for a code-point offset into an interview's text."""
    messages: dict[str, Any] = {
        "min_value": "This offset is before the beginning of the text (offsets start at 0).",
        "max_value": "This offset is past the end of the text.",
    }
    return serializers.IntegerField(
        min_value=0, max_value=MAX_INT32, error_messages=messages, **kwargs
    )


def _text_problem(value: str) -> str | None:
    if "\x00" in value:
        return "Text cannot contain NUL characters."
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        return "Text cannot contain lone UTF-16 surrogates; send valid Unicode."
    return None


def _unstorable_text(data: Any, path: str = "") -> dict[str, list[str]]:
    """Strings the database cannot store (NUL, lone surrogates), by field path."""
    problems: dict[str, list[str]] = {}
    if isinstance(data, str):
        problem = _text_problem(data)
        if problem:
            problems[path or "non_field_errors"] = [problem]
    elif isinstance(data, dict):
        for key, value in data.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _text_problem(key):
                problems[name] = [_text_problem(key) or ""]
            problems.update(_unstorable_text(value, name))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            problems.update(_unstorable_text(value, f"{path}[{index}]"))
    return problems


class StrictSerializer(serializers.Serializer):
    """An input serializer that refuses unknown fields (a typo should not pass silently) and
    text the database could not store (NUL characters, lone surrogates)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise ValidationError({name: ["Unknown field."] for name in unknown})
            if self.parent is None:
                problems = _unstorable_text(
                    {
                        key: value
                        for key, value in data.items()
                        if isinstance(value, str | dict | list)
                    }
                )
                if problems:
                    raise ValidationError(problems)
        return super().to_internal_value(data)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class CodingCursorPagination(pagination.CursorPagination):
    """Stable paging over codings that keep changing while a script reads them."""

    page_size = 200
    page_size_query_param = "page_size"
    max_page_size = 2000
    ordering = ("id",)


def int_param(params: Any, name: str) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: [f"{raw!r} is not a whole number."]}) from None
    if not -MAX_ID <= value <= MAX_ID:
        raise ValidationError({name: [f"{raw!r} is out of range."]})
    return value
