"""The case study page of a dyad and its DOCX / Markdown downloads. Thin: the access helper
loads, the selector reads; writing goes through the API (static/js/casestudy.js)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from coding.casestudy import export
from coding.casestudy.selectors import CaseStudyData, case_study_data, case_study_memos
from coding.selectors import LayerChoice, coder_param_check, default_layer_for, layer_choice
from healing.audit.services import audit_export
from healing.types import AuthenticatedRequest
from interviews.models import Dyad
from interviews.selectors import Access, attribute_definitions_for, dyad_get_for_user


def case_study_layer(*, params: Any, dyad: Dyad, user: Any, access: Access) -> LayerChoice:
    """The layer asked for (checked against blind coding), else the dyad's default layer; a
    coder who may not see the union while coding is blind gets their own layer."""
    name = params.get("layer") or None
    coder_param_check(coder=params.get("coder"), study_id=dyad.study_id)
    if name:
        return layer_choice(name=name, coder=params.get("coder"), user=user, access=access)
    return default_layer_for(access=access, user=user)


def _load(request: AuthenticatedRequest, pk: int) -> tuple[CaseStudyData, Access]:
    dyad, access = dyad_get_for_user(user=request.user, pk=pk)
    try:
        layer = case_study_layer(params=request.GET, dyad=dyad, user=request.user, access=access)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, f"{text} Showing the default layer instead.")
        layer = case_study_layer(params={}, dyad=dyad, user=request.user, access=access)
    data = case_study_data(dyad=dyad, layer=layer, access=access, user_id=request.user.pk)
    return data, access


@login_required
@ensure_csrf_cookie
def dyad_case_study(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Each model component from both sides of the dyad, the passages, and the team's synthesis."""
    data, access = _load(request, pk)
    dyad = data.dyad
    layer_query = f"?layer={data.layer.name}" + (
        f"&coder={data.layer.coder_id}" if data.layer.name == "coder" else ""
    )
    return render(
        request,
        "coding/casestudy/case_study.html",
        {
            "study": dyad.study,
            "dyad": dyad,
            "access": access,
            "can_write": access.can_code,
            "data": data,
            "components": data.components(),
            "definitions": attribute_definitions_for(study=dyad.study),
            "layer_query": layer_query,
        },
    )


def _download(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponse:
    data, _ = _load(request, pk)
    memos = case_study_memos(dyad=data.dyad, user=request.user)
    content, content_type = export.case_study_file(data=data, fmt=fmt, memos=memos)
    audit_export(
        study_id=data.dyad.study_id,
        actor=request.user,
        what=f"case study of dyad {data.dyad.label}",
        format=fmt,
        params={"dyad": data.dyad.pk, "layer": data.layer.name, "coder": data.layer.coder_id},
    )
    response = HttpResponse(content, content_type=content_type)
    filename = export.case_study_filename(data=data, fmt=fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def dyad_case_study_docx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "docx")


@login_required
def dyad_case_study_md(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "md")
