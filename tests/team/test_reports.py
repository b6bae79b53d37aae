"""Agreement reports as jobs over the database: loading, scopes, units, exports, queries."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from coding.analysis.agreement import binary_agreement_summary, krippendorff_alpha
from coding.models import Assignment, Code, Coding, Layer
from coding.services import CodingInput, codings_bulk_create
from coding.team.reports import (
    AgreementRequest,
    agreement_csv,
    agreement_export,
    agreement_report_compute,
    agreement_report_start,
    agreement_request_clean,
)
from healing.audit.models import AuditEvent
from healing.jobs.models import Job, JobState
from interviews.models import Interview, Study, Turn
from tests.factories import code, make_interview
from tests.team.conftest import coding_of

pytestmark = pytest.mark.django_db


def request_for(coder: Any, coder2: Any, **fields: Any) -> AgreementRequest:
    return AgreementRequest(**{"scope": "study", "unit": "character",
                               "coders": [coder.pk, coder2.pk], **fields})  # fmt: skip


def test_character_report_matches_the_statistics_on_every_character(
    study: Study, coded: Interview, coder: Any, coder2: Any
) -> None:
    result = agreement_report_compute(study=study, request=request_for(coder, coder2))
    text_length = len(coded.text)
    assert result["units"] == text_length
    assert result["interviews"] == 1
    spans = list(Coding.objects.values_list("code_id", "coder_id", "start", "end"))
    for row in result["codes"]:
        flags = [
            [
                any(c == row["code"] and w == who.pk and s <= i < e for c, w, s, e in spans)
                for i in range(text_length)
            ]
            for who in (coder, coder2)
        ]
        expected = binary_agreement_summary(*flags)
        assert (row["both"], row["only_a"], row["only_b"], row["neither"]) == (
            expected["both"], expected["only_a"], expected["only_b"], expected["neither"],
        )  # fmt: skip
        if expected["kappa"] is None:
            assert row["kappa"] is None
        else:
            assert row["kappa"] == pytest.approx(expected["kappa"])
        if any(flags[0]) or any(flags[1]):
            assert row["alpha"] == pytest.approx(krippendorff_alpha(flags))
    att = next(r for r in result["codes"] if r["key"] == "VAL.PRES.ATT")
    # "she listened to every word" against "listened to every word": 4 characters differ.
    assert (att["both"], att["only_a"], att["only_b"]) == (22, 4, 0)
    assert result["unit_label"] == "characters"
    assert "Characters that neither coder coded" in result["uncoded_text"]
    assert result["coder_names"] == ["Ana Ruiz", "Ben Clarke"]


def test_turn_report_counts_speaker_turns(
    study: Study, coded: Interview, coder: Any, coder2: Any
) -> None:
    turns = Turn.objects.filter(interview=coded).count()
    assert turns == 4
    result = agreement_report_compute(study=study, request=request_for(coder, coder2, unit="turn"))
    assert result["units"] == 4
    rows = {r["key"]: r for r in result["codes"]}
    # Turn 1 (Maria's first): ATT by both, OUT.TRUST by coder2 only; turn 3: POW.EDU coder,
    # ABI.NGU both.
    assert (rows["VAL.PRES.ATT"]["both"], rows["VAL.PRES.ATT"]["neither"]) == (1, 3)
    assert (rows["OUT.TRUST"]["only_b"], rows["OUT.TRUST"]["neither"]) == (1, 3)
    assert (rows["POW.EDU"]["only_a"], rows["POW.EDU"]["neither"]) == (1, 3)
    assert rows["ABI.NGU"]["kappa"] == 1.0


def test_segment_report_matches_by_overlap(
    study: Study, coded: Interview, coder: Any, coder2: Any
) -> None:
    at_half = agreement_report_compute(
        study=study, request=request_for(coder, coder2, unit="segment", threshold=0.5)
    )
    rows = {r["key"]: r for r in at_half["codes"]}
    # 22 of 26 characters overlap: matched at 50 %, not at 90 %.
    assert rows["VAL.PRES.ATT"]["percent"] == 1.0
    assert at_half["overall"]["units"] == 4  # ATT, ABI.NGU matched; POW.EDU, OUT.TRUST alone
    assert at_half["overall"]["percent"] == 0.5
    strict = agreement_report_compute(
        study=study, request=request_for(coder, coder2, unit="segment", threshold=0.9)
    )
    assert {r["key"]: r for r in strict["codes"]}["VAL.PRES.ATT"]["percent"] == 0.0
    assert strict["threshold"] == 0.9


def test_scopes_restrict_the_interviews(
    study: Study, coded: Interview, coder: Any, coder2: Any
) -> None:
    other = make_interview(study=study, dyad="D02")
    codings_bulk_create(interview=other, coder=coder,
                        items=[coding_of(other, study, coder, "VAL", "Café talk")])  # fmt: skip
    whole = agreement_report_compute(study=study, request=request_for(coder, coder2))
    assert whole["interviews"] == 2
    one = agreement_report_compute(
        study=study, request=request_for(coder, coder2, scope="interview", target=other.pk)
    )
    assert one["interviews"] == 1
    assert one["scope_label"] == "Interview D02 · patient"
    dyad = agreement_report_compute(
        study=study, request=request_for(coder, coder2, scope="dyad", target=coded.dyad_id)
    )
    assert [r["interview"] for r in dyad["per_interview"]] == [coded.pk]


def test_inactive_codes_nobody_used_are_left_out(
    study: Study, coded: Interview, coder: Any, coder2: Any
) -> None:
    keys = {r["key"] for r in agreement_report_compute(
        study=study, request=request_for(coder, coder2))["codes"]}  # fmt: skip
    assert "HEAL" not in keys  # switched off in the shipped codebook
    Code.objects.filter(pk=code(study, "POW.EDU").pk).update(is_active=False)
    keys = {r["key"] for r in agreement_report_compute(
        study=study, request=request_for(coder, coder2))["codes"]}  # fmt: skip
    assert "POW.EDU" in keys  # switched off, but coded


def test_the_report_reads_a_fixed_number_of_queries(
    study: Study, coded: Interview, coder: Any, coder2: Any, lead: Any
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            agreement_report_compute(study=study, request=request_for(coder, coder2, unit="turn"))
        return len(captured.captured_queries)

    before = count()
    for n in range(3):
        extra = make_interview(study=study, dyad=f"E{n}", by=lead)
        for who in (coder, coder2):
            items = [coding_of(extra, study, who, "VAL", "Café talk")]
            codings_bulk_create(interview=extra, coder=who, items=items)
    # interviews, codes, assignments, lengths, codings, turns, user names, interview labels
    assert count() == before == 8


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scope": "galaxy", "unit": "character"}, "scope"),
        ({"unit": "paragraph"}, "unit"),
        ({"unit": "turn", "coders": ["x", 1]}, "coders"),
        ({"unit": "turn", "coders": [1]}, "coders"),
        ({"unit": "segment", "threshold": "half"}, "threshold"),
        ({"unit": "segment", "threshold": "0"}, "threshold"),
        ({"unit": "segment", "scope": "dyad"}, "target"),
        ({"unit": "segment", "scope": "interview", "target": "abc"}, "target"),
    ],
)
def test_bad_requests_name_the_field(study: Study, coder: Any, coder2: Any,
                                     data: dict[str, Any], field: str) -> None:  # fmt: skip
    data.setdefault("coders", [coder.pk, coder2.pk])
    with pytest.raises(ValidationError) as caught:
        agreement_request_clean(study=study, data=data)
    assert field in caught.value.message_dict


def test_coders_and_targets_of_another_study_are_refused(
    study: Study, other_study: Study, coder: Any, coder2: Any, outsider: Any
) -> None:
    foreign = make_interview(study=other_study, dyad="X")
    with pytest.raises(ValidationError, match="has not coded"):
        agreement_request_clean(study=study, data={"unit": "turn",
                                                   "coders": [coder.pk, outsider.pk]})  # fmt: skip
    with pytest.raises(ValidationError, match="No such interview"):
        agreement_request_clean(study=study, data={
            "unit": "turn", "coders": [coder.pk, coder2.pk], "scope": "interview",
            "target": foreign.pk})  # fmt: skip


def test_a_job_stores_the_result_and_the_exports_read_it(
    study: Study, coded: Interview, lead: Any, coder: Any, coder2: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        job = agreement_report_start(study=study, user=lead, request=request_for(coder, coder2))
    job.refresh_from_db()
    assert (job.state, job.progress) == (JobState.SUCCEEDED, 100)
    assert job.result["overall"]["kappa"] is not None
    data, content_type, name = agreement_export(job=job, fmt="csv", actor=lead)
    assert content_type.startswith("text/csv")
    assert name == f"agreement-{job.pk}-character.csv"
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    by_level = {}
    for row in rows:
        by_level.setdefault(row["level"], []).append(row)
    att = next(r for r in by_level["code"] if r["code_key"] == "VAL.PRES.ATT")
    assert (att["unit"], att["both"], att["only_a"], att["coder_a"]) == (
        "character", "22", "4", "Ana Ruiz")  # fmt: skip
    assert len(by_level["overall"]) == 1
    assert by_level["interview"][0]["dyad"] == "D01"
    book = load_workbook(io.BytesIO(agreement_export(job=job, fmt="xlsx", actor=lead)[0]))
    assert book.sheetnames == ["Report", "Agreement"]
    about = {row[0]: row[1] for row in book["Report"].iter_rows(values_only=True)}
    assert about["Unit"] == "character (characters)"
    assert "Characters that neither coder coded" in about["How uncoded text counts"]
    assert AuditEvent.objects.filter(action="export").count() == 2
    with pytest.raises(ValidationError, match="csv or xlsx"):
        agreement_export(job=job, fmt="pdf", actor=lead)


def test_a_failed_job_says_why(study: Study, lead: Any, coder: Any, coder2: Any,
                               django_capture_on_commit_callbacks: Any) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        job = Job.objects.create(kind="agreement", study=study, user=lead,
                                 params={"unit": "turn", "coders": [coder.pk]})  # fmt: skip
        from django.db import transaction

        from healing.jobs.tasks import run_job

        transaction.on_commit(lambda: run_job.delay(job.pk))
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "at least two coders" in job.error


def test_consensus_codings_are_not_part_of_agreement(
    study: Study, coded: Interview, coder: Any, coder2: Any, lead: Any
) -> None:
    before = agreement_report_compute(study=study, request=request_for(coder, coder2))
    items = [CodingInput(code_id=code(study, "VAL").pk, start=0, end=20)]
    codings_bulk_create(interview=coded, coder=coder, layer=Layer.CONSENSUS, items=items)
    after = agreement_report_compute(study=study, request=request_for(coder, coder2))
    assert after["overall"] == before["overall"]


def test_a_coder_neither_assigned_nor_coding_an_interview_is_missing_there(
    study: Study, coded: Interview, coder: Any, coder2: Any, lead: Any
) -> None:
    other = make_interview(study=study, dyad="D02")
    codings_bulk_create(interview=other, coder=coder,
                        items=[coding_of(other, study, coder, "VAL", "Café talk")])  # fmt: skip
    result = agreement_report_compute(study=study, request=request_for(coder, coder2))
    # Was: coder2 said "no" to every character of D02. Now D02 is missing for coder2, and
    # with one coder counting it contributes nothing.
    assert [(m["interview"], m["coder_name"], m["dyad"]) for m in result["missing"]] == [
        (other.pk, "Ben Clarke", "D02")
    ]
    assert (result["interviews"], result["interviews_compared"]) == (2, 1)
    assert result["units"] == len(coded.text)
    row = next(r for r in result["per_interview"] if r["interview"] == other.pk)
    assert row["percent"] is None
    assert "only one coder counts" in row["note"]
    only_coded = agreement_report_compute(
        study=study, request=request_for(coder, coder2, scope="interview", target=coded.pk)
    )
    assert result["overall"]["kappa"] == only_coded["overall"]["kappa"]
    # Assigned, coder2 counts for D02 (and says "no" there).
    Assignment.objects.create(interview=other, coder=coder2, assigned_by=lead)
    assigned = agreement_report_compute(study=study, request=request_for(coder, coder2))
    assert assigned["missing"] == []
    assert assigned["units"] == len(coded.text) + len(other.text)
    assert assigned["overall"]["kappa"] != only_coded["overall"]["kappa"]


def test_the_table_folds_unused_codes_and_the_overall_row_pools_the_listed_codes(
    study: Study, coded: Interview, coder: Any, coder2: Any
) -> None:
    result = agreement_report_compute(study=study, request=request_for(coder, coder2))
    listed = {r["key"] for r in result["codes"]} | set(result["unused_labels"])
    active = set(Code.objects.filter(codebook__study=study, is_active=True).values_list(
        "key", flat=True))  # fmt: skip
    assert listed == active
    assert result["pooled_codes"] == len(listed)
    assert {r["key"] for r in result["codes"]} == {"VAL.PRES.ATT", "OUT.TRUST", "POW.EDU",
                                                   "ABI.NGU"}  # fmt: skip
    # The pool, computed here: every listed code over every character, unused codes all "no".
    n = len(coded.text)
    both = sum(r["both"] for r in result["codes"])
    only_a = sum(r["only_a"] for r in result["codes"])
    only_b = sum(r["only_b"] for r in result["codes"])
    neither = n * len(listed) - both - only_a - only_b
    overall = result["overall"]
    assert (overall["both"], overall["only_a"], overall["only_b"], overall["neither"]) == (
        both, only_a, only_b, neither)  # fmt: skip
    flags_a = [True] * both + [True] * only_a + [False] * only_b + [False] * neither
    flags_b = [True] * both + [False] * only_a + [True] * only_b + [False] * neither
    assert overall["alpha"] == pytest.approx(krippendorff_alpha([flags_a, flags_b]), abs=1e-12)
    assert overall["pi"] is not None
    assert overall["unitizing_alpha"] is not None
    rows = list(csv.DictReader(io.StringIO(agreement_csv(result).decode())))
    folded = [r for r in rows if r["level"] == "unused codes"]
    assert len(folded) == 1
    assert folded[0]["notes"].startswith("Not used by any coder in scope:")
    code_row = next(r for r in rows if r["code_key"] == "ABI.NGU")
    assert float(code_row["scott_pi"]) == 1.0
    assert float(code_row["unitizing_alpha"]) == 1.0
