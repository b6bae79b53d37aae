"""A study's de-identification settings: the private names and places lists (``DeidTerm``),
the members named reviewer, and each interview's review status.

The lists hold real names: they are the leads' alone, and the audit trail records how many
entries changed and which list, never the words themselves.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from healing.audit.services import audit_record
from interviews.models import DeidSpan, DeidTerm, Interview, Membership, Role, Study

MAX_TERM = 200
MAX_TERMS_PER_REQUEST = 500


def deid_terms_for(*, study: Study) -> QuerySet[DeidTerm]:
    return DeidTerm.objects.filter(study=study).order_by("list", "text")


def _clean_terms(texts: Any) -> list[str]:
    if isinstance(texts, str):
        texts = texts.splitlines()
    if not isinstance(texts, list | tuple):
        raise ValidationError({"texts": "Give a list of names or places."})
    cleaned: list[str] = []
    for raw in texts:
        if not isinstance(raw, str):
            raise ValidationError({"texts": "Each entry is a text."})
        text = " ".join(raw.split())
        if not text:
            continue
        if len(text) > MAX_TERM:
            raise ValidationError({"texts": f"An entry is at most {MAX_TERM} characters."})
        if text not in cleaned:
            cleaned.append(text)
    if not cleaned:
        raise ValidationError({"texts": "Give at least one name or place (one per line)."})
    if len(cleaned) > MAX_TERMS_PER_REQUEST:
        raise ValidationError({"texts": f"At most {MAX_TERMS_PER_REQUEST} entries at once."})
    return cleaned


def _check_list(list_name: Any) -> str:
    if list_name not in DeidTerm.List.values:
        raise ValidationError({"list": "Use names or places."})
    return str(list_name)


def deid_terms_add(*, study: Study, list_name: Any, texts: Any, actor: Any) -> list[DeidTerm]:
    """Add entries to the names or places list (one per line; duplicates are skipped). The
    audit trail records the list and how many were added, not the words."""
    list_name = _check_list(list_name)
    texts = _clean_terms(texts)
    with transaction.atomic():
        existing = set(
            DeidTerm.objects.filter(study=study, list=list_name, text__in=texts).values_list(
                "text", flat=True
            )
        )
        fresh = [
            DeidTerm(study=study, list=list_name, text=text, created_by=actor)
            for text in texts
            if text not in existing
        ]
        DeidTerm.objects.bulk_create(fresh)
        if fresh:
            total = DeidTerm.objects.filter(study=study, list=list_name).count()
            audit_record(
                study_id=study.pk,
                actor=actor,
                action="create",
                object_type="deid_terms",
                object_id=list_name,
                after={"list": list_name, "added": len(fresh), "total": total},
                summary=f"De-identification {list_name} list: {len(fresh)} added ({total} in all)",
            )
    return list(DeidTerm.objects.filter(study=study, list=list_name, text__in=texts))


def deid_term_remove(*, study: Study, term_id: Any, actor: Any) -> None:
    term = DeidTerm.objects.filter(study=study, pk=_term_pk(term_id)).first()
    if term is None:
        raise ValidationError({"term": "No such entry in this study's lists."})
    with transaction.atomic():
        term.delete()
        total = DeidTerm.objects.filter(study=study, list=term.list).count()
        audit_record(
            study_id=study.pk,
            actor=actor,
            action="delete",
            object_type="deid_terms",
            object_id=term.list,
            after={"list": term.list, "removed": 1, "total": total},
            summary=f"De-identification {term.list} list: 1 removed ({total} left)",
        )


def _term_pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({"term": "No such entry in this study's lists."}) from None


def deid_reviewer_set(*, membership: Membership, reviewer: bool, actor: Any) -> Membership:
    """Name a member reviewer of de-identification, or no longer (leads always review)."""
    if membership.role == Role.LEAD:
        raise ValidationError({"membership": "Leads always review de-identification."})
    if membership.deid_reviewer == reviewer:
        return membership
    membership.deid_reviewer = reviewer
    membership.save(update_fields=["deid_reviewer"])
    audit_record(
        study_id=membership.study_id,
        actor=actor,
        action="update",
        object_type="membership",
        object_id=membership.pk,
        before={"deid_reviewer": not reviewer},
        after={"deid_reviewer": reviewer},
        summary=f"{membership.user.get_username()} "
        + ("now reviews" if reviewer else "no longer reviews")
        + " de-identification",
    )
    return membership


def deid_interviews_for(*, study: Study) -> QuerySet[Interview]:
    """The study's interviews (without their text) with their review status and the spans
    left to decide and to apply. One query."""
    return (
        Interview.objects.filter(dyad__study=study)
        .select_related("dyad")
        .only("id", "perspective", "deid_status", "word_count", "dyad__id", "dyad__label")
        .annotate(
            deid_proposed=Count(
                "deid_spans", filter=Q(deid_spans__status=DeidSpan.Status.PROPOSED)
            ),
            deid_accepted=Count(
                "deid_spans", filter=Q(deid_spans__status=DeidSpan.Status.ACCEPTED)
            ),
            deid_applied=Count("deid_spans", filter=Q(deid_spans__status=DeidSpan.Status.APPLIED)),
        )
        .order_by("dyad__label", "perspective", "id")
    )
