"""Memos in the exports: the case study (Markdown and Word), the memos CSV (formulas
neutralised unless raw), and blind coding in both."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from docx import Document
from rest_framework.test import APIClient

from coding.exchange.registry import ExportOptions
from coding.exchange.study_import import study_import
from coding.exports import export_study_bytes, study_format
from coding.services import memo_create
from interviews.models import Interview, Study
from tests.factories import code

pytestmark = pytest.mark.django_db


def api_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def dyad_memos(study: Study, interview: Interview, lead: Any, coder: Any, coder2: Any) -> None:
    memo_create(study=study, author=lead, title="Rapport", body="Warm from the start.",
                dyad=interview.dyad, type="case_note")  # fmt: skip
    memo_create(study=study, author=coder, body="Hesitant about hope.", interview=interview,
                type="reflexive")  # fmt: skip
    memo_create(study=study, author=coder2, body="Coder two's view.", interview=interview)
    memo_create(study=study, author=lead, body="Not about this dyad.")


def test_case_study_markdown_and_word_carry_the_dyads_memos(
    interview: Interview, lead: Any, dyad_memos: None
) -> None:
    client = Client()
    client.force_login(lead)
    md = client.get(f"/dyads/{interview.dyad_id}/case-study.md").content.decode()
    memos = md[md.index("## Memos") :]
    assert "### Rapport" in memos
    assert "Case note memo on the dyad · Lena Ortiz ·" in memos
    assert "Warm from the start." in memos
    assert "Reflexive memo on Patient interview · Ana Ruiz ·" in memos
    assert "Hesitant about hope." in memos
    assert "Not about this dyad." not in md
    docx = api_for(lead).get(f"/api/v1/dyads/{interview.dyad_id}/case-study/export/docx/")
    assert docx.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "Memos" in texts
    assert "Warm from the start." in texts
    assert "Hesitant about hope." in texts


def test_case_study_memos_keep_blind_coding(
    study: Study, interview: Interview, coder: Any, dyad_memos: None
) -> None:
    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    client = Client()
    client.force_login(coder)
    md = client.get(f"/dyads/{interview.dyad_id}/case-study.md").content.decode()
    assert "Hesitant about hope." in md
    assert "Warm from the start." in md  # the lead's guidance
    assert "Coder two's view." not in md


def rows(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_memos_csv_neutralises_formulas_unless_raw(
    study: Study, interview: Interview, lead: Any, coder: Any
) -> None:
    payload = '=HYPERLINK("http://evil.example","click")'
    memo_create(study=study, author=coder, title="+SUM(1,2)", body=payload, type="other",
                code=code(study, "VAL"))  # fmt: skip
    memo_create(study=study, author=lead, body="On the interview.", interview=interview)
    response = api_for(lead).get("/api/v1/studies/study/exports/memos/")
    assert response["Content-Type"].startswith("text/csv")
    assert ".csv" in response["Content-Disposition"]
    found = rows(response)
    assert list(found[0]) == [
        "id", "type", "about", "dyad", "interview", "code", "coding",
        "coding_code", "author", "title", "body", "created", "updated",
    ]  # fmt: skip
    by_body = {row["body"].lstrip("'"): row for row in found}
    formula = by_body[payload]
    assert formula["body"] == "'" + payload
    assert formula["title"] == "'+SUM(1,2)"
    assert (formula["type"], formula["about"], formula["code"]) == ("other", "code", "VAL")
    on_interview = by_body["On the interview."]
    assert (on_interview["about"], on_interview["dyad"]) == ("interview", "D01")
    assert on_interview["interview"] == "D01 patient"
    raw = rows(api_for(lead).get("/api/v1/studies/study/exports/memos/?raw=true"))
    assert payload in {row["body"] for row in raw}


def test_memos_csv_keeps_blind_coding_and_is_listed(
    study: Study, coder: Any, coder2: Any, viewer: Any
) -> None:
    memo_create(study=study, author=coder2, body="B-SECRET thought.")
    memo_create(study=study, author=coder, body="My thought.")
    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    mine = rows(api_for(coder).get("/api/v1/studies/study/exports/memos/"))
    assert [row["body"] for row in mine] == ["My thought."]
    assert len(rows(api_for(viewer).get("/api/v1/studies/study/exports/memos/"))) == 2
    formats = api_for(viewer).get("/api/v1/studies/study/exports/").json()
    assert "memos" in str(formats)


def test_the_whole_study_json_keeps_the_memo_type(study: Study, lead: Any) -> None:
    lead.is_staff = True  # only staff import a whole study (HEALING_STUDY_IMPORT=staff)
    lead.save()
    memo_create(study=study, author=lead, body="Reflecting.", type="reflexive")
    data = export_study_bytes(
        study=study, fmt=study_format("json"), options=ExportOptions(), via="command"
    )
    copy_of = study_import(data=data, actor=lead, slug="study-copy")
    assert list(copy_of.memos.values_list("body", "type")) == [("Reflecting.", "reflexive")]
