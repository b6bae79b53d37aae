"""The dyads table through the API: the paste endpoint's answers and retyping by PATCH."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from interviews.models import AttributeDefinition, Dyad, Study
from interviews.services import attribute_define, dyad_get_or_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/studies/study/dyads/paste/"


@pytest.fixture
def api(lead: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(lead)
    return client


@pytest.fixture
def visits(study: Study) -> AttributeDefinition:
    dyad_get_or_create(study=study, label="D01")
    dyad_get_or_create(study=study, label="D03")
    return attribute_define(study=study, entity="dyad", key="visits", type="text")


def test_preview_answers_the_changes_and_stores_nothing(api: APIClient, visits: Any) -> None:
    response = api.post(URL, {"text": "Dyad\tDyad: Visits\r\nD01\t12\r\n"}, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "changes": [
            {"row": 2, "dyad": "D01", "column": "Dyad: Visits", "before": "", "after": "12"}
        ],
        "errors": [],
        "applied": False,
    }
    assert Dyad.objects.get(label="D01").attributes == {}


def test_apply_stores_and_says_so(api: APIClient, visits: Any) -> None:
    response = api.post(
        URL, {"text": "Dyad\tDyad: Visits\nD01\t12\n", "apply": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["applied"] is True
    assert Dyad.objects.get(label="D01").attributes == {"visits": "12"}


def test_a_refused_apply_is_400_with_the_errors(api: APIClient, study: Study) -> None:
    dyad_get_or_create(study=study, label="D01")
    attribute_define(study=study, entity="dyad", key="visits", type="integer")
    response = api.post(
        URL, {"text": "Dyad\tDyad: Visits\nD01\tten\n", "apply": True}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    message = "row 2, 'Dyad: Visits': 'ten' is not a whole number"
    assert body["errors"] == [{"row": 2, "column": "Dyad: Visits", "message": message}]
    assert body["applied"] is False
    assert body["error"]["fields"]["text"] == [message]
    assert message in body["error"]["message"]
    assert Dyad.objects.get(label="D01").attributes == {}


def test_a_refused_preview_is_200_with_the_errors(api: APIClient, visits: Any) -> None:
    response = api.post(URL, {"text": "Dyad\tColour\nD01\tred\n"}, format="json")
    assert response.status_code == 200
    assert response.json()["errors"][0]["column"] == "Colour"


def test_unknown_fields_are_refused(api: APIClient, visits: Any) -> None:
    response = api.post(URL, {"text": "Dyad\nD01\n", "dry_run": True}, format="json")
    assert response.status_code == 400
    assert "dry_run" in response.json()["error"]["fields"]


def test_retype_by_patch_converts_the_values(api: APIClient, visits: Any) -> None:
    Dyad.objects.filter(label="D01").update(attributes={"visits": "12"})
    response = api.patch(
        f"/api/v1/attributes/{visits.pk}/",
        {"type": "integer", "label": "Visits a year"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["type"] == "integer"
    assert response.json()["label"] == "Visits a year"
    assert Dyad.objects.get(label="D01").attributes == {"visits": 12}


def test_retype_to_a_choice_by_patch_takes_its_choices(api: APIClient, visits: Any) -> None:
    Dyad.objects.filter(label="D01").update(attributes={"visits": "often"})
    response = api.patch(
        f"/api/v1/attributes/{visits.pk}/",
        {"type": "choice", "choices": ["often", "rarely"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["choices"] == ["often", "rarely"]


def test_retype_by_patch_refuses_naming_the_values(api: APIClient, visits: Any) -> None:
    Dyad.objects.filter(label="D01").update(attributes={"visits": "12"})
    Dyad.objects.filter(label="D03").update(attributes={"visits": "about ten"})
    response = api.patch(
        f"/api/v1/attributes/{visits.pk}/",
        {"type": "integer", "label": "Renamed"},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"]["type"] == ["D03: 'about ten' is not a whole number"]
    definition = AttributeDefinition.objects.get(pk=visits.pk)
    assert (definition.type, definition.label) == ("text", "Visits")
    assert Dyad.objects.get(label="D01").attributes == {"visits": "12"}
