"""The file's people here: every author a file names becomes a placeholder person.

A whole-study file is a claim, not a fact: its usernames may name real accounts of this server
(edited, or simply another server's). So no account is matched, created as a real one, or
enrolled: each person of the file gets a placeholder (``interviews.services.placeholders``), an
inactive flagged account that cannot sign in and is no member, named as the file names them.
Who the file says did what, and when, goes into the import's audit event.
"""

from __future__ import annotations

from typing import Any

from interviews.services.placeholders import placeholder_person_create


def accounts_for(document: dict[str, Any], *, source: str) -> dict[str, Any]:
    """A placeholder per person of the file, by the username the file gives."""
    placeholders = {}
    for person in document["users"]:
        name = " ".join(p for p in (person["first_name"], person["last_name"]) if p)
        placeholder = placeholder_person_create(
            claimed_username=person["username"], claimed_name=name, source=source
        )
        # The file's first and last name, as it gives them (an export carries them back out).
        placeholder.first_name = person["first_name"][:150]
        placeholder.last_name = person["last_name"][:150]
        placeholder.save(update_fields=["first_name", "last_name"])
        placeholders[person["username"]] = placeholder
    return placeholders
