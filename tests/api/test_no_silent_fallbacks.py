"""Issue 14, finding 9, as reported: an unknown or foreign ``new_code`` in an adjudication and a
comparison ``coder=`` that is not a member who codes are refused with 400, nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from coding.models import Adjudication, Code, Coding
from interviews.models import Interview, Study

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("which", ["unknown", "foreign"])
def test_an_adjudication_with_a_bad_new_code_is_refused(
    which: str, study: Study, other_study: Study, interview: Interview, lead: Any, coder: Any
) -> None:
    code = Code.objects.filter(codebook__study=study).first()
    assert code is not None
    Coding.objects.create(interview=interview, code=code, coder=lead, start=0, end=5)
    foreign = Code.objects.filter(codebook__study=other_study).first()
    assert foreign is not None
    new_code = 2**31 - 1 if which == "unknown" else foreign.pk
    client = APIClient()
    client.force_authenticate(lead)
    answer = client.post(
        f"/api/v1/interviews/{interview.pk}/adjudications/",
        {"code": code.pk, "start": 0, "end": 5, "a": lead.pk, "b": coder.pk,
         "decision": "new", "spans": [[0, 5]], "new_code": new_code},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 400, answer.content
    assert "new_code" in answer.json()["error"]["fields"]
    assert Adjudication.objects.count() == 0


def test_a_comparison_coder_who_is_not_a_member_is_refused(
    study: Study, lead: Any, outsider: Any
) -> None:
    client = APIClient()
    client.force_authenticate(lead)
    for coder in (outsider.pk, 2**31 - 1):
        answer = client.get(
            f"/api/v1/studies/{study.slug}/comparison/matrix/?layer=coder&coder={coder}"
        )
        assert answer.status_code == 400, answer.content
    assert client.get(f"/api/v1/studies/{study.slug}/comparison/matrix/").status_code == 200
