"""Writes for studies and their members: create or change a study; invite, add, change, remove
members."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from healing.accounts.two_factor import user_two_factor_verified
from healing.audit.services import audit_record, snapshot
from interviews.hooks import study_created_run
from interviews.models import (
    Invitation,
    Membership,
    Role,
    Study,
)
from interviews.selectors import STUDY_ARCHIVED

MEMBERSHIP_FIELDS = ["study", "user", "role", "adjudicator"]
STUDY_FIELDS = [
    "title",
    "description",
    "blind_coding",
    "require_two_factor",
    "deid_required",
    "deid_keep_original",
    "archived",
]

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
    study = Study(
        slug=(slug or "").strip(),
        title=(title or "").strip(),
        description=(description or "").strip(),
        created_by=created_by,
    )
    study.full_clean(exclude=["created_by"])
    with transaction.atomic():
        study.save()
        audit_record(
            study_id=study.pk,
            actor=created_by,
            action="create",
            object_type="study",
            object_id=study.pk,
            after={"slug": study.slug, **snapshot(study, STUDY_FIELDS)},
            summary=f"Study {study.slug} created",
        )
        if created_by is not None:
            membership_set(study=study, user=created_by, role=Role.LEAD, actor=created_by)
        # The apps above give it what they keep per study (coding: its codebook).
        study_created_run(
            study=study, actor=created_by, codebook=codebook, copy_codebook_from=copy_codebook_from
        )
    return study


def study_update(*, study: Study, actor: Any, **changes: Any) -> Study:
    """Change a study's title, description, blind coding, two-factor requirement or archived
    state; audited with before and after. Only a lead whose own sign-in is two-factor-verified may
    require two-factor. An archived study is read-only: the one change it takes is
    ``archived=False`` (with or without other changes in the same call). The caller checks that
    ``actor`` leads the study."""
    unknown = set(changes) - set(STUDY_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    if study.archived and changes.get("archived") is not False:
        if all(getattr(study, name) == value for name, value in changes.items()):
            return study
        raise PermissionDenied(STUDY_ARCHIVED)
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
    saved = list(changed)
    if "archived" in changed:
        study.archived_at = timezone.now() if study.archived else None
        saved.append("archived_at")
    with transaction.atomic():
        study.save(update_fields=saved)
        audit_record(
            study_id=study.pk,
            actor=actor,
            action="update",
            object_type="study",
            object_id=study.pk,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
            summary=_study_change_summary(study, changed),
        )
    return study


def _study_change_summary(study: Study, changed: list[str]) -> str:
    if changed == ["archived"]:
        return "Study archived (read-only)" if study.archived else "Study unarchived"
    if changed == ["deid_required"]:
        return (
            "Coding requires de-identification"
            if study.deid_required
            else "Coding no longer requires de-identification"
        )
    if changed == ["deid_keep_original"]:
        return (
            "De-identification keeps originals (leads only)"
            if study.deid_keep_original
            else "De-identification destroys originals"
        )
    return (
        "Blind coding " + ("on" if study.blind_coding else "off")
        if changed == ["blind_coding"]
        else "Two-factor " + ("required" if study.require_two_factor else "not required")
        if changed == ["require_two_factor"]
        else f"Study changed: {', '.join(changed)}"
    )


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


# --- Invitations --------------------------------------------------------------------------------

INVITED = "If an account with that name exists, it has been invited."


def invitation_create(
    *, study: Study, username: str, role: str, actor: Any, adjudicator: bool = False
) -> Invitation:
    """Invite whoever has the account ``username``; they join only by accepting.

    The answer is the same whether or not the account exists (the invitation then reaches
    no one), whether it is inactive, a superuser or already a member: nothing here tells the
    lead which usernames exist. Audited with the name the lead typed.
    """
    typed = (username or "").strip()
    if not typed or len(typed) > 150:
        raise ValidationError({"username": "Give a username (at most 150 characters)."})
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}: use lead, coder or viewer."})
    user_model = get_user_model()
    matches = list(user_model.objects.filter(username__iexact=typed, is_active=True)[:2])
    exact = [u for u in matches if u.get_username() == typed]
    user = exact[0] if exact else (matches[0] if len(matches) == 1 else None)
    if user is not None and (
        hasattr(user, "placeholder") or Membership.objects.filter(study=study, user=user).exists()
    ):
        user = None  # a placeholder of an import or a member already: the invitation is inert
    with transaction.atomic():
        pending = Invitation.objects.select_for_update().filter(
            study=study, invited_name=typed, state=Invitation.State.PENDING
        )
        for old in pending:
            old.state = Invitation.State.WITHDRAWN
            old.answered = timezone.now()
            old.save(update_fields=["state", "answered"])
        invitation = Invitation.objects.create(
            study=study,
            invited_name=typed,
            user=user,
            role=role,
            adjudicator=adjudicator,
            invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            study_id=study.pk,
            actor=actor,
            action="invite",
            object_type="invitation",
            object_id=invitation.pk,
            # Which account it reached stays out of the lead's trail: only the typed name.
            after={"invited_name": typed, "role": role, "adjudicator": adjudicator},
            summary=f"{typed} invited as {role}",
        )
    return invitation


def _invitation_answer(*, invitation: Invitation, user: Any, accept: bool) -> None:
    if invitation.user_id is None or invitation.user_id != getattr(user, "pk", None):
        raise PermissionDenied("This invitation is not yours.")
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError("This invitation has already been answered or withdrawn.")
    with transaction.atomic():
        invitation.state = Invitation.State.ACCEPTED if accept else Invitation.State.DECLINED
        invitation.answered = timezone.now()
        invitation.save(update_fields=["state", "answered"])
        audit_record(
            study_id=invitation.study_id,
            actor=user,
            action="update",
            object_type="invitation",
            object_id=invitation.pk,
            before={"state": Invitation.State.PENDING},
            after={"state": invitation.state},
            summary=f"{invitation.invited_name} {'accepted' if accept else 'declined'} "
            "the invitation",
        )
        if accept and not Membership.objects.filter(study=invitation.study, user=user).exists():
            membership_set(
                study=invitation.study,
                user=user,
                role=invitation.role,
                actor=user,
                adjudicator=invitation.adjudicator,
            )


def invitation_accept(*, invitation: Invitation, user: Any) -> None:
    """The invitee joins the study with the invited role."""
    _invitation_answer(invitation=invitation, user=user, accept=True)


def invitation_decline(*, invitation: Invitation, user: Any) -> None:
    """The invitee says no: nothing changes but the invitation's state."""
    _invitation_answer(invitation=invitation, user=user, accept=False)


def invitation_withdraw(*, invitation: Invitation, actor: Any) -> None:
    """A lead takes back a pending invitation."""
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError("Only a pending invitation can be withdrawn.")
    with transaction.atomic():
        invitation.state = Invitation.State.WITHDRAWN
        invitation.answered = timezone.now()
        invitation.save(update_fields=["state", "answered"])
        audit_record(
            study_id=invitation.study_id,
            actor=actor,
            action="update",
            object_type="invitation",
            object_id=invitation.pk,
            before={"state": Invitation.State.PENDING},
            after={"state": invitation.state},
            summary=f"Invitation of {invitation.invited_name} withdrawn",
        )
