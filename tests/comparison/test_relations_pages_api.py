"""Code relations, the code × attribute crosstab and word frequencies on the comparison page
and in the API: what they show, their downloads and charts, keyword in context, the study's
stop words, bad parameters (a 400, never a 500) and pinned query counts."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from coding.models import StudyStopWords
from healing.audit.models import AuditEvent
from interviews.services import study_update

pytestmark = pytest.mark.django_db

BASE = "/api/v1/studies/study/comparison"


def page(study: Any, **params: str) -> str:
    return reverse("study-comparison", args=[study.slug]) + "?" + urlencode(params)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    "params",
    [
        {"view": "relations"},
        {"view": "relations", "cooccur": "within", "window": "2", "count": "all", "sub_codes": "1"},
        {"view": "crosstab"},
        {"view": "crosstab", "attribute": "clinician.type", "basis": "both"},
        {"view": "words"},
        {"view": "words", "source": "code", "code": "OUT.TRUST", "word": "trust"},
        {"view": "words", "source": "role", "word": "café", "group": "interviewer"},
    ],
)  # fmt: skip
def test_members_read_the_new_views_outsiders_do_not(
    gen: dict[str, Any],
    personas: dict[str, Any],
    params: dict[str, str],
) -> None:
    study = gen["study"]
    for name in ("lead", "coder", "viewer"):
        response = client_for(personas[name]).get(page(study, **params))
        assert response.status_code == 200, (name, response.content[:2000])
        body = response.content.decode()
        assert f'aria-current="page" data-view="{params["view"]}"' in body
        assert 'role="img"' in body
        assert "<desc id=" in body
        assert 'data-chart-png="' in body  # the PNG button
    assert client_for(personas["outsider"]).get(page(study, **params)).status_code == 404
    assert Client().get(page(study, **params)).status_code == 302


def test_relations_page_shows_counts_and_c(gen: dict[str, Any], lead: Any) -> None:
    body = client_for(lead).get(page(gen["study"], view="relations")).content.decode()
    assert 'id="relations-table"' in body
    assert "passages overlap" in body
    assert "n12 / (n1 + n2 − n12)" in body
    within = client_for(lead).get(
        page(gen["study"], view="relations", cooccur="within", window="3")
    )
    assert "within 3 participant turns (interviewer turns skipped)" in within.content.decode()


def test_words_page_links_each_word_to_its_context(
    gen: dict[str, Any],
    lead: Any,
) -> None:
    client = client_for(lead)
    body = client.get(page(gen["study"], view="words", source="role")).content.decode()
    assert 'class="word-link"' in body
    assert "word=trust" in body
    kwic = client.get(page(gen["study"], view="words", source="role", word="Trust")).content
    text = kwic.decode()
    assert 'id="kwic-table"' in text
    assert "/interviews/" in text
    assert "#span-" in text
    assert "“trust” in context" in text


def test_downloads_hold_the_tables_and_are_audited(
    gen: dict[str, Any],
    lead: Any,
) -> None:
    client = client_for(lead)
    study = gen["study"]
    relations = client.get(page(study, view="relations", cooccur="turn", format="csv"))
    assert relations["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="study-code-relations-turn.csv"' in relations["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(relations.content.decode())))
    assert rows[0][:3] == ["Code", "Code name", "Other code"]
    assert "c-coefficient" in rows[0]
    assert len(rows) > 2
    crosstab = client.get(page(study, view="crosstab", attribute="clinician.type", format="xlsx"))
    book = load_workbook(io.BytesIO(crosstab.content))
    sheet = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert sheet[0][:3] == ["Code", "Name", "MD: dyads with code"]
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["Attribute"].startswith("Clinician: Type")
    words = client.get(page(study, view="words", source="perspective", format="csv"))
    word_rows = list(csv.reader(io.StringIO(words.content.decode())))
    assert word_rows[0][:3] == ["Word", "Total", "Per 1,000 words"]
    assert AuditEvent.objects.filter(study=study, action="export").count() == 3


@pytest.mark.parametrize("chart", ["relations", "crosstab", "words"])
def test_charts_are_svg_with_a_text_alternative(
    gen: dict[str, Any],
    viewer: Any,
    outsider: Any,
    chart: str,
) -> None:
    study = gen["study"]
    chart_url = reverse("study-comparison-chart", args=[study.slug, chart])
    response = client_for(viewer).get(chart_url + "?download=1&layer=consensus")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    body = response.content.decode()
    assert body.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<title id=" in body
    assert "<desc id=" in body
    assert client_for(outsider).get(chart_url).status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"view": "relations", "cooccur": "sometimes"}, "cooccur"),
        ({"view": "relations", "cooccur": "within", "window": "51"}, "window"),
        ({"view": "relations", "count": "some"}, "count"),
        ({"view": "crosstab", "attribute": "dyad.nope"}, "attribute"),
        ({"view": "words", "source": "everything"}, "source"),
        ({"view": "words", "source": "code", "code": "NOPE"}, "code"),
        ({"view": "words", "limit": "0"}, "limit"),
        ({"view": "words", "word": "two words"}, "word"),
        ({"view": "words", "word": "trust", "group": "nobody"}, "group"),
    ],
)
def test_bad_settings_are_a_clear_400(
    gen: dict[str, Any],
    lead: Any,
    params: dict[str, str],
    message: str,
) -> None:
    response = client_for(lead).get(page(gen["study"], **params))
    assert response.status_code == 400
    assert message in response.content.decode()
    field = message
    path = {"relations": "relations", "crosstab": "crosstab", "words": "words"}[params["view"]]
    if "word" in params:
        path = "words/kwic"
    query = urlencode({k: v for k, v in params.items() if k != "view"})
    answer = api(lead).get(f"{BASE}/{path}/?{query}")
    assert answer.status_code == 400
    assert field in answer.json()["error"]["fields"]


def test_stop_words_form_and_api(
    gen: dict[str, Any],
    lead: Any,
    coder: Any,
    viewer: Any,
) -> None:
    study = gen["study"]
    target = reverse("study-stop-words", args=[study.slug])
    back = page(study, view="words", source="perspective")
    lead_page = client_for(lead).get(back).content.decode()
    assert 'id="stop-words-form"' in lead_page
    assert 'id="stop-words-form"' not in client_for(viewer).get(back).content.decode()
    assert client_for(coder).post(target, {"words": "trust"}).status_code == 403
    response = client_for(lead).post(target, {"words": "Trust, doctor", "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    assert StudyStopWords.objects.get(study=study).words == ["doctor", "trust"]
    shown = client_for(lead).get(back).content.decode()
    assert 'data-word="trust"' not in shown
    bad = client_for(lead).post(target, {"words": "fine 😀"})
    assert bad.status_code == 400
    assert StudyStopWords.objects.get(study=study).words == ["doctor", "trust"]
    offsite = client_for(lead).post(target, {"words": "trust", "next": "https://evil.example/"})
    assert offsite["Location"].startswith("/studies/study/comparison/")
    # The API: members read, the lead replaces; bad words are a 400 that changes nothing.
    assert api(viewer).get(f"{BASE}/stop-words/").json()["words"] == ["trust"]
    put = api(lead).put(f"{BASE}/stop-words/", {"words": ["Care"]}, format="json")
    assert put.status_code == 200
    assert put.json()["words"] == ["care"]
    refused = api(lead).put(f"{BASE}/stop-words/", {"words": ["a b", "ok"]}, format="json")
    assert refused.status_code == 400
    assert api(lead).put(f"{BASE}/stop-words/", {"words": "care"}, format="json").status_code == 400
    assert StudyStopWords.objects.get(study=study).words == ["care"]
    # An archived study refuses the form and the API.
    study_update(study=study, actor=lead, archived=True)
    assert client_for(lead).post(target, {"words": "x"}).status_code == 403
    assert api(lead).put(f"{BASE}/stop-words/", {"words": ["x"]}, format="json").status_code == 403
    assert StudyStopWords.objects.get(study=study).words == ["care"]


def test_api_answers(gen: dict[str, Any], viewer: Any) -> None:
    client = api(viewer)
    relations = client.get(f"{BASE}/relations/?cooccur=turn&sub_codes=1").json()
    assert relations["settings"]["cooccur"] == "turn"
    assert relations["layer"]["name"] == "best"
    assert {"id", "key", "passages", "dyads"} <= set(relations["codes"][0])
    pair = relations["pairs"][0]
    assert set(pair) == {"first", "second", "n12", "dyads", "c", "out_of_range"}
    crosstab = client.get(f"{BASE}/crosstab/?attribute=dyad.weekly").json()
    assert [c["label"] for c in crosstab["columns"]] == ["yes", "no"]
    assert set(crosstab["codes"][0]["cells"][0]) >= {"dyads_with_code", "dyads", "coverage"}
    default = client.get(f"{BASE}/crosstab/").json()
    assert default["attribute"]["param"] == "dyad.since"  # order 0, then by key
    words = client.get(f"{BASE}/words/?source=role&limit=5").json()
    assert words["groups"] == ["patient", "clinician", "interviewer", "other"]
    assert len(words["words"]) == 5
    assert words["words"][0]["total"] == sum(words["words"][0]["counts"])
    kwic = client.get(f"{BASE}/words/kwic/?source=perspective&word=café&group=patient").json()
    assert kwic["total"] >= len(kwic["lines"]) > 0
    line = kwic["lines"][0]
    assert line["perspective"] == "patient"
    assert line["match"].lower() == "café"
    assert line["link"] == f"/interviews/{line['interview']}/#span-{line['start']}-{line['end']}"


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        # user's access, coder names, attribute definitions (subset), codebook, dyads,
        # lengths, figures, then the view's own
        ("relations/?cooccur=within&window=2", 8),  # + the co-occurrence query
        ("crosstab/?attribute=dyad.years", 8),  # + the attribute
        ("words/?source=code&code=VAL", 10),  # + stop words, the code's passages, their texts
        ("words/?source=perspective", 10),  # + stop words, interviews, turn signatures (warm)
        ("words/kwic/?source=role&word=trust", 9),  # + interviews with the word, their turns
    ],
)
def test_query_counts_are_pinned(
    gen: dict[str, Any], lead: Any, path: str, budget: int,
    django_assert_num_queries: Any,
) -> None:  # fmt: skip
    client = api(lead)
    cache.clear()
    client.get(f"{BASE}/{path}")  # warm the word counts' cache
    with django_assert_num_queries(budget):
        assert client.get(f"{BASE}/{path}").status_code == 200
