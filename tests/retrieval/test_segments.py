"""Retrieved segments through the API, each filter checked against a brute-force reference.

The reference reads the generated study's raw rows in Python (tests/retrieval/world.py): which
codings are in the layer, their codes and sub-codes, dyads, sides, the role of the turn each
starts in, attributes, coder, quote text and memos; and cuts the context from the text itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from coding.retrieval.segments import widen_after, widen_before
from interviews.models import Study
from tests.retrieval.world import World, assert_in_code_order, build_world, in_layer

pytestmark = pytest.mark.django_db

URL = "/api/v1/studies/study/segments/"


@pytest.fixture
def world(study: Study, lead: Any, coder: Any, coder2: Any) -> World:
    return build_world(study=study, lead=lead, coder=coder, coder2=coder2)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fetch_all(client: Client, params: dict[str, Any] | list[tuple[str, str]]) -> list[dict]:
    """Every page, following ``next`` (small pages, so the cursor is exercised)."""
    items = list(params.items()) if isinstance(params, dict) else list(params)
    results: list[dict] = []
    url = URL
    query: Any = {**dict(items), "page_size": "7"}
    while True:
        response = client.get(url, query) if query is not None else client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        results += body["results"]
        if not body["next"]:
            assert body["counts"]["total"] == len(results)
            return results
        url, query = body["next"], None


def reference(
    world: World,
    *,
    layer: str = "best",
    layer_coder: int | None = None,
    codes: list[str] | None = None,
    descendants: bool = True,
    dyads: list[str] | None = None,
    perspective: str = "",
    role: str = "",
    attrs: list[tuple[str, str, str, Any]] = (),  # type: ignore[assignment]
    coder: int | None = None,
    text: str = "",
    memo: bool | None = None,
) -> list[int]:
    """Coding ids in the segments' order (dyad label, side, interview, start, end, id)."""
    allowed = None
    if codes:
        allowed = (
            world.descendants(codes)
            if descendants
            else {c.pk for c in world.codes.values() if c.key in codes}
        )
    found = []
    for c in world.codings:
        interview = world.interview(c.interview_id)
        label = interview.dyad.label
        if not in_layer(world, c, layer, layer_coder):
            continue
        if allowed is not None and c.code_id not in allowed:
            continue
        if dyads and label not in dyads:
            continue
        if perspective and interview.perspective != perspective:
            continue
        turn = world.turn_at(c.interview_id, c.start)
        if role and (turn is None or turn.role != role):
            continue
        if coder is not None and c.coder_id != coder:
            continue
        if text and text.upper() not in c.quote.upper():
            continue
        if memo is not None and (bool(c.memo) or c.pk in world.memo_codings) != memo:
            continue
        ok = True
        for entity, key, op, value in attrs:
            source = {
                "dyad": world.dyad_attributes,
                "clinician": world.clinician_attributes,
                "patient": world.patient_attributes,
            }[entity][label]
            have = source.get(key)
            if op == "eq":
                ok &= have == value
            elif op == "in":
                ok &= have in value
            elif op == "gte":
                ok &= have is not None and have >= value
            elif op == "lte":
                ok &= have is not None and have <= value
        if ok:
            found.append((label, interview.perspective, c.interview_id, c.start, c.end, c.pk))
    return [row[-1] for row in sorted(found)]


def ids(results: list[dict]) -> list[int]:
    return [r["id"] for r in results]


def test_default_is_the_best_layer_in_dyad_order(world: World, lead: Any) -> None:
    results = fetch_all(client_for(lead), {})
    assert ids(results) == reference(world)
    assert len(results) > 20


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"code": ["VAL"]}, {"codes": ["VAL"]}),
        ({"code": ["VAL"], "descendants": ["false"]}, {"codes": ["VAL"], "descendants": False}),
        ({"code": ["OUT.HOPE", "POW"]}, {"codes": ["OUT.HOPE", "POW"]}),
        ({"dyad": ["D02", "D04"]}, {"dyads": ["D02", "D04"]}),
        ({"perspective": ["clinician"]}, {"perspective": "clinician"}),
        ({"role": ["interviewer"]}, {"role": "interviewer"}),
        ({"role": ["patient"], "code": ["VAL"]}, {"role": "patient", "codes": ["VAL"]}),
        ({"text": ["CAFÉ"]}, {"text": "CAFÉ"}),
        ({"text": ["🙂"]}, {"text": "🙂"}),
        ({"memo": ["true"]}, {"memo": True}),
        ({"memo": ["false"]}, {"memo": False}),
        ({"layer": ["consensus"]}, {"layer": "consensus"}),
        ({"layer": ["all"]}, {"layer": "all"}),
    ],
)
def test_each_filter_matches_the_reference(
    world: World, lead: Any, params: dict, expected: dict
) -> None:
    expected_ids = reference(world, **expected)
    assert expected_ids, "the generated study should have segments for every filter"
    assert ids(fetch_all(client_for(lead), params)) == expected_ids


