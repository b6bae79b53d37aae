"""Coding queries' API: bad input is a clear 400 (never a 500, nothing saved), the JSON Schema
agrees with the parser, saved queries are created, listed with their last counts, changed,
re-run and deleted by whom the rules allow, every write audited."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from django.test import Client
from rest_framework.exceptions import ValidationError

from coding.models import SavedQuery
from coding.queries.grammar import MAX_DEPTH, QUERY_SCHEMA, parse_query
from healing.audit.models import AuditEvent
from interviews.models import Study
from tests.factories import make_interview
from tests.team.conftest import span

pytestmark = pytest.mark.django_db

RUN = "/api/v1/studies/study/queries/run/"
SAVED = "/api/v1/studies/study/queries/"
VAL = {"code": "VAL"}
TRUST = {"code": "OUT.TRUST"}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def coded(study: Study, lead: Any, coder: Any) -> Any:
    from coding.services import CodingInput, codings_bulk_create
    from tests.factories import code

    interview = make_interview(study=study, by=lead)
    items = [
        CodingInput(code(study, "VAL.PRES.ATT").pk, *span(interview, "she listened to every word")),
        CodingInput(code(study, "OUT.TRUST").pk, *span(interview, "She explained the diabetes")),
        CodingInput(code(study, "ABI.NGU").pk, *span(interview, "she never gave up on me")),
    ]
    return codings_bulk_create(interview=interview, coder=coder, items=items)


def nested(depth: int) -> dict:
    query: dict = VAL
    for _ in range(depth):
        query = {"any": [query, TRUST]}
    return query


BAD_QUERIES = [
    ("unknown code", {"code": "NOPE"}, "query.code: the codebook has no code 'NOPE'"),
    ("unknown code deep", {"all": [VAL, {"any": [TRUST, {"code": "X1"}]}]},
     "query.all[1].any[1].code"),
    ("unknown operator", {"and": [VAL, TRUST]}, "unknown operator 'and'"),
    ("two operators", {"all": [VAL, TRUST], "any": [VAL, TRUST]}, "give one operator"),
    ("not an object", ["VAL"], "a query is a JSON object"),
    ("a string", "VAL", "a query is a JSON object"),
    ("null", None, "a query is a JSON object"),
    ("empty object", {}, "a term needs a \"code\""),
    ("code not a string", {"code": 5}, "query.code"),
    ("empty code", {"code": " "}, "query.code"),
    ("unknown term key", {"code": "VAL", "speaker": "x"}, "does not take 'speaker'"),
    ("bad role", {"code": "VAL", "role": "narrator"}, "query.role"),
    ("bad perspective", {"code": "VAL", "perspective": "other"}, "query.perspective"),
    ("descendants not boolean", {"code": "VAL", "descendants": "yes"}, "query.descendants"),
    ("unknown coder", {"code": "VAL", "coder": "nobody"}, "query.coder: No one named 'nobody'"),
    ("operands not a list", {"all": VAL}, "query.all: give a list"),
    ("one operand", {"all": [VAL]}, "takes 2 to"),
    ("too many operands", {"any": [VAL] * 11}, "takes 2 to 10"),
    ("not with three", {"not": [VAL, TRUST, VAL]}, "exactly two"),
    ("near with one", {"near": [VAL]}, "exactly two"),
    ("bad within", {"all": [VAL, TRUST], "within": "sentence"}, "query.within"),
    ("within on any", {"any": [VAL, TRUST], "within": "turn"}, "does not take 'within'"),
    ("turns too big", {"near": [VAL, TRUST], "turns": 51},
     "query.turns: give a whole number from 0 to 50"),
    ("turns negative", {"followed_by": [VAL, TRUST], "turns": -1}, "query.turns"),
    ("turns a string", {"followed_by": [VAL, TRUST], "turns": "2"}, "query.turns"),
    ("turns a float", {"near": [VAL, TRUST], "turns": 1.5}, "query.turns"),
    ("turns a boolean", {"near": [VAL, TRUST], "turns": True}, "query.turns"),
    ("bad count", {"near": [VAL, TRUST], "count": "speakers"}, "query.count"),
    ("turns on all", {"all": [VAL, TRUST], "turns": 2}, "does not take 'turns'"),
    ("too deep", nested(MAX_DEPTH + 1), "too deep"),
    ("too many terms", {"any": [{"any": [VAL] * 10}, {"any": [TRUST] * 10}, VAL]},
     "too many terms"),
]  # fmt: skip


# Parsed fine, refused once checked against the study's codebook and members.
CHECKED_AGAINST_THE_STUDY = {"unknown code", "unknown code deep", "unknown coder"}
# What a JSON Schema does not say: a blank code, the depth, the number of terms.
PARSER_ONLY = {"empty code", "too deep", "too many terms"}


@pytest.mark.parametrize(
    ("name", "query", "message"), BAD_QUERIES, ids=[case[0] for case in BAD_QUERIES]
)
def test_a_bad_query_is_a_clear_400(
    coded: Any, lead: Any, name: str, query: Any, message: str
) -> None:
    client = client_for(lead)
    response = post(client, RUN, {"query": query})
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert message in error["message"], error
    saving = post(client, SAVED, {"name": "x", "query": query})
    assert saving.status_code == 400, saving.content
    assert not SavedQuery.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"query": VAL, "layer": "coder"},
        {"query": VAL, "layer": "weird"},
        {"query": VAL, "context": -1},
        {"query": VAL, "context": 999999},
        {"query": VAL, "order": "random"},
        {"query": VAL, "page_size": 0},
        {"query": VAL, "cursor": "not-a-cursor"},
        {"query": VAL, "cursor": "WzEsMl0"},
        {"query": VAL, "cursor": "WyJhIiwiYiIsImMiLCJkIiwiZSIsImYiXQ"},  # six strings
        {"query": VAL, "surprise": 1},
    ],
)
def test_bad_run_parameters_are_a_400(coded: Any, lead: Any, body: dict) -> None:
    response = post(client_for(lead), RUN, body)
    assert response.status_code == 400, response.content


def test_bodies_that_are_not_json_or_nested_too_deep(coded: Any, lead: Any) -> None:
    client = client_for(lead)
    assert client.post(RUN, "{not json", content_type="application/json").status_code == 400
    deep = '{"query": ' + '{"any": [' * 100000 + "]}" * 100000 + "}"
    assert client.post(RUN, deep, content_type="application/json").status_code == 400
    assert post(client, RUN, {"query": nested(MAX_DEPTH - 1)}).status_code == 200


def test_the_schema_and_the_parser_agree() -> None:
    """Every query the parser takes validates against the JSON Schema, and every query the
    schema refuses the parser refuses (depth and the number of terms are the parser's alone)."""
    validator = jsonschema.Draft202012Validator(QUERY_SCHEMA)
    jsonschema.Draft202012Validator.check_schema(QUERY_SCHEMA)
    good = [
        VAL,
        {"code": "VAL", "descendants": False, "role": "patient", "perspective": "clinician",
         "coder": "ana"},
        {"all": [VAL, TRUST], "within": "dyad"},
        {"all": [VAL, TRUST, VAL]},
        {"not": [VAL, {"any": [TRUST, VAL]}], "within": "turn"},
        {"near": [VAL, TRUST], "turns": 0, "count": "all"},
        {"followed_by": [VAL, TRUST], "turns": 50},
        {"near": [VAL, TRUST], "turns": 2.0},
        {"followed_by": [{"near": [VAL, TRUST]}, TRUST]},
    ]  # fmt: skip
    for query in good:
        parse_query(query)
        validator.validate(query)
    for name, query, _ in BAD_QUERIES:
        if name in CHECKED_AGAINST_THE_STUDY:
            parse_query(query)
            continue
        with pytest.raises(ValidationError):
            parse_query(query)
        if name not in PARSER_ONLY:
            assert not validator.is_valid(query), name


def test_the_schema_is_served(client: Client) -> None:
    response = client.get("/api/v1/queries/schema/")
    assert response.status_code == 200
    assert response.json()["$defs"]["followed_by"]["required"] == ["followed_by"]


def test_save_list_rerun_change_delete(coded: Any, study: Study, lead: Any, coder: Any) -> None:
    client = client_for(coder)
    query = {"followed_by": [{"code": "VAL"}, {"code": "OUT.TRUST"}], "turns": 1}
    created = post(client, SAVED, {"name": "Valuing then trust", "query": query})
    assert created.status_code == 201, created.content
    saved = created.json()
    assert saved["query"]["count"] == "participant"  # stored in normal form
    assert saved["last_total"] is None
    assert saved["can_change"] is True
    duplicate = post(client, SAVED, {"name": "Valuing then trust", "query": query})
    assert duplicate.status_code == 400
    assert "already" in duplicate.json()["error"]["message"]

    rerun = post(client, f"{SAVED}{saved['id']}/run/", {})
    assert rerun.status_code == 200, rerun.content
    assert rerun.json()["counts"]["total"] == 1
    assert rerun.json()["saved"]["counts_kept"] is True
    listed = client.get(SAVED).json()
    assert [(q["name"], q["last_total"], q["last_dyads"], q["last_run_by"]) for q in listed] == [
        ("Valuing then trust", 1, 1, "coder")
    ]
    # The lead sees it and its counts; a viewer too, but neither viewer nor another coder
    # changes it.
    for user, may in (("lead", True), ("viewer", False), ("coder2", False)):
        from django.contrib.auth import get_user_model

        other = client_for(get_user_model().objects.get(username=user))
        row = other.get(f"{SAVED}{saved['id']}/").json()
        assert row["last_total"] == 1
        assert row["can_change"] is may
        response = other.patch(
            f"{SAVED}{saved['id']}/", json.dumps({"name": f"by {user}"}), "application/json"
        )
        assert response.status_code == (200 if may else 403), (user, response.content)

    changed = client.patch(
        f"{SAVED}{saved['id']}/",
        json.dumps({"query": {"followed_by": [VAL, TRUST], "turns": 0}}),
        "application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["last_total"] is None  # a changed query forgets its counts
    assert changed.json()["name"] == "by lead"
    bad = client.patch(
        f"{SAVED}{saved['id']}/", json.dumps({"query": {"code": "NOPE"}}), "application/json"
    )
    assert bad.status_code == 400
    assert client.delete(f"{SAVED}{saved['id']}/").status_code == 204
    assert not SavedQuery.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="saved_query")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "update", "delete"]


