"""Text functions the same on both databases: SQLite's own ``upper()`` folds ASCII letters only,
so ``UnicodeUpper`` calls Python's ``str.upper`` there (registered on each new connection) and
PostgreSQL's ``upper()`` (Unicode-aware under a UTF-8 locale) elsewhere."""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import Func, TextField

SQLITE_UPPER = "healing_upper"


class UnicodeUpper(Func):
    function = "UPPER"
    output_field = TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function=SQLITE_UPPER, **extra)


def _upper(value: str | None) -> str | None:
    return None if value is None else value.upper()


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_UPPER, 1, _upper, deterministic=True)


def connect() -> None:
    connection_created.connect(register_sqlite_functions, dispatch_uid="healing-sqlite-functions")
