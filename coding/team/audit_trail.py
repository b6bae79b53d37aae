"""The study's audit trail as CSV for its leads (page and API), formulas neutralised."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from coding.exchange.tabular import safe_cells
from coding.team import selectors
from coding.team.audit_names import audit_events_named
from healing.audit.models import AuditEvent
from healing.audit.services import audit_export
from interviews.models import Role, Study
from interviews.selectors import study_get_for_user

CHUNK = 2000  # events read, and named, at a time

COLUMNS = [
    "at (UTC)",
    "actor",
    "action",
    "object type",
    "object id",
    "object",
    "interview",
    "summary",
    "before",
    "after",
]


def audit_trail_csv(*, study: Study, actor: Any, filters: selectors.AuditFilter | None) -> bytes:
    """The study's trail (filtered as the page is) as CSV, oldest first; the export itself is
    recorded. Cells a spreadsheet would evaluate are prefixed with an apostrophe."""
    events = selectors.audit_events(study=study, filters=filters).order_by("at", "id")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    rows = 0
    chunk: list[AuditEvent] = []
    for event in events.iterator(chunk_size=CHUNK):
        chunk.append(event)
        if len(chunk) == CHUNK:
            rows += _write_rows(writer, chunk)
            chunk = []
    rows += _write_rows(writer, chunk)
    audit_export(study_id=study.pk, actor=actor, what="audit trail", format="csv", rows=rows)
    return out.getvalue().encode("utf-8-sig")


def _write_rows(writer: Any, chunk: list[AuditEvent]) -> int:
    """Write a chunk of events, their objects named in bulk (a fixed number of queries)."""
    for event in audit_events_named(chunk):
        interview = (
            f"{event.interview.dyad.label} {event.interview.perspective}"
            if event.interview is not None
            else ""
        )
        writer.writerow(
            safe_cells(
                [
                    event.at.isoformat(),
                    event.actor.get_username() if event.actor is not None else "",
                    event.action,
                    event.object_type,
                    event.object_id,
                    event.object_name,  # type: ignore[attr-defined]
                    interview,
                    event.summary,
                    json.dumps(event.before, ensure_ascii=False) if event.before else "",
                    json.dumps(event.after, ensure_ascii=False) if event.after else "",
                ]
            )
        )
    return len(chunk)


def audit_trail_response(*, study: Study, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{study.slug}-audit-trail.csv"'
    return response


class AuditTrailCsvView(APIView):
    """The study's audit trail as CSV (leads only)."""

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request, slug: str) -> HttpResponse:
        study, _ = study_get_for_user(
            user=request.user, slug=slug, min_role=Role.LEAD, read_only=True
        )
        data = audit_trail_csv(study=study, actor=request.user, filters=None)
        return audit_trail_response(study=study, data=data)
