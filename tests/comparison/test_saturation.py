"""Saturation: codes first used by interview, cumulative, on a hand-made study whose curve is
worked out below; its SVG (with the text alternative) and its API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from coding.comparison.selectors.saturation import saturation_curve
from coding.models import Layer
from coding.selectors import LayerChoice
from coding.services import CodingInput, codings_bulk_create
from interviews.models import Interview, Study
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db

BEST = LayerChoice("best")


@pytest.fixture
def saturated(study: Study, lead: Any, coder: Any) -> dict[str, Interview]:
    """Four interviews, imported in this order, coded by ``coder`` (individual layer):

    ====  ===================  ==================  ==========
    name  interview            codes               conducted
    ====  ===================  ==================  ==========
    i1    D02 · Patient        VAL, POW            2024-02-01
    i2    D01 · Patient        POW, COMP.KNOW      —
    i3    D01 · Clinician      (none)              —
    i4    D03 · Patient        VAL, ABI, OUT.HOPE  2024-01-01
    ====  ===================  ==================  ==========
    """
    plan = {
        "i1": ("D02", "patient", ["VAL", "POW"]),
        "i2": ("D01", "patient", ["POW", "COMP.KNOW"]),
        "i3": ("D01", "clinician", []),
        "i4": ("D03", "patient", ["VAL", "ABI", "OUT.HOPE"]),
    }
    made = {}
    for name, (dyad, perspective, keys) in plan.items():
        interview = make_interview(study=study, dyad=dyad, perspective=perspective)
        codings_bulk_create(
            interview=interview,
            coder=coder,
            items=[CodingInput(code(study, key).pk, 0, 5 + n) for n, key in enumerate(keys)],
        )
        made[name] = interview
    Interview.objects.filter(pk=made["i1"].pk).update(conducted_on=dt.date(2024, 2, 1))
    Interview.objects.filter(pk=made["i4"].pk).update(conducted_on=dt.date(2024, 1, 1))
    return made


def _curve(study: Study, order: str, layer: LayerChoice = BEST) -> list[tuple[Any, ...]]:
    return [
        (p.label, list(p.new_codes), p.new, p.cumulative)
        for p in saturation_curve(study=study, layer=layer, order=order).points
    ]


def test_import_order_counts_each_code_at_its_first_interview(
    study: Study, saturated: dict[str, Interview], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        curve = _curve(study, "import")
    assert curve == [
        ("D02 · Patient", ["POW", "VAL"], 2, 2),
        ("D01 · Patient", ["COMP.KNOW"], 1, 3),
        ("D01 · Clinician", [], 0, 3),
        ("D03 · Patient", ["ABI", "OUT.HOPE"], 2, 5),
    ]


def test_dyad_and_conducted_orders_move_the_first_uses(
    study: Study, saturated: dict[str, Interview]
) -> None:
    assert _curve(study, "dyad") == [
        ("D01 · Clinician", [], 0, 0),
        ("D01 · Patient", ["COMP.KNOW", "POW"], 2, 2),
        ("D02 · Patient", ["VAL"], 1, 3),
        ("D03 · Patient", ["ABI", "OUT.HOPE"], 2, 5),
    ]
    # Dated first (oldest first), then the undated in import order.
    assert _curve(study, "conducted") == [
        ("D03 · Patient", ["ABI", "OUT.HOPE", "VAL"], 3, 3),
        ("D02 · Patient", ["POW"], 1, 4),
        ("D01 · Patient", ["COMP.KNOW"], 1, 5),
        ("D01 · Clinician", [], 0, 5),
    ]


def test_best_layer_reads_the_consensus_where_it_is_complete(
    study: Study, saturated: dict[str, Interview], lead: Any, coder2: Any
) -> None:
    """i2's consensus is complete and holds only POW: its individual COMP.KNOW no longer counts on
    ``best``; another coder's codes elsewhere count (the union) unless the layer is one coder's."""
    i2 = saturated["i2"]
    codings_bulk_create(
        interview=i2,
        coder=lead,
        items=[CodingInput(code(study, "POW").pk, 0, 5)],
        layer=Layer.CONSENSUS,
    )
    Interview.objects.filter(pk=i2.pk).update(consensus_complete=True)
    codings_bulk_create(
        interview=saturated["i3"],
        coder=coder2,
        items=[CodingInput(code(study, "COMP.EMO").pk, 0, 5)],
    )
    assert _curve(study, "import") == [
        ("D02 · Patient", ["POW", "VAL"], 2, 2),
        ("D01 · Patient", [], 0, 2),
        ("D01 · Clinician", ["COMP.EMO"], 1, 3),
        ("D03 · Patient", ["ABI", "OUT.HOPE"], 2, 5),
    ]
    # A blinded coder's best: the consensus where complete, else their own codings only.
    coder_best = _curve(study, "import", LayerChoice("best", coder2.pk))
    assert coder_best == [
        ("D02 · Patient", [], 0, 0),
        ("D01 · Patient", ["POW"], 1, 1),
        ("D01 · Clinician", ["COMP.EMO"], 1, 2),
        ("D03 · Patient", [], 0, 2),
    ]


def test_an_empty_study_has_an_empty_curve(study: Study) -> None:
    assert saturation_curve(study=study, layer=BEST).points == []


def _page(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_saturation_svg_has_its_text_alternative_and_downloads(
    study: Study, saturated: dict[str, Interview], viewer: Any, outsider: Any
) -> None:
    response = _page(viewer).get("/studies/study/saturation.svg?order=dyad")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "<title id=" in svg
    assert "<desc id=" in svg
    assert "5 codes in all" in svg
    assert "D03 · Patient" in svg
    download = _page(viewer).get("/studies/study/saturation.svg?download=1")
    assert download["Content-Disposition"] == 'attachment; filename="study-saturation-import.svg"'
    assert _page(viewer).get("/studies/study/saturation.svg?order=nope").status_code == 400
    assert _page(outsider).get("/studies/study/saturation.svg").status_code == 404
    anonymous = Client().get("/studies/study/saturation.svg")
    assert anonymous.status_code == 302


def test_saturation_api_answers_the_points(
    study: Study, saturated: dict[str, Interview], coder2: Any
) -> None:
    client = APIClient()
    client.force_authenticate(coder2)
    body = client.get("/api/v1/studies/study/saturation/?order=dyad&layer=best").json()
    assert body["order"] == "dyad"
    assert body["layer"]["name"] == "best"
    assert body["points"][1] == {
        "interview": saturated["i2"].pk,
        "label": "D01 · Patient",
        "new_codes": ["COMP.KNOW", "POW"],
        "new": 2,
        "cumulative": 2,
    }
    assert [p["cumulative"] for p in body["points"]] == [0, 2, 3, 5]
    bad = client.get("/api/v1/studies/study/saturation/?order=sideways")
    assert bad.status_code == 400
    assert "order" in bad.json()["error"]["fields"]


def test_a_blinded_coder_may_not_read_another_coders_saturation(
    study: Study, saturated: dict[str, Interview], coder: Any, coder2: Any
) -> None:
    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    client = APIClient()
    client.force_authenticate(coder2)
    refused = client.get(f"/api/v1/studies/study/saturation/?layer=coder&coder={coder.pk}")
    assert refused.status_code == 403
    # Their default best layer has only their own codings (none) outside complete consensus.
    body = client.get("/api/v1/studies/study/saturation/").json()
    assert body["layer"] == {"name": "best", "coder": coder2.pk, "label": body["layer"]["label"]}
    assert [p["cumulative"] for p in body["points"]] == [0, 0, 0, 0]
