"""The comparison page, its downloads and its charts: access for every persona, the figures it
shows, bad settings, hostile names, and query counts that do not grow with the rows."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from coding.models import CaseStudy, CaseStudySection, Code
from coding.services import coding_create
from healing.audit.models import AuditEvent
from interviews.models import AttributeDefinition, Dyad
from tests.factories import code, make_interview

VIEWS = ("matrix", "prevalence", "process-outcome", "subgroups", "framework")
HOSTILE = '<script>alert("x")</script>'


def url(study: Any, **params: str) -> str:
    from urllib.parse import urlencode

    base = reverse("study-comparison", args=[study.slug])
    return base + ("?" + urlencode(params) if params else "")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("view", VIEWS)
def test_every_member_reads_every_view_outsiders_do_not(
    hand_study: dict[str, Any], personas: dict[str, Any], view: str
) -> None:
    study = hand_study["study"]
    params = {"view": view, "group_by": "dyad.years"} if view == "subgroups" else {"view": view}
    for name in ("lead", "coder", "viewer"):
        response = client_for(personas[name]).get(url(study, **params))
        assert response.status_code == 200, name
        assert b'aria-current="page" data-view="' + view.encode() in response.content
    assert client_for(personas["outsider"]).get(url(study, **params)).status_code == 404
    anonymous = Client().get(url(study, **params))
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]


def test_matrix_shows_the_figures_and_says_which_layer(
    hand_study: dict[str, Any], lead: Any, coder: Any
) -> None:
    study = hand_study["study"]
    client = client_for(lead)
    page = client.get(url(study)).content.decode()
    assert 'data-layer="best"' in page
    assert "(the default)" in page
    # No interview is consensus-complete: the page says every dyad used the coders' union.
    assert "Best available layer: consensus for 0 of" in page
    val = code(study, "VAL").pk
    d1 = hand_study["dyads"]["D1"].pk
    # Presence on both sides: D1 has VAL on both sides (concordant), D2 only on one.
    row = page.split(f'<tr data-dyad="{d1}">')[1].split("</tr>")[0]
    assert f'data-code="{val}" data-sort="1.000000"' in row
    d2 = hand_study["dyads"]["D2"].pk
    row2 = page.split(f'<tr data-dyad="{d2}">')[1].split("</tr>")[0]
    assert f'data-code="{val}" data-sort="0.000000"' in row2
    counts = client.get(url(study, measure="count", side="patient")).content.decode()
    row = counts.split(f'<tr data-dyad="{d1}">')[1].split("</tr>")[0]
    assert f'data-code="{val}" data-sort="2.000000"' in row
    mine = client.get(url(study, layer=f"coder:{coder.pk}")).content.decode()
    assert 'data-layer="coder"' in mine
    assert "Coder: " in mine


def test_prevalence_and_common_components_threshold(hand_study: dict[str, Any], lead: Any) -> None:
    study = hand_study["study"]
    client = client_for(lead)
    page = client.get(url(study, view="prevalence", threshold="75")).content.decode()
    common = page.split('id="common-components"')[1].split("</aside>")[0]
    assert 'data-code="VAL"' in common
    assert 'data-code="POW"' not in common
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert '<title id="chart-prevalence-title">Prevalence per code (4 dyads)</title>' in page
    subset = client.get(url(study, view="prevalence", **{"clinician.type": "NP"})).content
    assert b"Prevalence per code (2 dyads)" in subset
    assert b"Dyads where Clinician type = NP" in subset


def test_subgroups_side_by_side(hand_study: dict[str, Any], lead: Any) -> None:
    study = hand_study["study"]
    page = client_for(lead).get(url(study, view="subgroups", group_by="clinician.type"))
    text = page.content.decode()
    row = text.split('<tr class="depth-0" data-code="VAL">')[1].split("</tr>")[0]
    # MD: D1 and D2 both have VAL; NP: D3 of D3 and D4.
    assert '2/2 <span class="muted">(100%)' in row
    assert '1/2 <span class="muted">(50%)' in row
    empty = client_for(lead).get(url(study, view="subgroups")).content
    assert b"Choose what to group the dyads by" in empty


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"layer": "nope"}, "Unknown layer"),
        ({"measure": "volume"}, "Unknown measure"),
        ({"threshold": "120"}, "threshold: Give a whole number from 0 to 100."),
        ({"window": "x"}, "window: Give a whole number"),
        ({"dyad.unknown": "1"}, "no dyad attribute"),
        ({"dyad.years": "many"}, "dyad.years"),
        ({"clinician": "abc"}, "clinician"),
        ({"view": "subgroups", "group_by": "dyad.nope"}, "group_by"),
        ({"view": "subgroups", "group_by": "dyad.years", "split": "nan"}, "split"),
        ({"format": "pdf"}, "Download as csv or xlsx"),
    ],
)
def test_bad_settings_are_a_clear_400(
    hand_study: dict[str, Any], lead: Any, params: dict[str, str], message: str
) -> None:
    response = client_for(lead).get(url(hand_study["study"], **params))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert b'id="comparison-problems"' in response.content


def test_blind_coding_limits_a_coder_to_own_layer_and_consensus(
    hand_study: dict[str, Any], coder: Any, coder2: Any, lead: Any
) -> None:
    study = hand_study["study"]
    study.blind_coding = True
    study.save()
    client = client_for(coder)
    assert client.get(url(study, layer="all")).status_code == 403
    assert client.get(url(study, layer=f"coder:{coder2.pk}")).status_code == 403
    assert client.get(url(study, layer="coder", coder=str(coder2.pk))).status_code == 403
    own = client.get(url(study))
    assert own.status_code == 200
    # The default: the consensus where complete, else the coder's own layer.
    assert b'data-layer="best"' in own.content
    assert b"else your own codings" in own.content
    assert b'value="all"' not in own.content
    assert client_for(lead).get(url(study, layer="all")).status_code == 200


def test_csv_and_xlsx_hold_the_filtered_table_and_are_audited(
    hand_study: dict[str, Any], lead: Any
) -> None:
    study = hand_study["study"]
    client = client_for(lead)
    response = client.get(url(study, view="prevalence", format="csv", **{"clinician.type": "MD"}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="study-prevalence.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    val = next(r for r in rows if r[0] == "VAL")
    header = rows[0]
    assert val[header.index("Dyads (N)")] == "2"
    assert val[header.index("Both sides (n)")] == "1"
    assert val[header.index("Either side (%)")] == "100.0"
    xlsx = client.get(url(study, view="matrix", measure="count", side="patient", format="xlsx"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book.worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["Dyad", "Clinician", "Patient", "VAL"]
    assert values[0][-1] == "Layer used"
    assert [r[3] for r in values[1:]] == [2, 0, 1, 0]
    assert {r[-1] for r in values[1:]} == {"coders' union"}
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["Layer"].startswith("Best available")
    assert about["Layer used"].startswith("Best available layer: consensus for 0 of 4 dyads")
    assert about["Measure"] == "count"
    po = client.get(url(study, view="process-outcome", window="3", format="csv"))
    po_rows = list(csv.reader(io.StringIO(po.content.decode())))
    val_trust = next(r for r in po_rows if r[0] == "VAL" and r[2] == "OUT.TRUST")
    assert val_trust[4:] == ["2", "1", "1", "1", "2"]
    assert AuditEvent.objects.filter(study=study, action="export").count() == 3


@pytest.mark.parametrize("chart", ["prevalence", "process-outcome", "heatmap"])
def test_charts_are_svg_downloads_with_a_text_alternative(
    hand_study: dict[str, Any], viewer: Any, outsider: Any, chart: str
) -> None:
    study = hand_study["study"]
    chart_url = reverse("study-comparison-chart", args=[study.slug, chart])
    response = client_for(viewer).get(chart_url + "?download=1&layer=all")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert f'filename="study-{chart}.svg"' in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<title id=" in body
    assert "<desc id=" in body
    assert client_for(outsider).get(chart_url).status_code == 404
    unknown = reverse("study-comparison-chart", args=[study.slug, "pie"])
    assert client_for(viewer).get(unknown).status_code == 404


def test_hostile_names_values_and_synthesis_are_escaped(
    hand_study: dict[str, Any], lead: Any
) -> None:
    study = hand_study["study"]
    Code.objects.filter(pk=code(study, "VAL").pk).update(name=HOSTILE)
    Code.objects.filter(pk=code(study, "OUT.TRUST").pk).update(name=HOSTILE)
    AttributeDefinition.objects.create(
        study=study, entity="dyad", key="note", label=HOSTILE, type="text"
    )
    d1 = hand_study["dyads"]["D1"]
    Dyad.objects.filter(pk=d1.pk).update(label=HOSTILE, attributes={"years": 2, "note": HOSTILE})
    case = CaseStudy.objects.create(dyad=d1)
    CaseStudySection.objects.create(case_study=case, code=code(study, "VAL"), synthesis=HOSTILE)
    client = client_for(lead)
    for params in (
        {},
        {"view": "prevalence"},
        {"view": "process-outcome"},
        {"view": "subgroups", "group_by": "dyad.note"},
        {"view": "framework"},
        {"dyad.note": HOSTILE},
    ):
        response = client.get(url(study, **params))
        assert response.status_code == 200, params
        assert b"<script>alert" not in response.content, params
        assert b"&lt;script&gt;alert" in response.content, params
    for chart in ("prevalence", "process-outcome", "heatmap"):
        svg = client.get(reverse("study-comparison-chart", args=[study.slug, chart]))
        assert b"<script" not in svg.content, chart


def _grow(hand_study: dict[str, Any], lead: Any, coder: Any, extra: int) -> None:
    study = hand_study["study"]
    for n in range(extra):
        interview = make_interview(
            study=study, dyad=f"X{n:02d}", perspective="patient", text="P0: abcdefghij\n", by=lead
        )
        coding_create(interview=interview, code=code(study, "VAL.CON"), coder=coder, start=4, end=9)
        coding_create(
            interview=interview, code=code(study, "OUT.HOPE"), coder=coder, start=6, end=12
        )


@pytest.mark.parametrize("view", VIEWS)
def test_query_counts_do_not_grow_with_rows(
    hand_study: dict[str, Any], lead: Any, coder: Any, view: str, django_assert_max_num_queries: Any
) -> None:
    study = hand_study["study"]
    client = client_for(lead)
    params = {"view": view, "group_by": "dyad.years"} if view == "subgroups" else {"view": view}
    params["clinician.type"] = "MD"
    client.get(url(study, **params))  # warm the session
    # session and user, study with access, coder names, default layer, attribute definitions
    # (subset), codebook, dyads, interview lengths, figures, then the view's own (co-occurrence,
    # grouping attribute, case studies) and the controls' clinicians and attribute definitions.
    budget = 14
    with django_assert_max_num_queries(budget):
        assert client.get(url(study, **params)).status_code == 200
    _grow(hand_study, lead, coder, 6)
    with django_assert_max_num_queries(budget):
        assert client.get(url(study, **params)).status_code == 200
