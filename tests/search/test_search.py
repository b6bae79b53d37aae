"""Full-text search through the API, each mode checked against a brute-force reference.

The reference reads every transcript of the generated study (tests/retrieval/world.py, plus
texts written here for phrases across line breaks, prefixes, apostrophes, case folding and
emoji) in Python: its words (runs of letters, marks, digits and ``_``) compared by case folding,
phrases word by word, regular expressions with ``re``; the role of the turn each hit starts in,
the dyads, sides and attributes from the world's rows; the context cut from the text itself.
The search must give exactly those hits, in order, over every page, and the database must never
rule out an interview that holds one.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import regex
from django.db import connection
from django.test import Client

from coding.retrieval.filters import PlaceFilters
from coding.retrieval.segments import widen_after, widen_before
from coding.search.query import search_query
from coding.search.service import Search, candidates_queryset
from interviews.models import Interview, Study, Turn
from interviews.search_index import search_index_missing
from tests.factories import make_interview
from tests.retrieval.world import World, build_world

pytestmark = pytest.mark.django_db

URL = "/api/v1/studies/study/search/"
WORD = regex.compile(r"[\p{L}\p{M}\p{N}\p{Pc}]+")

EXTRA = (
    "Interviewer: Do you trust her? Tell me about the trust.\n\n"
    "Pat9: I don't know. I DON’T trust   easily; I trust\nher now, I TRUST\n\nher. "
    "Straße, STRASSE and strasse. Trusting isn't trust-worthy 😀trust😀 _trust_ trust_x. "
    "e-mail trust@example.org, 2.5 mg, x2.5. Being\n  known matters; being, known? being-known. "
    "ÉCOLE école Ecole naïve NAÏVE café CAFÉ. really she really she really.\n\n"
    "Interviewer: And hope?\n\nPat9: Hope, hopeful, HOPES. aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n"
)


@pytest.fixture
def world(study: Study, lead: Any, coder: Any, coder2: Any) -> World:
    built = build_world(study=study, lead=lead, coder=coder, coder2=coder2, dyads=7)
    extra = make_interview(study=study, dyad="D09", perspective="patient", text=EXTRA, by=lead)
    built.interviews.append(extra)
    built.turns[extra.pk] = list(Turn.objects.filter(interview=extra))
    return built


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fetch_all(client: Client, params: dict[str, Any]) -> tuple[list[dict], dict]:
    """Every page, following ``next`` (small pages, so the cursor is exercised)."""
    results: list[dict] = []
    url, query = URL, {**params, "page_size": "7"}
    first: dict = {}
    while True:
        response = client.get(url, query) if query is not None else client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        first = first or body
        results += body["results"]
        if not body["next"]:
            if first["counts"] is not None:
                assert first["counts"]["hits"] == len(results)
            return results, first
        url, query = body["next"], None


# --- the reference ------------------------------------------------------------------------


def ref_words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().casefold()) for m in WORD.finditer(text)]


def ref_term(text: str, folds: list[str], prefix: bool, gap: str) -> set[tuple[int, int]]:
    """Spans of consecutive words with these foldings (the last a prefix when ``prefix``);
    ``gap`` "tight": no whitespace between them, "any": anything but a word."""
    words = ref_words(text)
    found = set()
    for i in range(len(words) - len(folds) + 1):
        ok = True
        for j, fold in enumerate(folds):
            word = words[i + j][2]
            last = j == len(folds) - 1
            if not (word == fold or (prefix and last and word.startswith(fold))):
                ok = False
                break
            if j and gap == "tight":
                between = text[words[i + j - 1][1] : words[i + j][0]]
                if any(ch.isspace() for ch in between):
                    ok = False
                    break
        if ok:
            found.add((words[i][0], words[i + len(folds) - 1][1]))
    return found


def ref_hits(text: str, q: str, mode: str) -> list[tuple[int, int]]:
    if mode == "regex":
        return sorted({(m.start(), m.end()) for m in re.finditer(q, text) if m.end() > m.start()})
    spans: set[tuple[int, int]] = set()
    if mode == "phrase":
        folds = [w.casefold() for w in WORD.findall(q)]
        spans |= ref_term(text, folds, q.rstrip().endswith("*"), "any")
        return sorted(spans)
    for quoted, bare in re.findall(r'"([^"]*)"|(\S+)', q):
        piece = quoted or bare
        folds = [w.casefold() for w in WORD.findall(piece)]
        if not folds:
            continue
        prefix = piece.rstrip().endswith("*")
        spans |= ref_term(text, folds, prefix, "any" if quoted else "tight")
    return sorted(spans)


def reference(
    world: World,
    q: str,
    mode: str = "words",
    *,
    dyads: list[str] = (),  # type: ignore[assignment]
    perspective: str = "",
    role: str = "",
    setting: str = "",
    context: int = 200,
) -> list[dict[str, Any]]:
    found = []
    for interview in sorted(world.interviews, key=lambda i: (i.dyad.label, i.perspective, i.pk)):
        label = interview.dyad.label
        if dyads and label not in dyads:
            continue
        if perspective and interview.perspective != perspective:
            continue
        if setting and world.dyad_attributes.get(label, {}).get("setting") != setting:
            continue
        text = interview.text
        for start, end in ref_hits(text, q, mode):
            turn = world.turn_at(interview.pk, start)
            if role and (turn is None or turn.role != role):
                continue
            reach = context + 40
            found.append(
                {
                    "interview": interview.pk,
                    "dyad": label,
                    "start": start,
                    "end": end,
                    "match": text[start:end],
                    "before": widen_before(
                        text[max(0, start - reach) : start], context, at_text_start=start <= reach
                    ),
                    "after": widen_after(text[end : end + reach], context),
                    "turn": turn.index if turn else None,
                    "speaker": turn.speaker if turn else "",
                    "role": turn.role if turn else "",
                }
            )
    return found


def shape(results: list[dict]) -> list[dict]:
    keys = ("interview", "dyad", "start", "end", "match", "before", "after", "turn", "speaker",
            "role")  # fmt: skip
    return [{k: r[k] for k in keys} for r in results]


WORD_QUERIES = [
    "trust",
    "Trust hope",
    "trust*",
    "hope*",
    "TRUST",
    "straße",
    "STRASSE",
    "école",
    "ecole",
    "naïve café",
    "don't",
    "trust-worthy",
    "isn’t",
    "2.5",
    "trust_x",
    '"really she" pain',
    '"being known"',
    "Trusti*",
    "nothinglikethis",
    "the a and",
]
PHRASE_QUERIES = ["trust her", "being known", "really she really", "I trust", "tell me about*"]
REGEX_QUERIES = [
    r"(?i)tru\w+",
    r"café|hope",
    r"\d+(\.\d+)?",
    r"[😀🙂]",
    r"Interviewer: \w+",
    r"(?s)trust.{0,5}her",
    r"ÉCOLE",
    r"(?i)école",
    r"a{10,}b",
    r"x*",
]


def test_words_match_the_reference(world: World, lead: Any) -> None:
    client = client_for(lead)
    for q in WORD_QUERIES:
        results, _ = fetch_all(client, {"q": q})
        assert shape(results) == reference(world, q), q
        assert all(
            r["workspace"] == f"/interviews/{r['interview']}/#span-{r['start']}-{r['end']}"
            for r in results
        )
    assert fetch_all(client, {"q": "trust"})[0], "the world holds the word"


def test_phrases_match_the_reference(world: World, lead: Any) -> None:
    client = client_for(lead)
    for q in PHRASE_QUERIES:
        results, _ = fetch_all(client, {"q": q, "mode": "phrase"})
        assert shape(results) == reference(world, q, "phrase"), q


def test_regular_expressions_match_the_reference(world: World, lead: Any) -> None:
    client = client_for(lead)
    for q in REGEX_QUERIES:
        results, _ = fetch_all(client, {"q": q, "mode": "regex"})
        assert shape(results) == reference(world, q, "regex"), q


def test_the_extra_text_holds_what_the_queries_are_about(world: World) -> None:
    """The reference is not vacuous: phrases across spaces and a line break, apostrophes of
    both kinds, folded case and prefixes are all in the text."""
    extra = world.interviews[-1].text
    assert len(ref_hits(extra, "I trust her", "phrase")) == 2  # "trust\nher", "TRUST\n\nher"
    assert len(ref_hits(extra, "don't", "words")) == 2  # don't, DON’T
    assert len(ref_hits(extra, "strasse", "words")) == 3
    assert len(ref_hits(extra, '"being known"', "words")) == 3


FILTERS = [
        ({"perspective": "patient"}, {"perspective": "patient"}),
        ({"role": "interviewer"}, {"role": "interviewer"}),
        ({"role": "patient", "perspective": "patient"}, {"role": "patient",
                                                        "perspective": "patient"}),
        ({"dyad": ["D01", "D09"]}, {"dyads": ["D01", "D09"]}),
        ({"attr.setting": "rural"}, {"setting": "rural"}),
        ({"context": "15"}, {"context": 15}),
        ({"context": "0"}, {"context": 0}),
]  # fmt: skip


def test_filters_and_context_match_the_reference(world: World, lead: Any) -> None:
    client = client_for(lead)
    for filters, ref in FILTERS:
        for q, mode in (("trust hope*", "words"), ("(?i)hope", "regex")):
            results, _ = fetch_all(client, {"q": q, "mode": mode, **filters})
            assert shape(results) == reference(world, q, mode, **ref), (filters, q)


def test_the_index_never_rules_out_an_interview_with_a_hit(world: World) -> None:
    """The database's candidates hold every interview with a hit (and, for single words, no
    other: the index's words are the finder's)."""
    study = world.study
    for q, mode in [(q, "words") for q in WORD_QUERIES] + [(q, "phrase") for q in
                    PHRASE_QUERIES] + [(q, "regex") for q in REGEX_QUERIES]:  # fmt: skip
        search = Search(query=search_query(q=q, mode=mode), place=PlaceFilters(), context=10)
        candidates = set(
            candidates_queryset(study=study, search=search).values_list("pk", flat=True)
        )
        with_hits = {i.pk for i in world.interviews if ref_hits(i.text, q, mode)}
        assert with_hits <= candidates, (q, mode)
        single = mode == "words" and all(len(WORD.findall(p)) == 1 for p in q.split())
        if single and '"' not in q:
            assert candidates == with_hits, q


def test_a_regular_expression_narrows_by_a_literal_it_needs(world: World) -> None:
    search = Search(query=search_query(q=r"Straße|STRASSE", mode="regex"), place=PlaceFilters(),
                    context=0)  # fmt: skip
    assert search.query.literal is None  # an alternative: no literal required
    needs = search_query(q=r"(?i)e-mail\s+\w+", mode="regex")
    assert needs.literal is not None
    assert needs.literal.text == "e-ma"
    exact = Search(query=search_query(q=r"trust@ex\w+", mode="regex"), place=PlaceFilters(),
                   context=0)  # fmt: skip
    assert exact.query.literal is not None
    assert exact.query.literal.text == "trust@ex"
    assert list(
        candidates_queryset(study=world.study, search=exact).values_list("pk", flat=True)
    ) == [world.interviews[-1].pk]


def test_counts_and_groups(world: World, lead: Any) -> None:
    client = client_for(lead)
    body = client.get(URL, {"q": "trust", "page_size": "5"}).json()
    ref = reference(world, "trust")
    assert body["counts"]["hits"] == len(ref)
    assert body["counts"]["interviews"] == len({r["interview"] for r in ref})
    per_interview: dict[int, int] = {}
    for r in ref:
        per_interview[r["interview"]] = per_interview.get(r["interview"], 0) + 1
    for group in body["groups"]:
        assert group["hits"] == per_interview[group["interview"]]
    assert sum(g["shown"] for g in body["groups"]) == 5


def test_a_large_study_gives_counts_only_when_asked(world: World, lead: Any, settings: Any,
                                                     monkeypatch: Any) -> None:  # fmt: skip
    monkeypatch.setattr("coding.search.service.COUNT_BUDGET", 10)
    client = client_for(lead)
    body = client.get(URL, {"q": "trust", "page_size": "3"}).json()
    assert body["counts"] is None
    assert body["candidates"] >= len({r["interview"] for r in reference(world, "trust")})
    counted = client.get(URL, {"q": "trust", "page_size": "3", "counts": "true"}).json()
    assert counted["counts"]["hits"] == len(reference(world, "trust"))
    results, _ = fetch_all(client, {"q": "trust*"})
    assert shape(results) == reference(world, "trust*")


# --- the index stays in sync ----------------------------------------------------------------


def indexed(pk: int) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = "SELECT search_words IS NOT NULL FROM interviews_interview WHERE id = %s"
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
            return bool(row and row[0])
        cursor.execute("SELECT count(*) FROM interviews_search WHERE rowid = %s", [pk])
        return cursor.fetchone()[0] == 1


def test_an_import_is_indexed_and_an_edit_is_never_searched_stale(study: Study, lead: Any) -> None:
    interview = make_interview(study=study, text="Interviewer: Hi.\n\nPat: I trust my doctor.\n",
                               by=lead)  # fmt: skip
    assert indexed(interview.pk)
    assert search_index_missing(study_id=study.pk) == 0
    client = client_for(lead)
    assert client.get(URL, {"q": "doctor"}).json()["counts"]["hits"] == 1
    # An edit by any route (here an UPDATE the app never sees) drops the entry at once...
    Interview.objects.filter(pk=interview.pk).update(
        text="Interviewer: Hi.\n\nPat: I trust my nurse.\n"
    )
    assert not indexed(interview.pk)
    assert client.get(URL, {"q": "doctor"}).json()["counts"]["hits"] == 0
    body = client.get(URL, {"q": "nurse"}).json()
    assert body["counts"]["hits"] == 1
    assert indexed(interview.pk)  # ...and the next search indexed the new text
    # A save through the model, the admin's way:
    interview.refresh_from_db()
    interview.text = "Interviewer: Hi.\n\nPat: I hope for the best.\n"
    interview.save()
    assert not indexed(interview.pk)
    assert client.get(URL, {"q": "nurse"}).json()["counts"]["hits"] == 0
    assert client.get(URL, {"q": "hope"}).json()["results"][0]["match"] == "hope"
    # Saving other fields keeps the entry.
    interview.title = "Renamed"
    interview.save()
    assert indexed(interview.pk)
    pk = interview.pk
    interview.delete()
    assert not indexed(pk)


def test_a_study_import_is_indexed(study: Study, lead: Any, settings: Any) -> None:
    from coding.exchange.registry import ExportOptions
    from coding.exchange.study_import import study_import
    from coding.exports import export_study_bytes, study_format

    make_interview(study=study, text="Interviewer: Hi.\n\nPat: Abiding care.\n", by=lead)
    data = export_study_bytes(study=study, fmt=study_format("json"), options=ExportOptions(),
                              via="command")  # fmt: skip
    lead.is_staff = True
    lead.save()
    copy = study_import(data=data, actor=lead, slug="copy")
    for pk in Interview.objects.filter(dyad__study=copy).values_list("pk", flat=True):
        assert indexed(pk)
    body = client_for(lead).get("/api/v1/studies/copy/search/", {"q": "abiding"}).json()
    assert body["counts"]["hits"] == 1


# --- bad input ------------------------------------------------------------------------------


BAD = [
    ({"q": ""}, "q"),
    ({"q": "   "}, "q"),
    ({}, "q"),
    ({"q": "x" * 501}, "q"),
    ({"q": "😀 -- !"}, "q"),
    ({"q": "trust", "mode": "fuzzy"}, "mode"),
    ({"q": "(unclosed", "mode": "regex"}, "q"),
    ({"q": "[z-a]", "mode": "regex"}, "q"),
    ({"q": r"\p{L}", "mode": "regex"}, "q"),
    ({"q": "a{5,2}", "mode": "regex"}, "q"),
    ({"q": "trust", "cursor": "!!"}, "cursor"),
    ({"q": "trust", "context": "-1"}, "context"),
    ({"q": "trust", "page_size": "0"}, "page_size"),
    ({"q": "trust", "role": "boss"}, "role"),
    ({"q": "trust", "dyad": "NOPE"}, "dyad"),
    ({"q": "trust", "attr.nope": "1"}, "attr.nope"),
    ({"q": "tru\x00st"}, None),
    ({"q": " ".join(f"w{i}" for i in range(25))}, "q"),
]


def test_bad_input_is_a_clear_400(world: World, lead: Any) -> None:
    client = client_for(lead)
    for params, field in BAD:
        response = client.get(URL, params)
        assert response.status_code == 400, (params, response.content)
        if field is not None:
            assert field in response.json()["error"]["fields"], response.json()


def test_a_catastrophic_regular_expression_is_stopped(world: World, lead: Any,
                                                      settings: Any) -> None:  # fmt: skip
    settings.HEALING_SEARCH_REGEX_MS = 300
    response = client_for(lead).get(URL, {"q": "(a|aa)+$", "mode": "regex"})
    assert response.status_code == 400
    assert "took longer than 0.3 s" in response.json()["error"]["fields"]["q"][0]


# --- queries --------------------------------------------------------------------------------


def test_query_counts_are_pinned(world: World, lead: Any, django_assert_num_queries: Any) -> None:
    client = client_for(lead)
    client.get(URL, {"q": "trust"})  # the session is loaded once
    # session, user, study with membership, unindexed interviews, candidates, texts of the
    # first 8 candidates, their turns, the texts of the next 32, their turns
    with django_assert_num_queries(9):
        response = client.get(URL, {"q": "trust", "page_size": "5"})
    assert response.status_code == 200
    # Filters add their own lookups (dyad labels, attribute definitions), never per hit: one
    # candidate, one batch (session, user, study, labels, definitions, unindexed, candidates,
    # texts, turns).
    with django_assert_num_queries(9):
        response = client.get(
            URL, {"q": "the", "page_size": "500", "dyad": "D01", "attr.years_together__gte": "0",
                  "perspective": "patient"}
        )  # fmt: skip
    assert len({hit["interview"] for hit in response.json()["results"]}) == 1


def test_the_triggers_come_back_after_a_migrate(db: Any) -> None:
    """Django rebuilds a SQLite table to alter it, dropping its triggers: every migrate puts
    them back."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL alters a table in place; its triggers stay")
    from interviews.search_index import search_triggers_restore

    def triggers() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            return {row[0] for row in cursor.fetchall()}

    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER interview_search_stale")
    assert "interview_search_stale" not in triggers()
    search_triggers_restore(sender=None, using="default")
    assert {"interview_search_stale", "interview_search_gone"} <= triggers()
