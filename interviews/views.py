"""Pages for studies, dyads and the user's account (thin: selectors read, services write)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from healing.types import AuthenticatedRequest
from interviews.models import ApiToken
from interviews.selectors import (
    attribute_definitions_for,
    coding_progress,
    dyad_get_for_user,
    dyads_for_study,
    studies_for_user,
    study_get_for_user,
)
from interviews.services import api_token_create, api_token_revoke


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """My studies: one query, whatever the number of studies."""
    return render(
        request, "interviews/home.html", {"studies": list(studies_for_user(user=request.user))}
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedRequest) -> HttpResponse:
    """The user's account page: create, list and revoke personal API tokens."""
    new_token = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            try:
                _, new_token = api_token_create(
                    user=request.user, name=request.POST.get("name", "")
                )
            except ValidationError as exc:
                for text in exc.messages:
                    messages.error(request, text)
                return redirect("account")
        elif action == "revoke":
            token = ApiToken.objects.filter(
                user=request.user, pk=request.POST.get("token") or 0
            ).first()
            if token is None:
                messages.error(request, "No such token.")
            else:
                api_token_revoke(token=token)
                messages.success(request, f"Token “{token.name}” revoked.")
            return redirect("account")
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created")
    return render(request, "interviews/account.html", {"tokens": tokens, "new_token": new_token})


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
    from coding.models import Memo

    dyad, access = dyad_get_for_user(user=request.user, pk=pk)
    interviews = list(dyad.interviews.defer("text").order_by("perspective", "id"))
    progress = coding_progress(
        study=dyad.study, access=access, user=request.user, interview_ids=[i.pk for i in interviews]
    )
    for interview in interviews:
        interview.progress = progress.get(interview.pk, [])  # type: ignore[attr-defined]
    memos = Memo.objects.filter(dyad=dyad).select_related("author").order_by("-updated")
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
