"""Exports: coded segments (CSV, JSON Lines, XLSX), the code-by-dyad matrix, the codebook;
their metadata, layers and blind coding, streaming, jobs, the command, and the audit trail."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from rest_framework.test import APIClient

from coding.models import Coding, Layer
from coding.services import CodingInput, codings_bulk_create
from healing.audit.models import AuditEvent
from healing.jobs.models import Job, JobState
from interviews.models import Interview, Study, Turn
from tests.factories import code, make_interview
from tests.rich_study import Rich, build_rich_study, span

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich(study: Study, lead: Any, coder: Any, coder2: Any) -> Rich:
    return build_rich_study(study=study, lead=lead, coder=coder, coder2=coder2)


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def download(user: Any, url: str, **headers: str) -> Any:
    response = client_for(user).get(url, **headers)
    assert response.status_code == 200, getattr(response, "content", b"")[:500]
    return response


def body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def turn_containing(interview_id: int, offset: int) -> Turn:
    return Turn.objects.filter(interview_id=interview_id, end__gt=offset).order_by("index").first()


# --- Coded segments ------------------------------------------------------------------------------


def test_the_csv_export_read_by_pandas_matches_the_database(rich: Rich, viewer: Any) -> None:
    response = download(viewer, "/api/v1/studies/study/exports/csv/?layer=all")
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    frame = pd.read_csv(io.BytesIO(body(response)), keep_default_na=False)
    assert len(frame) == Coding.objects.filter(interview__dyad__study=rich.study).count() == 8

    coding = Coding.objects.select_related("interview__dyad", "code", "coder").get(
        interview=rich.patient, coder__username="coder2", code__key="VAL.CON"
    )
    row = frame[frame["coding_id"] == coding.pk].iloc[0]
    dyad = coding.interview.dyad
    turn = turn_containing(coding.interview_id, coding.start)
    assert row["study"] == "study"
    assert row["dyad"] == dyad.label
    assert row["dyad.years_together"] == dyad.attributes["years_together"] == 12
    assert row["clinician"] == dyad.clinician.pseudonym
    assert row["clinician.type"] == "MD"
    assert row["patient"] == 'Maria, "M"'
    assert row["patient.age_band"] == "65+"
    assert bool(row["patient.insured"]) is True
    assert row["interview_id"] == coding.interview_id
    assert row["perspective"] == "patient"
    assert row["turn_index"] == turn.index
    assert row["speaker"] == turn.speaker == "Maria"
    assert row["speaker_role"] == turn.role == "patient"
    assert row["timestamp"] == "0:00:12"
    assert row["code_key"] == coding.code.key
    assert row["code_name"] == coding.code.name
    assert row["code_group"] == coding.code.group
    assert row["code_parent_path"] == "VAL"
    assert row["coder"] == coding.coder.username
    assert row["layer"] == coding.layer
    assert (row["start"], row["end"]) == (coding.start, coding.end)
    assert row["quote"] == coding.quote == rich.patient.text[coding.start : coding.end]
    assert row["memo"] == coding.memo == "line one\nline two <script>x</script>"
    assert row["codebook_version"] == coding.codebook_version
    assert pd.Timestamp(row["created"]) == pd.Timestamp(coding.created)
    # The export says what it is, on every row, and pandas needs no options to read it.
    assert set(frame["export_layer"]) == {"all"}
    assert set(frame["export_codebook_version"]) == {rich.study.codebook.version}
    assert response["X-Healing-Layer"] == "all"
    assert response["X-Healing-Codebook-Version"] == str(rich.study.codebook.version)
    assert frame["exported_at"].iloc[0] == response["X-Healing-Exported-At"]


def test_turns_are_found_for_codings_in_any_turn_and_order(rich: Rich, viewer: Any) -> None:
    frame = pd.read_csv(
        io.BytesIO(body(download(viewer, "/api/v1/studies/study/exports/csv/"))),
        keep_default_na=False,
    )
    for row in frame.itertuples():
        turn = turn_containing(row.interview_id, row.start)
        assert row.turn_index == turn.index, row
    # Rows go interview by interview, each in text order.
    keys = list(zip(frame["interview_id"], frame["start"], frame["end"], strict=True))
    assert keys == sorted(keys)


def test_the_fast_csv_writer_writes_what_csv_writer_writes(rich: Rich, viewer: Any) -> None:
    from coding.exchange.registry import ExportOptions
    from coding.exchange.segments import segment_table, segments_csv_chunks
    from coding.exchange.tabular import export_stamp

    stamp = export_stamp(study=rich.study, options=ExportOptions())
    fast = b"".join(
        segments_csv_chunks(segment_table(study=rich.study, options=ExportOptions(), stamp=stamp))
    )
    table = segment_table(study=rich.study, options=ExportOptions(), stamp=stamp)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.header)
    writer.writerows(table.rows())
    assert fast == buffer.getvalue().encode("utf-8")
    assert b'"line one\nline two <script>x</script>"' in fast
    assert b'"Maria, ""M"""' in fast


