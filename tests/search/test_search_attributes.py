"""The search page offers the study's attributes as filters, and keeps the chosen ones."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from interviews.models import Study
from tests.retrieval.world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(study: Study, lead: Any, coder: Any, coder2: Any) -> World:
    return build_world(study=study, lead=lead, coder=coder, coder2=coder2, dyads=6)


def test_attribute_controls_filter_the_hits(world: World, lead: Any) -> None:
    client = Client()
    client.force_login(lead)
    blank = client.get("/studies/study/search/").content.decode()
    assert 'name="attr.setting"' in blank
    assert 'name="attr.years_together__gte"' in blank
    assert 'name="attr.patient.enrolled__lte"' in blank
    rural = {label for label, attrs in world.dyad_attributes.items() if attrs["setting"] == "rural"}
    assert rural
    assert rural != set(world.dyad_attributes)
    page = client.get(
        "/studies/study/search/", {"q": "the", "mode": "words", "attr.setting": "rural"}
    ).content.decode()
    assert re.search(r'<option value="rural"\s+selected', page)
    assert '<details class="search-attributes" open>' in page
    answer = client.get(
        "/api/v1/studies/study/search/", {"q": "the", "attr.setting": "rural", "page_size": 500}
    ).json()
    assert answer["results"]
    assert {hit["dyad"] for hit in answer["results"]} <= rural
