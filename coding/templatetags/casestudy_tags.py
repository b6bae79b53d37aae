"""Filters for the case study page."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(value: float) -> str:
    """A share as a percentage with one decimal (0.1234 → "12.3%")."""
    try:
        return f"{float(value):.1%}"
    except (TypeError, ValueError):
        return ""
