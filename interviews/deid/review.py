"""The de-identification review of an interview: proposals, decisions, entities, replacements.

A review starts with ``deid_propose`` (the detector over the interview's text, with what the
study knows: speaker labels, pseudonyms, the private names and places lists). A reviewer then
accepts or rejects each proposal, changes its kind, widens or narrows it, adds a missed one, or
accepts every occurrence of the same words across the study's interviews at once. Each accepted
identifier belongs to an entity of the study whose one replacement (suggested here, editable)
every occurrence gets. Applying (``coding.deid.apply``) rewrites the text.

Who reviews: the study's leads and the members a lead names (``Membership.deid_reviewer``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from healing.audit.services import audit_record
from interviews.deid.detect import detect  # its word lists load on first use, not at start
from interviews.deid.entities import entity_digest
from interviews.deid.proposals import DeidContext
from interviews.models import (
    DeidEntity,
    DeidKind,
    DeidSpan,
    DeidStatus,
    DeidTerm,
    Interview,
    Membership,
    Participant,
    Role,
    Study,
    Turn,
)

# Suggested pseudonyms for people: short, common, unlikely to be a participant's real name in a
# US primary-care study any more than another; chosen by the entity's digest, never reused
# within a study while another is free.
PSEUDONYMS = (
    "Ella", "Noah", "Ruth", "Omar", "Iris", "Felix", "Nora", "Hugo", "Lena", "Milo", "Ada",
    "Theo", "June", "Otto", "Vera", "Ezra", "Maya", "Ivan", "Rosa", "Leon", "Anya", "Jonas",
    "Greta", "Tomas", "Lila", "Rafael", "Edith", "Samir", "Wanda", "Bruno", "Cleo", "Dario",
    "Elsa", "Fabian", "Gemma", "Hector", "Ines", "Joel", "Kira", "Lucas", "Mira", "Nils",
)  # fmt: skip
SURNAME_PSEUDONYMS = (
    "Stone", "Rivers", "Hale", "Marsh", "Lake", "Ford", "Wood", "Reed", "Banks", "Fields",
    "Brooks", "Hill", "Moore", "Vale", "Cross", "Dale", "Frost", "Glen", "Heath", "Lane",
)  # fmt: skip
TAGS = {
    DeidKind.PERSON: "[PERSON]",
    DeidKind.LOCATION: "[PLACE]",
    DeidKind.DATE: "[DATE]",
    DeidKind.AGE: "[AGE 90+]",
    DeidKind.PHONE: "[PHONE]",
    DeidKind.EMAIL: "[EMAIL]",
    DeidKind.URL: "[URL]",
    DeidKind.ID: "[ID]",
    DeidKind.ORG: "[ORGANISATION]",
}
REVIEWING = (DeidSpan.Status.PROPOSED, DeidSpan.Status.ACCEPTED, DeidSpan.Status.REJECTED)


def may_review(*, user: Any, study: Study) -> bool:
    """Leads and the members a lead named reviewer. One query."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        Q(role=Role.LEAD) | Q(deid_reviewer=True), study=study, user=user
    ).exists()


def require_reviewer(*, user: Any, study: Study, write: bool = True) -> None:
    if write and study.archived:
        raise PermissionDenied("This study is archived (read-only).")
    if not may_review(user=user, study=study):
        raise PermissionDenied(
            "Only the study's leads and the members they name review de-identification."
        )


def study_context(*, interview: Interview) -> Any:
    """What the study knows, for the detector: this interview's speaker labels, the study's
    pseudonyms, names list and places list. Three queries."""
    study_id = interview.dyad.study_id
    terms = DeidTerm.objects.filter(study_id=study_id).values_list("list", "text")
    return DeidContext(
        speaker_labels=frozenset(
            Turn.objects.filter(interview=interview)
            .exclude(speaker="")
            .values_list("speaker", flat=True)
            .distinct()
        ),
        pseudonyms=frozenset(
            Participant.objects.filter(study_id=study_id).values_list("pseudonym", flat=True)
        ),
        names=frozenset(text for kind, text in terms if kind == DeidTerm.List.NAMES),
        places=frozenset(text for kind, text in terms if kind == DeidTerm.List.PLACES),
    )


