"""The comparison page (one URL, eight views), its downloads and its charts, and the form that
keeps the study's extra stop words.

Thin: the access helper loads the study, ``selectors`` reads the layer, the subset and the
figures, ``tables`` and ``charts`` turn them into files. Every setting is a query parameter, so
a view (with its layer and dyads) can be shared as a link, and its downloads hold the same.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from coding.comparison import charts, tables
from coding.comparison.selectors.base import ComparisonBase, comparison_base
from coding.comparison.selectors.cooccurrence import process_outcome
from coding.comparison.selectors.crosstab import code_attribute_crosstab
from coding.comparison.selectors.framework import (
    case_study_link_maker,
    framework_matrix,
)
from coding.comparison.selectors.matrix import Matrix, dyad_code_matrix
from coding.comparison.selectors.prevalence import PREVALENCE_BASES, common_components, prevalence
from coding.comparison.selectors.relations import code_relations
from coding.comparison.selectors.saturation import saturation_curve, saturation_request
from coding.comparison.selectors.scope import Scope, coder_names, comparison_scope
from coding.comparison.selectors.subgroups import grouping_for, subgroups
from coding.comparison.selectors.view_settings import (
    MEASURES,
    SIDES,
    WORD_SOURCES,
    ViewSettings,
    view_settings,
)
from coding.comparison.selectors.words import (
    SOURCE_GROUPS,
    keyword_in_context,
    word_frequencies,
    word_param,
)
from coding.comparison.services import stop_words_parse, study_stop_words_set
from coding.selectors import LayerUsage
from healing.audit.services import audit_export
from healing.types import AuthenticatedRequest
from interviews.models import (
    AttributeDefinition,
    AttributeType,
    Participant,
    ParticipantRole,
    Role,
    Study,
)
from interviews.selectors import Access, attribute_definitions_for, study_get_for_user

CHARTS = ("prevalence", "process-outcome", "heatmap", "relations", "crosstab", "words")
VIEW_LABELS = {
    "matrix": "Matrix",
    "prevalence": "Prevalence",
    "process-outcome": "Process → outcome",
    "subgroups": "Subgroups",
    "framework": "Framework matrix",
    "relations": "Code relations",
    "crosstab": "Code × attribute",
    "words": "Word frequencies",
}
# Views whose figures need a setting chosen first (no figures, and no download, without it).
NEEDS = {"subgroups": "group_by"}


@dataclass
class Figures:
    """One view's figures, its table (for downloads) and its chart (SVG), if it has one."""

    view: str
    data: Any
    table: tables.Table
    chart: str = ""
    usage: LayerUsage | None = None
    base: ComparisonBase | None = None


def view_figures(*, scope: Scope, view: str, settings: ViewSettings) -> Figures:
    """Compute one view. Shared by the page, its downloads and its charts."""
    base = comparison_base(scope=scope)
    return dataclasses.replace(_figures(base, view, settings), usage=base.usage, base=base)


