"""Pages of de-identification: an interview's review (reviewers: leads and the members they
name) and the study's de-identification page (leads: every interview's review status, the
private names and places lists, who reviews). The review page is a shell whose script works
through the API (``interviews.deid.api``, ``coding.deid.api``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_http_methods

from healing.audit.services import audit_view
from healing.types import AuthenticatedRequest
from interviews.deid.api import review_data
from interviews.deid.review import TAGS, require_reviewer
from interviews.deid.study import (
    deid_interviews_for,
    deid_reviewer_set,
    deid_term_remove,
    deid_terms_add,
    deid_terms_for,
)
from interviews.models import DeidKind, DeidStatus, DeidTerm, Membership, Role
from interviews.selectors import interview_get_for_user, study_get_for_user

# Short labels drawn on each highlight (colour is never the only cue) and the number key that
# sets each kind on the review page.
KIND_SHORT = {
    DeidKind.PERSON: "NAME",
    DeidKind.LOCATION: "PLACE",
    DeidKind.DATE: "DATE",
    DeidKind.AGE: "AGE",
    DeidKind.PHONE: "PHONE",
    DeidKind.EMAIL: "EMAIL",
    DeidKind.URL: "URL",
    DeidKind.ID: "ID",
    DeidKind.ORG: "ORG",
}


@login_required
@ensure_csrf_cookie
def interview_deid(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The review of one interview: its text with every span, for the study's reviewers.

    Queries: the interview and the member's access, whether they review, the spans, their
    entities and the counts by status, and the read's audit record."""
    interview, access = interview_get_for_user(user=request.user, pk=pk, read_only=True)
    study = interview.dyad.study
    require_reviewer(user=request.user, study=study, write=False)
    audit_view(
        study_id=study.pk,
        interview_id=interview.pk,
        actor=request.user,
        what="de-identification review",
    )
    base = reverse("deid-review", args=[interview.pk])
    writable = not study.archived and interview.deid_status != DeidStatus.COMPLETE
    config: dict[str, Any] = {
        "interview": interview.pk,
        "writable": writable,
        "keep_original": study.deid_keep_original,
        "kinds": [
            {
                "value": value,
                "label": label,
                "short": KIND_SHORT[DeidKind(value)],
                "tag": TAGS[DeidKind(value)],
            }
            for value, label in DeidKind.choices
        ],
        "urls": {
            "review": base,
            "propose": reverse("deid-propose", args=[interview.pk]),
            "spans": reverse("deid-spans", args=[interview.pk]),
            "entities": f"{base}entities/",
            "complete": reverse("deid-complete", args=[interview.pk]),
            "apply": reverse("deid-apply", args=[interview.pk]),
        },
    }
    return render(
        request,
        "interviews/deid_review.html",
        {
            "interview": interview,
            "study": study,
            "access": access,
            "config": config,
            "text": interview.text,
            "review": review_data(interview),
            "kinds": config["kinds"],
            "writable": writable,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_deid(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The lead's de-identification page: each interview's review, the private names and places
    lists (add, remove), and the members named reviewer."""
    study, access = study_get_for_user(
        user=request.user, slug=slug, min_role=Role.LEAD, read_only=True
    )
    if request.method == "POST":
        access.require_writable()
        post = request.POST
        action = post.get("action", "")
        try:
            if action == "add-terms":
                added = deid_terms_add(
                    study=study,
                    list_name=post.get("list"),
                    texts=post.get("texts", ""),
                    actor=request.user,
                )
                messages.success(
                    request, f"{len(added)} entr{'y' if len(added) == 1 else 'ies'} in the list."
                )
            elif action == "remove-term":
                deid_term_remove(study=study, term_id=post.get("term"), actor=request.user)
                messages.success(request, "Removed from the list.")
            elif action == "reviewer":
                membership = (
                    Membership.objects.filter(study=study, pk=_pk(post.get("membership")))
                    .select_related("user")
                    .first()
                )
                if membership is None:
                    raise ValidationError({"membership": "No such member."})
                deid_reviewer_set(
                    membership=membership,
                    reviewer=post.get("reviewer") == "on",
                    actor=request.user,
                )
                messages.success(request, f"{membership.user.get_username()} updated.")
            else:
                raise ValidationError({"action": "Unknown action."})
        except ValidationError as error:
            return _study_deid_page(request, study, access, errors=error.messages, status=400)
        return redirect("study-deid", slug=study.slug)
    return _study_deid_page(request, study, access)


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _study_deid_page(
    request: AuthenticatedRequest,
    study: Any,
    access: Any,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    terms = list(deid_terms_for(study=study))
    members = list(
        Membership.objects.filter(study=study).select_related("user").order_by("user__username")
    )
    return render(
        request,
        "interviews/study_deid.html",
        {
            "study": study,
            "access": access,
            "tab": "deid",
            "interviews": list(deid_interviews_for(study=study)),
            "term_lists": [
                (value, label, [t for t in terms if t.list == value])
                for value, label in DeidTerm.List.choices
            ],
            "members": members,
            "errors": errors or [],
        },
        status=status,
    )
