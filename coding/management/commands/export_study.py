"""python manage.py export_study --study SLUG --format F --out PATH"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coding.exchange.registry import STUDY_EXPORTS, ExportOptions, load_formats, study_export
from coding.exports import export_default_layer, export_study_write
from interviews.management.commands._common import get_study, get_user


class Command(BaseCommand):
    help = (
        "Export a study's coded data in one of the registered formats (see --format). "
        "The export is recorded in the study's audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        load_formats()
        described = "; ".join(f"{f.name}: {f.description}" for f in STUDY_EXPORTS.values())
        parser.add_argument("--study", required=True, help="The study's slug.")
        parser.add_argument("--format", required=True, help=f"One of: {described}")
        parser.add_argument(
            "--out", required=True, type=Path, help="File to write ('-' for stdout)."
        )
        parser.add_argument(
            "--layer",
            default=None,
            choices=["best", "all", "consensus", "individual"],
            help="Which codings: best (per interview the consensus where complete, else the "
            "coders' layers; the default, except for json and qdpx), every coder's and the "
            "consensus (all; the default for json and qdpx), or one layer.",
        )
        parser.add_argument("--coder", default=None, help="Only this coder's codings (username).")
        parser.add_argument(
            "--raw",
            action="store_true",
            help="CSV/XLSX: leave text beginning with =, +, -, @, tab or CR as it is (by default "
            "it gets a leading apostrophe, so a spreadsheet does not evaluate it).",
        )
        parser.add_argument("--user", default=None, help="Username recorded in the audit trail.")

    def handle(self, *args: Any, **options: Any) -> None:
        study = get_study(options["study"])
        try:
            export = study_export(options["format"])
        except KeyError as exc:
            raise CommandError(str(exc.args[0])) from None
        export_options = ExportOptions(
            layer=options["layer"] or export_default_layer(export.name),
            coder=options["coder"],
            actor=get_user(options["user"]),
            raw=options["raw"],
        )
        out = Path(options["out"])
        try:
            if str(out) == "-":
                stream = self.stdout._out.buffer  # type: ignore[attr-defined]
                export_study_write(
                    study=study, fmt=export, out=stream, options=export_options, via="command"
                )
                stream.flush()
                return
            with out.open("wb") as stream:
                export_study_write(
                    study=study, fmt=export, out=stream, options=export_options, via="command"
                )
        except ValidationError as exc:
            if str(out) != "-":
                out.unlink(missing_ok=True)
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(f"Wrote {out} ({out.stat().st_size:,} bytes, {export.name}).")