def suggest_replacement(*, study: Study, kind: str, text: str, digest: str) -> str:
    """A person gets a pseudonym (first name, and a surname when the identifier has two or
    more words), the others their kind's tag. Pseudonyms already used in the study are skipped
    while a free one is left."""
    if kind != DeidKind.PERSON:
        return TAGS[DeidKind(kind)]
    used = set(
        DeidEntity.objects.filter(study=study, kind=DeidKind.PERSON).values_list(
            "replacement", flat=True
        )
    )
    seed = int(digest[:8], 16)
    words = len(text.split())
    for step in range(len(PSEUDONYMS) * len(SURNAME_PSEUDONYMS)):
        first = PSEUDONYMS[(seed + step) % len(PSEUDONYMS)]
        name = first
        if words > 1:
            name += " " + SURNAME_PSEUDONYMS[(seed // 7 + step) % len(SURNAME_PSEUDONYMS)]
        if name not in used:
            return name
    return TAGS[DeidKind.PERSON]


def entity_for(*, study: Study, kind: str, text: str) -> DeidEntity:
    """The study's entity for these words of this kind (made with a suggested replacement)."""
    digest = entity_digest(study_id=study.pk, kind=kind, text=text)
    entity = DeidEntity.objects.filter(study=study, digest=digest).first()
    if entity is None:
        entity = DeidEntity.objects.create(
            study=study,
            kind=kind,
            digest=digest,
            replacement=suggest_replacement(study=study, kind=kind, text=text, digest=digest),
        )
    return entity


def _overlapping(interview: Interview, start: int, end: int, exclude: int | None = None) -> Any:
    spans = DeidSpan.objects.filter(
        interview=interview, status__in=REVIEWING, start__lt=end, end__gt=start
    )
    return spans.exclude(pk=exclude) if exclude else spans


def _check_bounds(interview: Interview, start: Any, end: Any) -> tuple[int, int]:
    if isinstance(start, bool) or isinstance(end, bool):
        raise ValidationError({"start": "Give whole numbers."})
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        raise ValidationError({"start": "Give whole numbers."}) from None
    if not 0 <= start < end <= len(interview.text):
        raise ValidationError(
            {"start": f"[{start}, {end}) is not a span of the text (0–{len(interview.text)})."}
        )
    if interview.text[start:end].strip() != interview.text[start:end]:
        raise ValidationError({"start": "An identifier does not begin or end with a space."})
    return start, end


def _check_kind(kind: Any) -> str:
    if kind not in DeidKind.values:
        raise ValidationError({"kind": f"Use one of {', '.join(DeidKind.values)}."})
    return str(kind)


def _editable(interview: Interview) -> None:
    if interview.deid_status == DeidStatus.COMPLETE:
        raise ValidationError(
            {"interview": "This interview's review is complete; its text is de-identified."}
        )


@dataclass(frozen=True)
class ProposeResult:
    proposed: int
    kept: int

    def as_dict(self) -> dict[str, int]:
        return {"proposed": self.proposed, "kept": self.kept}


def deid_propose(*, interview: Interview, actor: Any) -> ProposeResult:
    """Run the detector and replace the undecided proposals with its answer; decided spans
    (accepted, rejected) are kept and new proposals overlapping them are dropped."""
    _editable(interview)
    found = detect(interview.text, context=study_context(interview=interview))
    with transaction.atomic():
        DeidSpan.objects.filter(interview=interview, status=DeidSpan.Status.PROPOSED).delete()
        decided = sorted(
            DeidSpan.objects.filter(interview=interview, status__in=REVIEWING).values_list(
                "start", "end"
            )
        )
        fresh = [
            DeidSpan(
                interview=interview,
                start=p.start,
                end=p.end,
                kind=str(p.kind),
                confidence=p.confidence,
                source=str(p.source),
            )
            for p in found
            if not any(s < p.end and p.start < e for s, e in decided)
        ]
        DeidSpan.objects.bulk_create(fresh, batch_size=1000)
        if interview.deid_status == DeidStatus.NOT_REVIEWED:
            interview.deid_status = DeidStatus.IN_REVIEW
            interview.save(update_fields=["deid_status"])
        audit_record(
            study_id=interview.dyad.study_id,
            interview_id=interview.pk,
            actor=actor,
            action="create",
            object_type="deid_proposals",
            object_id=str(interview.pk),
            after={"proposed": len(fresh), "kept": len(decided)},
            summary=f"De-identification: {len(fresh)} proposal(s) for interview {interview.pk}",
        )
    return ProposeResult(proposed=len(fresh), kept=len(decided))


def _decided(span: DeidSpan, actor: Any) -> None:
    span.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    span.decided = timezone.now()


def deid_span_add(*, interview: Interview, actor: Any, start: Any, end: Any, kind: Any) -> DeidSpan:
    """A missed identifier, accepted: it must not overlap another span under review."""
    _editable(interview)
    start, end = _check_bounds(interview, start, end)
    kind = _check_kind(kind)
    if _overlapping(interview, start, end).exists():
        raise ValidationError({"start": "This overlaps another span: change that one instead."})
    span = DeidSpan(
        interview=interview, start=start, end=end, kind=kind, source="reviewer",
        status=DeidSpan.Status.ACCEPTED,
        entity=entity_for(study=interview.dyad.study, kind=kind, text=interview.text[start:end]),
    )  # fmt: skip
    _decided(span, actor)
    span.save()
    _audit_span(span, actor, "added")
    return span


def deid_span_decide(
    *,
    span: DeidSpan,
    actor: Any,
    status: Any = None,
    kind: Any = None,
    start: Any = None,
    end: Any = None,
) -> DeidSpan:
    """Accept or reject a span, change its kind, or widen or narrow it (an accepted span gets
    the entity of its words and kind)."""
    interview = span.interview
    _editable(interview)
    if status is not None and status not in (DeidSpan.Status.ACCEPTED, DeidSpan.Status.REJECTED):
        raise ValidationError({"status": "Use accepted or rejected."})
    if kind is not None:
        span.kind = _check_kind(kind)
    if start is not None or end is not None:
        span.start, span.end = _check_bounds(
            interview, span.start if start is None else start, span.end if end is None else end
        )
        if _overlapping(interview, span.start, span.end, exclude=span.pk).exists():
            raise ValidationError({"start": "This overlaps another span."})
    if status is not None:
        span.status = status
    if span.status == DeidSpan.Status.ACCEPTED:
        span.entity = entity_for(
            study=interview.dyad.study, kind=span.kind, text=interview.text[span.start : span.end]
        )
    else:
        span.entity = None
    _decided(span, actor)
    span.save()
    _audit_span(span, actor, span.status)
    return span


def _audit_span(span: DeidSpan, actor: Any, what: str) -> None:
    # The words are never recorded: only where and what kind.
    audit_record(
        study_id=span.interview.dyad.study_id,
        interview_id=span.interview_id,
        actor=actor,
        action="update",
        object_type="deid_span",
        object_id=str(span.pk),
        after={"start": span.start, "end": span.end, "kind": span.kind, "status": span.status},
        summary=f"De-identification span {what}: {span.kind} [{span.start}, {span.end})",
    )


def _occurrences(text: str, words: str) -> Iterable[tuple[int, int]]:
    pattern = re.compile(r"(?<!\w)" + re.escape(words) + r"(?!\w)", re.IGNORECASE)
    for match in pattern.finditer(text):
        yield match.start(), match.end()


def deid_entity_accept_all(*, span: DeidSpan, actor: Any) -> dict[str, int]:
    """Accept every occurrence of this span's words (any case, whole words) in every interview
    of the study whose review is not complete, with this span's kind: undecided proposals there
    become accepted, missing ones are added; rejected spans and spans of other words that
    overlap are left alone (counted as ``skipped``)."""
    interview = span.interview
    _editable(interview)
    words = interview.text[span.start : span.end]
    study = interview.dyad.study
    entity = entity_for(study=study, kind=span.kind, text=words)
    counts = {"accepted": 0, "added": 0, "skipped": 0, "interviews": 0}
    now = timezone.now()
    with transaction.atomic():
        for other in Interview.objects.filter(dyad__study=study).exclude(
            deid_status=DeidStatus.COMPLETE
        ):
            spans = list(DeidSpan.objects.filter(interview=other, status__in=REVIEWING))
            touched = False
            for start, end in _occurrences(other.text, words):
                same = next((s for s in spans if s.start == start and s.end == end), None)
                if same is not None and same.status != DeidSpan.Status.REJECTED:
                    if same.status != DeidSpan.Status.ACCEPTED or same.entity_id != entity.pk:
                        same.status, same.kind, same.entity = "accepted", span.kind, entity
                        same.decided_by, same.decided = actor, now
                        same.save()
                        counts["accepted"] += 1
                        touched = True
                    continue
                if same is not None or any(s.start < end and start < s.end for s in spans):
                    counts["skipped"] += 1
                    continue
                spans.append(
                    DeidSpan.objects.create(
                        interview=other,
                        start=start,
                        end=end,
                        kind=span.kind,
                        entity=entity,
                        status="accepted",
                        source="entity",
                        decided_by=actor,
                        decided=now,
                    )
                )
                counts["added"] += 1
                touched = True
            if touched:
                counts["interviews"] += 1
                if other.deid_status == DeidStatus.NOT_REVIEWED:
                    Interview.objects.filter(pk=other.pk).update(deid_status=DeidStatus.IN_REVIEW)
        audit_record(
            study_id=study.pk,
            interview_id=interview.pk,
            actor=actor,
            action="update",
            object_type="deid_entity",
            object_id=str(entity.pk),
            after={**counts, "kind": span.kind},
            summary=f"De-identification: every occurrence of a {span.kind} accepted "
            f"({counts['accepted'] + counts['added']} in {counts['interviews']} interview(s))",
        )
    return counts


def deid_entity_rename(*, entity: DeidEntity, replacement: Any, actor: Any) -> DeidEntity:
    """Change an entity's replacement (it applies to every occurrence not yet applied)."""
    text = " ".join(str(replacement or "").split())
    if not text or len(text) > 120:
        raise ValidationError({"replacement": "Give a replacement of 1 to 120 characters."})
    before = entity.replacement
    entity.replacement = text
    entity.save(update_fields=["replacement"])
    audit_record(
        study_id=entity.study_id,
        actor=actor,
        action="update",
        object_type="deid_entity",
        object_id=str(entity.pk),
        before={"replacement": before},
        after={"replacement": text},
        summary=f"De-identification: a {entity.kind} is now replaced by {text}",
    )
    return entity


def deid_mark_complete(*, interview: Interview, actor: Any) -> Interview:
    """Mark a review complete without applying: only when nothing is accepted or proposed (the
    text holds no identifier the review found). Otherwise apply the review."""
    _editable(interview)
    left = DeidSpan.objects.filter(
        interview=interview, status__in=[DeidSpan.Status.PROPOSED, DeidSpan.Status.ACCEPTED]
    ).count()
    if left:
        raise ValidationError(
            {"interview": f"{left} span(s) are proposed or accepted: decide and apply them."}
        )
    interview.deid_status = DeidStatus.COMPLETE
    interview.save(update_fields=["deid_status"])
    audit_record(
        study_id=interview.dyad.study_id,
        interview_id=interview.pk,
        actor=actor,
        action="update",
        object_type="deid_review",
        object_id=str(interview.pk),
        after={"status": "complete"},
        summary=f"De-identification review of interview {interview.pk} complete (nothing found)",
    )
    return interview


def review_counts(*, interview: Interview) -> dict[str, int]:
    """Spans by status. One query."""
    rows = (
        DeidSpan.objects.filter(interview=interview)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(DeidSpan.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
