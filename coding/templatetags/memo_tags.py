"""Template helpers for memos: the memo types a form offers."""

from __future__ import annotations

from django import template

from coding.models import MemoType

register = template.Library()


@register.simple_tag
def memo_types() -> list[tuple[str, str]]:
    """The memo types, as (value, label) pairs, in the order forms offer them."""
    return list(MemoType.choices)