def _figures(base: ComparisonBase, view: str, settings: ViewSettings) -> Figures:
    if view == "matrix":
        matrix = dyad_code_matrix(base=base)
        return Figures(
            view, matrix, tables.matrix_table(matrix, measure=settings.measure, side=settings.side)
        )
    if view == "prevalence":
        rows = prevalence(base=base)
        return Figures(
            view,
            rows,
            tables.prevalence_table(rows, threshold=settings.threshold, basis=settings.basis),
            charts.prevalence_chart(rows, threshold=settings.threshold, basis=settings.basis),
        )
    if view == "process-outcome":
        pairs = process_outcome(
            base=base, window=settings.window, sub_codes=settings.sub_codes, turns=settings.turns
        )
        return Figures(
            view,
            pairs,
            tables.process_outcome_table(
                pairs, window=settings.window, sub_codes=settings.sub_codes, turns=settings.turns
            ),
            charts.process_outcome_chart(pairs, window=settings.window, turns=settings.turns),
        )
    if view == "relations":
        relations = code_relations(
            base=base,
            cooccur=settings.cooccur,
            window=settings.window,
            count=settings.count,
            sub_codes=settings.sub_codes,
        )
        return Figures(
            view, relations, tables.relations_table(relations), charts.relations_chart(relations)
        )
    if view == "crosstab":
        crosstab = code_attribute_crosstab(
            base=base, attribute=settings.attribute, basis=settings.basis
        )
        return Figures(
            view, crosstab, tables.crosstab_table(crosstab), charts.crosstab_chart(crosstab)
        )
    if view == "words":
        frequencies = word_frequencies(
            base=base,
            source=settings.source,
            code_key=settings.code or None,
            limit=settings.limit,
        )
        return Figures(
            view, frequencies, tables.words_table(frequencies), charts.words_chart(frequencies)
        )
    if view == "subgroups":
        if not settings.group_by:
            raise ValidationError({"group_by": "Choose what to group the dyads by."})
        grouping = grouping_for(base=base, group_by=settings.group_by, split=settings.split)
        result = subgroups(base=base, grouping=grouping, side=settings.side)
        return Figures(
            view,
            result,
            tables.subgroups_table(result, basis=settings.basis, side=settings.side),
        )
    framework = framework_matrix(base=base)
    return Figures(view, framework, tables.framework_table(framework))


def _params(request: AuthenticatedRequest) -> dict[str, list[str]]:
    return dict(request.GET.lists())


def _query(params: dict[str, list[str]], **changes: str | None) -> str:
    merged = {k: list(v) for k, v in params.items() if k not in ("format", "download")}
    for key, value in changes.items():
        key = key.replace("__", "-")
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = [value]
    return urlencode([(k, v) for k, values in merged.items() for v in values])


def _error_response(
    request: AuthenticatedRequest, study: Study, access: Access, view: str, error: Exception
) -> HttpResponse:
    detail = getattr(error, "detail", None) or getattr(error, "message_dict", None) or str(error)
    problems: list[str] = []
    if isinstance(detail, dict):
        for field, texts in detail.items():
            for text in texts if isinstance(texts, list) else [texts]:
                problems.append(f"{field}: {text}")
    else:
        problems.append(str(detail))
    return render(
        request,
        "coding/comparison/comparison.html",
        {
            "study": study,
            "access": access,
            "tab": "comparison",
            "view": view,
            "view_tabs": [(v, label, f"?view={v}") for v, label in VIEW_LABELS.items()],
            "problems": problems,
            "reset": reverse("study-comparison", args=[study.slug]) + f"?view={view}",
        },
        status=400,
    )


