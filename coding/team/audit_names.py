"""Names for the objects an audit trail mentions ("code OUT.TRUST", "dyad D03", "interview
D03 · Patient", "memo 'title'", "member jo"), resolved in bulk: one query per kind of object on
the page, whatever the number of rows. A deleted object is named from the snapshot its event
kept (before/after); "#id" only when nothing is known."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model

from coding.models import Adjudication, Assignment, Code, Coding, Memo
from healing.audit.models import AuditEvent
from interviews.models import (
    AttributeDefinition,
    Dyad,
    Interview,
    Invitation,
    Membership,
    Participant,
    Study,
)

Key = tuple[str, str]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _interview_label(dyad: str, perspective: str) -> str:
    return f"{dyad} · {perspective[:1].upper()}{perspective[1:]}"


def _quoted(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return f"'{text if len(text) <= limit else text[: limit - 1] + '…'}'"


def _snapshot(event: AuditEvent) -> dict[str, Any]:
    """What the event kept of the object: its state after, else before (a delete)."""
    merged: dict[str, Any] = {}
    for side in (event.before, event.after):
        if isinstance(side, dict):
            merged.update(side)
    return merged


class _Lookups:
    """The base objects other names refer to (codes, interviews, dyads, users), each fetched in
    one query for every id any event needs."""

    def __init__(self) -> None:
        self.wanted: dict[str, set[int]] = defaultdict(set)
        self.names: dict[str, dict[int, str]] = {}

    def want(self, kind: str, value: Any) -> None:
        number = _int(value)
        if number is not None:
            self.wanted[kind].add(number)

    def fetch(self) -> None:
        ids = self.wanted
        self.names["code"] = (
            dict(Code.objects.filter(pk__in=ids["code"]).values_list("pk", "key"))
            if ids["code"]
            else {}
        )
        self.names["interview"] = (
            {
                pk: _interview_label(label, perspective)
                for pk, label, perspective in Interview.objects.filter(
                    pk__in=ids["interview"]
                ).values_list("pk", "dyad__label", "perspective")
            }
            if ids["interview"]
            else {}
        )
        self.names["dyad"] = (
            dict(Dyad.objects.filter(pk__in=ids["dyad"]).values_list("pk", "label"))
            if ids["dyad"]
            else {}
        )
        self.names["user"] = (
            dict(
                get_user_model()
                .objects.filter(pk__in=ids["user"])
                .values_list("pk", get_user_model().USERNAME_FIELD)
            )
            if ids["user"]
            else {}
        )

    def recall_deleted(self, *, study_ids: set[Any]) -> None:
        """Codes and dyads that are gone: named from the snapshot of their own audit records
        (one query, only when some are missing)."""
        gone = {kind: self.wanted[kind] - set(self.names[kind]) for kind in ("code", "dyad")}
        if not any(gone.values()):
            return
        field = {"code": "key", "dyad": "label"}
        records = AuditEvent.objects.filter(
            study_id__in=study_ids,
            object_type__in=[kind for kind, ids in gone.items() if ids],
            object_id__in=[str(pk) for ids in gone.values() for pk in ids],
        ).order_by("-id")
        for kind, object_id, before, after in records.values_list(
            "object_type", "object_id", "before", "after"
        ):
            number = _int(object_id)
            if number is None or number not in gone[kind] or number in self.names[kind]:
                continue
            for side in (after, before):
                if isinstance(side, dict) and side.get(field[kind]):
                    self.names[kind][number] = str(side[field[kind]])
                    break

    def name(self, kind: str, value: Any) -> str | None:
        number = _int(value)
        return None if number is None else self.names.get(kind, {}).get(number)


# Objects named from their own row (with the rows they refer to joined in): one query each.
def _live_names(ids: dict[str, set[int]]) -> dict[Key, str]:
    names: dict[Key, str] = {}

    def put(kind: str, pk: int, text: str) -> None:
        names[(kind, str(pk))] = text

    if ids.get("coding"):
        for pk, key, label, perspective in Coding.objects.filter(pk__in=ids["coding"]).values_list(
            "pk", "code__key", "interview__dyad__label", "interview__perspective"
        ):
            put("coding", pk, f"coding {key} in {_interview_label(label, perspective)}")
    if ids.get("assignment"):
        for pk, label, perspective, coder in Assignment.objects.filter(
            pk__in=ids["assignment"]
        ).values_list(
            "pk",
            "interview__dyad__label",
            "interview__perspective",
            f"coder__{get_user_model().USERNAME_FIELD}",
        ):
            put("assignment", pk, f"assignment {_interview_label(label, perspective)} to {coder}")
    if ids.get("adjudication"):
        for pk, key, label, perspective in Adjudication.objects.filter(
            pk__in=ids["adjudication"]
        ).values_list("pk", "code__key", "interview__dyad__label", "interview__perspective"):
            put("adjudication", pk, f"decision on {key} in {_interview_label(label, perspective)}")
    if ids.get("membership"):
        for pk, username in Membership.objects.filter(pk__in=ids["membership"]).values_list(
            "pk", f"user__{get_user_model().USERNAME_FIELD}"
        ):
            put("membership", pk, f"member {username}")
    if ids.get("memo"):
        for pk, title, body in Memo.objects.filter(pk__in=ids["memo"]).values_list(
            "pk", "title", "body"
        ):
            put("memo", pk, f"memo {_quoted(title or body)}")
    if ids.get("participant"):
        for pk, role, pseudonym in Participant.objects.filter(
            pk__in=ids["participant"]
        ).values_list("pk", "role", "pseudonym"):
            put("participant", pk, f"{role} {pseudonym}")
    if ids.get("study"):
        for pk, title in Study.objects.filter(pk__in=ids["study"]).values_list("pk", "title"):
            put("study", pk, f"study {_quoted(title)}")
    if ids.get("attribute"):
        for pk, label in AttributeDefinition.objects.filter(pk__in=ids["attribute"]).values_list(
            "pk", "label"
        ):
            put("attribute", pk, f"attribute {_quoted(label)}")
    if ids.get("invitation"):
        for pk, invited in Invitation.objects.filter(pk__in=ids["invitation"]).values_list(
            "pk", "invited_name"
        ):
            put("invitation", pk, f"invitation of {invited}")
    return names


# Snapshot fields that refer to a base object, by the kind of object recorded.
_REFERENCES = {
    "coding": (("code", "code"), ("interview", "interview")),
    "assignment": (("interview", "interview"), ("coder", "user")),
    "adjudication": (("code", "code"), ("interview", "interview")),
    "membership": (("user", "user"),),
    "interview": (("dyad", "dyad"),),
}


def _from_snapshot(event: AuditEvent, data: dict[str, Any], lookups: _Lookups) -> str | None:
    """A name from what the event kept: a deleted object's own fields, and the names of the
    objects it referred to."""
    kind = event.object_type

    def ref(field: str, base: str) -> str | None:
        return lookups.name(base, data.get(field))

    if kind == "code" and data.get("key"):
        return f"code {data['key']}"
    if kind == "dyad" and data.get("label"):
        return f"dyad {data['label']}"
    if kind == "interview" and ref("dyad", "dyad") and data.get("perspective"):
        return f"interview {_interview_label(ref('dyad', 'dyad') or '', data['perspective'])}"
    if kind == "memo" and (data.get("title") or data.get("body")):
        return f"memo {_quoted(data.get('title') or data.get('body') or '')}"
    if kind == "membership" and ref("user", "user"):
        return f"member {ref('user', 'user')}"
    if kind == "coding" and ref("code", "code"):
        where = ref("interview", "interview")
        return f"coding {ref('code', 'code')}" + (f" in {where}" if where else "")
    if kind == "assignment" and ref("interview", "interview"):
        coder = ref("coder", "user")
        return f"assignment {ref('interview', 'interview')}" + (f" to {coder}" if coder else "")
    if kind == "adjudication" and ref("code", "code"):
        where = ref("interview", "interview")
        return f"decision on {ref('code', 'code')}" + (f" in {where}" if where else "")
    if kind == "participant" and data.get("pseudonym"):
        return f"{data.get('role') or 'participant'} {data['pseudonym']}"
    if kind == "study" and data.get("title"):
        return f"study {_quoted(data['title'])}"
    if kind == "attribute" and data.get("label"):
        return f"attribute {_quoted(data['label'])}"
    return None


def audit_object_names(*, events: Sequence[AuditEvent]) -> dict[Key, str]:
    """``{(object_type, object_id): name}`` for the events' objects.

    Queries: one per kind of object present (coding, assignment, adjudication, membership, memo,
    participant, study, attribute, invitation), then one each for the codes, interviews, dyads
    and users named directly or referred to by a deleted object's snapshot, and one for the
    audit records of codes and dyads that are gone; none per row.
    """
    ids: dict[str, set[int]] = defaultdict(set)
    for event in events:
        number = _int(event.object_id)
        if number is not None:
            ids[event.object_type].add(number)
    names = _live_names(ids)
    lookups = _Lookups()
    for base in ("code", "interview", "dyad"):
        for number in ids.get(base, ()):
            lookups.want(base, number)
    missing = [e for e in events if (e.object_type, e.object_id) not in names]
    for event in missing:
        data = _snapshot(event)
        for field, base in _REFERENCES.get(event.object_type, ()):
            lookups.want(base, data.get(field))
    lookups.fetch()
    lookups.recall_deleted(study_ids={e.study_id for e in events})
    for event in missing:
        key = (event.object_type, event.object_id)
        if key in names:
            continue
        found = None
        if event.object_type == "code":
            found = lookups.name("code", event.object_id)
            found = f"code {found}" if found else None
        elif event.object_type == "interview":
            found = lookups.name("interview", event.object_id)
            found = f"interview {found}" if found else None
        elif event.object_type == "dyad":
            found = lookups.name("dyad", event.object_id)
            found = f"dyad {found}" if found else None
        names[key] = (
            found
            or _from_snapshot(event, _snapshot(event), lookups)
            or _fallback(event.object_type, event.object_id)
        )
    return names


def _fallback(kind: str, object_id: str) -> str:
    label = kind.replace("_", " ")
    return f"{label} #{object_id}" if object_id else label


def audit_events_named(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """The events with ``object_name`` set on each (the names resolved in bulk)."""
    listed = list(events)
    names = audit_object_names(events=listed)
    for event in listed:
        event.object_name = names[(event.object_type, event.object_id)]  # type: ignore[attr-defined]
    return listed
