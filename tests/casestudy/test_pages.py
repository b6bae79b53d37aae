"""The case study page and its downloads: access for every persona, fixed query counts, the
layer it says it shows, dyads with one interview or no codings, inert XSS, DOCX and Markdown."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from docx import Document

from coding.casestudy import services
from coding.models import Coding, Layer
from coding.services import code_update, coding_create
from healing.audit.models import AuditEvent
from interviews.models import Study
from tests.casestudy.conftest import Coded
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db

PERSONAS = ["lead", "coder", "coder2", "viewer", "outsider", "anonymous"]
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def client_for(personas: dict[str, Any], who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(personas[who])
    return client


@pytest.mark.parametrize("who", PERSONAS)
def test_page_and_downloads_by_persona(personas: dict[str, Any], coded: Coded, who: str) -> None:
    client = client_for(personas, who)
    pk = coded.dyad.pk
    for url in (f"/dyads/{pk}/case-study/", f"/dyads/{pk}/case-study.docx",
                f"/dyads/{pk}/case-study.md"):  # fmt: skip
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302
            assert "/accounts/login/" in response["Location"]
        elif who == "outsider":
            assert response.status_code == 404
        else:
            assert response.status_code == 200, url
    if who in {"lead", "coder", "coder2", "viewer"}:
        page = client.get(f"/dyads/{pk}/case-study/").content.decode()
        writes = 'data-role="form"' in page and 'data-action="attach"' in page
        assert writes == (who != "viewer")


BEST = "Best available (consensus where complete, else the coders&#x27; union)"


def test_page_content_layer_and_query_count(
    personas: dict[str, Any], coded: Coded, lead: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(personas, "lead")
    url = f"/dyads/{coded.dyad.pk}/case-study/"
    # session, user, dyad + access, default layer, tree, interviews, stats, excerpts, case study,
    # sections, history, evidence, coders, attribute definitions
    with django_assert_max_num_queries(15):
        page = client.get(url).content.decode()
    assert (
        f"Showing the <strong>{BEST}</strong> layer: patient: consensus; clinician: consensus"
        in page
    )
    for key in ("VAL", "VAL.PRES.ATT", "POW.PART", "OUT.TRUST", "COMP.KNOW"):
        assert f'id="component-{key}"' in page
    assert f'href="/interviews/{coded.patient.pk}/?layer=consensus#span-{coded.p0}-' in page
    # The same figures as the consensus layer itself.
    consensus = client.get(url + "?layer=consensus").content.decode()
    assert "Showing the <strong>Consensus</strong> layer" in consensus
    assert "Maria" in page
    assert "Both sides" in page
    assert "Patient only" in page
    for n in range(40):
        coding_create(interview=coded.clinician, code=code(coded.dyad.study, "ABI.NGU"),
                      coder=lead, start=n, end=n + 7, layer=Layer.CONSENSUS)  # fmt: skip
    services.case_study_section_save(dyad=coded.dyad, code=code(coded.dyad.study, "VAL"),
                                     actor=lead, text="x", based_on=None)  # fmt: skip
    with django_assert_max_num_queries(15):
        page = client.get(url + "?layer=all").content.decode()
    assert "Showing the <strong>All coders (union)</strong> layer" in page
    bad = client.get(url + "?layer=nonsense", follow=True).content.decode()
    assert "Unknown layer" in bad
    assert f"Showing the <strong>{BEST}</strong>" in bad


def test_blind_coder_cannot_ask_for_the_union(
    personas: dict[str, Any], coded: Coded, study: Study
) -> None:
    Study.objects.filter(pk=study.pk).update(blind_coding=True)
    client = client_for(personas, "coder")
    assert client.get(f"/dyads/{coded.dyad.pk}/case-study/?layer=all").status_code == 403
    assert client.get(f"/dyads/{coded.dyad.pk}/case-study/").status_code == 200


def test_one_interview_no_codings(personas: dict[str, Any], study: Study) -> None:
    interview = make_interview(study=study, dyad="D07", perspective="clinician")
    page = client_for(personas, "viewer").get(f"/dyads/{interview.dyad_id}/case-study/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "no patient interview yet" in text
    # Not consensus-complete: the best layer reads the coders' union and says so.
    assert f"Showing the <strong>{BEST}</strong> layer: clinician: the coders&#x27; union" in text
    assert "Neither side" in text
    assert "Both sides" not in text


def test_xss_in_synthesis_and_code_names_is_inert(
    personas: dict[str, Any], coded: Coded, lead: Any
) -> None:
    study = coded.dyad.study
    val = code(study, "VAL")
    code_update(code=val, actor=lead, name=XSS)
    services.case_study_section_save(dyad=coded.dyad, code=val, actor=lead, text=XSS,
                                     based_on=None)  # fmt: skip
    services.case_study_summary_save(dyad=coded.dyad, actor=lead, text=XSS, based_on=None)
    page = client_for(personas, "coder").get(f"/dyads/{coded.dyad.pk}/case-study/")
    html = page.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    md = client_for(personas, "coder").get(f"/dyads/{coded.dyad.pk}/case-study.md")
    assert "<script>" not in md.content.decode()


def test_docx_opened_back(personas: dict[str, Any], coded: Coded, lead: Any) -> None:
    study = coded.dyad.study
    services.case_study_summary_save(dyad=coded.dyad, actor=lead, text="Overall: warm.",
                                     based_on=None)  # fmt: skip
    services.case_study_section_save(dyad=coded.dyad, code=code(study, "VAL.CON"), actor=lead,
                                     text="They like each other.", based_on=None)  # fmt: skip
    evidence = Coding.objects.get(interview=coded.clinician, code__key="VAL.CON")
    services.case_study_evidence_add(dyad=coded.dyad, code=code(study, "VAL.CON"),
                                     coding_id=evidence.pk, actor=lead)  # fmt: skip
    response = client_for(personas, "viewer").get(f"/dyads/{coded.dyad.pk}/case-study.docx")
    assert response["Content-Disposition"] == 'attachment; filename="study-case-study-D01.docx"'
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == ["Overall summary", "Processes", "Valuing (VAL)",
                            "Nonjudgmental stance (VAL.NJ)"]  # fmt: skip
    assert "Outcomes" in headings
    assert "Clinician competencies" in headings
    texts = [p.text for p in document.paragraphs]
    assert "Overall: warm." in texts
    assert "They like each other." in texts
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert evidence.quote in quotes
    assert "She listen" in quotes
    assert "— Dr. Lee, clinician interview, VAL.CON" in " ".join(texts)
    # The header table and one figures table per component.
    header = document.tables[0]
    assert [row.cells[1].text for row in header.rows][:2] == [study.title, "D01"]
    valuing = document.tables[1]
    assert [[c.text for c in row.cells] for row in valuing.rows] == [
        ["", "Patient", "Clinician"],
        ["Present", "yes", "yes"],
        ["Passages", "3", "1"],
        ["Coverage", f"{25 / len(coded.patient.text):.1%}", f"{8 / len(coded.clinician.text):.1%}"],
    ]
    assert AuditEvent.objects.filter(action="export", after__format="docx").count() == 1


def test_markdown_content(personas: dict[str, Any], coded: Coded, lead: Any) -> None:
    response = client_for(personas, "lead").get(f"/dyads/{coded.dyad.pk}/case-study.md")
    text = response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="study-case-study-D01.md"'
    assert text.startswith("# Case study: dyad D01\n")
    assert "## Processes" in text
    assert "### Valuing (VAL)" in text
    assert "#### Connecting (VAL.CON)" in text
    assert "Concordance: **Both sides** (figures include the sub-codes)" in text
    assert "| Passages | 3 | 1 |" in text
    assert "> She listen\n> — Maria, patient interview, VAL.PRES.ATT \\[" in text


def test_links_from_dyad_page_and_study_overview(personas: dict[str, Any], coded: Coded) -> None:
    client = client_for(personas, "viewer")
    target = f'href="/dyads/{coded.dyad.pk}/case-study/"'
    assert target in client.get(f"/dyads/{coded.dyad.pk}/").content.decode()
    assert target in client.get("/studies/study/").content.decode()
