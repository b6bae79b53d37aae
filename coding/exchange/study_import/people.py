"""Mapping the file's people to accounts here: matched by username, or created inactive."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model


def accounts_for(document: dict[str, Any]) -> dict[str, Any]:
    """The file's people, by username: existing accounts, or new inactive ones."""
    user_model = get_user_model()
    wanted = {u["username"]: u for u in document["users"]}
    found = {u.get_username(): u for u in user_model.objects.filter(username__in=list(wanted))}
    for username, person in wanted.items():
        if username in found:
            continue
        account = user_model(
            username=username,
            first_name=person["first_name"],
            last_name=person["last_name"],
            is_active=False,
        )
        account.set_unusable_password()
        account.save()
        found[username] = account
    return found
