"""Coding queries through the API, each operator checked against a brute-force reference.

The reference reads the generated study's raw rows (tests/retrieval/world.py) and computes every
operator by looking at all pairs of segments, from the definitions of docs/queries.md: a
segment's turn is the first turn ending after its start (the last turn if none; -1 without
turns); overlap is two half-open spans sharing a code point; counted positions skip interviewer
turns with ``count: participant``; a segment is never its own partner.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from coding.models import Coding
from interviews.models import Study
from tests.retrieval.world import World, assert_in_code_order, build_world, in_layer

pytestmark = pytest.mark.django_db

URL = "/api/v1/studies/study/queries/run/"


@pytest.fixture
def world(study: Study, lead: Any, coder: Any, coder2: Any) -> World:
    return build_world(study=study, lead=lead, coder=coder, coder2=coder2, seed=11, dyads=7)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def run_all(client: Client, query: Any, **extra: Any) -> tuple[list[dict], dict]:
    """Every page of a query's answer, following next_cursor (small pages)."""
    body: dict[str, Any] = {"query": query, "page_size": 9, **extra}
    results: list[dict] = []
    first = None
    while True:
        response = client.post(URL, body, content_type="application/json")
        assert response.status_code == 200, response.content
        answer = response.json()
        first = first or answer
        results += answer["results"]
        if not answer["next_cursor"]:
            assert first["counts"]["total"] == len(results)
            return results, first
        body = {**body, "cursor": answer["next_cursor"]}


class Reference:
    """The definitions of docs/queries.md, computed the slow way."""

    def __init__(self, world: World, *, layer: str = "best", viewer_id: int | None = None):
        self.world = world
        self.layer = layer
        self.viewer_id = viewer_id  # a blinded coder's best layer reads their own codings
        self.users = {u.username: u.pk for u in world.users.values()}

    def turn(self, c: Coding) -> int:
        turns = self.world.turns[c.interview_id]
        if not turns:
            return -1
        found = self.world.turn_at(c.interview_id, c.start)
        return found.index if found is not None else max(t.index for t in turns)

    def position(self, c: Coding, count: str) -> int:
        t = self.turn(c)
        if count == "all" or t < 0:
            return t
        counted = [
            x for x in self.world.turns[c.interview_id] if x.index <= t and x.role != "interviewer"
        ]
        return len(counted) - 1

    def term(self, q: dict) -> list[Coding]:
        codes = (
            self.world.descendants([q["code"]])
            if q.get("descendants", True)
            else {c.pk for c in self.world.codes.values() if c.key == q["code"]}
        )
        coder = self.users.get(q["coder"]) if "coder" in q else None
        found = []
        for c in self.world.codings:
            if coder is not None:
                if self.layer == "default":
                    ok = c.layer == "individual" and c.coder_id == coder
                else:
                    ok = self._in_layer(c) and c.coder_id == coder
            else:
                ok = self._in_layer(c)
            if not ok or c.code_id not in codes:
                continue
            interview = self.world.interview(c.interview_id)
            if q.get("perspective") and interview.perspective != q["perspective"]:
                continue
            if q.get("role"):
                at = self.world.turn_at(c.interview_id, c.start)
                if at is None or at.role != q["role"]:
                    continue
            found.append(c)
        return found

    def _in_layer(self, c: Coding) -> bool:
        layer = "best" if self.layer == "default" else self.layer
        who = self.viewer_id if layer in ("best", "mine") else None
        return in_layer(self.world, c, layer, who)

    def same_place(self, a: Coding, b: Coding, within: str) -> bool:
        if within == "overlap":
            return a.interview_id == b.interview_id and a.start < b.end and b.start < a.end
        if within == "turn":
            return a.interview_id == b.interview_id and self.turn(a) == self.turn(b)
        if within == "interview":
            return a.interview_id == b.interview_id
        dyad = self.world.interview(a.interview_id).dyad_id
        return dyad == self.world.interview(b.interview_id).dyad_id

    def run(self, q: dict) -> list[Coding]:
        if "code" in q:
            return self.term(q)
        op = next(k for k in ("all", "not", "any", "near", "followed_by") if k in q)
        parts = [self.run(x) for x in q[op]]
        if op == "any":
            by_id = {c.pk: c for part in parts for c in part}
            return list(by_id.values())
        first = parts[0]
        if op in ("all", "not"):
            within = q.get("within", "overlap")

            def has(a: Coding, part: list[Coding]) -> bool:
                return any(b.pk != a.pk and self.same_place(a, b, within) for b in part)

            if op == "all":
                return [a for a in first if all(has(a, part) for part in parts[1:])]
            return [a for a in first if not has(a, parts[1])]
        n, count = q.get("turns", 1), q.get("count", "participant")
        kept = []
        for a in first:
            pa = self.position(a, count)
            for b in parts[1]:
                if b.pk == a.pk or b.interview_id != a.interview_id:
                    continue
                pb = self.position(b, count)
                if op == "near" and abs(pb - pa) <= n:
                    kept.append(a)
                    break
                if op == "followed_by" and b.start > a.start and pa <= pb <= pa + n:
                    kept.append(a)
                    break
        return kept

    def ordered_ids(self, codings: list[Coding]) -> list[int]:
        keyed = []
        for c in codings:
            interview = self.world.interview(c.interview_id)
            keyed.append(
                (interview.dyad.label, interview.perspective, c.interview_id, c.start, c.end, c.pk)
            )
        return [row[-1] for row in sorted(keyed)]


