"""Small template helpers used across pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping|get_item:key`` for dicts (attributes are JSON dicts)."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def yesno_if_bool(value: Any) -> Any:
    """Show booleans as yes/no, anything else as is."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value
