"""Template helpers for the REFI-QDA pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def words(key: str) -> str:
    """``"text_sources"`` as ``"Text sources"``."""
    text = str(key).replace("_", " ")
    return text[:1].upper() + text[1:]


# The order a REFI-QDA project is described in (users, codes, …, sets).
COUNT_ORDER = (
    "users",
    "codes",
    "levels",
    "not_codable",
    "variables",
    "cases",
    "text_sources",
    "transcripts",
    "representations",
    "other_sources",
    "sources",
    "selections",
    "codings",
    "notes",
    "memos",
    "links",
    "sets",
    "graphs",
)


@register.filter
def counts_in_words(counts: object) -> str:
    """``{"users": 1, "codes": 24, "cases": 0}`` as ``"1 user, 24 codes"``: what was counted,
    in words (nothing counted, and the skipped list and byte size, are left out)."""
    if not isinstance(counts, dict):
        return ""
    parts = []
    # A fixed order: PostgreSQL's jsonb does not keep the order the counts were written in.
    known = {key: rank for rank, key in enumerate(COUNT_ORDER)}
    for key, count in sorted(counts.items(), key=lambda item: (known.get(item[0], 99), item[0])):
        if key in {"skipped", "bytes"} or not isinstance(count, int) or not count:
            continue
        noun = str(key).replace("_", " ").lower()
        if count == 1 and noun.endswith("s"):
            noun = noun[:-1]
        parts.append(f"{count} {noun}")
    return ", ".join(parts) if parts else "nothing"
