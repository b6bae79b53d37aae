"""The case study's figures against a dyad worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest

from coding.analysis.measures import code_tree
from coding.casestudy.selectors import case_study_data
from coding.models import Layer
from coding.selectors import LayerChoice
from coding.services import coding_create
from interviews.models import Study
from interviews.selectors import Access
from tests.casestudy.conftest import Coded
from tests.factories import code, make_interview

pytestmark = pytest.mark.django_db


def by_key(data: Any) -> dict[str, Any]:
    return {c.node.key: c for c in data.components()}


def test_consensus_figures_roll_up_and_concordance(study: Study, coded: Coded) -> None:
    data = case_study_data(dyad=coded.dyad, layer=LayerChoice("consensus"))
    c = by_key(data)
    patient_length, clinician_length = len(coded.patient.text), len(coded.clinician.text)
    att = c["VAL.PRES.ATT"].patient
    assert (att.present, att.count, att.covered) == (True, 2, 15)
    assert att.coverage == pytest.approx(15 / patient_length)
    # Valuing rolls up Presence (2 passages, union 15) and Connecting (1, 10).
    assert (c["VAL"].patient.count, c["VAL"].patient.covered) == (3, 25)
    assert (c["VAL"].clinician.count, c["VAL"].clinician.covered) == (1, 8)
    assert c["VAL"].clinician.coverage == pytest.approx(8 / clinician_length)
    assert (c["VAL.PRES"].patient.count, c["VAL.PRES"].patient.covered) == (2, 15)
    concordance = {key: comp.concordance for key, comp in c.items()}
    assert concordance["VAL"] == "both"
    assert concordance["VAL.CON"] == "both"
    assert concordance["VAL.PRES"] == "patient"
    assert concordance["POW"] == "clinician"
    assert concordance["POW.PART"] == "clinician"
    assert concordance["OUT.TRUST"] == "patient"
    assert concordance["OUT.HOPE"] == "neither"  # individual codings only
    assert concordance["COMP.KNOW"] == "neither"
    assert data.concordance_counts["both"] == 2
    # Groups in model order, sub-codes nested under their parent.
    assert [g.key for g in data.groups] == ["process", "outcome", "competency"]
    val = data.groups[0].components[0]
    assert val.node.key == "VAL"
    assert [child.node.key for child in val.children] == ["VAL.NJ", "VAL.CON", "VAL.PRES"]
    assert data.layer_label == "Consensus"


def test_excerpts_have_quote_speaker_and_workspace_link(study: Study, coded: Coded) -> None:
    c = by_key(case_study_data(dyad=coded.dyad, layer=LayerChoice("consensus")))
    excerpts = c["VAL.PRES.ATT"].patient.excerpts
    assert [(e.start - coded.p0, e.end - coded.p0) for e in excerpts] == [(0, 10), (5, 15)]
    first = excerpts[0]
    assert first.quote == "She listen"
    assert first.speaker == "Maria"
    assert first.link == (
        f"/interviews/{coded.patient.pk}/?layer=consensus#span-{coded.p0}-{coded.p0 + 10}"
    )
    assert c["VAL.CON"].clinician.excerpts[0].speaker == "Dr. Lee"
    # A parent shows its own passages only; the sub-codes list theirs.
    assert c["VAL"].patient.excerpts == []


def test_union_of_coders_counts_a_shared_span_once(
    study: Study, coded: Coded, coder: Any, coder2: Any
) -> None:
    c = by_key(case_study_data(dyad=coded.dyad, layer=LayerChoice("all")))
    hope = c["OUT.HOPE"]
    assert (hope.patient.count, hope.patient.covered) == (1, 4)
    assert sorted(hope.patient.excerpts[0].coders) == sorted([coder.pk, coder2.pk])
    assert hope.concordance == "both"
    assert c["VAL"].concordance == "neither"  # consensus codings are not in the union of coders
    one = by_key(case_study_data(dyad=coded.dyad, layer=LayerChoice("coder", coder2.pk)))
    assert one["OUT.HOPE"].concordance == "patient"
    link = one["OUT.HOPE"].patient.excerpts[0].link
    assert f"?layer=coder&coder={coder2.pk}#span-" in link


def test_one_interview_and_no_codings(study: Study, lead: Any) -> None:
    interview = make_interview(study=study, dyad="D09", perspective="patient")
    data = case_study_data(dyad=interview.dyad, layer=LayerChoice("consensus"))
    assert data.missing_sides == ["clinician"]
    assert all(c.concordance == "neither" for c in data.components())
    val = by_key(data)["VAL"]
    assert val.patient.interviewed
    assert not val.clinician.interviewed
    assert val.patient.length == len(interview.text)
    assert val.clinician.length == 0


def test_query_count_is_fixed_whatever_the_number_of_codings(
    study: Study, coded: Coded, lead: Any, django_assert_num_queries: Any
) -> None:
    tree = code_tree(study=study)
    # interviews, stats, excerpts, case study, sections, history, evidence, coders
    with django_assert_num_queries(8):
        case_study_data(dyad=coded.dyad, layer=LayerChoice("consensus"), tree=tree)
    text = coded.patient.text
    for n in range(30):
        start = n % (len(text) - 5)
        coding_create(interview=coded.patient, code=code(study, "ABI.CARE"), coder=lead,
                      start=start, end=start + 3 + n % 2, layer=Layer.CONSENSUS)  # fmt: skip
    with django_assert_num_queries(9):  # the tree too
        data = case_study_data(dyad=coded.dyad, layer=LayerChoice("consensus"))
    assert by_key(data)["ABI.CARE"].patient.count > 20


def test_blind_coder_does_not_see_other_coders_evidence(
    study: Study, coded: Coded, coder: Any, coder2: Any
) -> None:
    from coding.casestudy.services import case_study_evidence_add
    from coding.models import Coding

    theirs = Coding.objects.get(interview=coded.patient, coder=coder2)
    case_study_evidence_add(dyad=coded.dyad, code=code(study, "OUT.HOPE"), coding_id=theirs.pk,
                            actor=coder2)  # fmt: skip
    blind = Access(role="coder", blind=True)
    data = case_study_data(dyad=coded.dyad, layer=LayerChoice("consensus"), access=blind,
                           user_id=coder.pk)  # fmt: skip
    assert by_key(data)["OUT.HOPE"].evidence == []
    seeing = case_study_data(dyad=coded.dyad, layer=LayerChoice("consensus"))
    assert [e.coding_id for e in by_key(seeing)["OUT.HOPE"].evidence] == [theirs.pk]
