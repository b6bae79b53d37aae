"""Template helpers for the REFI-QDA pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def words(key: str) -> str:
    """``"text_sources"`` as ``"Text sources"``."""
    text = str(key).replace("_", " ")
    return text[:1].upper() + text[1:]