@login_required
def comparison(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The comparison of the study's dyads: matrix, prevalence, process → outcome, subgroups
    and framework matrix; ``?format=csv|xlsx`` downloads the view's table."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    params = _params(request)
    view = (params.get("view") or ["matrix"])[-1]
    if view not in VIEW_LABELS:
        view = "matrix"
    fmt = (params.get("format") or [""])[-1]
    try:
        if fmt and fmt not in tables.CONTENT_TYPES:
            raise ValidationError({"format": "Download as csv or xlsx."})
        names = coder_names(study=study)
        scope = comparison_scope(
            study=study, access=access, user=request.user, params=params, names=names
        )
        settings = view_settings(params)
        needed = NEEDS.get(view)
        ready = needed is None or bool(getattr(settings, needed))
        if view == "crosstab" and not settings.attribute:
            # Without attributes there is nothing to cross (the page says so).
            ready = AttributeDefinition.objects.filter(study=study).exists()
        figures = view_figures(scope=scope, view=view, settings=settings) if ready else None
        kwic = None
        if view == "words" and settings.word and figures is not None and figures.base:
            kwic = keyword_in_context(
                base=figures.base,
                source=settings.source,
                word=word_param(settings.word),
                group=settings.group,
                code_key=settings.code or None,
            )
    except (ValidationError, DjangoValidationError) as error:
        return _error_response(request, study, access, view, error)
    if fmt:
        if figures is None:
            needed = NEEDS.get(view, "attribute")
            return _error_response(
                request, study, access, view, ValidationError({needed: f"Choose the {needed}."})
            )
        data, content_type, name = tables.table_download(figures.table, scope, fmt, figures.usage)
        audit_export(
            study_id=study.pk,
            actor=request.user,
            what=f"comparison {view}",
            format=fmt,
            params={**scope.as_dict(), "settings": settings.as_dict()},
            rows=len(figures.table.rows),
        )
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    clinicians = list(
        Participant.objects.filter(study=study, role=ParticipantRole.CLINICIAN)
        .order_by("pseudonym")
        .values_list("id", "pseudonym")
    )
    definitions = attribute_definitions_for(study=study)
    context: dict[str, Any] = {
        "study": study,
        "access": access,
        "tab": "comparison",
        "view": view,
        "view_tabs": [(v, label, "?" + _query(params, view=v)) for v, label in VIEW_LABELS.items()],
        "scope": scope,
        "settings": settings,
        "figures": figures,
        "layer_options": _layer_options(scope, access, request.user.pk, names),
        "subset_fields": _subset_fields(definitions, params),
        "clinicians": clinicians,
        "chosen_clinician": (params.get("clinician") or [""])[-1],
        "download": {f: "?" + _query(params, view=view, format=f) for f in tables.CONTENT_TYPES},
        "query": _query(params, view=view),
        "sides": SIDES,
        "measures": MEASURES,
        "bases": PREVALENCE_BASES,
    }
    if view == "crosstab":
        context["attribute_options"] = [
            (f"{d.entity}.{d.key}", f"{d.get_entity_display()}: {d.label or d.key}")
            for entity in ("dyad", "clinician", "patient")
            for d in definitions[entity]
        ]
    if figures is not None and view == "relations":
        relations = figures.data
        context["relation_rows"] = [
            (first, list(zip(relations.codes, row, strict=True)))
            for first, row in zip(relations.codes, relations.cells, strict=True)
        ]
    if figures is not None and view == "crosstab":
        context["chosen_attribute"] = figures.data.attribute
        context["crosstab_rows"] = [
            (
                node,
                [
                    {
                        "dyads_with": cell.dyads_with,
                        "dyads": cell.dyads,
                        "share": round(cell.share, 6),
                        "coverage": round(cell.coverage, 6),
                        "percent": f"{cell.coverage * 100:.1f}",
                    }
                    for cell in cells
                ],
            )
            for node, cells in zip(figures.data.codes, figures.data.cells, strict=True)
        ]
    if view == "subgroups":
        context["group_options"] = [
            *[
                (f"{d.entity}.{d.key}", f"{d.get_entity_display()}: {d.label or d.key}")
                for entity in ("dyad", "clinician", "patient")
                for d in definitions[entity]
            ],
            *[(f"clinician:{pk}", f"Clinician {name} vs the rest") for pk, name in clinicians],
        ]
    if view == "words":
        context["word_sources"] = WORD_SOURCES
        context["kwic"] = kwic
        context["word_groups"] = SOURCE_GROUPS[settings.source]
        context["word_links"] = {
            row.word: "?" + _query(params, view=view, word=row.word, group=None) + "#kwic"
            for row in (figures.data.rows if figures is not None else [])
        }
        if figures is not None and figures.base is not None:
            frequencies = figures.data
            context["code_options"] = [
                (n.key, "\u00a0\u00a0" * n.depth + f"{n.key} {n.name}")
                for n in figures.base.tree.nodes
            ]
            context["chosen_code"] = frequencies.code.key if frequencies.code else ""
            context["stop_words_text"] = "\n".join(frequencies.extra_stop_words)
            context["word_totals"] = list(zip(frequencies.groups, frequencies.totals, strict=True))
            context["word_rows"] = [
                (
                    row,
                    context["word_links"][row.word],
                    [
                        (count, frequencies.rate(count, index))
                        for index, count in enumerate(row.counts)
                    ],
                )
                for row in frequencies.rows
            ]
        if kwic is not None:
            context["kwic_group_links"] = [
                (group, "?" + _query(params, view=view, group=group) + "#kwic")
                for group in SOURCE_GROUPS[settings.source]
            ]
            context["kwic_all_link"] = "?" + _query(params, view=view, group=None) + "#kwic"
        context["stop_words_url"] = reverse("study-stop-words", args=[study.slug])
    if figures is not None and view in (
        "prevalence",
        "process-outcome",
        "matrix",
        "relations",
        "crosstab",
        "words",
    ):
        chart = "heatmap" if view == "matrix" else view
        context["chart_url"] = (
            reverse("study-comparison-chart", args=[study.slug, chart])
            + "?"
            + _query(params, view=None)
        )
        context["chart_name"] = f"{study.slug}-{chart}"
    if figures is not None and view == "matrix":
        context["matrix_html"] = matrix_html(
            figures.data, measure=settings.measure, side=settings.side
        )
    if figures is not None and view == "subgroups":
        result = figures.data
        basis = settings.basis
        context["subgroup_rows"] = [
            (
                node,
                [
                    {
                        "n": group_figures[index].n[basis],
                        "dyads": group_figures[index].dyads,
                        "percent": round(group_figures[index].share(basis) * 100),
                        "coverage": round(group_figures[index].mean_coverage * 100, 1),
                    }
                    for group_figures in result.figures
                ],
            )
            for index, node in enumerate(result.codes)
        ]
    if figures is not None and view == "framework":
        context["framework_rows"] = list(zip(figures.data.dyads, figures.data.cells, strict=True))
    if figures is not None and view == "prevalence":
        context["common"] = [
            (p, getattr(p, settings.basis))
            for p in common_components(
                figures.data, threshold=settings.threshold, basis=settings.basis
            )
        ]
        context["common_keys"] = {p.code.id for p, _ in context["common"]}
    return render(request, "coding/comparison/comparison.html", context)


@login_required
@require_POST
def stop_words_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The lead replaces the study's extra stop words (the word frequencies view's form), then
    goes back to the view they came from."""
    study, access = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
    try:
        words = stop_words_parse(request.POST.get("words", ""))
    except ValidationError as error:
        return _error_response(request, study, access, "words", error)
    study_stop_words_set(study=study, words=words, actor=request.user)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or reverse("study-comparison", args=[study.slug]) + "?view=words")


@login_required
def comparison_chart(request: AuthenticatedRequest, slug: str, chart: str) -> HttpResponse:
    """A chart of the comparison as SVG, with the same parameters as the page."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    if chart not in CHARTS:
        raise Http404("No such chart.")
    params = _params(request)
    view = "matrix" if chart == "heatmap" else chart
    try:
        scope = comparison_scope(study=study, access=access, user=request.user, params=params)
        settings = view_settings(params)
        figures = view_figures(scope=scope, view=view, settings=settings)
    except (ValidationError, DjangoValidationError) as error:
        return _error_response(request, study, access, view, error)
    svg = (
        charts.heatmap(figures.data, measure=settings.measure, side=settings.side)
        if chart == "heatmap"
        else figures.chart
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{study.slug}-{chart}.svg"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def saturation_svg(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The saturation curve as SVG (``order``, ``layer``, ``coder`` as in the API); with
    ``download=1`` as a file. The dashboard shows it inline, with its data table."""
    study, access = study_get_for_user(user=request.user, slug=slug)
    try:
        layer, order = saturation_request(
            study=study, access=access, user=request.user, params=request.GET
        )
    except DjangoValidationError as error:
        return HttpResponseBadRequest("; ".join(error.messages), content_type="text/plain")
    svg = charts.saturation_chart(saturation_curve(study=study, layer=layer, order=order))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    if request.GET.get("download"):
        response["Content-Disposition"] = (
            f'attachment; filename="{study.slug}-saturation-{order}.svg"'
        )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _layer_options(
    scope: Scope, access: Access, user_id: int, names: dict[int, str]
) -> list[tuple[str, str, bool]]:
    """(query, label, selected) for the layer control: consensus, the union, each coder; while
    coding is blind a coder is offered only the consensus and their own layer."""
    options = [
        ("best", "Best available", scope.layer.name == "best"),
        ("consensus", "Consensus", scope.layer.name == "consensus"),
    ]
    if access.sees_other_coders:
        options.append(("all", "All coders (union)", scope.layer.name == "all"))
    for pk, name in names.items():
        if pk == user_id or access.sees_other_coders:
            options.append(
                (
                    f"coder:{pk}",
                    f"Coder: {name}",
                    scope.layer.name == "coder" and scope.layer.coder_id == pk,
                )
            )
    return options


def _subset_fields(
    definitions: dict[str, list[Any]], params: dict[str, list[str]]
) -> list[dict[str, Any]]:
    fields = []
    for entity in ("dyad", "clinician", "patient"):
        for d in definitions[entity]:
            name = f"{entity}.{d.key}"
            chosen = (params.get(name) or [""])[-1]
            choices: list[str] = []
            if d.type == AttributeType.CHOICE:
                choices = [str(c) for c in d.choices or []]
            elif d.type == AttributeType.BOOLEAN:
                choices = ["true", "false"]
            fields.append(
                {
                    "name": name,
                    "label": f"{d.get_entity_display()}: {d.label or d.key}",
                    "choices": choices,
                    "value": chosen,
                    "type": d.type,
                }
            )
    return fields


def matrix_html(matrix: Matrix, *, measure: str, side: str) -> SafeString:
    """The matrix table's body, written here rather than in the template: at 500 dyads it has
    12,000 cells, which a template loop renders ten times slower. Every text is escaped.

    Cells are compact (the page is laid out in the browser at every load): a cell's colour is
    worked out once per value, a white cell has no style, and the passages on each side are
    ``data-n="patient/clinician"`` (the page's script makes the hover text from it). Sub-code
    columns start hidden, as the page's script would hide them."""
    values = matrix.values(measure=measure, side=side)
    maximum = max((v for row in values for v in row), default=0)
    link = case_study_link_maker()
    columns = [(node.id, " hidden" if node.depth else "") for node in matrix.codes]
    looks: dict[float, tuple[str, str]] = {}
    lines = []
    for row, row_values in zip(matrix.rows, values, strict=True):
        label = escape(row.dyad.label)
        parts = [
            f'<tr data-dyad="{row.dyad.id}"><th scope="row" data-sort="{label}">'
            f'<a href="{escape(link(row.dyad.id))}">{label}</a></th>'
        ]
        for (code_id, hidden), cell, value in zip(columns, row.cells, row_values, strict=True):
            look = looks.get(value)
            if look is None:
                dark = " dark" if maximum and value / maximum > 0.55 else ""
                colour = charts.heat_colour(value, maximum) if value else ""
                look = looks[value] = (dark, f' style="background:{colour}"' if colour else "")
            if measure == "presence":
                shown = "●" if value else ""
            elif not value:
                shown = "·"
            else:
                shown = f"{value * 100:.1f}%" if measure == "coverage" else str(int(value))
            parts.append(
                f'<td class="heat{look[0]}" data-code="{code_id}" data-sort="{value:.6f}" '
                f'data-n="{cell.patient.count}/{cell.clinician.count}"{look[1]}{hidden}>'
                f"{shown}</td>"
            )
        parts.append("</tr>")
        lines.append("".join(parts))
    return mark_safe("\n".join(lines))  # every text above is escaped
