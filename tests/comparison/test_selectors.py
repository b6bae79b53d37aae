"""The comparison's figures on the hand-made study (tests/comparison/conftest.py), worked out by
hand from its codings."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError

from coding.analysis.measures import code_tree
from coding.analysis.subsets import dyad_subset_from_params
from coding.comparison.selectors.base import comparison_base
from coding.comparison.selectors.cooccurrence import (
    cooccurrence,
    cooccurrence_counts,
    process_outcome,
)
from coding.comparison.selectors.framework import framework_matrix
from coding.comparison.selectors.matrix import dyad_code_matrix
from coding.comparison.selectors.prevalence import common_components, prevalence
from coding.comparison.selectors.scope import OWN_PARAMS, Scope, comparison_scope
from coding.comparison.selectors.subgroups import grouping_for, subgroups
from coding.comparison.selectors.view_settings import view_settings
from coding.models import CaseStudy, CaseStudySection, Coding, Layer
from coding.selectors import LayerChoice
from coding.services import coding_create
from interviews.models import Study
from interviews.selectors import Access
from tests.factories import code, make_interview


def scope(study: Study, layer: LayerChoice, **params: list[str]) -> Scope:
    return Scope(
        study=study,
        layer=layer,
        layer_label=layer.name,
        subset=dyad_subset_from_params(study=study, params=params, ignore=OWN_PARAMS),
    )


ALL = LayerChoice("all")


def base_for(hand_study: dict[str, Any], layer: LayerChoice = ALL, **params: Any) -> Any:
    return comparison_base(scope=scope(hand_study["study"], layer, **params))


def cell(base: Any, label: str, key: str) -> Any:
    dyad = next(d for d in base.dyads if d.label == label)
    node = next(n for n in base.tree.nodes if n.key == key)
    return base.cell(dyad.id, node.id)


def test_matrix_per_side_with_roll_up_and_concordance(
    hand_study: dict[str, Any], django_assert_num_queries: Any
) -> None:
    length = hand_study["length"]
    chosen = scope(hand_study["study"], ALL)
    with django_assert_num_queries(4):  # codebook, dyads, interview lengths, figures
        base = comparison_base(scope=chosen)
    matrix = dyad_code_matrix(base=base)
    assert [row.dyad.label for row in matrix.rows] == ["D1", "D2", "D3", "D4"]
    # D1 patient: VAL rolls up ATT [0, 10) and CON [5, 15): two passages, 15 points covered.
    val = cell(base, "D1", "VAL")
    assert (val.patient.count, val.patient.covered) == (2, 15)
    assert (val.clinician.count, val.clinician.covered) == (1, 10)
    assert val.concordant
    assert val.patient.coverage == pytest.approx(15 / length)
    # both: counts summed, coverage over both interviews together.
    assert val.both.count == 3
    assert val.value(measure="coverage", side="both") == pytest.approx(25 / (2 * length))
    assert val.value(measure="presence", side="both") == 1
    assert cell(base, "D1", "VAL.PRES").patient.covered == 10
    # D2: VAL only on the clinician side, so not concordant.
    d2 = cell(base, "D2", "VAL")
    assert (d2.patient.present, d2.clinician.present, d2.concordant) == (False, True, False)
    assert d2.value(measure="presence", side="both") == 0
    assert cell(base, "D2", "POW").clinician.covered == 15
    # D4 has no clinician interview: nothing present, coverage 0 without dividing by zero.
    d4 = cell(base, "D4", "VAL")
    assert not d4.either
    assert d4.clinician.length == 0
    assert d4.clinician.coverage == 0
    counts = matrix.values(measure="count", side="patient")
    val_column = [n.key for n in matrix.codes].index("VAL")
    assert [row[val_column] for row in counts] == [2, 0, 1, 0]


def test_prevalence_and_common_components(hand_study: dict[str, Any]) -> None:
    rows = {p.code.key: p for p in prevalence(base=base_for(hand_study))}
    expected = {
        "VAL": (4, 3, 2, 3, 2),
        "VAL.CON": (4, 2, 2, 1, 1),
        "VAL.PRES": (4, 2, 1, 1, 0),
        "OUT.TRUST": (4, 2, 2, 1, 1),
        "POW": (4, 2, 1, 1, 0),
        "OUT.HOPE": (4, 1, 1, 0, 0),
        "ABI": (4, 0, 0, 0, 0),
    }
    for key, figures in expected.items():
        row = rows[key]
        assert (row.dyads, row.either, row.patient, row.clinician, row.both) == figures, key
    assert rows["VAL"].share("either") == 0.75
    every = list(rows.values())
    assert [p.code.key for p in common_components(every)] == []  # 80%: none
    assert [p.code.key for p in common_components(every, threshold=75)] == ["VAL"]
    assert [p.code.key for p in common_components(every, threshold=50, basis="both")] == ["VAL"]


def test_layers_change_the_figures(hand_study: dict[str, Any], coder: Any, coder2: Any) -> None:
    # Only coder: D3's clinician side (coded by coder2 only) is empty.
    mine = {
        p.code.key: p for p in prevalence(base=base_for(hand_study, LayerChoice("coder", coder.pk)))
    }
    assert (mine["VAL"].clinician, mine["VAL"].both) == (2, 1)
    other = {
        p.code.key: p
        for p in prevalence(base=base_for(hand_study, LayerChoice("coder", coder2.pk)))
    }
    assert (other["VAL"].either, other["VAL"].clinician, other["OUT.TRUST"].either) == (1, 1, 0)
    assert all(
        p.either == 0 for p in prevalence(base=base_for(hand_study, LayerChoice("consensus")))
    )


def test_subset_by_attribute(hand_study: dict[str, Any]) -> None:
    base = base_for(hand_study, **{"clinician.type": ["NP"]})
    assert [d.label for d in base.dyads] == ["D3", "D4"]
    rows = {p.code.key: p for p in prevalence(base=base)}
    assert (rows["VAL"].dyads, rows["VAL"].either, rows["VAL"].both) == (2, 1, 1)
    assert base.scope.as_dict()["subset"]["description"] == "Dyads where Clinician type = NP"


def pair(rows: list[Any], first: str, second: str) -> tuple[int, ...]:
    found = next(r for r in rows if r.first.key == first and r.second.key == second)
    return (found.dyads_both, found.dyads_overlap, found.dyads_near, found.overlaps, found.near)


def test_process_outcome_overlap_and_proximity(
    hand_study: dict[str, Any], django_assert_num_queries: Any
) -> None:
    base = base_for(hand_study)
    with django_assert_num_queries(1):
        rows = process_outcome(base=base, window=1)
    assert {(r.first.key, r.second.key) for r in rows} == {
        (p, o) for p in ("VAL", "POW", "ABI") for o in ("OUT.TRUST", "OUT.HOPE", "OUT.KNOWN")
    }
    # D1 patient: VAL [0, 15) and TRUST [12, 20) of turn 0 overlap; D2 has both codes but on
    # different sides, so they never meet in one interview.
    assert pair(rows, "VAL", "OUT.TRUST") == (2, 1, 1, 1, 1)
    # POW (turn 2) and HOPE (turn 3): one turn apart, near but not overlapping.
    assert pair(rows, "POW", "OUT.HOPE") == (1, 0, 1, 0, 1)
    assert pair(rows, "POW", "OUT.TRUST") == (2, 0, 0, 0, 0)
    assert pair(rows, "VAL", "OUT.HOPE") == (1, 0, 0, 0, 0)
    assert pair(rows, "ABI", "OUT.KNOWN") == (0, 0, 0, 0, 0)
    # Three turns: D1 clinician's VAL (turn 1) and TRUST (turn 4) now count, and so do the
    # patient's VAL (turn 0) with HOPE (turn 3) and POW (turn 2) with TRUST (turn 0).
    wide = process_outcome(base=base, window=3)
    assert pair(wide, "VAL", "OUT.TRUST") == (2, 1, 1, 1, 2)
    assert pair(wide, "VAL", "OUT.HOPE") == (1, 0, 1, 0, 1)
    assert pair(wide, "POW", "OUT.TRUST") == (2, 0, 1, 0, 1)
    # Window 0: only passages sharing a turn.
    same = process_outcome(base=base, window=0)
    assert pair(same, "POW", "OUT.HOPE") == (1, 0, 0, 0, 0)
    assert pair(same, "VAL", "OUT.TRUST") == (2, 1, 1, 1, 1)


def test_process_sub_codes_and_generic_cooccurrence(hand_study: dict[str, Any]) -> None:
    base = base_for(hand_study)
    rows = process_outcome(base=base, window=0, sub_codes=True)
    assert pair(rows, "VAL.CON", "OUT.TRUST") == (1, 1, 1, 1, 1)
    # ATT [0, 10) and TRUST [12, 20) share turn 0 without overlapping.
    assert pair(rows, "VAL.PRES.ATT", "OUT.TRUST") == (1, 0, 1, 0, 1)
    ids = {n.key: n.id for n in base.tree.nodes}
    generic = cooccurrence(
        base=base, first=[ids["VAL.CON"], ids["VAL"]], second=[ids["VAL.PRES.ATT"]], window=0
    )
    assert pair(generic, "VAL.CON", "VAL.PRES.ATT") == (1, 1, 1, 1, 1)
    # A parent with its own descendant is not a co-occurrence.
    assert pair(generic, "VAL", "VAL.PRES.ATT") == (1, 0, 0, 0, 0)


def test_subgroups_by_number_choice_and_clinician(
    hand_study: dict[str, Any], django_assert_num_queries: Any
) -> None:
    base = base_for(hand_study)
    with django_assert_num_queries(1):
        by_years = grouping_for(base=base, group_by="dyad.years")
    labels = {d.id: d.label for d in base.dyads}
    assert by_years.how == "split at 5 (the median)"
    assert [(g.label, sorted(labels[i] for i in g.dyad_ids)) for g in by_years.groups] == [
        ("below 5", ["D1"]),
        ("5 or more", ["D2", "D3"]),
        ("(no value)", ["D4"]),
    ]
    with django_assert_num_queries(0):
        result = subgroups(base=base, grouping=by_years, side="patient")
    val = [n.key for n in result.codes].index("VAL")
    assert [(f[val].n["either"], f[val].dyads) for f in result.figures] == [(1, 1), (2, 2), (0, 1)]
    # Mean patient-side count of VAL: D1 2; D2 0 and D3 1.
    assert [f[val].mean_count for f in result.figures] == [2, 0.5, 0]
    at_three = grouping_for(base=base, group_by="dyad.years", split=3)
    assert at_three.how == "split at 3"
    assert [len(g.dyad_ids) for g in at_three.groups] == [1, 2, 1]
    by_type = subgroups(base=base, grouping=grouping_for(base=base, group_by="clinician.type"))
    assert [g.label for g in by_type.grouping.groups] == ["MD", "NP"]
    assert [(f[val].n["either"], f[val].n["both"], f[val].dyads) for f in by_type.figures] == [
        (2, 1, 2),
        (1, 1, 2),
    ]
    one, _ = hand_study["clinicians"]
    by_one = grouping_for(base=base, group_by=f"clinician:{one.pk}")
    assert [(g.label, sorted(labels[i] for i in g.dyad_ids)) for g in by_one.groups] == [
        ("Dr One", ["D1", "D2"]),
        ("Other clinicians", ["D3", "D4"]),
    ]
    for bad in ("dyad.nope", "clinician:999999", "clinician:x", "years"):
        with pytest.raises(ValidationError):
            grouping_for(base=base, group_by=bad)


def test_framework_matrix_cells_and_links(
    hand_study: dict[str, Any], lead: Any, django_assert_num_queries: Any
) -> None:
    study = hand_study["study"]
    d1 = hand_study["dyads"]["D1"]
    case = CaseStudy.objects.create(dyad=d1, summary="")
    CaseStudySection.objects.create(case_study=case, code=code(study, "VAL"), synthesis="Warm bond")
    CaseStudySection.objects.create(
        case_study=case, code=code(study, "VAL.CON"), synthesis="Shared jokes"
    )
    base = base_for(hand_study)
    with django_assert_num_queries(1):
        framework = framework_matrix(base=base)
    keys = [n.key for n in framework.components]
    assert keys[:3] == ["VAL", "VAL.CON", "POW"]  # top-level codes plus any code written about
    assert "VAL.NJ" not in keys
    first = framework.cells[0]
    assert first[0].synthesis == "Warm bond"
    assert first[0].link == f"/dyads/{d1.pk}/case-study/#component-VAL"
    assert first[1].synthesis == "Shared jokes"
    assert framework.cells[1][0].synthesis == ""


def test_scope_from_params_checks_layers_and_blind_coding(
    hand_study: dict[str, Any], lead: Any, coder: Any, coder2: Any
) -> None:
    study = hand_study["study"]
    lead_access = Access(role="lead")
    got = comparison_scope(study=study, access=lead_access, user=lead, params={})
    assert got.layer == LayerChoice("best")
    assert got.layer_defaulted
    # One consensus coding somewhere no longer switches every dyad to the consensus (which
    # would blank the dyads without one): the default stays "best".
    Coding.objects.filter(pk=Coding.objects.filter(interview__dyad__study=study).first().pk).update(
        layer=Layer.CONSENSUS
    )
    got = comparison_scope(study=study, access=lead_access, user=lead, params={})
    assert got.layer == LayerChoice("best")
    consensus = comparison_scope(
        study=study, access=lead_access, user=lead, params={"layer": ["consensus"]}
    )
    assert consensus.layer_label == "Consensus"
    picked = comparison_scope(
        study=study,
        access=lead_access,
        user=lead,
        params={"layer": ["coder"], "coder": [str(coder2.pk)], "dyad.years": ["2"]},
    )
    assert picked.layer == LayerChoice("coder", coder2.pk)
    assert picked.as_params() == [
        ("layer", "coder"),
        ("coder", str(coder2.pk)),
        ("dyad.years", "2"),
    ]
    blind = Access(role="coder", blind=True)
    for params in ({"layer": ["all"]}, {"layer": ["coder"], "coder": [str(coder2.pk)]}):
        with pytest.raises(PermissionDenied):
            comparison_scope(study=study, access=blind, user=coder, params=params)
    own = comparison_scope(study=study, access=blind, user=coder, params={"layer": ["mine"]})
    assert own.layer == LayerChoice("coder", coder.pk)
    for params in ({"layer": ["nope"]}, {"layer": ["coder"]}, {"dyad.years": ["many"]}):
        with pytest.raises(ValidationError):
            comparison_scope(study=study, access=lead_access, user=lead, params=params)


QA_TRANSCRIPT = (
    "Interviewer: How does she treat you?\n"
    "Patient: She has always listened to me.\n"
    "Interviewer: And what came of that?\n"
    "Patient: I trust her with anything now.\n"
)


@pytest.mark.parametrize(
    ("turns", "window", "near"),
    [
        # Participant turns: the two answers are turns 0 and 1, the question between is skipped.
        ("participant", 0, 0),
        ("participant", 1, 1),
        # Every turn: the answers are turns 1 and 3, two apart.
        ("all", 1, 0),
        ("all", 2, 1),
    ],
)
def test_turn_windows_count_participant_turns_by_default(
    study: Study, coder: Any, turns: str, window: int, near: int
) -> None:
    interview = make_interview(study=study, dyad="QA", perspective="patient", text=QA_TRANSCRIPT)
    listened = interview.text.index("listened to me")
    trust = interview.text.index("I trust her")
    coding_create(interview=interview, code=code(study, "VAL"), coder=coder,
                  start=listened, end=listened + 14)  # fmt: skip
    coding_create(interview=interview, code=code(study, "OUT.TRUST"), coder=coder,
                  start=trust, end=trust + 11)  # fmt: skip
    tree = code_tree(study=study)
    val, trust_id = code(study, "VAL").pk, code(study, "OUT.TRUST").pk
    counts = cooccurrence_counts(
        scope=scope(study, ALL), tree=tree, first=[val], second=[trust_id], window=window,
        turns=turns,
    )  # fmt: skip
    overlap_dyads, near_dyads, overlaps, near_pairs = counts.get((val, trust_id), (0, 0, 0, 0))
    assert (overlap_dyads, overlaps) == (0, 0)
    assert (near_dyads, near_pairs) == (near, near)
    assert view_settings({}).turns == "participant"
    with pytest.raises(ValidationError):
        view_settings({"turns": ["some"]})
