"""Placeholder people: the authors an imported file names, standing in for them without being them.

A placeholder is an inactive account with no usable password (it cannot sign in), flagged by a
``PlaceholderPerson`` row that keeps the file's claim (username and name) and where it came
from. It is no member of any study, and an invitation never reaches it. Its username is free
and marked (``imported-<name>``), so no real user's name is ever written as an author.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model

from interviews.models import PlaceholderPerson


def placeholder_username(name: str) -> str:
    """A free username for a placeholder standing for someone named in a file."""
    base = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:100] or "coder"
    base = f"imported-{base}"
    taken = set(
        get_user_model()
        .objects.filter(username__startswith=base)
        .values_list("username", flat=True)
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def placeholder_person_create(
    *, claimed_username: str, claimed_name: str = "", source: str = ""
) -> Any:
    """A new placeholder account for ``claimed_username`` as a file names them."""
    user_model = get_user_model()
    label = claimed_name.strip() or claimed_username
    account = user_model(
        username=placeholder_username(claimed_username or label),
        # The display name is the file's (an export carries it back out); the username is marked.
        first_name=label[:150],
        is_active=False,
    )
    account.set_unusable_password()
    account.save()
    PlaceholderPerson.objects.create(
        user=account,
        claimed_username=claimed_username[:150],
        claimed_name=claimed_name[:300],
        source=source[:200],
    )
    return account
