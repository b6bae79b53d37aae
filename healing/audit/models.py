"""The audit trail's one model; its table kept its name (``coding_auditevent``) in the move."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Who changed what and when, with the values before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        EXPORT = "export", "Exported"
        IMPORT = "import", "Imported"
        VIEW = "view", "Viewed"
        INVITE = "invite", "Invited"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"

    # None for events of an account, not a study: sign-ins, failed sign-ins, API tokens.
    study = models.ForeignKey(
        "interviews.Study",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
    )
    interview = models.ForeignKey(
        "interviews.Interview",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "coding_auditevent"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["study", "-at"], name="audit_by_study"),
            models.Index(fields=["interview", "-at"], name="audit_by_interview"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.object_type} {self.object_id}"
