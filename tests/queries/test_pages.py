"""The Queries page: the builder's data, the saved list with last counts, a saved query's results
and re-run without JavaScript, blind coding on the list; query counts pinned."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from coding.models import SavedQuery
from interviews.models import Study
from tests.queries.test_api import coded  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

PAGE = "/studies/study/queries/"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_has_the_builder_and_the_saved_list(
    coded: Any,  # noqa: F811
    lead: Any,
    coder: Any,
) -> None:
    SavedQuery.objects.create(
        study=coded[0].interview.dyad.study,
        name="Valuing then trust",
        query={"followed_by": [{"code": "VAL"}, {"code": "OUT.TRUST"}], "turns": 1},
        author=coder,
    )
    response = client_for(lead).get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="query-builder"' in page
    assert 'src="/static/js/queries.js"' in page
    assert "Valuing then trust" in page
    assert "VAL followed within 1 participant turn by OUT.TRUST" in page
    assert "not run yet" in page
    builder = response.context["builder"]
    assert builder["canSave"] is True
    assert {"key": "VAL.PRES.ATT", "name": "Full attention", "depth": 2} in builder["codes"]
    assert builder["coders"] == ["coder", "coder2", "lead"]
    assert "<script>" not in page
    assert "style=" not in page


def test_a_saved_query_runs_and_reruns_without_javascript(
    coded: Any,  # noqa: F811
    lead: Any,
    viewer: Any,
) -> None:
    saved = SavedQuery.objects.create(
        study=coded[0].interview.dyad.study,
        name="Trust after valuing",
        query={"followed_by": [{"code": "VAL"}, {"code": "OUT.TRUST"}], "turns": 1},
        author=lead,
    )
    client = client_for(viewer)
    shown = client.get(PAGE, {"run": saved.pk})
    assert shown.status_code == 200
    page = shown.content.decode()
    assert "1 segment in 1 dyad" in page
    assert f'href="/interviews/{coded[0].interview_id}/#coding-{coded[0].pk}"' in page
    assert "she listened to every word" in page
    rerun = client.post(PAGE, {"rerun": saved.pk})
    assert rerun.status_code == 302
    assert rerun["Location"] == f"{PAGE}?run={saved.pk}#results"
    saved.refresh_from_db()
    assert (saved.last_total, saved.last_dyads, saved.last_run_by) == (1, 1, viewer)
    listed = client.get(PAGE).content.decode()
    assert "1 segment in 1 dyad" in listed
    for bad in ("abc", "999999"):
        assert client.get(PAGE, {"run": bad}).status_code == 200
        assert client.post(PAGE, {"rerun": bad}).status_code == 302


def test_a_blinded_coder_sees_their_own_and_the_leads_queries(
    coded: Any,  # noqa: F811
    study: Study,
    lead: Any,
    coder: Any,
    coder2: Any,
) -> None:
    for author, name in ((lead, "Lead's"), (coder, "Ana's"), (coder2, "Ben's secret")):
        SavedQuery.objects.create(study=study, name=name, query={"code": "VAL"}, author=author)
    study.blind_coding = True
    study.save()
    page = client_for(coder).get(PAGE)
    text = page.content.decode()
    assert "Lead&#x27;s" in text
    assert "Ana&#x27;s" in text
    assert "Ben" not in text
    assert page.context["builder"]["coders"] == ["coder"]
    assert "all" not in page.context["builder"]["layers"]


def test_query_count_of_the_page(
    coded: Any,  # noqa: F811
    study: Study,
    lead: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(lead)
    for n in range(3):
        SavedQuery.objects.create(
            study=study, name=f"Q{n}", query={"code": "VAL"}, author=lead, last_run_by=lead
        )
    with django_assert_max_num_queries(12) as few:
        client.get(PAGE)
    for n in range(3, 30):
        SavedQuery.objects.create(
            study=study,
            name=f"Q{n}",
            query={"any": [{"code": "VAL"}, {"code": "ABI"}]},
            author=lead,
        )
    with django_assert_max_num_queries(12) as many:
        client.get(PAGE)
    assert len(few.captured_queries) == len(many.captured_queries)
    saved = SavedQuery.objects.first()
    assert saved is not None
    assert json.dumps(saved.query)