HOPE = {"code": "OUT.HOPE"}
TRUST = {"code": "OUT.TRUST"}
VAL = {"code": "VAL"}
PRES = {"code": "VAL.PRES"}
ABI = {"code": "ABI"}
POW = {"code": "POW"}

QUERIES: list[tuple[str, dict]] = [
    ("term", VAL),
    ("term without sub-codes", {"code": "VAL", "descendants": False}),
    ("term patient role", {"code": "VAL", "role": "patient"}),
    ("term interviewer role", {"code": "OUT.TRUST", "role": "interviewer"}),
    ("term clinician side", {"code": "POW", "perspective": "clinician"}),
    ("term of a coder", {"code": "VAL", "coder": "coder"}),
    ("all overlap", {"all": [VAL, HOPE], "within": "overlap"}),
    ("all overlap, sub-code of itself", {"all": [VAL, PRES], "within": "overlap"}),
    ("all overlap, three", {"all": [VAL, HOPE, POW]}),
    ("all turn", {"all": [VAL, TRUST], "within": "turn"}),
    ("all interview", {"all": [HOPE, ABI], "within": "interview"}),
    ("all dyad", {"all": [{"code": "POW", "perspective": "patient"},
                          {"code": "POW", "perspective": "clinician"}], "within": "dyad"}),
    ("all dyad, same code", {"all": [ABI, ABI], "within": "dyad"}),
    ("not overlap", {"not": [VAL, HOPE], "within": "overlap"}),
    ("not turn", {"not": [VAL, TRUST], "within": "turn"}),
    ("not interview", {"not": [HOPE, ABI], "within": "interview"}),
    ("not dyad", {"not": [TRUST, {"code": "VAL.PRES.ATT", "role": "clinician"}], "within": "dyad"}),
    ("any", {"any": [HOPE, TRUST, {"code": "VAL.PRES.ATT"}]}),
    ("any overlapping codes", {"any": [VAL, PRES]}),
    ("near 0 participant", {"near": [VAL, HOPE], "turns": 0}),
    ("near 1 participant", {"near": [VAL, HOPE], "turns": 1, "count": "participant"}),
    ("near 2 all", {"near": [VAL, HOPE], "turns": 2, "count": "all"}),
    ("near same code", {"near": [ABI, ABI], "turns": 0, "count": "all"}),
    ("followed_by 0 participant", {"followed_by": [VAL, TRUST], "turns": 0}),
    ("followed_by 0 all", {"followed_by": [VAL, TRUST], "turns": 0, "count": "all"}),
    ("followed_by 1 participant", {"followed_by": [VAL, TRUST], "turns": 1}),
    ("followed_by 1 all", {"followed_by": [VAL, TRUST], "turns": 1, "count": "all"}),
    ("followed_by 3 participant, roles", {
        "followed_by": [{"code": "OUT.HOPE", "role": "patient"}, {"code": "ABI"}], "turns": 3}),
    ("followed_by same code", {"followed_by": [POW, POW], "turns": 2}),
    ("nested two levels", {
        "followed_by": [
            {"all": [VAL, {"any": [HOPE, TRUST]}], "within": "turn"},
            {"not": [ABI, POW], "within": "overlap"},
        ],
        "turns": 2,
    }),
    ("nested near of any", {"near": [{"any": [POW, ABI]}, {"all": [HOPE, VAL]}], "turns": 1}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "query"), QUERIES, ids=[name for name, _ in QUERIES])
def test_each_operator_matches_the_reference(
    world: World, lead: Any, name: str, query: dict
) -> None:
    results, answer = run_all(client_for(lead), query)
    expected = Reference(world, layer="default").run(query)
    assert [r["id"] for r in results] == Reference(world).ordered_ids(expected)
    assert answer["counts"]["dyads"] == len({r["dyad"] for r in results})


