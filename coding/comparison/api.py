"""JSON endpoints of the comparison, one per view, with the page's filters:

``/api/v1/studies/<slug>/comparison/{matrix,prevalence,process-outcome,subgroups,framework}/``
and the saturation curve, ``/api/v1/studies/<slug>/saturation/``.

Every member of the study reads them (outsiders get 404). ``layer`` (best, consensus, all, coder
with ``coder=<user id>``, mine; default: best) is checked against blind coding,
and the dyad subset is given as ``dyad.<key>=``, ``clinician.<key>=``, ``patient.<key>=`` and
``clinician=<participant id>``. Every answer says which layer and dyads it used.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coding.analysis.measures import layer_label
from coding.comparison.selectors.base import ComparisonBase, DyadInfo, code_dict, comparison_base
from coding.comparison.selectors.cooccurrence import process_outcome
from coding.comparison.selectors.framework import framework_matrix
from coding.comparison.selectors.matrix import dyad_code_matrix
from coding.comparison.selectors.prevalence import PREVALENCE_BASES, common_components, prevalence
from coding.comparison.selectors.saturation import (
    SATURATION_ORDERS,
    saturation_curve,
    saturation_request,
)
from coding.comparison.selectors.scope import comparison_scope
from coding.comparison.selectors.subgroups import grouping_for, subgroups
from coding.comparison.selectors.view_settings import MEASURES, SIDES, ViewSettings, view_settings
from interviews.selectors import study_get_for_user

COMMON_PARAMETERS = [
    OpenApiParameter(
        "layer",
        str,
        description="best (per interview: the consensus where complete, else the union of "
        "coders), consensus, all (union of coders), coder (with coder=<user id>) or mine; "
        "default: best. The answer's layer.usage says which layer each dyad used.",
    ),
    OpenApiParameter("coder", int, description="The coder's user id, with layer=coder."),
    OpenApiParameter("clinician", int, description="Only this clinician's dyads (participant id)."),
    OpenApiParameter(
        "dyad.<key>",
        str,
        description="Dyads whose attribute has this value (repeat for any of several values); "
        "likewise clinician.<key> and patient.<key>.",
    ),
]


class ScopeSerializer(serializers.Serializer):
    layer = serializers.DictField(help_text="name, coder and label of the layer used")
    subset = serializers.DictField(help_text="description, filters and clinician of the dyads")
    settings = serializers.DictField(help_text="the view's own settings as used")


class MatrixSerializer(ScopeSerializer):
    codes = serializers.ListField(child=serializers.DictField())
    dyads = serializers.ListField(child=serializers.DictField())
    values = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField()),
        help_text="values[dyad][code]: the measure on the side (presence 1/0)",
    )
    concordant = serializers.ListField(
        child=serializers.ListField(child=serializers.BooleanField()),
        help_text="concordant[dyad][code]: present on both sides",
    )


class PrevalenceSerializer(ScopeSerializer):
    dyads = serializers.IntegerField()
    codes = serializers.ListField(child=serializers.DictField())
    common = serializers.ListField(child=serializers.CharField(), help_text="code keys")


class ProcessOutcomeSerializer(ScopeSerializer):
    pairs = serializers.ListField(child=serializers.DictField())


class SubgroupsSerializer(ScopeSerializer):
    grouping = serializers.DictField()
    codes = serializers.ListField(child=serializers.DictField())
    groups = serializers.ListField(child=serializers.DictField())


class FrameworkSerializer(ScopeSerializer):
    components = serializers.ListField(child=serializers.DictField())
    dyads = serializers.ListField(child=serializers.DictField())
    cells = serializers.ListField(child=serializers.ListField(child=serializers.DictField()))


class _ComparisonView(APIView):
    def scope_and_settings(
        self, request: Request, slug: str
    ) -> tuple[ComparisonBase, ViewSettings]:
        study, access = study_get_for_user(user=request.user, slug=slug)
        params = dict(request.query_params.lists())
        scope = comparison_scope(study=study, access=access, user=request.user, params=params)
        settings = view_settings(params)
        return comparison_base(scope=scope), settings

    @staticmethod
    def head(base: ComparisonBase, settings: dict[str, Any]) -> dict[str, Any]:
        head = {**base.scope.as_dict(), "settings": settings}
        if base.usage is not None:
            head["layer"] = {**head["layer"], "usage": base.usage.as_dict()}
        return head


def _dyad(d: DyadInfo) -> dict[str, Any]:
    return {"id": d.id, "label": d.label, "clinician": d.clinician, "patient": d.patient}


class MatrixView(_ComparisonView):
    """Dyads × codes: ``measure`` (presence, count, coverage) on ``side`` (patient, clinician,
    both: present on both sides, counts added, coverage over both interviews together)."""

    @extend_schema(
        parameters=[
            *COMMON_PARAMETERS,
            OpenApiParameter("measure", str, enum=list(MEASURES)),
            OpenApiParameter("side", str, enum=list(SIDES)),
        ],
        responses=MatrixSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        base, settings = self.scope_and_settings(request, slug)
        matrix = dyad_code_matrix(base=base)
        values = matrix.values(measure=settings.measure, side=settings.side)
        return Response(
            {
                **self.head(base, {"measure": settings.measure, "side": settings.side}),
                "codes": [code_dict(n) for n in matrix.codes],
                "dyads": [_dyad(row.dyad) for row in matrix.rows],
                "values": [
                    [round(v, 6) if settings.measure == "coverage" else int(v) for v in row]
                    for row in values
                ],
                "concordant": [[c.concordant for c in row.cells] for row in matrix.rows],
            }
        )


class PrevalenceView(_ComparisonView):
    """Per code: of N dyads, n where it is present on either side, each side, and both; and the
    common components at ``threshold`` percent (default 80) on ``basis``."""

    @extend_schema(
        parameters=[
            *COMMON_PARAMETERS,
            OpenApiParameter("threshold", int, description="0-100, default 80"),
            OpenApiParameter("basis", str, enum=list(PREVALENCE_BASES)),
        ],
        responses=PrevalenceSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        base, settings = self.scope_and_settings(request, slug)
        rows = prevalence(base=base)
        common = common_components(rows, threshold=settings.threshold, basis=settings.basis)
        return Response(
            {
                **self.head(base, {"threshold": settings.threshold, "basis": settings.basis}),
                "dyads": len(base.dyads),
                "codes": [p.as_dict() for p in rows],
                "common": [p.code.key for p in common],
            }
        )


class ProcessOutcomeView(_ComparisonView):
    """For each process (top-level, rolled up; every process code with ``sub_codes=1``) and
    outcome: dyads with both, and passages overlapping or within ``window`` turns."""

    @extend_schema(
        parameters=[
            *COMMON_PARAMETERS,
            OpenApiParameter("window", int, description="0-50 turns, default 1"),
            OpenApiParameter(
                "turns",
                str,
                enum=["participant", "all"],
                description="Which turns the window counts: participant (default; interviewer "
                "turns are skipped) or all.",
            ),
            OpenApiParameter("sub_codes", bool),
        ],
        responses=ProcessOutcomeSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        base, settings = self.scope_and_settings(request, slug)
        pairs = process_outcome(
            base=base, window=settings.window, sub_codes=settings.sub_codes, turns=settings.turns
        )
        return Response(
            {
                **self.head(
                    base,
                    {
                        "window": settings.window,
                        "turns": settings.turns,
                        "sub_codes": settings.sub_codes,
                    },
                ),
                "pairs": [p.as_dict() for p in pairs],
            }
        )


class SubgroupsView(_ComparisonView):
    """The dyads split by ``group_by`` (``dyad.<key>``, ``clinician.<key>``, ``patient.<key>``:
    one group per value, numbers split at ``split`` or the median; ``clinician:<id>``: that
    clinician's dyads against the rest), with prevalence and mean count and coverage per code
    on ``side``."""

    @extend_schema(
        parameters=[
            *COMMON_PARAMETERS,
            OpenApiParameter("group_by", str, required=True),
            OpenApiParameter("split", float),
            OpenApiParameter("side", str, enum=list(SIDES)),
        ],
        responses=SubgroupsSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        base, settings = self.scope_and_settings(request, slug)
        if not settings.group_by:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"group_by": "Choose what to group the dyads by."})
        grouping = grouping_for(base=base, group_by=settings.group_by, split=settings.split)
        result = subgroups(base=base, grouping=grouping, side=settings.side)
        return Response(
            {
                **self.head(
                    base,
                    {"group_by": settings.group_by, "split": settings.split, "side": settings.side},
                ),
                "grouping": {"param": grouping.param, "label": grouping.label, "how": grouping.how},
                "codes": [code_dict(n) for n in result.codes],
                "groups": [
                    {
                        "label": group.label,
                        "dyads": sorted(group.dyad_ids),
                        "figures": [
                            {
                                "code": node.key,
                                "dyads": f.dyads,
                                **f.n,
                                "mean_count": round(f.mean_count, 6),
                                "mean_coverage": round(f.mean_coverage, 6),
                            }
                            for node, f in zip(result.codes, figures, strict=True)
                        ],
                    }
                    for group, figures in zip(grouping.groups, result.figures, strict=True)
                ],
            }
        )


class FrameworkView(_ComparisonView):
    """Dyads × components, each cell the case study's synthesis and a link to it."""

    @extend_schema(parameters=COMMON_PARAMETERS, responses=FrameworkSerializer)
    def get(self, request: Request, slug: str) -> Response:
        base, _ = self.scope_and_settings(request, slug)
        framework = framework_matrix(base=base)
        return Response(
            {
                **self.head(base, {}),
                "components": [code_dict(n) for n in framework.components],
                "dyads": [_dyad(d) for d in framework.dyads],
                "cells": [
                    [{"synthesis": c.synthesis, "link": c.link} for c in row]
                    for row in framework.cells
                ],
            }
        )


class SaturationPointSerializer(serializers.Serializer):
    interview = serializers.IntegerField()
    label = serializers.CharField(help_text="dyad label · perspective")  # type: ignore[assignment]
    new_codes = serializers.ListField(
        child=serializers.CharField(), help_text="keys of the codes first used here"
    )
    new = serializers.IntegerField()
    cumulative = serializers.IntegerField()


class SaturationSerializer(serializers.Serializer):
    layer = serializers.DictField(help_text="name, coder and label of the layer used")
    order = serializers.ChoiceField(choices=list(SATURATION_ORDERS))
    points = SaturationPointSerializer(many=True)


class SaturationView(APIView):
    """Saturation: every interview in ``order`` with the codes first used there and the
    cumulative number of distinct codes so far (docs/analysis.md)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "order",
                str,
                enum=list(SATURATION_ORDERS),
                description="import (default), conducted (date, undated last) or dyad (label)",
            ),
            COMMON_PARAMETERS[0],
            COMMON_PARAMETERS[1],
        ],
        responses=SaturationSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        study, access = study_get_for_user(user=request.user, slug=slug)
        layer, order = saturation_request(
            study=study, access=access, user=request.user, params=request.query_params
        )
        curve = saturation_curve(study=study, layer=layer, order=order)
        return Response(
            {
                "layer": {**layer.as_dict(), "label": layer_label(layer)},
                "order": order,
                "points": [p.as_dict() for p in curve.points],
            }
        )


COMPARISON_URLS = [
    path(
        f"v1/studies/<slug:slug>/comparison/{name}/",
        view.as_view(),
        name=f"comparison-api-{name}",
    )
    for name, view in (
        ("matrix", MatrixView),
        ("prevalence", PrevalenceView),
        ("process-outcome", ProcessOutcomeView),
        ("subgroups", SubgroupsView),
        ("framework", FrameworkView),
    )
] + [
    path("v1/studies/<slug:slug>/saturation/", SaturationView.as_view(), name="saturation-api"),
]
