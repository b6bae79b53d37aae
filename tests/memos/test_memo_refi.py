"""Memos in REFI-QDA: every kind (study, dyad as a Case, interview as a TextSource, code,
coding) goes out as a Note with its type in the Note's Description, and comes back in, type
and target kept."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from coding.exchange.refi.export import memo_type_of_description
from coding.exchange.refi.imports import qdpx_import
from coding.exchange.refi.validate import project_problems, read_qdpx
from coding.models import Memo
from coding.services import CodingInput, codings_bulk_create, memo_create
from interviews.models import Interview, Study
from tests.coding.refi.conftest import export_qdpx
from tests.factories import code

pytestmark = pytest.mark.django_db
Q = "{urn:QDA-XML:project:1.0}"


def kind_of(memo: Memo) -> str:
    for kind in ("dyad", "interview", "code", "coding"):
        if getattr(memo, f"{kind}_id"):
            return kind
    return "study"


def test_refi_round_trip_keeps_every_memo_its_type_and_target(
    study: Study, interview: Interview, lead: Any, coder: Any
) -> None:
    coding = codings_bulk_create(
        interview=interview, coder=coder, items=[CodingInput(code(study, "OUT.HOPE").pk, 0, 11)]
    )[0]
    made = [
        memo_create(study=study, author=lead, title="Plan", body="The plan.",
                    type="methodological"),
        memo_create(study=study, author=lead, body="The case.", dyad=interview.dyad,
                    type="case_note"),
        memo_create(study=study, author=coder, body="The interview.", interview=interview,
                    type="reflexive"),
        memo_create(study=study, author=lead, body="The code.", code=code(study, "VAL"),
                    type="other"),
        memo_create(study=study, author=coder, body="The coding.", coding=coding),
    ]  # fmt: skip
    data = export_qdpx(study)
    assert project_problems(data) == []
    qde, _ = read_qdpx(data)
    notes = {
        note.findtext(f"{Q}PlainTextContent"): note.findtext(f"{Q}Description")
        for note in etree.fromstring(qde).iter(f"{Q}Note")
    }
    assert notes["The interview."] == "Memo type: reflexive"
    assert notes["The coding."] == "Memo type: analytic"

    qdpx_import(data=data, filename="s.qdpx", user=lead, new_study={"slug": "copy", "title": "C"})
    copied = {
        memo.body: (memo.type, kind_of(memo), memo.title)
        for memo in Memo.objects.filter(study__slug="copy")
    }
    assert copied == {memo.body: (memo.type, kind_of(memo), memo.title or "Memo") for memo in made}


def test_a_foreign_description_is_not_a_type() -> None:
    assert memo_type_of_description("Memo type: reflexive") == "reflexive"
    assert memo_type_of_description("Memo type: hunch") is None
    assert memo_type_of_description("A comment from MAXQDA") is None
    assert memo_type_of_description("Memo type: ") is None
