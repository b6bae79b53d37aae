"""Template helpers for the teamwork pages."""

from __future__ import annotations

import json
import re
from typing import Any

from django import template

from coding.team.selectors import my_assignments

register = template.Library()

HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


@register.filter
def hexcolor(value: Any) -> str:
    """A code's colour for a style attribute: only ``#RRGGBB`` passes, anything else is grey."""
    return value if isinstance(value, str) and HEX.match(value) else "#808080"


@register.filter
def stat(value: Any) -> str:
    """A statistic to three decimals; an en dash where it is undefined."""
    if value is None or value == "":
        return "–"
    try:
        return f"{float(value):.3f}"
    except (TypeError, ValueError):
        return "–"


@register.filter
def pct(value: Any) -> str:
    """A share 0..1 as a percentage with one decimal; an en dash where undefined."""
    if value is None or value == "":
        return "–"
    try:
        return f"{float(value) * 100:.1f}%"
    except (TypeError, ValueError):
        return "–"


@register.filter
def at(sequence: Any, index: Any) -> Any:
    """``list|at:i``: the i-th item, or an empty string."""
    try:
        return sequence[int(index)]
    except (TypeError, ValueError, IndexError, KeyError):
        return ""


@register.filter
def jsonish(value: Any) -> str:
    """An audit value shown compactly: strings as they are, anything else as JSON."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@register.inclusion_tag("coding/team/_my_assignments.html", takes_context=True)
def my_assignments_panel(context: dict[str, Any], study: Any) -> dict[str, Any]:
    """The signed-in member's assignments in the study with their progress (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = my_assignments(study=study, user=user) if user is not None else []
    done = sum(1 for row in rows if row.done)
    return {
        "rows": rows,
        "done": done,
        "total": len(rows),
        "percent": round(100 * done / len(rows)) if rows else 0,
        "study": study,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
