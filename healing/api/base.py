"""Shared API pieces: strict input serializers, pagination, and parsing of query parameters."""

from __future__ import annotations

from typing import Any

from rest_framework import pagination, serializers
from rest_framework.exceptions import ValidationError


class StrictSerializer(serializers.Serializer):
    """An input serializer that refuses unknown fields (a typo should not pass silently)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise ValidationError({name: ["Unknown field."] for name in unknown})
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
        return int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: [f"{raw!r} is not a whole number."]}) from None
