"""Accounts (ground floor): sign-in sessions, their idle timeout and what a sign-in starts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "healing.accounts"
    label = "accounts"
    verbose_name = "Accounts and sign-in"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from healing.accounts.sessions import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="healing-start-idle-clock")
