"""A personal API token; its table kept its name (``interviews_apitoken``) when it moved here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the secret is stored; it is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="First characters, to tell tokens apart.")
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField(help_text="After this the token is refused; chosen at creation.")
    two_factor = models.BooleanField(
        default=False,
        help_text="Created from a two-factor-verified sign-in: opens studies that require it.",
    )

    class Meta:
        db_table = "interviews_apitoken"
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked__isnull=True),
                name="api_token_name_unique_while_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return self.expires <= timezone.now()
