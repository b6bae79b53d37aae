"""Filtering and ordering for list endpoints: strict, so a typo is a 400 and not ignored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

from healing.api.base import MAX_ID

# The objects a reference filter may name for a user (e.g. the interviews of their studies).
Visible = Callable[[Any], QuerySet[Any]]


class IdFilter(django_filters.NumberFilter):
    """The id of a related object: a positive 64-bit whole number (else a 400). With
    ``visible``, an id the user cannot see — unknown, or another study's — is a 400 too, not an
    empty list (checked by :class:`ScopedFilterSet`)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, visible: Visible | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
        self.visible = visible
        self.visible_field = "pk"


class KeyFilter(django_filters.CharFilter):
    """A related object named by a key (a study's slug, a user's name); with ``visible`` a key
    the user cannot see is a 400."""

    def __init__(
        self, *args: Any, visible: Visible | None = None, visible_field: str = "pk", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.visible = visible
        self.visible_field = visible_field


class ScopedFilterSet(django_filters.FilterSet):
    """A filter set whose reference filters refuse what the user may not see: a foreign or
    unknown id answers 400 naming the parameter, never a silent empty list. One small query per
    reference given."""

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        user = getattr(self.request, "user", None)
        for name, found in self.filters.items():
            visible = getattr(found, "visible", None)
            value = self.form.cleaned_data.get(name)
            if visible is None or value in (None, ""):
                continue
            lookup = {getattr(found, "visible_field", "pk"): value}
            if not visible(user).filter(**lookup).exists():
                raise ValidationError({name: [f"No {name} {value!r} in your studies."]})
        return super().filter_queryset(queryset)


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=a,-b`` over the view's ``ordering_fields``; an unknown field is a 400.

    ``ordering_aliases`` maps a public name to the ORM path it sorts by (``dyad_label`` →
    ``dyad__label``).
    The view's own unique tie-breaker (``ordering_tiebreaker``, default ``id``) is appended so
    that pages never overlap or skip rows.
    """

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        raw = request.query_params.get(self.ordering_param)
        if not raw:
            return self.get_default_ordering(view)
        fields = [part.strip() for part in raw.split(",") if part.strip()]
        allowed = {name for name, _ in self.get_valid_fields(queryset, view, {"request": request})}
        unknown = [f for f in fields if f.lstrip("-") not in allowed]
        if unknown or not fields:
            choices = ", ".join(sorted(allowed))
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Cannot order by {', '.join(unknown) or raw!r}; "
                        f"use {choices} (prefix - for descending)."
                    ]
                }
            )
        aliases = getattr(view, "ordering_aliases", {})
        ordering = [
            ("-" if f.startswith("-") else "") + aliases.get(f.lstrip("-"), f.lstrip("-"))
            for f in fields
        ]
        tiebreaker = getattr(view, "ordering_tiebreaker", "id")
        if tiebreaker and tiebreaker not in {f.lstrip("-") for f in ordering}:
            ordering.append(tiebreaker)
        return ordering

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        fields = [f if isinstance(f, str) else f[0] for f in getattr(view, "ordering_fields", [])]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": (
                    "Comma-separated fields to order by, `-` for descending; one of: "
                    + ", ".join(fields)
                ),
                "schema": {"type": "string"},
            }
        ]


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date and time, compared in UTC.

    Python reads offsets up to ±24 h, PostgreSQL only up to ±15:59: converting to UTC first
    means any time Python reads can be compared, and one it cannot place is a 400.
    """

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value not in (None, ""):
            try:
                value = value.astimezone(dt.UTC)
            except (OverflowError, ValueError):
                raise ValidationError(
                    {self.field_name: [f"{value!r} is out of the range of dates."]}
                ) from None
        return super().filter(qs, value)
