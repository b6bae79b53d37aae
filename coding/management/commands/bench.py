"""python manage.py bench [--only SUITE ...] [--repeat N]"""

from __future__ import annotations

import os
import platform
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from coding.benchmarks import SUITES, BenchContext

# Each module registers its suites on import.
SUITE_MODULES = [
    "coding.benchmarks.foundation",
    "coding.benchmarks.workspace",
    "coding.benchmarks.refi",
    "coding.benchmarks.agreement",
    "coding.benchmarks.exports",
    "coding.benchmarks.casestudy",
    "coding.benchmarks.analysis",
    "coding.benchmarks.matrix_browser",
    "coding.benchmarks.load",
    "coding.benchmarks.retrieval",
    "coding.benchmarks.deid",
]


class Command(BaseCommand):
    help = (
        "Generate data at stated sizes and print timings (median of --repeat runs). Runs against "
        "the configured database: set DATABASE_URL for PostgreSQL figures. See docs/performance.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", nargs="*", default=None, help="Suites to run (default: all).")
        parser.add_argument(
            "--repeat", type=int, default=5, help="Runs per measurement (default 5)."
        )
        parser.add_argument(
            "--dyads",
            type=int,
            nargs="+",
            default=None,
            help="Study sizes in dyads for the analysis suites (default 50 200 500; "
            "matrix-browser: 500).",
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Analysis suites: keep the generated studies and reuse them in later runs "
            "(building 500 dyads takes minutes). Delete them with the study's page or the admin.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for module in SUITE_MODULES:
            import_module(module)
        chosen = options["only"] or list(SUITES)
        unknown = [name for name in chosen if name not in SUITES]
        if unknown:
            raise CommandError(
                f"Unknown suite(s) {', '.join(unknown)}; known: {', '.join(SUITES)}."
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "select version()"
                if connection.vendor == "postgresql"
                else "select sqlite_version()"
            )
            version = cursor.fetchone()[0].split(",")[0]
        self.stdout.write(
            f"Healing benchmarks — {connection.vendor} {version}; "
            f"Python {platform.python_version()}; {os.cpu_count()} CPUs; "
            f"median of {options['repeat']} runs\n"
        )
        ctx = BenchContext(
            out=self.stdout,
            repeat=options["repeat"],
            sizes=tuple(options["dyads"] or ()),
            keep=options["keep"],
        )
        for name in chosen:
            self.stdout.write(f"[{name}]\n")
            SUITES[name](ctx)
