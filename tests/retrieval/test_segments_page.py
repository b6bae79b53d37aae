"""The Segments tab: filters in the address, grouped results with counts, paging, downloads."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from coding.models import Coding, Layer
from coding.services import CodingInput, codings_bulk_create
from healing.audit.models import AuditEvent
from interviews.models import Study
from tests.factories import code, make_interview
from tests.retrieval.test_segments import reference
from tests.retrieval.world import World, build_world

pytestmark = pytest.mark.django_db

PAGE = "/studies/study/segments/"


@pytest.fixture
def world(study: Study, lead: Any, coder: Any, coder2: Any) -> World:
    return build_world(study=study, lead=lead, coder=coder, coder2=coder2, dyads=4)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown_ids(html: str) -> list[int]:
    import re

    return [int(m) for m in re.findall(r'data-coding="(\d+)"', html)]


def test_page_lists_the_filtered_segments_grouped_with_counts(world: World, lead: Any) -> None:
    response = client_for(lead).get(
        PAGE, {"code": "VAL", "role": "patient", "page_size": "200", "context": "40"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    expected = reference(world, codes=["VAL"], role="patient")
    assert shown_ids(html) == expected
    assert f"{len(expected)} segment" in html
    assert "code VAL with sub-codes; said by the patient" in html
    assert "Best available" in html
    for pk in expected[:3]:
        coding = Coding.objects.get(pk=pk)
        assert f'href="/interviews/{coding.interview_id}/#coding-{pk}"' in html


def test_grouped_by_code_and_paged(world: World, lead: Any) -> None:
    client = client_for(lead)
    first = client.get(PAGE, {"order": "code", "page_size": "5"}).content.decode()
    assert 'rel="next"' in first
    assert len(shown_ids(first)) == 5
    next_query = first.split('rel="next"')[0].rsplit('href="?', 1)[1].split('"')[0]
    second = client.get(PAGE + "?" + next_query.replace("&amp;", "&")).content.decode()
    assert set(shown_ids(second)).isdisjoint(shown_ids(first))
    assert "First page" in second


def test_bad_filter_is_a_clear_400_on_the_page(world: World, lead: Any) -> None:
    response = client_for(lead).get(PAGE, {"code": "NOPE"})
    assert response.status_code == 400
    assert "The codebook has no code" in response.content.decode()
    assert client_for(lead).get(PAGE, {"format": "pdf"}).status_code == 400


def test_downloads_carry_the_filters_and_neutralise_formulas(
    study: Study, lead: Any, coder: Any
) -> None:
    interview = make_interview(
        study=study, text='Interviewer: Why?\n\nMaria: =HYPERLINK("x") she listened to me.\n'
    )
    start = interview.text.index("=HYPERLINK")
    codings_bulk_create(
        interview=interview,
        coder=coder,
        layer=Layer.INDIVIDUAL,
        items=[CodingInput(code(study, "VAL.PRES.ATT").pk, start, start + 15, memo="+1 memo")],
    )
    client = client_for(lead)
    params = {"code": "VAL", "layer": "all"}
    body = b"".join(client.get(PAGE, {**params, "format": "csv"}).streaming_content).decode()
    assert "# layer: All coders (union)" in body
    assert "# filters: code VAL with sub-codes" in body
    rows = list(
        csv.reader(
            io.StringIO("\n".join(line for line in body.splitlines() if not line.startswith("#")))
        )
    )
    assert rows[0][:3] == ["dyad", "perspective", "interview_id"]
    assert rows[1][13] == '\'=HYPERLINK("x")'
    assert rows[1][15] == "'+1 memo"
    sheet = load_workbook(io.BytesIO(client.get(PAGE, {**params, "format": "xlsx"}).content))
    assert sheet["Segments"]["N2"].value == '\'=HYPERLINK("x")'
    assert any("code VAL" in str(c.value) for row in sheet["About"].iter_rows() for c in row)
    report = Document(io.BytesIO(client.get(PAGE, {**params, "format": "docx"}).content))
    text = "\n".join(p.text for p in report.paragraphs)
    assert "Filters: code VAL with sub-codes" in text
    assert "Dyad D01" in text
    assert '=HYPERLINK("x")' in text
    assert AuditEvent.objects.filter(action="export", after__what="retrieved segments").count() == 3


def test_blinded_coder_is_offered_only_themselves(world: World, study: Study, coder: Any) -> None:
    study.blind_coding = True
    study.save()
    html = client_for(coder).get(PAGE).content.decode()
    assert '<option value="coder"' in html
    assert '<option value="coder2"' not in html
    assert 'value="all"' not in html
    assert client_for(coder).get(PAGE, {"coder": "coder2"}).status_code == 403
