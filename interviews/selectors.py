"""Reads for studies, dyads and interviews, always scoped through the user's memberships.

The ``*_get_for_user`` helpers load one object for a user or refuse: an object in a study the
user is not a member of is "not found" (404, never 403, so ids of other studies leak nothing);
a member whose role is too low is "permission denied" (403).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from healing.accounts.two_factor import user_two_factor_verified
from interviews.models import (
    RESERVED_STUDY_SLUGS,
    STUDY_SLUG_MAX_LENGTH,
    AttributeDefinition,
    Dyad,
    Interview,
    Invitation,
    Membership,
    Participant,
    Role,
    Study,
    Turn,
)


@dataclass(frozen=True)
class Access:
    """What a member may do in a study: role, whether they adjudicate, whether coding is blind,
    whether the study is archived (read-only for everyone)."""

    role: str
    adjudicator: bool = False
    blind: bool = False
    archived: bool = False

    def at_least(self, role: str) -> bool:
        return Role.rank(self.role) >= Role.rank(role)

    @property
    def writable(self) -> bool:
        """Whether anything in the study may change now (an archived study is read-only)."""
        return not self.archived

    @property
    def can_write(self) -> bool:
        """Whether this member writes now: a coder or lead, in a study that is not archived."""
        return self.can_code and not self.archived

    @property
    def can_lead(self) -> bool:
        """Whether this member does a lead's writes now (set-up, codebook, dyads table): the
        lead of a study that is not archived. Pages show lead-only forms on this."""
        return self.is_lead and not self.archived

    def require_writable(self) -> None:
        """Refuse any write into an archived study, whoever asks."""
        if self.archived:
            raise PermissionDenied(STUDY_ARCHIVED)

    @property
    def is_lead(self) -> bool:
        return self.role == Role.LEAD

    @property
    def can_code(self) -> bool:
        return self.at_least(Role.CODER)

    @property
    def can_adjudicate(self) -> bool:
        """The lead, or a coder named adjudicator once the blind round is revealed: settling
        disagreements means reading other coders' layers, which blind coding hides."""
        return self.is_lead or (self.adjudicator and self.can_code and self.sees_other_coders)

    @property
    def sees_other_coders(self) -> bool:
        """While blind coding is on, a coder (adjudicator or not) sees only their own layer and
        the consensus; leads manage the study and viewers never code, so neither is blinded."""
        return not (self.blind and self.role == Role.CODER)

    def require_adjudication(self) -> None:
        """Refuse, with the reason, a member who may not write the consensus layer now."""
        self.require_writable()
        if self.can_adjudicate:
            return
        if self.adjudicator and self.can_code:
            raise PermissionDenied(ADJUDICATION_BLIND)
        raise PermissionDenied("Only the lead or a named adjudicator writes the consensus.")


STUDY_ARCHIVED = "This study is archived (read-only); a lead can unarchive it on the settings page."
ADJUDICATION_BLIND = "Blind coding is on: adjudication opens when the lead reveals."
TWO_FACTOR_REQUIRED = (
    "This study requires two-factor sign-in: set up an authenticator on your account page "
    "(/account/#two-factor), then sign out and sign in again with a code."
)


def two_factor_check(study: Any, user: Any) -> None:
    """Refuse a member of a study that requires two-factor whose sign-in (or token) was not
    verified with a code."""
    if study is not None and study.require_two_factor and not user_two_factor_verified(user):
        raise PermissionDenied(TWO_FACTOR_REQUIRED)


def studies_open_q(user: Any, study_path: str) -> Q:
    """For list queries: leave out studies that require two-factor when this sign-in is not
    verified (``study_path`` leads from the listed object to its study)."""
    if user_two_factor_verified(user):
        return Q()
    return Q(**{f"{study_path}__require_two_factor" if study_path else "require_two_factor": False})


def access_from_annotations(
    obj: Any, min_role: str, *, blind: bool, archived: bool = False, read_only: bool = False
) -> Access:
    """Access from the ``my_role``/``my_adjudicator`` annotations of a scoped query.

    Asking for more than the viewer role is asking to write, which an archived study refuses
    whoever asks; a caller that needs a higher role only to read (the lead's audit trail, the
    settings page that unarchives) says ``read_only=True``."""
    role = getattr(obj, "my_role", None) if obj is not None else None
    if role is None:
        raise Http404("Not found.")
    access = Access(role=role, adjudicator=bool(obj.my_adjudicator), blind=blind, archived=archived)
    if not access.at_least(min_role):
        raise PermissionDenied(f"This needs the {min_role} role in the study; you are a {role}.")
    if Role.rank(min_role) > Role.rank(Role.VIEWER) and not read_only:
        access.require_writable()
    return access


def role_at_least(role: str, min_role: str) -> bool:
    return Role.rank(role) >= Role.rank(min_role)


