"""The audit trail app (ground floor)."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "healing.audit"
    label = "audit"
    verbose_name = "Audit trail"
    default_auto_field = "django.db.models.BigAutoField"
