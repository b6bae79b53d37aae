"""Applying a review: the text rewritten, everything on it moved onto the same words, and no
copy of a replaced identifier left in any text column of any table (but a kept original)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from django.db import models

from coding.casestudy.services import case_study_evidence_add, case_study_summary_save
from coding.deid.apply import Scrubber, deid_apply
from coding.models import CaseStudy, Coding, Layer, Memo
from coding.services import CodingInput, codings_bulk_create, memo_create
from healing.jobs.models import Job, JobFile
from interviews.deid.entities import entity_digest
from interviews.deid.rewrite import Replacement, rewrite
from interviews.models import (
    DeidEntity,
    DeidSpan,
    DeidStatus,
    DeidTerm,
    Interview,
    ProtectedOriginal,
    Study,
)
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db

TEXT = (
    "Interviewer: How did you first meet your doctor?\n\n"
    "Maria: 🙂🙂 Dr. Evelyn Shaw, at Oak Street Clinic in Millbrook. She called me on "
    "555-201-7788 the next day.\n\n"
    "Interviewer: And now?\n\n"
    "Maria: Evelyn still listens. My MRN is 44-918-2203, I gave it to evelyn once.\n"
)
IDENTIFIERS = {
    "Evelyn Shaw": ("PERSON", "Ella Stone"),
    "Oak Street Clinic": ("LOCATION", "[CLINIC]"),
    "Millbrook": ("LOCATION", "[TOWN]"),
    "555-201-7788": ("PHONE", "[PHONE]"),
    "Evelyn": ("PERSON", "Ella"),
    "44-918-2203": ("ID", "[ID]"),
    "evelyn": ("PERSON", "Ella"),
}


def occurrences(text: str, words: str) -> list[tuple[int, int]]:
    found, start = [], text.find(words)
    while start >= 0:
        found.append((start, start + len(words)))
        start = text.find(words, start + 1)
    return found


def accept_all(interview: Interview, lead: Any) -> list[tuple[int, int, str]]:
    """Accept every identifier of IDENTIFIERS (longest first, no overlaps) with its replacement."""
    taken: list[tuple[int, int, str]] = []
    for words in sorted(IDENTIFIERS, key=len, reverse=True):
        kind, replacement = IDENTIFIERS[words]
        entity, _ = DeidEntity.objects.get_or_create(
            study=interview.dyad.study,
            digest=entity_digest(study_id=interview.dyad.study_id, kind=kind, text=words),
            defaults={"kind": kind, "replacement": replacement},
        )
        for start, end in occurrences(interview.text, words):
            if any(s < end and start < e for s, e, _ in taken):
                continue
            if (
                interview.text[start - 1 : start].isalpha()
                or interview.text[end : end + 1].isalpha()
            ):
                continue
            DeidSpan.objects.create(
                interview=interview, start=start, end=end, kind=kind, entity=entity,
                status=DeidSpan.Status.ACCEPTED, decided_by=lead,
            )  # fmt: skip
            taken.append((start, end, replacement))
    return sorted(taken)


def span(text: str, words: str, nth: int = 0) -> tuple[int, int]:
    return occurrences(text, words)[nth]


@pytest.fixture
def reviewed(study: Study, lead: Any, coder: Any, coder2: Any) -> dict[str, Any]:
    interview = make_interview(study=study, text=TEXT, filename="maria-evelyn-shaw.txt", by=lead)
    text = interview.text
    passages = {
        # Around an identifier, across two, inside one, touching one, ending where one starts.
        "around": span(text, "Dr. Evelyn Shaw, at"),
        "across": span(text, "Shaw, at Oak Street Clinic in Millbrook. She"),
        "inside": span(text, "Street"),
        "emoji": span(text, "🙂🙂 Dr."),
        "after": span(text, "still listens"),
        "phone": span(text, "on 555-201-7788"),
        "lower": span(text, "gave it to evelyn once."),
    }
    made: dict[str, Coding] = {}
    for who, layer, keys in (
        (coder, Layer.INDIVIDUAL, ["around", "across", "inside", "emoji"]),
        (coder2, Layer.INDIVIDUAL, ["around", "after", "phone", "lower"]),
        (lead, Layer.CONSENSUS, ["across", "after"]),
    ):
        rows = codings_bulk_create(
            interview=interview,
            coder=who,
            layer=layer,
            items=[
                CodingInput(code(study, "VAL").pk, *passages[k], memo=f"Evelyn said it ({k})")
                for k in keys
            ],
        )
        for key, row in zip(keys, rows, strict=True):
            made[f"{who.username}:{layer}:{key}"] = row
    consensus = made["lead:consensus:across"]
    case_study_evidence_add(
        dyad=interview.dyad, code=code(study, "VAL"), coding_id=consensus.pk, actor=lead
    )
    case_study_summary_save(
        dyad=interview.dyad, text="Evelyn Shaw in Millbrook is trusted.", based_on=None, actor=lead
    )
    memo_create(study=study, author=coder, body="Evelyn (the GP) calls back; evelyn is kind.",
                coding=made["coder:individual:around"])  # fmt: skip
    job = Job.objects.create(kind="export", study=study, user=lead, params={"q": "Evelyn Shaw"})
    JobFile.objects.create(job=job, direction="output", name="x.csv", size=6, data=b"Evelyn")
    DeidTerm.objects.create(study=study, list="names", text="Evelyn Shaw")
    before = {pk: (c.start, c.end) for pk, c in ((c.pk, c) for c in made.values())}
    accepted = accept_all(interview, lead)
    return {"interview": interview, "made": made, "before": before, "accepted": accepted,
            "old": text}  # fmt: skip


def test_apply_moves_every_span_onto_the_same_words(reviewed: dict[str, Any], lead: Any) -> None:
    interview: Interview = reviewed["interview"]
    old = reviewed["old"]
    result = deid_apply(interview=interview, actor=lead)
    interview.refresh_from_db()
    new = interview.text
    reference = rewrite(old, [Replacement(s, e, r) for s, e, r in reviewed["accepted"]])
    assert new == reference.text
    assert "evelyn" not in new.casefold()
    assert "Millbrook" not in new
    assert "Dr. Ella Stone, at [CLINIC] in [TOWN]" in new
    assert result.replaced == len(reviewed["accepted"])
    assert result.kinds == {"PERSON": 3, "LOCATION": 2, "PHONE": 1, "ID": 1}
    assert interview.deid_status == DeidStatus.COMPLETE
    for key, coding in reviewed["made"].items():
        coding.refresh_from_db()
        assert coding.quote == new[coding.start : coding.end], key
        a, b = reviewed["before"][coding.pk]
        # The same words: the old passage, widened to whole identifiers, rewritten on its own.
        wide_a = min([s for s, e, _ in reviewed["accepted"] if s <= a < e] or [a])
        wide_b = max([e for s, e, _ in reviewed["accepted"] if s < b <= e] or [b])
        inside = [Replacement(s - wide_a, e - wide_a, r) for s, e, r in reviewed["accepted"]
                  if wide_a <= s and e <= wide_b]  # fmt: skip
        assert coding.quote == rewrite(old[wide_a:wide_b], inside).text, key
    quotes = {key: c.quote for key, c in reviewed["made"].items()}
    assert quotes["coder:individual:inside"] == "[CLINIC]"
    assert quotes["coder:individual:emoji"] == "🙂🙂 Dr."
    assert quotes["lead:consensus:after"] == "still listens"
    for turn in interview.turns.all():
        assert new[turn.start : turn.end].strip() == new[turn.start : turn.end]
        assert turn.speaker in ("Interviewer", "Maria")
    # Evidence still points at the consensus coding, now on the new words.
    evidence = CaseStudy.objects.get(dyad=interview.dyad).sections.get().evidence.get()
    assert evidence.pk == reviewed["made"]["lead:consensus:across"].pk
    assert DeidSpan.objects.filter(interview=interview, status="applied").count() == 7
    assert not ProtectedOriginal.objects.exists()  # destroyed by default


def text_columns() -> list[tuple[type[models.Model], str]]:
    columns = []
    for model in apps.get_models():
        if model in (ProtectedOriginal, DeidTerm):
            continue  # protected by design: the leads' original and private names list
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                columns.append((model, field.attname))
    return columns


def leftovers(identifiers: list[str]) -> list[str]:
    """Every text column of every table, searched for each identifier (case-insensitively)."""
    found = []
    for model, column in text_columns():
        for pk, value in model._default_manager.values_list("pk", column):
            if value is None:
                continue
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            for identifier in identifiers:
                if identifier.casefold() in text.casefold():
                    found.append(f"{model._meta.label}.{column} #{pk}: {identifier}")
    return found


@pytest.mark.parametrize("keep", [False, True])
def test_no_copy_of_a_replaced_identifier_is_left(
    reviewed: dict[str, Any], lead: Any, study: Study, keep: bool
) -> None:
    study.deid_keep_original = keep
    study.save()
    identifiers = sorted(IDENTIFIERS)
    assert leftovers(identifiers), "the identifiers are stored before the review is applied"
    result = deid_apply(interview=reviewed["interview"], actor=lead)
    assert leftovers(identifiers) == []
    assert not JobFile.objects.exists()
    assert "files_purged" in Job.objects.get().result
    assert Memo.objects.get().body == "Ella (the GP) calls back; Ella is kind."
    assert CaseStudy.objects.get().summary == "Ella Stone in [TOWN] is trusted."
    assert result.original_kept is keep
    if keep:
        assert ProtectedOriginal.objects.get().text == reviewed["old"]


def test_apply_refuses_and_changes_nothing(reviewed: dict[str, Any], lead: Any) -> None:
    interview: Interview = reviewed["interview"]
    spans = list(DeidSpan.objects.filter(interview=interview).order_by("start"))
    DeidSpan.objects.filter(pk=spans[0].pk).update(end=spans[1].end)  # now overlapping
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        deid_apply(interview=interview, actor=lead)
    interview.refresh_from_db()
    assert interview.text == reviewed["old"]
    assert interview.deid_status == DeidStatus.NOT_REVIEWED
    assert JobFile.objects.exists()


def test_scrubber_replaces_whole_occurrences_longest_first() -> None:
    scrub = Scrubber({"Evelyn Shaw": "Ella Stone", "Evelyn": "Ella", "Ann": "Bea"})
    assert scrub.text("Evelyn Shaw and evelyn; Annual Ann's") == "Ella Stone and Ella; Annual Bea's"
    assert scrub.json({"quote": ["Evelyn"], "n": 3}) == {"quote": ["Ella"], "n": 3}


def index_words(interview_id: int) -> str:
    """What the full-text index holds for the interview ("" when it has no entry)."""
    from django.db import connection

    from interviews.search_index import SQLITE_TABLE

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT search_words::text FROM interviews_interview WHERE id = %s", [interview_id]
            )
        else:
            cursor.execute(
                f"SELECT words FROM {SQLITE_TABLE} WHERE rowid = %s",  # noqa: S608
                [interview_id],
            )
        row = cursor.fetchone()
    return (row[0] or "") if row else ""


def test_search_finds_no_replaced_identifier(reviewed: dict[str, Any], lead: Any) -> None:
    from django.test import Client

    from interviews.search_index import search_index_update

    interview = reviewed["interview"]
    search_index_update(interview_ids=[interview.pk])
    assert "millbrook" in index_words(interview.pk)
    client = Client()
    client.force_login(lead)
    found = client.get("/api/v1/studies/study/search/", {"q": "Millbrook", "mode": "words"})
    assert found.json()["results"]
    deid_apply(interview=interview, actor=lead)
    assert "millbrook" not in index_words(interview.pk)  # the trigger dropped the stale entry
    for words in ("Millbrook", "Evelyn", "Shaw"):
        answer = client.get("/api/v1/studies/study/search/", {"q": words, "mode": "words"})
        assert answer.status_code == 200
        assert answer.json()["results"] == []
    assert "millbrook" not in index_words(interview.pk)  # re-indexed from the new text
    assert "ella" in index_words(interview.pk)