def test_attribute_filters(world: World, lead: Any) -> None:
    client = client_for(lead)
    cases: list[tuple[dict, list]] = [
        ({"attr.setting": ["rural"]}, [("dyad", "setting", "eq", "rural")]),
        ({"attr.years_together__gte": ["8"]}, [("dyad", "years_together", "gte", 8)]),
        ({"attr.years_together__lte": ["8"]}, [("dyad", "years_together", "lte", 8)]),
        ({"attr.clinician.discipline": ["NP"]}, [("clinician", "discipline", "eq", "NP")]),
        (
            {"attr.clinician.discipline__in": ["NP,MD"]},
            [("clinician", "discipline", "in", ["NP", "MD"])],
        ),
        (
            {
                "attr.patient.enrolled__gte": ["2021-01-01"],
                "attr.patient.enrolled__lte": ["2021-12-31"],
            },
            [
                ("patient", "enrolled", "gte", dt.date(2021, 1, 1).isoformat()),
                ("patient", "enrolled", "lte", dt.date(2021, 12, 31).isoformat()),
            ],
        ),
    ]
    for params, attrs in cases:
        expected = reference(world, attrs=attrs)
        assert 0 < len(expected) < len(reference(world)) or "__in" in str(params), params
        assert ids(fetch_all(client, params)) == expected, params


def test_three_filters_and_a_coder(world: World, lead: Any, coder: Any) -> None:
    client = client_for(lead)
    got = fetch_all(
        client,
        {
            "code": ["VAL", "OUT.HOPE"],
            "role": ["patient"],
            "attr.setting": ["urban"],
            "coder": ["coder"],
        },
    )
    assert ids(got) == reference(
        world,
        layer="coder",
        layer_coder=coder.pk,
        codes=["VAL", "OUT.HOPE"],
        role="patient",
        attrs=[("dyad", "setting", "eq", "urban")],
        coder=coder.pk,
    )
    with_layer = fetch_all(client, {"layer": ["consensus"], "coder": ["lead"]})
    assert ids(with_layer) == reference(world, layer="consensus", coder=lead.pk)


def test_each_result_carries_its_place_and_context(world: World, lead: Any) -> None:
    results = fetch_all(client_for(lead), {"context": ["30"]})
    assert results
    for r in results:
        interview = world.interview(r["interview"])
        text = interview.text
        assert r["quote"] == text[r["start"] : r["end"]]
        assert r["dyad"] == interview.dyad.label
        turn = world.turn_at(r["interview"], r["start"])
        assert (r["turn"], r["speaker"], r["role"]) == (turn.index, turn.speaker, turn.role)
        assert text[: r["start"]].endswith(r["before"])
        assert text[r["end"] :].startswith(r["after"])
        assert len(r["before"]) >= min(30, r["start"])
        assert len(r["after"]) >= min(30, len(text) - r["end"])
        # Whole words: the context does not begin or end inside a word (within the margin).
        cut = r["start"] - len(r["before"])
        if cut > 0 and len(r["before"]) < 30 + 40:
            assert not (text[cut - 1].isalnum() and text[cut].isalnum())
        stop = r["end"] + len(r["after"])
        if stop < len(text) and len(r["after"]) < 30 + 40:
            assert not (text[stop - 1].isalnum() and text[stop].isalnum())
        assert r["workspace"] == f"/interviews/{r['interview']}/#coding-{r['id']}"


