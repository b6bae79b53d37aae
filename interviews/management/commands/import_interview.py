"""python manage.py import_interview --study SLUG --dyad LABEL --perspective P FILE"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from interviews.importing import TranscriptError
from interviews.management.commands._common import get_study, get_user
from interviews.models import Perspective
from interviews.services import dyad_get_or_create, interview_import, parse_speaker_map


class Command(BaseCommand):
    help = (
        "Import one transcript (.txt .md .docx .vtt .srt .rtf) as an interview of a dyad, "
        "creating the dyad if it does not exist."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The transcript file.")
        parser.add_argument("--study", required=True, help="The study's slug.")
        parser.add_argument("--dyad", required=True, help="The dyad's label (created if missing).")
        parser.add_argument(
            "--perspective",
            required=True,
            choices=Perspective.values,
            help="Whose interview it is.",
        )
        parser.add_argument(
            "--speakers",
            default="",
            help="Speaker roles, e.g. 'Jane=patient; Int=interviewer' "
            "(roles: interviewer, patient, clinician, other).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Import even if the same text is already stored."
        )
        parser.add_argument(
            "--no-fallback",
            action="store_true",
            help="Refuse files that are not UTF-8/UTF-16 instead of reading them as cp1252.",
        )
        parser.add_argument("--conducted-on", default="", help="Interview date, YYYY-MM-DD.")
        parser.add_argument("--interviewer", default="", help="Who conducted the interview.")
        parser.add_argument("--user", default=None, help="Username recorded as the importer.")

    def handle(self, *args: Any, **options: Any) -> None:
        study = get_study(options["study"])
        user = get_user(options["user"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        limit = settings.HEALING_MAX_UPLOAD_BYTES
        if path.stat().st_size > limit:
            raise CommandError(
                f"{path.name} is {path.stat().st_size / 1_000_000:.1f} MB; the limit is "
                f"{limit / 1_000_000:.1f} MB (HEALING_MAX_UPLOAD_BYTES)."
            )
        try:
            conducted_on = (
                dt.date.fromisoformat(options["conducted_on"]) if options["conducted_on"] else None
            )
        except ValueError:
            raise CommandError("--conducted-on must be a date like 2026-03-14.") from None
        try:
            speaker_map = parse_speaker_map(options["speakers"])
            with transaction.atomic():
                dyad, created = dyad_get_or_create(study=study, label=options["dyad"], actor=user)
                outcome = interview_import(
                    dyad=dyad,
                    perspective=options["perspective"],
                    filename=path.name,
                    data=path.read_bytes(),
                    imported_by=user,
                    speaker_map=speaker_map,
                    force=options["force"],
                    encoding_fallback=not options["no_fallback"],
                    conducted_on=conducted_on,
                    interviewer=options["interviewer"],
                )
        except TranscriptError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(f"{path.name}: {' '.join(exc.messages)}") from None
        interview = outcome.interview
        for warning in outcome.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        roles = ", ".join(
            f"{name or '(unlabelled)'}={role}" for name, role in outcome.speaker_roles.items()
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name}: imported as interview {interview.pk} "
                f"({'new ' if created else ''}dyad {dyad.label}, {interview.perspective}, "
                f"{interview.word_count} words, {interview.turns.count()} turns; speakers: {roles})"
            )
        )
