"""python manage.py deid_score [--half dev|test] [--verbose]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from interviews.deid.corpus import HALVES, load_corpus
from interviews.deid.evaluate import long_transcript, report_lines, scan_seconds, score


class Command(BaseCommand):
    help = (
        "Score the de-identification detector on its evaluation corpus (interviews/deid/corpus): "
        "entity recall per kind, overall recall, character precision, and the scan time of a "
        "20,000-word transcript. No names list is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--half", choices=HALVES, action="append", help="Score only this half (repeatable)."
        )
        parser.add_argument(
            "--verbose", action="store_true", help="List every missed and spurious span."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for half in options["half"] or HALVES:
            documents = load_corpus(half)
            result = score(documents)
            for line in report_lines(f"{half} ({len(documents)} transcripts)", result):
                self.stdout.write(line)
            if options["verbose"]:
                for name, kind, text in result.missed:
                    self.stdout.write(f"    missed   {kind.value:<9} {text!r} ({name})")
                for name, kind, text in result.spurious:
                    self.stdout.write(f"    spurious {kind.value:<9} {text!r} ({name})")
        text = long_transcript(load_corpus("dev") + load_corpus("test"))
        seconds = scan_seconds(text)
        self.stdout.write(
            f"scan of a {len(text.split()):,}-word transcript: {seconds * 1000:.0f} ms (best of 3)"
        )
