"""python manage.py import_study FILE [--slug NEW] [--user USERNAME]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coding.exchange.study_import import (
    REFUSED,
    StudyImportError,
    study_import,
    study_import_allowed,
)
from interviews.management.commands._common import get_user


class Command(BaseCommand):
    help = (
        "Create a study from a whole-study JSON export (export_study --format json), all or "
        "nothing, as --user (who must be allowed to: staff, unless HEALING_STUDY_IMPORT=any). The "
        "file's people become placeholders; its authors and times are kept as imported metadata."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The .json (or .json.gz) export.")
        parser.add_argument("--slug", default=None, help="Import under this slug instead.")
        parser.add_argument(
            "--user",
            required=True,
            help="Who imports (recorded in the audit trail and made the study's lead).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        actor = get_user(options["user"])
        if not study_import_allowed(actor):
            raise CommandError(f"{options['user']}: {REFUSED}")
        try:
            study = study_import(
                data=path.read_bytes(),
                actor=actor,
                slug=options["slug"],
                progress=self._progress if options["verbosity"] > 1 else None,
            )
        except StudyImportError as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        self.stdout.write(
            f"Imported study {study.slug} ({study.dyads.count()} dyads) from {path.name}."
        )

    def _progress(self, percent: int, message: str) -> None:
        self.stderr.write(f"{percent:3d}% {message}")
