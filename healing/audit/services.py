"""The audit trail: every write to codings, codes, interviews, memos and memberships is recorded.

Services call ``audit_record`` inside their transaction, so a change and its record land together.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import models

from healing.audit.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields' values, JSON-ready; foreign keys as ids."""
    data: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        data[name] = _jsonable(getattr(instance, attname))
    return data


def audit_record(
    *,
    study_id: int | None,
    actor: Any,
    action: str,
    object_type: str,
    object_id: Any = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    interview_id: int | None = None,
    summary: str = "",
) -> AuditEvent:
    """One record. ``study_id=None`` is an account's event, not a study's (a sign-in, a failed
    sign-in, an API token made or revoked): the hook for apps that record those."""
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        study_id=study_id,
        interview_id=interview_id,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary[:300],
        before=before,
        after=after,
    )


def audit_view(*, study_id: int, interview_id: int, actor: Any, what: str) -> AuditEvent:
    """Record that ``actor`` read an interview's transcript (``what``: "workspace",
    "printable transcript", "API workspace"…). Pages and endpoints call it once per view,
    never for the workspace's polls of changes."""
    return audit_record(
        study_id=study_id,
        interview_id=interview_id,
        actor=actor,
        action="view",
        object_type="interview",
        object_id=interview_id,
        after={"what": what},
        summary=f"Viewed the {what}",
    )


def audit_records_bulk(events: list[AuditEvent]) -> None:
    AuditEvent.objects.bulk_create(events, batch_size=1000)


def audit_export(
    *,
    study_id: int,
    actor: Any,
    what: str,
    format: str,
    interview_id: int | None = None,
    params: dict[str, Any] | None = None,
    rows: int | None = None,
) -> AuditEvent:
    """Record that ``actor`` exported ``what`` (e.g. "coded segments", "agreement report 12")
    as ``format``; ``params`` (layer, coder, filters…) and ``rows`` go in the record's ``after``.

    Every export path calls this once per file it hands out, so the trail shows who took which
    data out of the system and when.
    """
    after: dict[str, Any] = {"what": what, "format": format, **(params or {})}
    if rows is not None:
        after["rows"] = rows
    return audit_record(
        study_id=study_id,
        interview_id=interview_id,
        actor=actor,
        action="export",
        object_type="export",
        object_id="",
        after={key: _jsonable(value) for key, value in after.items()},
        summary=f"Exported {what} as {format}",
    )
