from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

SEARCH_INDEX_MIGRATION = ("interviews", "0008_interview_search_index")


def search_triggers_restore(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Django rebuilds a SQLite table to alter it, and the table's triggers go with it: put the
    full-text index's triggers back (interviews/search_index.py) once the index exists."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    if SEARCH_INDEX_MIGRATION in MigrationRecorder(connection).applied_migrations():
        from interviews.search_index import search_index_install

        search_index_install()


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Studies and interviews"

    def ready(self) -> None:
        # Registration, Django's way: the transcript import registers its job kind on import.
        from healing import text_functions
        from interviews import job_handlers  # noqa: F401

        text_functions.connect()
        post_migrate.connect(search_triggers_restore, sender=self, dispatch_uid="search-triggers")