SLUG_SHAPE = re.compile(r"[-a-zA-Z0-9_]+")
STUDY_CREATORS_STAFF = "Only staff create studies on this server (STUDY_CREATORS=staff): ask an "
STUDY_CREATORS_STAFF += "administrator to create it, or to make you staff."


def user_may_create_study(user: Any) -> bool:
    """Whether ``user`` may create a new study: the one place the ``STUDY_CREATORS`` setting
    ("staff" or "any" signed-in user) is read, by the page and the API alike."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return settings.STUDY_CREATORS == "any" or bool(user.is_staff)


def study_create_check(user: Any) -> None:
    """Refuse (403) a user whom ``STUDY_CREATORS`` does not allow to create a study."""
    if not user_may_create_study(user):
        raise PermissionDenied(STUDY_CREATORS_STAFF)


def study_slug_available(*, slug: str) -> tuple[bool, str]:
    """Whether a new study may take ``slug``, and why not: the same answer for anyone who asks,
    member or not, and never another study's title."""
    max_length = STUDY_SLUG_MAX_LENGTH
    candidate = (slug or "").strip()
    if not candidate:
        return False, "Give a slug: lowercase letters, digits and hyphens."
    if len(candidate) > max_length:
        return False, f"Keep the slug to {max_length} characters."
    if not SLUG_SHAPE.fullmatch(candidate):
        return False, "Use only letters, digits, hyphens and underscores (no spaces)."
    if candidate in RESERVED_STUDY_SLUGS:
        return False, f"“{candidate}” is reserved for the site's own pages: choose another."
    if Study.objects.filter(slug=candidate).exists():
        return False, "A study with this slug already exists: choose another."
    return True, "This slug is free."


def studies_for_user(*, user: Any) -> QuerySet[Study]:
    """The user's studies with their role, dyad and interview counts (one query)."""
    if not user.is_authenticated:
        return Study.objects.none()
    return (
        Study.objects.filter(memberships__user=user)
        .annotate(
            my_role=F("memberships__role"),
            dyad_count=Count("dyads", distinct=True),
            interview_count=Count("dyads__interviews", distinct=True),
        )
        .order_by("title")
    )


def member_object_get(
    queryset: QuerySet[Any],
    *,
    user: Any,
    study_path: str,
    min_role: str,
    read_only: bool = False,
    **lookup: Any,
) -> tuple[Any, Access]:
    """One query: the object matching ``lookup`` in a study the user is a member of, with the
    member's access to that study. ``study_path`` leads from the object to its study ("" for a
    study, "dyad__study" for an interview). Http404 for anyone else, PermissionDenied below
    ``min_role``, and PermissionDenied above the viewer role when the study is archived (unless
    the caller only reads: ``read_only``)."""
    if not user.is_authenticated:
        raise Http404("Not found.")
    members = f"{study_path}__memberships" if study_path else "memberships"
    found = (
        queryset.filter(**lookup, **{f"{members}__user": user})
        .annotate(my_role=F(f"{members}__role"), my_adjudicator=F(f"{members}__adjudicator"))
        .first()
    )
    study = attrgetter(study_path.replace("__", "."))(found) if found and study_path else found
    access = access_from_annotations(
        found,
        min_role,
        blind=bool(study and study.blind_coding),
        archived=bool(study and study.archived),
        read_only=read_only,
    )
    two_factor_check(study, user)
    return found, access


def study_get_for_user(
    *, user: Any, slug: str, min_role: str = Role.VIEWER, read_only: bool = False
) -> tuple[Study, Access]:
    """The study with this slug and the user's access to it, or Http404 / PermissionDenied
    (above the viewer role an archived study refuses unless ``read_only``)."""
    return member_object_get(
        Study.objects.all(),
        user=user,
        study_path="",
        min_role=min_role,
        read_only=read_only,
        slug=slug,
    )


def study_access_for_user(*, user: Any, study: Study) -> Access | None:
    """The user's access to a study already loaded, or None if they are not a member."""
    if not user.is_authenticated:
        return None
    row = (
        Membership.objects.filter(user=user, study=study).values_list("role", "adjudicator").first()
    )
    if row is None:
        return None
    return Access(
        role=row[0], adjudicator=row[1], blind=study.blind_coding, archived=study.archived
    )


def dyad_get_for_user(
    *, user: Any, pk: int, min_role: str = Role.VIEWER, read_only: bool = False
) -> tuple[Dyad, Access]:
    return member_object_get(
        Dyad.objects.select_related("study", "clinician", "patient"),
        user=user,
        study_path="study",
        min_role=min_role,
        read_only=read_only,
        pk=pk,
    )


def interview_get_for_user(
    *,
    user: Any,
    pk: int,
    min_role: str = Role.VIEWER,
    with_text: bool = True,
    read_only: bool = False,
) -> tuple[Interview, Access]:
    """One query: the interview with its dyad and study, and the user's access to that study."""
    queryset = Interview.objects.select_related("dyad__study")
    if not with_text:
        queryset = queryset.defer("text")
    return member_object_get(
        queryset,
        user=user,
        study_path="dyad__study",
        min_role=min_role,
        read_only=read_only,
        pk=pk,
    )