def test_ordered_by_code(world: World, lead: Any) -> None:
    results = fetch_all(client_for(lead), {"order": ["code"]})
    assert_in_code_order(world, results)
    assert sorted(ids(results)) == sorted(reference(world))


def test_counts_per_dyad_and_code(world: World, lead: Any) -> None:
    body = client_for(lead).get(URL, {"code": "VAL"}).json()
    expected = reference(world, codes=["VAL"])
    assert body["counts"]["total"] == len(expected)
    by_id = {c.pk: c for c in world.codings}
    per_dyad: dict[str, int] = {}
    per_code: dict[str, int] = {}
    for pk in expected:
        c = by_id[pk]
        label = world.interview(c.interview_id).dyad.label
        per_dyad[label] = per_dyad.get(label, 0) + 1
        per_code[world.codes[c.code_id].key] = per_code.get(world.codes[c.code_id].key, 0) + 1
    assert {d["dyad"]: d["count"] for d in body["counts"]["by_dyad"]} == per_dyad
    assert {d["code"]: d["count"] for d in body["counts"]["by_code"]} == per_code
    assert body["filters"] == ["code VAL with sub-codes"]
    assert body["layer"]["name"] == "best"


def test_blinded_coder_reads_only_their_layer_and_the_consensus(
    world: World, study: Study, coder: Any, coder2: Any
) -> None:
    study.blind_coding = True
    study.save()
    client = client_for(coder)
    assert ids(fetch_all(client, {})) == reference(world, layer="best", layer_coder=coder.pk)
    assert ids(fetch_all(client, {"layer": ["consensus"]})) == reference(world, layer="consensus")
    assert client.get(URL, {"layer": "all"}).status_code == 403
    assert client.get(URL, {"coder": "coder2"}).status_code == 403
    assert client.get(URL, {"layer": "consensus", "coder": "coder2"}).status_code == 403
    mine = fetch_all(client, {"coder": ["coder"]})
    assert ids(mine) == reference(world, layer="coder", layer_coder=coder.pk, coder=coder.pk)


@pytest.mark.parametrize(
    "params",
    [
        {"code": "NOPE"},
        {"dyad": "D99"},
        {"perspective": "other"},
        {"role": "narrator"},
        {"layer": "weird"},
        {"coder": "nobody"},
        {"layer": "coder"},
        {"attr.unknown": "1"},
        {"attr.years_together": "many"},
        {"attr.setting__gte": "rural"},
        {"attr.setting__like": "r"},
        {"attr.nurse.setting": "x"},
        {"attr.patient.enrolled__lte": "31/12/2021"},
        {"context": "-1"},
        {"context": "999999"},
        {"descendants": "maybe"},
        {"memo": "perhaps"},
        {"order": "random"},
        {"page_size": "0"},
        {"cursor": "not-a-cursor"},
        {"cursor": "WzEsMl0"},
        {"text": "x" * 501},
    ],
)
def test_bad_input_is_a_clear_400(world: World, lead: Any, params: dict) -> None:
    response = client_for(lead).get(URL, params)
    assert response.status_code == 400, response.content
    assert response.json()


def test_outsider_and_anonymous(world: World, outsider: Any, viewer: Any) -> None:
    assert client_for(outsider).get(URL).status_code == 404
    assert Client().get(URL).status_code in (401, 403)
    assert client_for(viewer).get(URL).status_code == 200


def test_query_count_is_independent_of_results(
    world: World, lead: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(lead)
    params = {"code": ["VAL"], "role": ["patient"], "attr.setting": ["urban"], "page_size": "500"}
    with django_assert_max_num_queries(12) as small:
        client.get(URL, {**params, "page_size": "1"})
    with django_assert_max_num_queries(12) as large:
        client.get(URL, params)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_widening_to_whole_words() -> None:
    assert widen_before("alpha beta gamma", 7, at_text_start=True) == "beta gamma"
    assert widen_before("alpha beta gamma ", 8, at_text_start=True) == "beta gamma "
    assert widen_before("alpha beta gamma ", 0, at_text_start=True) == ""
    assert widen_after(" alpha beta gamma", 8) == " alpha beta"
    assert widen_after(" alpha", 0) == ""
    assert widen_after("ab", 10) == "ab"
