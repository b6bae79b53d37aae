"""The background jobs app (ground floor): apps above register their kinds in their ready()."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "healing.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
    default_auto_field = "django.db.models.BigAutoField"
