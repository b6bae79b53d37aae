"""Reads for an interview's speakers: each distinct label of its turns, with role and person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min

from interviews.models import Interview, Participant, ParticipantRole, Turn, TurnRole


@dataclass(frozen=True)
class SpeakerRow:
    """One speaker label as found in the turns. ``role`` is the role of its turns (the most
    frequent one if a label's turns disagree, which ``mixed`` then says); ``person`` is the
    dyad's clinician or patient when the role is clinician or patient."""

    speaker: str
    role: str
    turns: int
    mixed: bool
    person: Participant | None

    @property
    def role_label(self) -> str:
        return str(TurnRole(self.role).label) if self.role in TurnRole.values else self.role

    def as_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "role": self.role,
            "turns": self.turns,
            "person": self.person.pseudonym if self.person is not None else None,
        }


def speakers_for_interview(*, interview: Interview) -> list[SpeakerRow]:
    """The interview's speaker labels in order of first appearance (one query; the interview
    comes with its dyad, whose clinician and patient are read once if needed)."""
    rows = (
        Turn.objects.filter(interview=interview)
        .values("speaker", "role")
        .annotate(turns=Count("id"), first=Min("index"))
        .order_by()
    )
    by_speaker: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = by_speaker.setdefault(
            row["speaker"], {"first": row["first"], "roles": {}, "turns": 0}
        )
        entry["first"] = min(entry["first"], row["first"])
        entry["roles"][row["role"]] = row["turns"]
        entry["turns"] += row["turns"]
    people: dict[str, Participant | None] = {}
    result: list[SpeakerRow] = []
    for speaker, entry in sorted(by_speaker.items(), key=lambda item: item[1]["first"]):
        roles: dict[str, int] = entry["roles"]
        role = max(roles, key=lambda name: (roles[name], name))
        if role in (ParticipantRole.CLINICIAN, ParticipantRole.PATIENT) and role not in people:
            people[role] = getattr(interview.dyad, role)
        result.append(
            SpeakerRow(
                speaker=speaker,
                role=role,
                turns=entry["turns"],
                mixed=len(roles) > 1,
                person=people.get(role),
            )
        )
    return result