def participant_get_for_user(
    *, user: Any, pk: int, min_role: str = Role.VIEWER, read_only: bool = False
) -> tuple[Participant, Access]:
    """A clinician or patient of one of the user's studies (one query), or 404 / 403."""
    return member_object_get(
        Participant.objects.select_related("study"),
        user=user,
        study_path="study",
        min_role=min_role,
        read_only=read_only,
        pk=pk,
    )


def attribute_definition_get_for_user(
    *, user: Any, pk: int, min_role: str = Role.VIEWER, read_only: bool = False
) -> tuple[AttributeDefinition, Access]:
    return member_object_get(
        AttributeDefinition.objects.select_related("study"),
        user=user,
        study_path="study",
        min_role=min_role,
        read_only=read_only,
        pk=pk,
    )


def dyads_for_study(*, study: Study) -> QuerySet[Dyad]:
    """Dyads with participants and their interviews (without texts): three queries in all."""
    return (
        Dyad.objects.filter(study=study)
        .select_related("clinician", "patient")
        .prefetch_related(
            Prefetch(
                "interviews",
                queryset=Interview.objects.defer("text").order_by("perspective", "id"),
            )
        )
        .order_by("label")
    )


def turns_for_interview(*, interview: Interview) -> QuerySet[Turn]:
    return Turn.objects.filter(interview=interview).order_by("index")


def interviews_with_text_hash(*, study: Study, sha256: str) -> QuerySet[Interview]:
    return Interview.objects.filter(dyad__study=study, text_sha256=sha256).select_related("dyad")


def members_of(*, study: Study) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(study=study)
        .select_related("user")
        .order_by("role", "user__username")
    )


def study_ids_seeing_all_layers(*, user: Any) -> QuerySet[Membership, Any]:
    """Studies (as a subquery of ids) where the user may see every coder's layer."""
    return (
        Membership.objects.filter(user=user)
        .filter(Q(study__blind_coding=False) | ~Q(role=Role.CODER))
        .values("study_id")
    )


def study_ids_blinding(*, user: Any) -> QuerySet[Membership, Any]:
    """Studies (as a subquery of ids) where the user is a blinded coder: the complement, among
    the user's studies, of ``study_ids_seeing_all_layers``."""
    return Membership.objects.filter(user=user, role=Role.CODER, study__blind_coding=True).values(
        "study_id"
    )


def attribute_definitions_for(*, study: Study) -> dict[str, list[AttributeDefinition]]:
    """The study's attribute definitions by entity (clinician, patient, dyad), in display order."""
    by_entity: dict[str, list[AttributeDefinition]] = {"clinician": [], "patient": [], "dyad": []}
    for definition in AttributeDefinition.objects.filter(study=study).order_by("order", "key"):
        by_entity[definition.entity].append(definition)
    return by_entity


# --- What a user may name in a filter (API list filters refuse anything else with a 400) --------


def _member_of(user: Any) -> Q:
    return Q(memberships__user_id=getattr(user, "pk", None))


def studies_visible_to(user: Any) -> QuerySet[Study]:
    return Study.objects.filter(_member_of(user))


def dyads_visible_to(user: Any) -> QuerySet[Dyad]:
    return Dyad.objects.filter(study__in=studies_visible_to(user))


def interviews_visible_to(user: Any) -> QuerySet[Interview]:
    return Interview.objects.filter(dyad__study__in=studies_visible_to(user))


def participants_visible_to(user: Any) -> QuerySet[Participant]:
    return Participant.objects.filter(study__in=studies_visible_to(user))


def people_visible_to(user: Any) -> QuerySet[Any]:
    """The members of the user's studies (coders, authors)."""
    studies = studies_visible_to(user).values("pk")
    return get_user_model().objects.filter(memberships__study__in=studies).distinct()


def invitations_pending_for_user(*, user: Any) -> QuerySet[Invitation]:
    """The invitations waiting for ``user``'s answer, with their study and inviter."""
    return Invitation.objects.filter(user=user, state=Invitation.State.PENDING).select_related(
        "study", "invited_by"
    )


def invitation_pending_for_user(*, user: Any, pk: int) -> Invitation:
    """One of ``user``'s pending invitations, or 404 (someone else's is not found either)."""
    invitation = invitations_pending_for_user(user=user).filter(pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def invitations_pending_for_study(*, study: Study) -> QuerySet[Invitation]:
    """A study's pending invitations, by the name the lead typed (never which account)."""
    return Invitation.objects.filter(study=study, state=Invitation.State.PENDING).only(
        "id", "invited_name", "role", "adjudicator", "created", "study_id"
    )
