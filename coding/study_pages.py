"""A study's overview and a dyad's page: people and interviews with each coder's progress, and
the dyad's memos (interviews' data shown with coding's; URLs study-overview, dyad-detail)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from coding.selectors import coding_progress, memos_visible_to
from healing.types import AuthenticatedRequest
from interviews.selectors import (
    attribute_definitions_for,
    dyad_get_for_user,
    dyads_for_study,
    study_get_for_user,
)


@login_required
def study_overview(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Dyads with their attributes, and each interview's coding progress per coder."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    dyads = list(dyads_for_study(study=study))
    progress = coding_progress(study=study, access=access, user=request.user)
    for dyad in dyads:
        for interview in dyad.interviews.all():
            interview.progress = progress.get(interview.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "interviews/study_overview.html",
        {
            "study": study,
            "access": access,
            "dyads": dyads,
            "definitions": attribute_definitions_for(study=study),
            "tab": "overview",
        },
    )


@login_required
def dyad_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A dyad: both interviews, the attributes of the dyad and of its two people, and memos."""
    dyad, access = dyad_get_for_user(user=request.user, pk=pk)
    interviews = list(dyad.interviews.defer("text").order_by("perspective", "id"))
    progress = coding_progress(
        study=dyad.study, access=access, user=request.user, interview_ids=[i.pk for i in interviews]
    )
    for interview in interviews:
        interview.progress = progress.get(interview.pk, [])  # type: ignore[attr-defined]
    memos = memos_visible_to(user=request.user).filter(dyad=dyad).order_by("-updated", "-id")
    return render(
        request,
        "interviews/dyad_detail.html",
        {
            "study": dyad.study,
            "dyad": dyad,
            "access": access,
            "interviews": interviews,
            "definitions": attribute_definitions_for(study=dyad.study),
            "memos": memos,
        },
    )