@given(st.text())
def test_csv_text_quotes_like_the_csv_module(value: str) -> None:
    from coding.exchange.segments import csv_text

    buffer = io.StringIO()
    csv.writer(buffer).writerow([value, 1])
    assert csv_text(value) + ",1\r\n" == buffer.getvalue()


def test_json_lines_carry_the_same_rows_with_native_types(rich: Rich, viewer: Any) -> None:
    csv_rows = list(
        csv.DictReader(
            io.StringIO(body(download(viewer, "/api/v1/studies/study/exports/csv/")).decode())
        )
    )
    response = download(viewer, "/api/v1/studies/study/exports/jsonl/")
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in body(response).decode().splitlines()]
    assert len(lines) == len(csv_rows)
    assert list(lines[0]) == list(csv_rows[0])
    first = lines[0]
    assert isinstance(first["start"], int)
    assert isinstance(first["dyad.years_together"], int)
    assert first["patient.insured"] is True
    by_id = {row["coding_id"]: row for row in csv_rows}
    for line in lines:
        assert line["quote"] == by_id[str(line["coding_id"])]["quote"]


def test_xlsx_keeps_text_as_text_and_has_an_about_sheet(
    rich: Rich, coder2: Any, viewer: Any
) -> None:
    formula = "=SUM(A1:A9) is what I'd write"
    codings_bulk_create(
        interview=rich.patient,
        coder=coder2,
        items=[CodingInput(code(rich.study, "OUT.TRUST").pk, *span(rich.patient, formula))],
    )
    response = download(viewer, "/api/v1/studies/study/exports/xlsx/?layer=all")
    book = load_workbook(io.BytesIO(body(response)))
    assert book.sheetnames == ["Coded segments", "About"]
    sheet = book["Coded segments"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["study", "dyad", "dyad.years_together"]
    quotes = [row[header.index("quote")] for row in sheet.iter_rows(min_row=2)]
    # Neutralised as OWASP recommends: an apostrophe before it, and a text cell.
    formula_cell = next(cell for cell in quotes if str(cell.value).startswith("'="))
    assert formula_cell.value == "'" + formula
    assert formula_cell.data_type == "s"
    raw = load_workbook(
        io.BytesIO(body(download(viewer, "/api/v1/studies/study/exports/xlsx/?layer=all&raw=true")))
    )["Coded segments"]
    raw_cell = next(
        row[header.index("quote")]
        for row in raw.iter_rows(min_row=2)
        if str(row[header.index("quote")].value).startswith("=")
    )
    assert raw_cell.value == formula
    assert raw_cell.data_type == "s"  # raw, but still a value, never a formula
    assert sheet.max_row == 1 + 9
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["layer"] == "all"
    assert about["codebook version"] == rich.study.codebook.version


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?layer=consensus", {("lead", "consensus")}),
        ("?layer=individual", {("coder", "individual"), ("coder2", "individual")}),
        ("?coder=coder2", {("coder2", "individual")}),
        ("?layer=individual&coder=coder", {("coder", "individual")}),
    ],
)
def test_a_layer_or_a_coder_is_chosen_and_stated(
    rich: Rich, viewer: Any, query: str, expected: set[tuple[str, str]]
) -> None:
    response = download(viewer, f"/api/v1/studies/study/exports/csv/{query}")
    rows = list(csv.DictReader(io.StringIO(body(response).decode())))
    assert {(row["coder"], row["layer"]) for row in rows} == expected
    assert {row["export_layer"] for row in rows} == {response["X-Healing-Layer"]}


