"""Personal API tokens (ground floor: the API's authentication reads them)."""

from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "healing.tokens"
    label = "tokens"
    verbose_name = "API tokens"
    default_auto_field = "django.db.models.BigAutoField"
