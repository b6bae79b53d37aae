"""Writes for studies and their members: create or change a study; add, change, remove members."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from healing.accounts.two_factor import user_two_factor_verified
from healing.audit.services import audit_record, snapshot
from interviews.hooks import study_created_run
from interviews.models import (
    Membership,
    Role,
    Study,
)

MEMBERSHIP_FIELDS = ["study", "user", "role", "adjudicator"]
STUDY_FIELDS = ["title", "description", "blind_coding", "require_two_factor"]

# --- Studies and members ------------------------------------------------------------------------


def study_create(
    *,
    slug: str,
    title: str,
    created_by: Any,
    description: str = "",
    codebook: str = "healing",
    copy_codebook_from: Study | None = None,
) -> Study:
    """A new study led by ``created_by``, with a codebook.

    ``codebook`` is "healing" (the shipped healing-relationships codebook), "empty", or "copy"
    together with ``copy_codebook_from`` (another study's current codebook).
    """
    study = Study(slug=slug, title=title, description=description, created_by=created_by)
    study.full_clean(exclude=["created_by"])
    with transaction.atomic():
        study.save()
        if created_by is not None:
            membership_set(study=study, user=created_by, role=Role.LEAD, actor=created_by)
        # The apps above give it what they keep per study (coding: its codebook).
        study_created_run(
            study=study, actor=created_by, codebook=codebook, copy_codebook_from=copy_codebook_from
        )
    return study


def study_update(*, study: Study, actor: Any, **changes: Any) -> Study:
    """Change a study's title, description, blind coding or two-factor requirement; audited with
    before and after. Only a lead whose own sign-in is two-factor-verified may require it."""
    unknown = set(changes) - set(STUDY_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    if changes.get("require_two_factor") and not user_two_factor_verified(actor):
        # Otherwise the lead would lock themselves out of their own study.
        raise ValidationError(
            {
                "require_two_factor": "Set up two-factor on your account page and sign in with "
                "a code before requiring it for the study."
            }
        )
    before = snapshot(study, STUDY_FIELDS)
    for name, value in changes.items():
        setattr(study, name, value.strip() if isinstance(value, str) else value)
    study.full_clean(exclude=["created_by", "slug"])
    after = snapshot(study, STUDY_FIELDS)
    if after == before:
        return study
    changed = [name for name in STUDY_FIELDS if before[name] != after[name]]
    with transaction.atomic():
        study.save(update_fields=changed)
        audit_record(
            study_id=study.pk,
            actor=actor,
            action="update",
            object_type="study",
            object_id=study.pk,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
            summary="Blind coding " + ("on" if study.blind_coding else "off")
            if changed == ["blind_coding"]
            else "Two-factor " + ("required" if study.require_two_factor else "not required")
            if changed == ["require_two_factor"]
            else f"Study changed: {', '.join(changed)}",
        )
    return study


def membership_set(
    *, study: Study, user: Any, role: str, actor: Any, adjudicator: bool | None = None
) -> Membership:
    """Add ``user`` to the study or change their role (and whether they adjudicate).

    A study always keeps at least one lead. ``adjudicator=None`` leaves the flag as it is.
    """
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}: use lead, coder or viewer."})
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(study=study, user=user).first()
        before = snapshot(membership, MEMBERSHIP_FIELDS) if membership else None
        if membership is None:
            membership = Membership.objects.create(
                study=study, user=user, role=role, adjudicator=bool(adjudicator)
            )
        else:
            if membership.role == Role.LEAD and role != Role.LEAD:
                _ensure_another_lead(study=study, leaving=membership)
            membership.role = role
            if adjudicator is not None:
                membership.adjudicator = adjudicator
            if snapshot(membership, MEMBERSHIP_FIELDS) == before:
                return membership
            membership.save(update_fields=["role", "adjudicator"])
        after = snapshot(membership, MEMBERSHIP_FIELDS)
        audit_record(
            study_id=study.pk,
            actor=actor,
            action="update" if before else "create",
            object_type="membership",
            object_id=membership.pk,
            before=before,
            after=after,
            summary=f"{user.get_username()} is {role}"
            + (" and adjudicates" if membership.adjudicator else ""),
        )
    return membership


def membership_remove(*, membership: Membership, actor: Any) -> None:
    with transaction.atomic():
        if membership.role == Role.LEAD:
            _ensure_another_lead(study=membership.study, leaving=membership)
        audit_record(
            study_id=membership.study_id,
            actor=actor,
            action="delete",
            object_type="membership",
            object_id=membership.pk,
            before=snapshot(membership, MEMBERSHIP_FIELDS),
            summary=f"{membership.user.get_username()} removed",
        )
        membership.delete()


def _ensure_another_lead(*, study: Study, leaving: Membership) -> None:
    others = Membership.objects.filter(study=study, role=Role.LEAD).exclude(pk=leaving.pk)
    if not others.exists():
        raise ValidationError("A study needs at least one lead: make someone else lead first.")
