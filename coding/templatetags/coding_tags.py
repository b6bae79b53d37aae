"""Template helpers for coding pages."""

from __future__ import annotations

import itertools

from django import template

register = template.Library()


@register.filter
def clock(milliseconds: int | None) -> str:
    """Milliseconds as h:mm:ss (or m:ss under an hour); empty for None."""
    if milliseconds is None:
        return ""
    seconds = int(milliseconds) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@register.filter
def readable_result(result: object) -> list[tuple[str, object]]:
    """A job's result as (words, value) pairs for people: ids and API paths are left out (the
    page links what can be opened)."""
    if not isinstance(result, dict):
        return []
    rows = []
    for key, value in result.items():
        name = str(key)
        if name == "id" or name.endswith("_id") or name in {"url", "download"}:
            continue
        if isinstance(value, str) and value.startswith("/api/"):
            continue
        text = name.replace("_", " ")
        rows.append((text[:1].upper() + text[1:], value))
    return rows


@register.filter
def dyad_span(files: object) -> str:
    """The dyads of the imported files, in words: "D01", "D01 and D02", "D01–D03" (first to
    last, in order) or "D01, D04 and D07"."""
    if not isinstance(files, list):
        return ""
    dyads: list[str] = []
    for item in files:
        if isinstance(item, dict) and item.get("ok") and item.get("dyad") not in (None, "", *dyads):
            dyads.append(str(item["dyad"]))
    dyads.sort()
    if len(dyads) <= 1:
        return "".join(dyads)
    if len(dyads) == 2:
        return f"{dyads[0]} and {dyads[1]}"
    if _consecutive(dyads):
        return f"{dyads[0]}–{dyads[-1]}"
    return f"{', '.join(dyads[:-1])} and {dyads[-1]}"


def _consecutive(labels: list[str]) -> bool:
    """Whether the labels are one prefix with numbers that follow each other (D01, D02, D03)."""
    parts = []
    for label in labels:
        stem = label.rstrip("0123456789")
        digits = label[len(stem) :]
        if not digits:
            return False
        parts.append((stem, int(digits)))
    return len({stem for stem, _ in parts}) == 1 and all(
        b[1] - a[1] == 1 for a, b in itertools.pairwise(parts)
    )