@pytest.mark.parametrize(("query", "field"), [("?layer=mine", "layer"), ("?coder=nobody", "coder")])
def test_an_unknown_layer_or_coder_is_a_400(
    rich: Rich, viewer: Any, query: str, field: str
) -> None:
    response = client_for(viewer).get(f"/api/v1/studies/study/exports/csv/{query}")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not AuditEvent.objects.filter(action="export").exists()


def test_blind_coding_limits_a_coders_export_to_the_consensus_and_their_own(
    rich: Rich, coder: Any, viewer: Any
) -> None:
    Study.objects.filter(pk=rich.study.pk).update(blind_coding=True)
    client = client_for(coder)
    for query in ("?layer=all", "?layer=individual", "?coder=coder2"):
        response = client.get(f"/api/v1/studies/study/exports/csv/{query}")
        assert response.status_code == 403, query
        assert "Blind coding" in response.json()["error"]["message"]
    assert client.get("/api/v1/studies/study/exports/json/").status_code == 403
    own = list(
        csv.DictReader(
            io.StringIO(
                body(download(coder, "/api/v1/studies/study/exports/csv/?coder=coder")).decode()
            )
        )
    )
    assert {row["coder"] for row in own} == {"coder"}
    consensus = body(download(coder, "/api/v1/studies/study/exports/csv/?layer=consensus"))
    assert b"coder2" not in consensus
    # A viewer is not blinded.
    assert client_for(viewer).get("/api/v1/studies/study/exports/csv/").status_code == 200


def test_an_accept_header_does_not_stop_a_download(rich: Rich, viewer: Any) -> None:
    response = download(viewer, "/api/v1/studies/study/exports/csv/", HTTP_ACCEPT="text/csv")
    assert body(response).startswith(b"study,dyad,")
    unknown = client_for(viewer).get("/api/v1/studies/study/exports/pdf/")
    assert unknown.status_code == 404
    assert "csv" in unknown.json()["error"]["message"]


