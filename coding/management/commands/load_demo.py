"""python manage.py load_demo [--reset]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from coding.demo.build import DEMO_USERS, demo_load


class Command(BaseCommand):
    help = (
        "Load the fictional demo study (9 dyads, 4 clinicians, 18 interviews, two coders and a "
        "consensus layer) and its demo users. Safe to run again: an existing demo study is left "
        "as it is unless --reset is given. Demo passwords are printed; never use them in "
        "production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete and rebuild the demo study."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_load(reset=options["reset"])
        study = result.study
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo study '{study.slug}': {result.interviews} interviews, "
                    f"{result.codings} codings."
                )
            )
        else:
            self.stdout.write(
                f"The demo study '{study.slug}' is already loaded (use --reset to rebuild)."
            )
        self.stdout.write("Demo logins (username / password, role):")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<6} / {user.password:<20} {user.role}")
