"""python manage.py import_interviews --study SLUG MANIFEST.csv"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interviews.management.commands._common import get_study, get_user
from interviews.manifest import ManifestError, file_loader, read_manifest
from interviews.services import interviews_import_batch


class Command(BaseCommand):
    help = (
        "Import the transcripts a CSV manifest lists (columns: file, dyad, perspective, then "
        "optional clinician, patient, speakers, conducted_on, interviewer, and any attribute "
        "columns). Each file is all-or-nothing; the command reports every file's outcome and "
        "exits with status 1 if any failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "manifest", type=Path, help="CSV manifest; file paths are relative to it."
        )
        parser.add_argument("--study", required=True, help="The study's slug.")
        parser.add_argument(
            "--force", action="store_true", help="Import files whose text is already stored."
        )
        parser.add_argument(
            "--no-fallback", action="store_true", help="Refuse files that are not UTF-8/UTF-16."
        )
        parser.add_argument("--user", default=None, help="Username recorded as the importer.")

    def handle(self, *args: Any, **options: Any) -> None:
        study = get_study(options["study"])
        user = get_user(options["user"])
        manifest: Path = options["manifest"]
        if not manifest.is_file():
            raise CommandError(f"{manifest}: no such file.")
        try:
            items = read_manifest(
                manifest.read_bytes(), name=manifest.name, resolve=file_loader(manifest.parent)
            )
        except ManifestError as exc:
            raise CommandError(str(exc)) from None
        outcomes = interviews_import_batch(
            study=study,
            items=items,
            imported_by=user,
            force=options["force"],
            encoding_fallback=not options["no_fallback"],
        )
        for outcome in outcomes:
            if outcome.ok:
                self.stdout.write(self.style.SUCCESS(f"ok    {outcome.message}"))
                for warning in outcome.warnings:
                    self.stdout.write(self.style.WARNING(f"      warning: {warning}"))
            else:
                self.stdout.write(self.style.ERROR(f"fail  {outcome.message}"))
        imported = sum(o.ok for o in outcomes)
        self.stdout.write(f"{imported} of {len(outcomes)} files imported into {study.slug}.")
        if imported < len(outcomes):
            raise CommandError(
                f"{len(outcomes) - imported} file(s) were not imported.", returncode=1
            )
