"""Codings: spans in code points, validation, bulk all-or-nothing, edits, deletes and the audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coding.models import Coding, Layer, Memo
from coding.services import (
    CodingInput,
    coding_create,
    coding_delete,
    coding_update,
    codings_bulk_create,
    memo_create,
)
from healing.audit.models import AuditEvent
from interviews.models import Interview, Study
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db


def test_quote_is_cut_from_the_text(interview: Interview, coder: Any, study: Study) -> None:
    start = interview.text.index("she listened")
    coding = coding_create(
        interview=interview,
        code=code(study, "VAL.PRES.ATT"),
        coder=coder,
        start=start,
        end=start + 12,
    )
    assert coding.quote == "she listened"
    assert coding.codebook_version == 1
    assert coding.layer == Layer.INDIVIDUAL


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (-1, 5, "start", "before the beginning"),
        (10, 10, "end", "must be after"),
        (10, 4, "end", "must be after"),
        (0, 10_000, "end", "past the end"),
    ],
)
def test_spans_outside_the_text_are_refused(
    interview: Interview, coder: Any, study: Study, start: int, end: int, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        coding_create(
            interview=interview, code=code(study, "VAL"), coder=coder, start=start, end=end
        )
    assert message in " ".join(caught.value.message_dict[field])
    assert Coding.objects.count() == 0


def test_a_code_from_another_study_is_refused(
    interview: Interview, coder: Any, other_study: Study
) -> None:
    with pytest.raises(ValidationError, match="not in this study's codebook"):
        coding_create(
            interview=interview, code=code(other_study, "VAL"), coder=coder, start=0, end=5
        )


def test_an_inactive_code_is_refused(interview: Interview, coder: Any, study: Study) -> None:
    with pytest.raises(ValidationError, match="inactive"):
        coding_create(interview=interview, code=code(study, "HEAL"), coder=coder, start=0, end=5)


def test_bulk_create_is_all_or_nothing_and_names_the_bad_item(
    interview: Interview, coder: Any, study: Study
) -> None:
    val = code(study, "VAL").pk
    items = [CodingInput(val, 0, 5), CodingInput(val, 5, 9), CodingInput(val, 3, 99_999)]
    with pytest.raises(ValidationError) as caught:
        codings_bulk_create(interview=interview, coder=coder, items=items)
    assert "items[2].end" in caught.value.message_dict
    assert Coding.objects.count() == 0
    created = codings_bulk_create(interview=interview, coder=coder, items=items[:2])
    assert [c.quote for c in created] == [interview.text[0:5], interview.text[5:9]]
    assert AuditEvent.objects.filter(object_type="coding", action="create").count() == 2


def test_overlapping_codes_and_codings_by_two_coders_coexist(
    interview: Interview, coder: Any, coder2: Any, study: Study
) -> None:
    coding_create(interview=interview, code=code(study, "VAL"), coder=coder, start=0, end=20)
    coding_create(interview=interview, code=code(study, "OUT.TRUST"), coder=coder, start=10, end=30)
    coding_create(interview=interview, code=code(study, "VAL"), coder=coder2, start=0, end=20)
    assert Coding.objects.count() == 3


def test_the_same_coding_twice_by_one_coder_is_refused(
    interview: Interview, coder: Any, study: Study
) -> None:
    coding_create(interview=interview, code=code(study, "VAL"), coder=coder, start=0, end=20)
    with pytest.raises(ValidationError, match="already has this code"):
        coding_create(interview=interview, code=code(study, "VAL"), coder=coder, start=0, end=20)
    assert Coding.objects.count() == 1


def test_the_database_refuses_an_inverted_span(
    interview: Interview, coder: Any, study: Study
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Coding.objects.create(
            interview=interview, code=code(study, "VAL"), coder=coder, start=9, end=3, quote="x"
        )


def test_the_database_refuses_a_duplicate_consensus_coding(
    interview: Interview, coder: Any, lead: Any, study: Study
) -> None:
    Coding.objects.create(
        interview=interview,
        code=code(study, "VAL"),
        coder=lead,
        layer="consensus",
        start=0,
        end=3,
        quote="x",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Coding.objects.create(
            interview=interview,
            code=code(study, "VAL"),
            coder=coder,
            layer="consensus",
            start=0,
            end=3,
            quote="x",
        )


def test_update_moves_the_quote_with_the_span_and_records_before_and_after(
    interview: Interview, coder: Any, study: Study
) -> None:
    coding = coding_create(
        interview=interview, code=code(study, "VAL"), coder=coder, start=0, end=5
    )
    coding_update(
        coding=coding,
        actor=coder,
        start=2,
        end=8,
        code=code(study, "OUT.HOPE"),
        memo="  Why hope?  ",
    )
    coding.refresh_from_db()
    assert (coding.start, coding.end, coding.quote, coding.memo) == (
        2,
        8,
        interview.text[2:8],
        "Why hope?",
    )
    event = AuditEvent.objects.get(object_type="coding", action="update")
    assert (event.before["start"], event.after["start"]) == (0, 2)
    assert event.before["code"] != event.after["code"]


def test_delete_leaves_the_last_state_in_the_audit_trail(
    interview: Interview, coder: Any, study: Study
) -> None:
    coding = coding_create(
        interview=interview, code=code(study, "VAL"), coder=coder, start=0, end=5, memo="keep me"
    )
    before = coding_delete(coding=coding, actor=coder)
    assert not Coding.objects.exists()
    event = AuditEvent.objects.get(object_type="coding", action="delete")
    assert event.before["memo"] == "keep me"
    assert event.before["quote"] == interview.text[0:5]
    assert before["start"] == 0


def test_memo_targets_one_item_of_its_own_study(
    study: Study, other_study: Study, lead: Any, interview: Interview
) -> None:
    memo = memo_create(study=study, author=lead, body="A thought", interview=interview)
    assert memo.interview == interview
    foreign = make_interview(study=other_study, dyad="X1")
    with pytest.raises(ValidationError, match="another study"):
        memo_create(study=study, author=lead, body="Nope", interview=foreign)
    with pytest.raises(ValidationError, match="one dyad, interview"):
        memo_create(study=study, author=lead, body="Two", interview=interview, dyad=interview.dyad)
    with pytest.raises(ValidationError):
        memo_create(study=study, author=lead, body="   ")
    assert Memo.objects.count() == 1
