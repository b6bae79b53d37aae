"""Writes for an interview's speakers: the lead corrects the role of a speaker label."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from healing.audit.services import audit_record
from interviews.models import Interview, Turn, TurnRole


def speaker_role_set(*, interview: Interview, speaker: str, role: str, actor: Any) -> int:
    """Give every turn of ``interview`` whose label is ``speaker`` the role ``role``; returns
    how many turns that is. Only ``Turn.role`` changes: never the text, a turn's offsets or any
    coding. Audited (the roles before, the role after, the number of turns); a role the turns
    already have changes nothing and records nothing."""
    if role not in TurnRole.values:
        raise ValidationError({"role": f"Unknown role {role!r}: use {', '.join(TurnRole.values)}."})
    turns = Turn.objects.filter(interview=interview, speaker=speaker)
    with transaction.atomic():
        before = sorted(set(turns.select_for_update().values_list("role", flat=True)))
        if not before:
            raise ValidationError(
                {"speaker": f"No turn of this interview has the speaker label {speaker!r}."}
            )
        count = turns.count()
        if before == [role]:
            return count
        changed = turns.exclude(role=role).update(role=role)
        audit_record(
            study_id=interview.dyad.study_id,
            interview_id=interview.pk,
            actor=actor,
            action="update",
            object_type="speaker",
            object_id=speaker[:64],
            before={"speaker": speaker, "roles": before},
            after={"speaker": speaker, "role": role, "turns": count, "changed": changed},
            summary=f"Speaker {speaker or '(no label)'!s} in interview {interview.pk}: "
            f"{'/'.join(before)} → {role} ({count} turns)",
        )
    return count