def test_the_reference_is_not_trivial(world: World) -> None:
    """Each operator keeps some segments and drops others, so the comparisons above prove
    something (the generated study is big enough)."""
    reference = Reference(world, layer="default")
    for name, query in QUERIES:
        got = reference.run(query)
        assert got, name
        if "code" not in query and "any" not in query:
            assert len(got) < len(reference.run(query[next(iter(query))][0])), name


def test_every_layer(world: World, lead: Any, coder: Any) -> None:
    query = {"followed_by": [VAL, {"code": "OUT.TRUST", "coder": "lead"}], "turns": 1}
    client = client_for(lead)
    for layer in ("best", "consensus", "all", "mine"):
        results, answer = run_all(client, query, layer=layer)
        reference = Reference(world, layer=layer, viewer_id=lead.pk if layer == "mine" else None)
        expected = reference.run(query)
        assert [r["id"] for r in results] == Reference(world).ordered_ids(expected), layer
        assert answer["layer"]["name"] == layer


def test_results_are_retrieved_segments_with_context(world: World, lead: Any) -> None:
    results, answer = run_all(client_for(lead), {"near": [VAL, HOPE], "turns": 1}, context=30)
    assert results
    for r in results:
        text = world.interview(r["interview"]).text
        assert r["quote"] == text[r["start"] : r["end"]]
        assert text[: r["start"]].endswith(r["before"])
        assert text[r["end"] :].startswith(r["after"])
        assert r["workspace"] == f"/interviews/{r['interview']}/#coding-{r['id']}"
        turn = world.turn_at(r["interview"], r["start"])
        assert r["turn"] == (turn.index if turn else None)
        assert r["role"] == (turn.role if turn else "")
    assert answer["query"] == {
        "near": [{"code": "VAL", "descendants": True}, {"code": "OUT.HOPE", "descendants": True}],
        "turns": 1,
        "count": "participant",
    }
    assert answer["description"] == "VAL within 1 participant turn of OUT.HOPE"


def test_ordered_by_code_and_counts(world: World, lead: Any) -> None:
    query = {"any": [VAL, HOPE, ABI]}
    results, answer = run_all(client_for(lead), query, order="code")
    assert_in_code_order(world, results)
    expected = Reference(world, layer="default").run(query)
    per_dyad: dict[str, int] = {}
    per_code: dict[str, int] = {}
    for c in expected:
        label = world.interview(c.interview_id).dyad.label
        per_dyad[label] = per_dyad.get(label, 0) + 1
        key = world.codes[c.code_id].key
        per_code[key] = per_code.get(key, 0) + 1
    assert {d["dyad"]: d["count"] for d in answer["counts"]["by_dyad"]} == per_dyad
    assert {d["code"]: d["count"] for d in answer["counts"]["by_code"]} == per_code
    assert [d["dyad"] for d in answer["counts"]["by_dyad"]] == sorted(per_dyad)


def test_blinded_coder_reads_only_their_layer_and_the_consensus(
    world: World, study: Study, coder: Any
) -> None:
    study.blind_coding = True
    study.save()
    client = client_for(coder)
    query = {"near": [VAL, {"any": [HOPE, TRUST]}], "turns": 1}
    results, _ = run_all(client, query)
    expected = Reference(world, layer="best", viewer_id=coder.pk).run(query)
    assert [r["id"] for r in results] == Reference(world).ordered_ids(expected)
    assert {r["coder"] for r in results} <= {"coder", "lead"}
    consensus, _ = run_all(client, query, layer="consensus")
    assert [r["id"] for r in consensus] == Reference(world).ordered_ids(
        Reference(world, layer="consensus").run(query)
    )
    mine, _ = run_all(client, {"all": [{"code": "VAL", "coder": "coder"}, HOPE]})
    assert {r["coder"] for r in mine} == {"coder"}
    for refused in (
        {"query": query, "layer": "all"},
        {"query": {"all": [VAL, {"code": "OUT.HOPE", "coder": "coder2"}]}},
        {"query": {"code": "VAL", "coder": "lead"}, "layer": "consensus"},
    ):
        response = client.post(URL, refused, content_type="application/json")
        assert response.status_code == 403, refused


def test_query_count_is_independent_of_results(
    world: World, lead: Any, django_assert_max_num_queries: Any
) -> None:
    """Session and user (2), the study with the reader's role, the codebook, one query per
    distinct term (here 2: the repeated VAL is read once), the interviews, the turns and the
    page: 9 whatever the number of segments."""
    client = client_for(lead)
    query = {"followed_by": [{"any": [VAL, VAL]}, TRUST], "turns": 2}
    with django_assert_max_num_queries(9) as small:
        client.post(URL, {"query": query, "page_size": 1}, content_type="application/json")
    with django_assert_max_num_queries(9) as large:
        client.post(URL, {"query": query, "page_size": 500}, content_type="application/json")
    assert len(small.captured_queries) == len(large.captured_queries)
