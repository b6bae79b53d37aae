"""python manage.py deid_scan FILE [--names "A; B"] [--places "X; Y"] [--details]"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from interviews.deid.detect import detect
from interviews.deid.proposals import DeidContext
from interviews.importing import TranscriptError, parse_transcript


def _terms(value: str) -> frozenset[str]:
    return frozenset(term.strip() for term in value.split(";") if term.strip())


class Command(BaseCommand):
    help = (
        "Propose the identifiers in a transcript file, read exactly as import reads it, and "
        'print {"spans": [{"start", "end", "kind", "text"}]} as JSON; offsets are code points '
        "into the normalised text."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", type=Path, help="The transcript (.txt .md .docx .vtt .srt .rtf)."
        )
        parser.add_argument(
            "--names", default="", help="Real names to find, separated by ';' (a names list)."
        )
        parser.add_argument(
            "--places", default="", help="Places to find, separated by ';' (a places list)."
        )
        parser.add_argument(
            "--details",
            action="store_true",
            help="Add each span's confidence and source (why it was proposed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None
        try:
            parsed = parse_transcript(data, path.name, max_bytes=settings.HEALING_MAX_UPLOAD_BYTES)
        except TranscriptError as error:
            raise CommandError(str(error)) from None
        context = DeidContext(
            speaker_labels=frozenset(turn.speaker for turn in parsed.turns if turn.speaker),
            names=_terms(options["names"]),
            places=_terms(options["places"]),
        )
        spans = []
        for proposal in detect(parsed.text, context=context):
            span: dict[str, Any] = {
                "start": proposal.start,
                "end": proposal.end,
                "kind": proposal.kind.value,
                "text": proposal.text,
            }
            if options["details"]:
                span["confidence"] = proposal.confidence
                span["source"] = proposal.source.value
            spans.append(span)
        self.stdout.write(json.dumps({"spans": spans}, ensure_ascii=False, indent=1))
