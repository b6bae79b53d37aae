"""The audit trail app (ground floor)."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "healing.audit"
    label = "audit"
    verbose_name = "Audit trail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from healing.audit import signals

        user_logged_in.connect(signals.signed_in, dispatch_uid="audit-signed-in")
        user_login_failed.connect(signals.sign_in_failed, dispatch_uid="audit-sign-in-failed")
