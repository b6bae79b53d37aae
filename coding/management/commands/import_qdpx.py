"""python manage.py import_qdpx FILE (--study SLUG | --new-study SLUG --title T) --user NAME"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coding.exchange.refi.errors import RefiError
from coding.exchange.refi.imports import new_study_check, qdpx_import, qdpx_inspect
from coding.exchange.refi.jobs import error_text
from interviews.management.commands._common import get_study, get_user
from interviews.selectors import study_access_for_user


class Command(BaseCommand):
    help = (
        "Import a REFI-QDA project (.qdpx from NVivo, ATLAS.ti, MAXQDA, QualCoder, Healing) "
        "into a new study or one you lead: codebook, users, sources as interviews, cases and "
        "variables as dyads and attributes, selections and codings, notes as memos. Where the "
        "file does not say which dyad and perspective a source is, write the proposed mapping "
        "with --plan-out, edit it, and pass it back with --mapping (or --accept-guesses). "
        "All or nothing; prints the import report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The .qdpx (or a bare .qde).")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--study", help="Slug of an existing study you lead.")
        target.add_argument("--new-study", help="Slug of a new study to create.")
        parser.add_argument("--title", help="Title of the new study (default: the project's).")
        parser.add_argument(
            "--user", required=True, help="Username of the importer (lead of the study)."
        )
        parser.add_argument(
            "--mapping",
            type=Path,
            help="JSON mapping (sources, cases, users), e.g. an edited plan.",
        )
        parser.add_argument(
            "--plan-out", type=Path, help="Write the proposed mapping here and stop (no import)."
        )
        parser.add_argument(
            "--accept-guesses",
            action="store_true",
            help="Import even where dyad or perspective of a source had to be guessed.",
        )
        parser.add_argument(
            "--update-codes",
            action="store_true",
            help="Update codes that match existing ones from the file (default: keep ours).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        user = get_user(options["user"])
        study = get_study(options["study"]) if options["study"] else None
        if study is not None:
            access = study_access_for_user(user=user, study=study)
            if access is None or not access.is_lead:
                raise CommandError(f"{user.username} is not a lead of {study.slug}.")
            if not access.writable:
                raise CommandError(f"{study.slug} is archived (read-only): unarchive it first.")
        data = path.read_bytes()
        try:
            new_study = None
            if options["new_study"]:
                plan = qdpx_inspect(data=data, filename=path.name, user=user)
                new_study = new_study_check(
                    slug=options["new_study"],
                    title=options["title"] or plan["project"] or options["new_study"],
                )
            plan = qdpx_inspect(
                data=data, filename=path.name, user=user, study=study, new_study=new_study
            )
            if options["plan_out"]:
                options["plan_out"].write_text(json.dumps(plan, indent=2, ensure_ascii=False))
                self.stdout.write(f"Wrote the proposed mapping to {options['plan_out']}.")
                self._print_plan(plan)
                return
            mapping = None
            if options["mapping"]:
                try:
                    mapping = json.loads(options["mapping"].read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise CommandError(
                        f"{options['mapping']}: not a JSON mapping ({exc})."
                    ) from None
            elif plan["needs_review"] and not options["accept_guesses"]:
                self._print_plan(plan)
                raise CommandError(
                    "The file does not say which dyad or perspective some sources belong to "
                    "(marked 'guess' above). Write the plan with --plan-out plan.json, edit it, "
                    "and import with --mapping plan.json; or pass --accept-guesses."
                )
            if mapping is not None:
                mapping = {**mapping, "update_codes": options["update_codes"]}
            elif options["update_codes"]:
                mapping = {"update_codes": True}
            report = qdpx_import(
                data=data,
                filename=path.name,
                user=user,
                mapping=mapping,
                study=study,
                new_study=new_study,
                progress=lambda percent, message: self.stderr.write(f"{percent:3d}% {message}"),
            )
        except (RefiError, ValidationError) as exc:
            raise CommandError(error_text(exc)) from None
        result = report.as_dict()
        self.stdout.write(self.style.SUCCESS(f"Imported {path.name} into study {result['study']}."))
        for what, count in result["imported"].items():
            self.stdout.write(f"  imported   {count:6d} {what}")
        for kind, count in result["converted_counts"].items():
            self.stdout.write(f"  converted  {count:6d} {kind}")
        for kind, count in result["skipped_counts"].items():
            self.stdout.write(self.style.WARNING(f"  skipped    {count:6d} {kind}"))
        for item in result["skipped"][:50]:
            self.stdout.write(f"    - {item['what']}: {item['reason']}")

    def _print_plan(self, plan: dict[str, Any]) -> None:
        counts = plan["counts"]
        self.stdout.write(
            f"{plan['file']} ({plan['origin'] or 'unknown tool'}): {counts['codes']} codes in "
            f"{counts['levels']} levels, {counts['text_sources']} text sources, "
            f"{counts['selections']} selections, {counts['cases']} cases, {counts['users']} users"
        )
        for source in plan["sources"]:
            self.stdout.write(
                f"  {source['action']:8} {source['name'][:40]:40} -> dyad {source['dyad']} "
                f"({source['dyad_from']}), {source['perspective']} ({source['perspective_from']})"
                + (f"  [{source['problem']}]" if source["problem"] else "")
            )
        for user in plan["users"]:
            self.stdout.write(
                f"  user {user['name'][:30]:30} {user['codings']:5d} codings -> {user['action']}"
                + (f" {user['username']}" if user["username"] else "")
            )
