"""python manage.py export_codebook --study SLUG --format F --out PATH"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coding.exchange.registry import CODEBOOK_EXPORTS, codebook_export, load_formats
from coding.exports import export_codebook_write
from interviews.management.commands._common import get_study, get_user


class Command(BaseCommand):
    help = "Export a study's codebook in one of the registered formats (see --format)."

    def add_arguments(self, parser: CommandParser) -> None:
        load_formats()
        described = "; ".join(f"{f.name}: {f.description}" for f in CODEBOOK_EXPORTS.values())
        parser.add_argument("--study", required=True, help="The study's slug.")
        parser.add_argument("--format", required=True, help=f"One of: {described}")
        parser.add_argument(
            "--out", required=True, type=Path, help="File to write ('-' for stdout)."
        )
        parser.add_argument("--user", default=None, help="Username recorded in the audit trail.")

    def handle(self, *args: Any, **options: Any) -> None:
        study = get_study(options["study"])
        try:
            export = codebook_export(options["format"])
        except KeyError as exc:
            raise CommandError(str(exc.args[0])) from None
        actor = get_user(options["user"])
        out = Path(options["out"])
        if str(out) == "-":
            stream = self.stdout._out.buffer  # type: ignore[attr-defined]
            try:
                export_codebook_write(
                    study=study, fmt=export, out=stream, actor=actor, via="command"
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            stream.flush()
            return
        try:
            with out.open("wb") as stream:
                export_codebook_write(
                    study=study, fmt=export, out=stream, actor=actor, via="command"
                )
        except ValidationError as exc:
            out.unlink(missing_ok=True)
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(f"Wrote {out} ({out.stat().st_size:,} bytes, {export.name}).")
