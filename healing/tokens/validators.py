"""A password "validator" that accepts every password and revokes the user's API tokens once the
password has changed: Django calls ``password_changed`` on every configured validator after any
``set_password()`` + ``save()`` (account page, reset link, admin, ``changepassword``)."""

from __future__ import annotations

from typing import Any

from healing.tokens.services import api_tokens_revoke_all


class RevokeTokensOnPasswordChange:
    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None:
            api_tokens_revoke_all(user=user)

    def get_help_text(self) -> str:
        return "Changing your password revokes your API tokens."
