"""Job kinds come from the apps: each registers its own in AppConfig.ready(), the ground floor
lists none, and a kind nobody registered is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from coding.job_kinds import JobKind
from healing.jobs.models import Job
from healing.jobs.registry import job_kind_choices, job_kind_handler
from healing.jobs.services import job_create


def test_every_kind_is_registered_by_its_app() -> None:
    registered = dict(job_kind_choices())
    assert {kind.value: kind.label for kind in JobKind}.items() <= registered.items()
    assert job_kind_handler(JobKind.IMPORT_TRANSCRIPTS).__module__ == "interviews.job_handlers"
    assert job_kind_handler(JobKind.EXPORT_QDPX).__module__ == "coding.exchange.refi.jobs"


@pytest.mark.django_db
def test_an_unregistered_kind_is_refused(lead: Any) -> None:
    with pytest.raises(ValueError, match="No app registered"):
        job_create(kind="nobody_runs_this", user=lead)
    job = Job(kind="nobody_runs_this", user=lead)
    with pytest.raises(ValidationError) as refused:
        job.full_clean()
    assert "kind" in refused.value.message_dict
    Job(kind=JobKind.EXPORT, user=lead).full_clean()
