"""JSON endpoints of the comparison, one per view, with the page's filters:

``/api/v1/studies/<slug>/comparison/{matrix,prevalence,process-outcome,subgroups,framework,
relations,crosstab,words}/``, the keyword-in-context lines of a word (``words/kwic/``), the
study's extra stop words (``stop-words/``: members read, the lead replaces them) and the
saturation curve, ``/api/v1/studies/<slug>/saturation/``.

Every member of the study reads them (outsiders get 404). ``layer`` (best, consensus, all, coder
with ``coder=<user id>``, mine; default: best) is checked against blind coding,
and the dyad subset is given as ``dyad.<key>=``, ``clinician.<key>=``, ``patient.<key>=`` and
``clinician=<participant id>``. Every answer says which layer and dyads it used.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coding.analysis.measures import layer_label
from coding.comparison.selectors.base import ComparisonBase, DyadInfo, code_dict, comparison_base
from coding.comparison.selectors.cooccurrence import process_outcome
from coding.comparison.selectors.crosstab import code_attribute_crosstab, crosstab_dict
from coding.comparison.selectors.framework import framework_matrix
from coding.comparison.selectors.matrix import dyad_code_matrix
from coding.comparison.selectors.prevalence import PREVALENCE_BASES, common_components, prevalence
from coding.comparison.selectors.relations import COOCCUR, code_relations, relations_dict
from coding.comparison.selectors.saturation import (
    SATURATION_ORDERS,
    saturation_curve,
    saturation_request,
)
from coding.comparison.selectors.scope import comparison_scope
from coding.comparison.selectors.subgroups import grouping_for, subgroups
from coding.comparison.selectors.view_settings import (
    MAX_WORD_LIMIT,
    MEASURES,
    SIDES,
    WORD_SOURCES,
    ViewSettings,
    view_settings,
)
from coding.comparison.selectors.words import (
    KWIC_LIMIT,
    keyword_in_context,
    stop_words_for,
    word_frequencies,
    word_param,
    word_shaped,
)
from coding.comparison.services import stop_words_parse, study_stop_words_set
from coding.comparison.stopwords import ENGLISH_STOP_WORDS
from interviews.models import Role
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


class RelationCodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()
    group = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True)  # type: ignore[assignment]
    depth = serializers.IntegerField()
    passages = serializers.IntegerField(help_text="n: the code's merged passages in the scope")
    dyads = serializers.IntegerField(help_text="dyads where the code has a passage")


class RelationPairSerializer(serializers.Serializer):
    first = serializers.CharField(help_text="code key")
    second = serializers.CharField(help_text="code key")
    n12 = serializers.IntegerField(help_text="co-occurring pairs of passages")
    dyads = serializers.IntegerField(help_text="dyads where the two codes co-occur")
    c = serializers.FloatField(
        allow_null=True,
        help_text="c-coefficient n12 / (n1 + n2 - n12); null where the denominator is not positive",
    )
    out_of_range = serializers.BooleanField(help_text="n12 > min(n1, n2)")


class RelationsSerializer(ScopeSerializer):
    codes = RelationCodeSerializer(many=True)
    pairs = RelationPairSerializer(many=True, help_text="each pair of codes once, codebook order")


class CrosstabSerializer(ScopeSerializer):
    attribute = serializers.DictField(help_text="param, label, and how the columns were made")
    columns = serializers.ListField(
        child=serializers.DictField(), help_text="label, dyads, dyad_ids of each column"
    )
    codes = serializers.ListField(
        child=serializers.DictField(),
        help_text="each code with cells[column]: dyads_with_code, dyads, share, covered, "
        "length, coverage",
    )


class WordRowSerializer(serializers.Serializer):
    word = serializers.CharField()
    total = serializers.IntegerField()
    counts = serializers.ListField(
        child=serializers.IntegerField(), help_text="per group, in the order of groups"
    )


class WordsSerializer(ScopeSerializer):
    source = serializers.ChoiceField(choices=list(WORD_SOURCES))  # type: ignore[assignment]
    code = serializers.CharField(allow_null=True, help_text="the code's key (source=code)")
    groups = serializers.ListField(child=serializers.CharField())
    totals = serializers.ListField(
        child=serializers.IntegerField(), help_text="every word counted per group"
    )
    distinct = serializers.IntegerField(help_text="distinct words other than stop words")
    stop_words = serializers.ListField(
        child=serializers.CharField(), help_text="the study's extra stop words"
    )
    words = WordRowSerializer(many=True)


class KwicLineSerializer(serializers.Serializer):
    interview = serializers.IntegerField()
    dyad = serializers.CharField()
    perspective = serializers.CharField()
    start = serializers.IntegerField(help_text="code point offset, inclusive")
    end = serializers.IntegerField(help_text="code point offset, exclusive")
    match = serializers.CharField()
    before = serializers.CharField(allow_blank=True)
    after = serializers.CharField(allow_blank=True)
    speaker = serializers.CharField(allow_blank=True)
    role = serializers.CharField(allow_blank=True)
    link = serializers.CharField(help_text="the passage in the workspace")


class KwicSerializer(ScopeSerializer):
    word = serializers.CharField()
    group = serializers.CharField(allow_blank=True)
    total = serializers.IntegerField(help_text="every occurrence; lines holds the first ones")
    lines = KwicLineSerializer(many=True)


class StopWordsSerializer(serializers.Serializer):
    words = serializers.ListField(
        child=serializers.CharField(),
        help_text="the study's extra stop words (lower case); PUT replaces them all",
    )
    english = serializers.IntegerField(
        read_only=True, help_text="how many English function words are left out besides"
    )


WORD_PARAMETERS = [
    OpenApiParameter(
        "source",
        str,
        enum=list(WORD_SOURCES),
        description="code (one code's passages, by side), perspective (every word said, by "
        "the interview's perspective; default) or role (by the speaker's role)",
    ),
    OpenApiParameter("code", str, description="the code's key, with source=code (implied "
                     "when no source is given; default: the codebook's first code)"),
]  # fmt: skip


def _words_settings(request: Request, settings: ViewSettings) -> ViewSettings:
    """``code`` chooses the code of ``source=code`` (and implies it when no source is given);
    with another source it is a 400, not silently ignored."""
    if not settings.code:
        return settings
    if "source" not in request.query_params:
        return dataclasses.replace(settings, source="code")
    if settings.source != "code":
        raise ValidationError({"code": "A code goes with source=code."})
    return settings


class RelationsView(_ComparisonView):
    """Code × code co-occurrence: for each pair of codes the co-occurring passage pairs (n12),
    the dyads where they co-occur and the c-coefficient n12 / (n1 + n2 − n12) as ATLAS.ti
    defines it; ``cooccur`` says what co-occurs (overlap, the same turn, or within ``window``
    turns counting ``count`` turns). docs/analysis.md states every definition."""

    @extend_schema(
        parameters=[
            *COMMON_PARAMETERS,
            OpenApiParameter("cooccur", str, enum=list(COOCCUR),
                             description="overlap (default), turn or within"),
            OpenApiParameter("window", int, description="0-50 turns, with cooccur=within; "
                             "default 1"),
            OpenApiParameter("count", str, enum=["participant", "all"],
                             description="With cooccur=within: participant (default; "
                             "interviewer turns are skipped) or all turns."),
            OpenApiParameter("sub_codes", bool, description="every code, not only top-level "
                             "codes (sub-codes rolled up)"),
        ],
        responses=RelationsSerializer,
    )  # fmt: skip
    def get(self, request: Request, slug: str) -> Response:
        base, settings = self.scope_and_settings(request, slug)
        relations = code_relations(
            base=base,
            cooccur=settings.cooccur,
            window=settings.window,
            count=settings.count,
            sub_codes=settings.sub_codes,
        )
        return Response(
            {
                **self.head(
                    base,
                    {
                        "cooccur": settings.cooccur,
                        "window": settings.window,
                        "count": settings.count,
                        "sub_codes": settings.sub_codes,
                        "described": relations.described,
                    },
                ),
                **relations_dict(relations),
            }
        )


class CrosstabView(_ComparisonView):
    """Codes × the values of ``attribute`` (``dyad.<key>``, ``clinician.<key>``,
    ``patient.<key>``; many numbers or dates are binned): dyads with the code on ``basis`` and
    coverage per value, and the dyads per value."""

    @extend_schema(
        parameters=[
            *COMMON_PARAMETERS,
            OpenApiParameter(
                "attribute",
                str,
                description="dyad.<key>, clinician.<key> or patient.<key>; default: the "
                "study's first attribute (dyad attributes first)",
            ),
            OpenApiParameter("basis", str, enum=list(PREVALENCE_BASES)),
        ],
        responses=CrosstabSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        base, settings = self.scope_and_settings(request, slug)
        crosstab = code_attribute_crosstab(
            base=base, attribute=settings.attribute, basis=settings.basis
        )
        return Response(
            {
                **self.head(base, {"attribute": crosstab.attribute, "basis": settings.basis}),
                **crosstab_dict(crosstab),
            }
        )


class WordsView(_ComparisonView):
    """The most frequent words other than stop words (``limit``, default 50), counted per
    group of ``source``; docs/analysis.md says what a word is."""

    @extend_schema(
        parameters=[
            *COMMON_PARAMETERS,
            *WORD_PARAMETERS,
            OpenApiParameter("limit", int, description=f"1-{MAX_WORD_LIMIT}, default 50"),
        ],
        responses=WordsSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        base, settings = self.scope_and_settings(request, slug)
        settings = _words_settings(request, settings)
        frequencies = word_frequencies(
            base=base, source=settings.source, code_key=settings.code or None, limit=settings.limit
        )
        return Response(
            {
                **self.head(
                    base,
                    {"source": settings.source, "code": settings.code, "limit": settings.limit},
                ),
                "source": frequencies.source,
                "code": frequencies.code.key if frequencies.code else None,
                "groups": frequencies.groups,
                "totals": frequencies.totals,
                "distinct": frequencies.distinct,
                "stop_words": frequencies.extra_stop_words,
                "words": [
                    {"word": row.word, "total": row.total, "counts": row.counts}
                    for row in frequencies.rows
                ],
            }
        )


class KwicView(_ComparisonView):
    """Every occurrence of ``word`` that word frequencies count (same ``source``, ``code``
    and scope; ``group`` narrows to one side or role), with the text around it and exact
    code-point offsets; the first 200 lines and the total."""

    @extend_schema(
        parameters=[
            *COMMON_PARAMETERS,
            *WORD_PARAMETERS,
            OpenApiParameter("word", str, required=True),
            OpenApiParameter("group", str, description="patient, clinician (and for "
                             "source=role interviewer, other)"),
        ],
        responses=KwicSerializer,
    )  # fmt: skip
    def get(self, request: Request, slug: str) -> Response:
        base, settings = self.scope_and_settings(request, slug)
        settings = _words_settings(request, settings)
        kwic = keyword_in_context(
            base=base,
            source=settings.source,
            word=word_param(settings.word),
            group=settings.group,
            code_key=settings.code or None,
            limit=KWIC_LIMIT,
        )
        return Response(
            {
                **self.head(
                    base, {"source": settings.source, "code": settings.code, "group": kwic.group}
                ),
                "word": kwic.word,
                "group": kwic.group,
                "total": kwic.total,
                "lines": [line.as_dict() for line in kwic.lines],
            }
        )


class StopWordsView(APIView):
    """The study's extra stop words, left out of word frequencies besides the English function
    words. Members read them; the lead replaces them (PUT, audited)."""

    @extend_schema(responses=StopWordsSerializer)
    def get(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug)
        _, extra = stop_words_for(study=study)
        return Response({"words": extra, "english": len(ENGLISH_STOP_WORDS)})

    @extend_schema(request=StopWordsSerializer, responses=StopWordsSerializer)
    def put(self, request: Request, slug: str) -> Response:
        study, _ = study_get_for_user(user=request.user, slug=slug, min_role=Role.LEAD)
        data = StopWordsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = [str(w).strip() for w in data.validated_data["words"]]
        joined = [w for w in items if not word_shaped(w)]
        if joined:
            raise ValidationError({"words": f"One word per item: {', '.join(joined[:10])}."})
        words = stop_words_parse("\n".join(items))
        study_stop_words_set(study=study, words=words, actor=request.user)
        return Response({"words": words, "english": len(ENGLISH_STOP_WORDS)})


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
        name=f"comparison-api-{name.replace('/', '-')}",
    )
    for name, view in (
        ("matrix", MatrixView),
        ("prevalence", PrevalenceView),
        ("process-outcome", ProcessOutcomeView),
        ("subgroups", SubgroupsView),
        ("framework", FrameworkView),
        ("relations", RelationsView),
        ("crosstab", CrosstabView),
        ("words", WordsView),
        ("words/kwic", KwicView),
        ("stop-words", StopWordsView),
    )
] + [
    path("v1/studies/<slug:slug>/saturation/", SaturationView.as_view(), name="saturation-api"),
]