def test_the_csv_stream_runs_a_fixed_number_of_queries(
    study: Study, lead: Any, viewer: Any
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            body(download(viewer, "/api/v1/studies/study/exports/csv/"))
        return len(captured.captured_queries)

    interview = make_interview(study=study, by=lead)
    val = code(study, "VAL").pk
    codings_bulk_create(interview=interview, coder=lead, items=[CodingInput(val, 0, 5)])
    few = queries()
    for n in range(3):
        more = make_interview(study=study, dyad=f"D1{n}", by=lead)
        codings_bulk_create(
            interview=more, coder=lead, items=[CodingInput(val, i, i + 5) for i in range(40)]
        )
    # study and access, codebook version, attribute definitions, dyads, interviews, codes,
    # members, audit record, savepoint and release (the stream's transaction), turns, codings
    assert queries() == few <= 16


# --- The code-by-dyad matrix ---------------------------------------------------------------------


def test_the_matrix_counts_codings_with_sub_codes_rolled_up(rich: Rich, viewer: Any) -> None:
    response = download(viewer, "/api/v1/studies/study/exports/matrix-csv/?layer=all")
    frame = pd.read_csv(io.BytesIO(body(response)), keep_default_na=False)
    counts = frame[frame["measure"] == "count"].set_index(["dyad", "perspective"])
    present = frame[frame["measure"] == "present"].set_index(["dyad", "perspective"])
    # Patient side: full attention by three people, connecting by one.
    assert counts.loc[("D01", "patient"), "VAL.PRES.ATT"] == 3
    assert counts.loc[("D01", "patient"), "VAL.PRES"] == 3
    assert counts.loc[("D01", "patient"), "VAL.CON"] == 1
    assert counts.loc[("D01", "patient"), "VAL"] == 4
    assert counts.loc[("D01", "clinician"), "VAL"] == 1  # humour, under connecting
    assert counts.loc[("D01", "dyad"), "VAL"] == 5
    assert counts.loc[("D01", "patient"), "OUT.HOPE"] == 2
    assert counts.loc[("D01", "clinician"), "OUT.HOPE"] == 0
    assert present.loc[("D01", "patient"), "OUT.HOPE"] == 1
    assert present.loc[("D01", "clinician"), "OUT.HOPE"] == 0
    assert counts.loc[("D01", "patient"), "interviews"] == 1
    # A dyad without interviews has rows too, with 0 interviews.
    assert counts.loc[("D02", "dyad"), "interviews"] == 0
    assert counts.loc[("D01", "patient"), "layer_used"] == "all"
    assert counts.loc[("D02", "dyad"), "VAL"] == 0
    assert list(frame.columns[-3:]) == ["export_layer", "export_codebook_version", "exported_at"]

    consensus = pd.read_csv(
        io.BytesIO(
            body(download(viewer, "/api/v1/studies/study/exports/matrix-csv/?layer=consensus"))
        ),
        keep_default_na=False,
    )
    only = consensus[consensus["measure"] == "count"].set_index(["dyad", "perspective"])
    assert only.loc[("D01", "patient"), "VAL"] == 1
    assert set(consensus["export_layer"]) == {"consensus"}


def test_analysis_exports_default_to_the_best_layer(rich: Rich, coder: Any, viewer: Any) -> None:
    def rows(user: Any, query: str = "") -> list[dict[str, str]]:
        url = f"/api/v1/studies/study/exports/csv/{query}"
        return list(csv.DictReader(io.StringIO(body(download(user, url)).decode())))

    # Nothing is consensus-complete: the best layer is every coder's individual layer.
    best = rows(viewer)
    individual = Coding.objects.filter(interview__dyad__study=rich.study, layer=Layer.INDIVIDUAL)
    assert len(best) == individual.count()
    assert {row["layer"] for row in best} == {"individual"}
    assert {row["export_layer"] for row in best} == {"best"}
    # The patient interview's consensus is complete: its rows come from the consensus now.
    Interview.objects.filter(pk=rich.patient.pk).update(consensus_complete=True)
    best = rows(viewer)
    from_patient = {row["layer"] for row in best if row["perspective"] == "patient"}
    from_clinician = {row["layer"] for row in best if row["perspective"] == "clinician"}
    assert (from_patient, from_clinician) == ({"consensus"}, {"individual"})
    assert len(best) == (
        Coding.objects.filter(interview=rich.patient, layer=Layer.CONSENSUS).count()
        + Coding.objects.filter(interview=rich.clinician, layer=Layer.INDIVIDUAL).count()
    )
    # The whole-study JSON still carries every layer by default.
    whole = json.loads(body(download(viewer, "/api/v1/studies/study/exports/json/")))
    assert whole["layer"] == "all"
    # A blinded coder's best layer: the consensus where complete, else their own codings.
    Study.objects.filter(pk=rich.study.pk).update(blind_coding=True)
    own = rows(coder)
    assert {(r["perspective"], r["layer"]) for r in own if r["layer"] == "individual"} <= {
        ("clinician", "individual")
    }
    assert {r["coder"] for r in own if r["layer"] == "individual"} <= {"coder"}
    # The matrix says which codings each dyad and side was read from.
    matrix = list(
        csv.DictReader(
            io.StringIO(
                body(download(viewer, "/api/v1/studies/study/exports/matrix-csv/")).decode()
            )
        )
    )
    used = {(r["dyad"], r["perspective"]): r["layer_used"] for r in matrix if r["dyad"] == "D01"}
    assert used == {
        ("D01", "patient"): "consensus",
        ("D01", "clinician"): "coders",
        ("D01", "dyad"): "consensus + coders",
    }


def test_the_matrix_workbook_has_counts_and_presence(rich: Rich, viewer: Any) -> None:
    book = load_workbook(
        io.BytesIO(body(download(viewer, "/api/v1/studies/study/exports/matrix-xlsx/?layer=all")))
    )
    assert book.sheetnames == ["Counts", "Presence", "Codes", "About"]
    header = [cell.value for cell in book["Counts"][1]]
    column = header.index("VAL")
    rows = {
        (row[1].value, row[header.index("perspective")].value): row[column].value
        for row in book["Counts"].iter_rows(min_row=2)
    }
    assert rows[("D01", "patient")] == 4
    presence = {
        (row[1].value, row[header.index("perspective")].value): row[column].value
        for row in book["Presence"].iter_rows(min_row=2)
    }
    assert presence[("D01", "patient")] == 1


# --- The codebook --------------------------------------------------------------------------------


def test_the_codebook_exports_in_tree_order_and_markdown_escapes_text(
    rich: Rich, viewer: Any
) -> None:
    rows = list(
        csv.DictReader(
            io.StringIO(
                body(download(viewer, "/api/v1/studies/study/codebook/exports/csv/")).decode()
            )
        )
    )
    keys = [row["key"] for row in rows]
    assert keys.index("VAL") < keys.index("VAL.CON") < keys.index("VAL.CON.HUMOR")
    humour = next(row for row in rows if row["key"] == "VAL.CON.HUMOR")
    assert humour["path"] == "VAL > VAL.CON > VAL.CON.HUMOR"
    assert humour["depth"] == "2"
    assert humour["parent"] == "VAL.CON"
    assert {row["codebook_version"] for row in rows} == {str(rich.study.codebook.version)}

    response = download(viewer, "/api/v1/studies/study/codebook/exports/md/")
    assert response["Content-Type"].startswith("text/markdown")
    markdown = body(response).decode()
    assert markdown.startswith("# ")
    assert f"Codebook version {rich.study.codebook.version}" in markdown
    assert "##### VAL.CON.HUMOR — Humour" in markdown
    assert "Shared jokes &lt;b&gt;and&lt;/b&gt; laughter." in markdown
    assert "<b>" not in markdown
    assert "Hope (renamed)" in markdown

    book = load_workbook(
        io.BytesIO(body(download(viewer, "/api/v1/studies/study/codebook/exports/xlsx/")))
    )
    assert book["Codebook"]["A1"].value == "key"


# --- Audit, jobs, the command --------------------------------------------------------------------


def test_every_export_is_recorded_in_the_audit_trail(
    rich: Rich, viewer: Any, tmp_path: Path
) -> None:
    body(download(viewer, "/api/v1/studies/study/exports/csv/?layer=consensus"))
    body(download(viewer, "/api/v1/studies/study/codebook/exports/md/"))
    call_command(
        "export_study", study="study", format="jsonl", out=str(tmp_path / "x.jsonl"), user="lead"
    )
    events = list(AuditEvent.objects.filter(action="export").order_by("id"))
    assert [(e.object_type, e.after["format"], e.after["via"]) for e in events] == [
        ("study", "csv", "api"),
        ("codebook", "md", "api"),
        ("study", "jsonl", "command"),
    ]
    assert events[0].actor == viewer
    assert events[0].after["layer"] == "consensus"
    assert events[2].actor.username == "lead"


def test_the_command_writes_each_format(rich: Rich, tmp_path: Path) -> None:
    out = tmp_path / "segments.csv"
    call_command("export_study", study="study", format="csv", out=str(out), layer="consensus")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {row["layer"] for row in rows} == {"consensus"}
    for name in ("xlsx", "matrix-csv", "matrix-xlsx", "json", "jsonl"):
        path = tmp_path / f"study.{name}"
        call_command("export_study", study="study", format=name, out=str(path))
        assert path.stat().st_size > 100
    with pytest.raises(CommandError, match="No user 'ghost'"):
        call_command("export_study", study="study", format="csv", out=str(out), coder="ghost")
    assert not out.exists()
    for name in ("csv", "xlsx", "md"):
        call_command(
            "export_codebook", study="study", format=name, out=str(tmp_path / f"cb.{name}")
        )
    assert (tmp_path / "cb.md").read_text().startswith("# ")


def test_an_export_runs_as_a_job_with_a_downloadable_file(
    rich: Rich, viewer: Any, lead: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/studies/study/exports/",
            {"format": "xlsx", "layer": "consensus"},
            format="json",
        )
    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert response["Location"] == f"/api/v1/jobs/{job.pk}/"
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.progress == 100
    detail = client.get(f"/api/v1/jobs/{job.pk}/").json()
    output = detail["outputs"][0]
    assert output["name"].endswith(".xlsx")
    assert "consensus" in output["name"]
    file = client.get(f"/api/v1/jobs/{job.pk}/files/{output['id']}/")
    assert file.status_code == 200
    sheet = load_workbook(io.BytesIO(file.content))["Coded segments"]
    header = [cell.value for cell in sheet[1]]
    layers = {row[header.index("layer")].value for row in sheet.iter_rows(min_row=2)}
    assert layers == {"consensus"}
    # The lead sees the viewer's job (leads see every job of their studies); others do not.
    assert client_for(lead).get(f"/api/v1/jobs/{job.pk}/").status_code == 200
    codebook_job = client.post(
        "/api/v1/studies/study/exports/", {"format": "md", "target": "codebook"}, format="json"
    )
    assert codebook_job.status_code == 202
    bad = client.post("/api/v1/studies/study/exports/", {"format": "pdf"}, format="json")
    assert bad.status_code == 400
    assert "format" in bad.json()["error"]["fields"]


def test_a_whole_file_export_of_a_large_study_asks_for_a_job(
    rich: Rich, viewer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("coding.exports.DIRECT_EXPORT_MAX_CODINGS", 3)
    monkeypatch.setattr("coding.exchange.api.DIRECT_EXPORT_MAX_CODINGS", 3)
    response = client_for(viewer).get("/api/v1/studies/study/exports/xlsx/")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "use_a_job"
    assert "POST /api/v1/studies/study/exports/" in response.json()["error"]["message"]
    # Streamed formats are sent whatever the size.
    assert client_for(viewer).get("/api/v1/studies/study/exports/csv/").status_code == 200


def test_the_formats_are_listed_for_members(rich: Rich, viewer: Any, outsider: Any) -> None:
    listed = client_for(viewer).get("/api/v1/studies/study/exports/").json()
    by_name = {(f["target"], f["name"]): f for f in listed}
    assert by_name[("study", "csv")]["streamed"] is True
    assert by_name[("study", "xlsx")]["streamed"] is False
    assert by_name[("codebook", "md")]["url"] == "/api/v1/studies/study/codebook/exports/md/"
    assert client_for(outsider).get("/api/v1/studies/study/exports/").status_code == 404
    assert client_for(outsider).get("/api/v1/studies/study/exports/csv/").status_code == 404
    assert APIClient().get("/api/v1/studies/study/exports/csv/").status_code == 401


def test_layers_in_the_export_match_the_coding_layers(rich: Rich) -> None:
    assert {c.layer for c in Coding.objects.all()} == {Layer.INDIVIDUAL, Layer.CONSENSUS}


def test_a_format_that_records_its_own_export_is_recorded_once(rich: Rich, viewer: Any) -> None:
    response = client_for(viewer).get("/api/v1/studies/study/exports/qdpx/")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="export").count() == 1


def test_an_export_job_checks_access_again_when_it_runs(rich: Rich, viewer: Any) -> None:
    from coding.job_kinds import JobKind
    from healing.jobs.services import job_create, job_execute

    job = job_create(kind=JobKind.EXPORT, user=viewer, study=rich.study, params={"format": "csv"})
    rich.study.memberships.filter(user=viewer).delete()  # removed before the job ran
    job_execute(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert "no longer a member" in job.error
    assert not job.files.filter(direction="output").exists()
