"""Reads for studies, dyads and interviews, always scoped through the user's memberships.

The ``*_get_for_user`` helpers load one object for a user or refuse: an object in a study the
user is not a member of is "not found" (404, never 403, so ids of other studies leak nothing);
a member whose role is too low is "permission denied" (403).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from interviews.models import Dyad, Interview, Membership, Role, Study, Turn


def _require(role: str | None, min_role: str) -> str:
    if role is None:
        raise Http404("Not found.")
    if Role.rank(role) < Role.rank(min_role):
        raise PermissionDenied(f"This needs the {min_role} role in the study; you are a {role}.")
    return role


def role_at_least(role: str, min_role: str) -> bool:
    return Role.rank(role) >= Role.rank(min_role)


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


def study_get_for_user(*, user: Any, slug: str, min_role: str = Role.VIEWER) -> tuple[Study, str]:
    """The study with this slug and the user's role in it, or Http404 / PermissionDenied."""
    if not user.is_authenticated:
        raise Http404("Not found.")
    study = (
        Study.objects.filter(slug=slug, memberships__user=user)
        .annotate(my_role=F("memberships__role"))
        .first()
    )
    role = _require(study.my_role if study else None, min_role)
    assert study is not None
    return study, role


def study_role_for_user(*, user: Any, study_id: int) -> str | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, study_id=study_id)
        .values_list("role", flat=True)
        .first()
    )


def dyad_get_for_user(*, user: Any, pk: int, min_role: str = Role.VIEWER) -> tuple[Dyad, str]:
    if not user.is_authenticated:
        raise Http404("Not found.")
    dyad = (
        Dyad.objects.select_related("study", "clinician", "patient")
        .filter(pk=pk, study__memberships__user=user)
        .annotate(my_role=F("study__memberships__role"))
        .first()
    )
    role = _require(dyad.my_role if dyad else None, min_role)
    assert dyad is not None
    return dyad, role


def interview_get_for_user(
    *, user: Any, pk: int, min_role: str = Role.VIEWER, with_text: bool = True
) -> tuple[Interview, str]:
    """One query: the interview with its dyad and study, and the user's role in that study."""
    if not user.is_authenticated:
        raise Http404("Not found.")
    queryset = Interview.objects.select_related("dyad__study").filter(
        pk=pk, dyad__study__memberships__user=user
    )
    if not with_text:
        queryset = queryset.defer("text")
    interview = queryset.annotate(my_role=F("dyad__study__memberships__role")).first()
    role = _require(interview.my_role if interview else None, min_role)
    assert interview is not None
    return interview, role


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


def studies_where(*, user: Any, role: str) -> QuerySet[Study]:
    return Study.objects.filter(Q(memberships__user=user) & Q(memberships__role=role))
