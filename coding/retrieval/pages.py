"""The Segments tab (``study-segments``): retrieved segments with every filter in the address,
grouped by dyad or by code with counts, a page at a time, and downloads (``format=csv|xlsx|docx``)
of everything that matches. Works without JavaScript."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from rest_framework.exceptions import APIException

from coding.comparison.selectors.scope import choice_param, int_param, last_param
from coding.models import Code
from coding.retrieval.api import layer_dict, query_dict, workspace_link
from coding.retrieval.exports import (
    EXPORT_FORMATS,
    describe_lines,
    segments_csv,
    segments_docx,
    segments_xlsx,
)
from coding.retrieval.filters import (
    DEFAULT_CONTEXT,
    MAX_CONTEXT,
    ORDERED_TYPES,
    ROLES,
    SegmentFilters,
    segment_filters_from_params,
)
from coding.retrieval.segments import ORDERS, PAGE_SIZE, SegmentListing, segments_queryset
from healing.api.errors import error_lines
from healing.audit.services import audit_export
from healing.types import AuthenticatedRequest
from interviews.models import AttributeDefinition, Dyad, Membership, Role, Study
from interviews.selectors import Access, study_get_for_user

EXPORT_MAX_CONTEXT = 1000


def _codes_in_tree_order(study: Study) -> list[dict[str, Any]]:
    """The codebook as the code filter lists it: each code under its parent, indented."""
    rows = list(
        Code.objects.filter(codebook__study=study)
        .order_by("order", "key")
        .values("id", "key", "name", "parent_id")
    )
    children: dict[int | None, list[dict[str, Any]]] = {}
    for row in rows:
        children.setdefault(row["parent_id"], []).append(dict(row))
    ordered: list[dict[str, Any]] = []

    def walk(parent: int | None, depth: int) -> None:
        for row in children.get(parent, []):
            ordered.append({**row, "indent": " " * depth})
            walk(row["id"], depth + 1)

    walk(None, 0)
    return ordered


def _coders(*, study: Study, access: Access, user: Any) -> list[str]:
    """Usernames the coder filter offers: whoever codes, or while blind, the reader only."""
    if not access.sees_other_coders:
        return [user.get_username()]
    return list(
        Membership.objects.filter(study=study, role__in=[Role.LEAD, Role.CODER])
        .order_by("user__username")
        .values_list("user__username", flat=True)
    )


def attribute_controls(*, study: Study, params: dict[str, list[str]]) -> list[dict[str, Any]]:
    """One control per attribute: values to pick, or a from–to range for numbers and dates."""
    controls = []
    for definition in AttributeDefinition.objects.filter(study=study).order_by(
        "entity", "order", "key"
    ):
        name = "attr." + (
            definition.key
            if definition.entity == "dyad"
            else f"{definition.entity}.{definition.key}"
        )
        ranged = definition.type in ORDERED_TYPES
        controls.append(
            {
                "name": name,
                "id": name.replace(".", "-"),
                "label": definition.label or definition.key,
                "entity": definition.get_entity_display(),
                "type": definition.type,
                "ranged": ranged,
                "input_type": "date" if definition.type == "date" else "number",
                "step": "any" if definition.type == "decimal" else "1",
                "choices": list(definition.choices or [])
                if definition.type == "choice"
                else (["true", "false"] if definition.type == "boolean" else []),
                "value": (params.get(name) or [""])[-1],
                "values": params.get(name) or [],
                "gte": (params.get(f"{name}__gte") or [""])[-1],
                "lte": (params.get(f"{name}__lte") or [""])[-1],
            }
        )
    return controls


def _export(
    request: AuthenticatedRequest, study: Study, filters: SegmentFilters, fmt: str, order: str
) -> HttpResponse | StreamingHttpResponse:
    listing_queryset = segments_queryset(study=study, filters=filters)
    listing = SegmentListing(listing_queryset, order)
    context = min(filters.context, EXPORT_MAX_CONTEXT)
    layer = layer_dict(filters)
    about = describe_lines(
        study=study, layer_label=layer["label"], filters=filters.describe(), context=context
    )
    base_url = request.build_absolute_uri("/").rstrip("/")
    segments = listing.all(context=context)
    audit_export(
        study_id=study.pk,
        actor=request.user,
        what="retrieved segments",
        format=fmt,
        params={"layer": layer["name"], "filters": filters.describe()},
    )
    filename = f"{study.slug}-segments.{fmt}"
    if fmt == "csv":
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            segments_csv(segments, about, base_url), content_type=EXPORT_FORMATS[fmt]
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            segments_xlsx(segments, about, base_url), content_type=EXPORT_FORMATS[fmt]
        )
    else:
        by_dyad = listing if order == "dyad" else SegmentListing(listing_queryset, "dyad")
        response = HttpResponse(
            segments_docx(
                by_dyad.all(context=context), about, title=f"Retrieved segments · {study.title}"
            ),
            content_type=EXPORT_FORMATS[fmt],
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def study_segments(
    request: AuthenticatedRequest, slug: str
) -> HttpResponse | StreamingHttpResponse:
    study, access = study_get_for_user(user=request.user, slug=slug)
    params = query_dict(request.GET)
    base = {
        "study": study,
        "access": access,
        "tab": "segments",
        "codes": _codes_in_tree_order(study),
        "dyads": Dyad.objects.filter(study=study).order_by("label").values_list("label", flat=True),
        "coders": _coders(study=study, access=access, user=request.user),
        "attributes": attribute_controls(study=study, params=params),
        "roles": ROLES,
        "orders": ORDERS,
        "max_context": MAX_CONTEXT,
        "params": params,
        "chosen_codes": params.get("code") or [],
        "chosen_dyads": params.get("dyad") or [],
        "form": {
            name: last_param(params, name) or ""
            for name in ("text", "memo", "perspective", "role", "layer", "coder", "order")
        },
        "descendants": (last_param(params, "descendants") or "true") != "false",
        "context": last_param(params, "context") or DEFAULT_CONTEXT,
        "filters": None,
    }
    try:
        filters = segment_filters_from_params(
            study=study, access=access, user=request.user, params=params
        )
        order = choice_param(params, "order", ORDERS, "dyad")
        fmt = last_param(params, "format")
        if fmt:
            if fmt not in EXPORT_FORMATS:
                messages.error(request, "Download as csv, xlsx or docx.")
                return render(request, "coding/retrieval/segments.html", base, status=400)
            return _export(request, study, filters, fmt, order)
        size = int_param(params, "page_size", PAGE_SIZE, 1, 200)
        listing = SegmentListing(segments_queryset(study=study, filters=filters), order)
        page = listing.page(context=filters.context, cursor=last_param(params, "cursor"), size=size)
    except APIException as error:
        if error.status_code == 403:
            raise DjangoPermissionDenied(" ".join(error_lines(error))) from None
        messages.error(request, " ".join(error_lines(error)))
        return render(request, "coding/retrieval/segments.html", base, status=400)
    counts = listing.counts()
    groups: list[dict[str, Any]] = []
    for segment in page.results:
        segment["workspace"] = workspace_link(segment)
        heading = (
            segment["dyad"] if order == "dyad" else f"{segment['code']} {segment['code_name']}"
        )
        if not groups or groups[-1]["heading"] != heading:
            groups.append({"heading": heading, "segments": []})
        groups[-1]["segments"].append(segment)
    kept = filters.as_params() + [("order", order)] * (order != "dyad")
    if size != PAGE_SIZE:
        kept.append(("page_size", str(size)))
    counted = {row["dyad"]: row["count"] for row in counts["by_dyad"]}
    code_counts = {row["code"]: row["count"] for row in counts["by_code"]}
    for group in groups:
        key = group["segments"][0]["dyad"] if order == "dyad" else group["segments"][0]["code"]
        group["count"] = (counted if order == "dyad" else code_counts).get(key, 0)
    return render(
        request,
        "coding/retrieval/segments.html",
        {
            **base,
            "filters": filters,
            "described": filters.describe(),
            "layer": layer_dict(filters),
            "order": order,
            "counts": counts,
            "groups": groups,
            "next_query": urlencode([*kept, ("cursor", page.next_cursor)])
            if page.next_cursor
            else "",
            "first_query": urlencode(kept) if last_param(params, "cursor") else "",
            "downloads": {fmt: urlencode([*kept, ("format", fmt)]) for fmt in EXPORT_FORMATS},
            "kept_query": urlencode(kept),
            "page_size": size,
        },
    )
