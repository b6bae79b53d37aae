"""Property-based run of every API operation against its own OpenAPI schema (schemathesis).

For each operation, schemathesis generates requests from the schema — valid ones and invalid
ones — and sends them, as the study's lead (token auth), to the app in process. The checks: no
response is a server error, and every response conforms to the schema (status code documented,
content type, body shape). Path parameters point at real objects half of the time, so the deep
paths run too. Examples per operation are bounded to keep the suite fast.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from coding.models import Assignment
from coding.services import CodingInput, codings_bulk_create, memo_create
from healing.jobs.models import Job, JobFile
from healing.wsgi import application
from interviews.models import Study
from interviews.services import api_token_create, attribute_define, participant_get_or_create
from tests.factories import code, make_interview

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    """Requests go through the WSGI handler, whose request signals would close the database
    connection that holds the test's transaction (Django's test client unhooks them too)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(study: Study, lead: Any, coder: Any) -> dict[str, Any]:
    interview = make_interview(study=study, by=lead)
    coding = codings_bulk_create(
        interview=interview, coder=lead, items=[CodingInput(code(study, "VAL").pk, 0, 11)]
    )[0]
    memo = memo_create(study=study, author=lead, body="A memo.")
    participant = participant_get_or_create(study=study, role="clinician", pseudonym="Dr. Lee")
    attribute = attribute_define(study=study, entity="dyad", key="years", type="integer")
    job = Job.objects.create(kind="export", user=lead, study=study)
    output = JobFile.objects.create(
        job=job, direction="output", name="x.csv", content_type="text/csv", size=3, data=b"a,b"
    )
    assignment = Assignment.objects.create(interview=interview, coder=coder, assigned_by=lead)
    _, token = api_token_create(user=lead, name="schemathesis")
    return {
        "token": token,
        "ids": {
            "studies": {"slug": study.slug},
            "dyads": {"id": interview.dyad_id},
            "interviews": {"id": interview.pk},
            "codes": {"id": code(study, "VAL").pk},
            "codings": {"id": coding.pk},
            "memos": {"id": memo.pk},
            "participants": {"id": participant.pk},
            "attributes": {"id": attribute.pk},
            "jobs": {"id": job.pk, "file_id": output.pk},
            "members": {"username": "coder", "user_id": coder.pk},
            "assignments": {"id": assignment.pk},
            "versions": {"number": 1},
        },
    }


# Loaded once, at collection: one test per operation (spread over the xdist workers).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


def _real_parameters(case: Any, world: dict[str, Any]) -> None:
    """Point the case's path parameters at objects that exist."""
    path = case.operation.path
    known = world["ids"]
    for name in list(case.path_parameters or {}):
        if name == "slug":
            case.path_parameters[name] = known["studies"]["slug"]
        elif name in ("username", "user_id"):
            case.path_parameters[name] = known["members"][name]
        elif name == "number":
            case.path_parameters[name] = known["versions"]["number"]
        elif name == "file_id":
            case.path_parameters[name] = known["jobs"]["file_id"]
        elif name == "id":
            resource = path.split("/")[3]
            if resource in known and "id" in known[resource]:
                case.path_parameters[name] = known[resource]["id"]


@pytest.mark.django_db
@schema.given(real=st.booleans())
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_api_conforms_to_its_schema(case: Any, real: bool, world: dict[str, Any]) -> None:
    if real:
        _real_parameters(case, world)
    case.call_and_validate(headers={"Authorization": f"Bearer {world['token']}"}, checks=CHECKS)
