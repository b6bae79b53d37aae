"""The comparison's JSON endpoints: figures, layers and blind coding, bad filters, query counts.
(Every persona against every endpoint is in tests/api/test_permissions.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from coding.models import CaseStudy, CaseStudySection
from tests.comparison.test_pages import _grow
from tests.factories import code

BASE = "/api/v1/studies/study/comparison"


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_matrix_json(hand_study: dict[str, Any], viewer: Any) -> None:
    body = api(viewer).get(f"{BASE}/matrix/?measure=count&side=patient").json()
    # The default is "best": no interview of the hand study is consensus-complete, so every
    # dyad is read from the coders' union, and the answer says so.
    layer = body["layer"]
    assert (layer["name"], layer["coder"]) == ("best", None)
    assert layer["label"] == "Best available (consensus where complete, else the coders' union)"
    usage = layer["usage"]
    assert (usage["consensus"], usage["union"], usage["mixed"]) == (0, usage["dyads"], 0)
    assert usage["description"].startswith("Best available layer: consensus for 0 of")
    assert body["subset"]["description"] == "All dyads"
    assert body["settings"] == {"measure": "count", "side": "patient"}
    keys = [c["key"] for c in body["codes"]]
    val = keys.index("VAL")
    assert [d["label"] for d in body["dyads"]] == ["D1", "D2", "D3", "D4"]
    assert [row[val] for row in body["values"]] == [2, 0, 1, 0]
    assert [row[val] for row in body["concordant"]] == [True, False, True, False]
    coverage = api(viewer).get(f"{BASE}/matrix/?measure=coverage&side=both").json()
    length = hand_study["length"]
    assert coverage["values"][0][val] == pytest.approx(25 / (2 * length), abs=1e-6)


def test_prevalence_json_with_subset_and_threshold(hand_study: dict[str, Any], lead: Any) -> None:
    body = api(lead).get(f"{BASE}/prevalence/?threshold=75").json()
    assert body["dyads"] == 4
    assert body["common"] == ["VAL"]
    val = next(c for c in body["codes"] if c["code"]["key"] == "VAL")
    assert (val["either"]["n"], val["patient"]["n"], val["clinician"]["n"], val["both"]["n"]) == (
        3,
        2,
        3,
        2,
    )
    subset = api(lead).get(f"{BASE}/prevalence/?clinician.type=NP").json()
    assert subset["dyads"] == 2
    assert subset["subset"]["filters"] == {"clinician.type": ["NP"]}


def test_process_outcome_json(hand_study: dict[str, Any], lead: Any) -> None:
    body = api(lead).get(f"{BASE}/process-outcome/?window=3").json()
    assert body["settings"] == {"window": 3, "turns": "participant", "sub_codes": False}
    pair = next(
        p for p in body["pairs"] if p["first"]["key"] == "VAL" and p["second"]["key"] == "OUT.TRUST"
    )
    assert (pair["dyads_both"], pair["dyads_overlap"], pair["near"], pair["overlaps"]) == (
        2,
        1,
        2,
        1,
    )


def test_subgroups_json(hand_study: dict[str, Any], lead: Any) -> None:
    one, _ = hand_study["clinicians"]
    body = api(lead).get(f"{BASE}/subgroups/?group_by=clinician:{one.pk}&side=patient").json()
    assert [g["label"] for g in body["groups"]] == ["Dr One", "Other clinicians"]
    val = [next(f for f in g["figures"] if f["code"] == "VAL") for g in body["groups"]]
    assert [(f["either"], f["both"], f["dyads"], f["mean_count"]) for f in val] == [
        (2, 1, 2, 1.0),
        (1, 1, 2, 0.5),
    ]
    missing = api(lead).get(f"{BASE}/subgroups/")
    assert missing.status_code == 400
    assert "group_by" in missing.json()["error"]["fields"]


def test_framework_json(hand_study: dict[str, Any], lead: Any) -> None:
    d1 = hand_study["dyads"]["D1"]
    case = CaseStudy.objects.create(dyad=d1)
    CaseStudySection.objects.create(
        case_study=case, code=code(hand_study["study"], "POW"), synthesis="Shared decisions"
    )
    body = api(lead).get(f"{BASE}/framework/").json()
    column = [c["key"] for c in body["components"]].index("POW")
    assert body["cells"][0][column] == {
        "synthesis": "Shared decisions",
        "link": f"/dyads/{d1.pk}/case-study/#component-POW",
    }


def test_blind_coding_in_the_api(hand_study: dict[str, Any], coder: Any, coder2: Any) -> None:
    study = hand_study["study"]
    study.blind_coding = True
    study.save()
    client = api(coder)
    for query in ("layer=all", f"layer=coder&coder={coder2.pk}"):
        response = client.get(f"{BASE}/prevalence/?{query}")
        assert response.status_code == 403, query
        assert "Blind coding" in response.json()["error"]["message"]
    own = client.get(f"{BASE}/prevalence/").json()
    # A blinded coder's default: the consensus where complete, else their own codings.
    assert own["layer"]["name"] == "best"
    assert own["layer"]["coder"] == coder.pk
    assert "your own codings" in own["layer"]["label"]
    assert client.get(f"{BASE}/prevalence/?layer=consensus").status_code == 200
    assert api(coder2).get(f"{BASE}/matrix/?layer=mine").json()["layer"]["coder"] == coder2.pk


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("layer=nope", "layer"),
        ("layer=coder", "coder"),
        ("measure=x", "measure"),
        ("side=left", "side"),
        ("threshold=-1", "threshold"),
        ("window=51", "window"),
        ("sub_codes=maybe", "sub_codes"),
        ("dyad.nope=1", "dyad.nope"),
        ("dyad.years=ten", "dyad.years"),
        ("clinician=999999999", "clinician"),
    ],
)
def test_bad_filters_are_a_clear_400(
    hand_study: dict[str, Any], lead: Any, query: str, field: str
) -> None:
    response = api(lead).get(f"{BASE}/matrix/?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["fields"], error


@pytest.mark.parametrize(
    ("view", "budget"),
    [
        # user's access, attribute definitions, codebook, dyads, lengths (with consensus
        # completeness), figures
        ("matrix", 6),
        ("prevalence", 6),
        ("process-outcome", 7),  # + co-occurrence
        ("subgroups?group_by=dyad.years", 7),  # + the attribute grouped by
        ("framework", 7),  # + case study sections
    ],
)
def test_query_counts_are_pinned(
    hand_study: dict[str, Any],
    lead: Any,
    coder: Any,
    view: str,
    budget: int,
    django_assert_num_queries: Any,
) -> None:
    path, _, query = view.partition("?")
    url = f"{BASE}/{path}/?{query}"
    client = api(lead)
    with django_assert_num_queries(budget + 1):  # + coder names for the layer's label
        assert client.get(url).status_code == 200
    _grow(hand_study, lead, coder, 5)
    with django_assert_num_queries(budget + 1):
        assert client.get(url).status_code == 200
