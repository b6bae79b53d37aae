"""python manage.py deid_review --interview ID --user USERNAME [--accept-all] [--apply]"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from coding.deid.apply import deid_apply
from interviews.deid.review import deid_propose, deid_span_decide, require_reviewer
from interviews.models import DeidSpan, Interview


class Command(BaseCommand):
    help = (
        "Propose the identifiers of an interview (the detector, with what the study knows); with "
        "--accept-all accept every proposal with its suggested replacement; with --apply apply "
        "the accepted ones. As USERNAME, who must review de-identification in the study. Prints "
        "what it did as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interview", type=int, required=True)
        parser.add_argument("--user", required=True, help="a lead or named reviewer")
        parser.add_argument("--accept-all", action="store_true")
        parser.add_argument("--apply", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        interview = (
            Interview.objects.select_related("dyad__study").filter(pk=options["interview"]).first()
        )
        if user is None or interview is None:
            raise CommandError("No such user or interview.")
        try:
            require_reviewer(user=user, study=interview.dyad.study)
            report: dict[str, Any] = {
                "interview": interview.pk,
                "proposals": deid_propose(interview=interview, actor=user).as_dict(),
            }
            if options["accept_all"]:
                accepted = 0
                for span in DeidSpan.objects.filter(
                    Q(status=DeidSpan.Status.PROPOSED), interview=interview
                ):
                    span.interview = interview
                    deid_span_decide(span=span, actor=user, status=DeidSpan.Status.ACCEPTED)
                    accepted += 1
                report["accepted"] = accepted
            if options["apply"]:
                report["applied"] = deid_apply(interview=interview, actor=user).as_dict()
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps(report))
