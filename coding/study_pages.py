"""A study's overview (the study dashboard, coding.dashboard) and a dyad's page: people and
interviews with each coder's progress, and the dyad's memos (URLs study-overview, dyad-detail)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from coding.comparison.charts import saturation_chart
from coding.comparison.selectors.saturation import DEFAULT_ORDER, SATURATION_ORDERS
from coding.dashboard import study_dashboard
from coding.selectors import coding_progress, memos_visible_to
from healing.types import AuthenticatedRequest
from interviews.deid.review import may_review
from interviews.selectors import (
    attribute_definitions_for,
    dyad_get_for_user,
    study_get_for_user,
)

ORDER_NAMES = {"import": "Import order", "conducted": "Date conducted", "dyad": "Dyad label"}


@login_required
def study_overview(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The study dashboard: the lead's set-up checklist, each interview's progress, agreement,
    consensus and open disagreements, the codes' dyads on the best layer, and saturation."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    order = request.GET.get("order") or DEFAULT_ORDER
    # An unknown order is said on the page (the chart and the API answer it with a 400).
    refused_order = order if order not in SATURATION_ORDERS else ""
    if refused_order:
        order = DEFAULT_ORDER
    dashboard = study_dashboard(study=study, access=access, user=request.user, order=order)
    return render(
        request,
        "interviews/study_overview.html",
        {
            "study": study,
            "access": access,
            "tab": "overview",
            "order": order,
            "refused_order": refused_order,
            "orders": [(key, ORDER_NAMES[key]) for key in SATURATION_ORDERS],
            "chart": saturation_chart(dashboard["saturation"]),
            "open_steps": sum(1 for step in dashboard["checklist"] if not step.done),
            # The review's status shows while the study requires it; reviewers get its link.
            "deid_reviewer": study.deid_required and may_review(user=request.user, study=study),
            **dashboard,
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