def test_viewer_runs_but_does_not_save(coded: Any, viewer: Any, lead: Any) -> None:
    saved = post(client_for(lead), SAVED, {"name": "Trust", "query": TRUST}).json()
    client = client_for(viewer)
    assert post(client, RUN, {"query": TRUST}).status_code == 200
    assert post(client, SAVED, {"name": "Mine", "query": TRUST}).status_code == 403
    rerun = post(client, f"{SAVED}{saved['id']}/run/", {"context": 10})
    assert rerun.status_code == 200
    assert client.delete(f"{SAVED}{saved['id']}/").status_code == 403


def test_a_saved_query_runs_in_its_layer(coded: Any, study: Study, lead: Any) -> None:
    client = client_for(lead)
    saved = post(client, SAVED, {"name": "T", "query": TRUST, "layer": "consensus"}).json()
    answer = post(client, f"{SAVED}{saved['id']}/run/", {}).json()
    assert answer["layer"]["name"] == "consensus"
    assert answer["counts"]["total"] == 0
    mine = post(client, f"{SAVED}{saved['id']}/run/", {"layer": "all"}).json()
    assert mine["counts"]["total"] == 1


def test_blinded_coders_see_their_own_and_the_leads_saved_queries(
    coded: Any, study: Study, lead: Any, coder: Any, coder2: Any
) -> None:
    lead_query = post(client_for(lead), SAVED, {"name": "Lead's", "query": TRUST}).json()
    post(client_for(lead), f"{SAVED}{lead_query['id']}/run/", {})
    other = post(client_for(coder2), SAVED, {"name": "Ben's", "query": VAL}).json()
    post(client_for(coder), SAVED, {"name": "Ana's", "query": VAL})
    study.blind_coding = True
    study.save()
    client = client_for(coder)
    listed = {q["name"]: q for q in client.get(SAVED).json()}
    assert set(listed) == {"Lead's", "Ana's"}
    # The lead's run read every coder's layer: its counts are not shown to a blinded coder.
    assert listed["Lead's"]["last_total"] is None
    assert client.get(f"{SAVED}{other['id']}/").status_code == 404
    assert post(client, f"{SAVED}{other['id']}/run/", {}).status_code == 404
    ran = post(client, f"{SAVED}{lead_query['id']}/run/", {})
    assert ran.status_code == 200
    row = client.get(f"{SAVED}{lead_query['id']}/").json()
    assert (row["last_total"], row["last_run_by"]) == (1, "coder")  # their own run
