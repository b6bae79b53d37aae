"""Agreement reports on each unit, on small hand-made layers with results computed by hand.

The layers (one interview of 100 characters, turns [0,20) [20,50) [50,100), codes X=1 and Y=2):

    coder A (10): X [0,10)  X [30,40)  Y [60,80)
    coder B (20): X [5,10)  X [45,55)  Y [60,80)
    coder C (30): X [0,10)                          (only in the three-coder tests)

Every expected value is worked out in the comments as exact fractions. Pure Python: no database.
"""

from __future__ import annotations

import random
from fractions import Fraction

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coding.analysis.agreement import (
    binary_agreement_from_counts,
    binary_agreement_summary,
    cohen_kappa,
    cohen_kappa_from_table,
    coincidences_from_tallies,
    fleiss_kappa,
    krippendorff_alpha,
    krippendorff_alpha_from_coincidences,
    scott_pi,
    unitizing_alpha,
    unitizing_alpha_pooled,
    unitizing_disagreement,
    unitizing_terms,
)
from coding.analysis.agreement_report import (
    AgreementReport,
    InterviewUnits,
    Span,
    coverage_histogram,
    disagreements,
    intersection_length,
    merge_intervals,
    segment_clusters,
)

A, B, C = 10, 20, 30
X, Y = 1, 2
TURNS = [(0, 20), (20, 50), (50, 100)]
CODINGS = [
    Span(X, A, 0, 10, id=1),
    Span(X, A, 30, 40, id=2),
    Span(Y, A, 60, 80, id=3),
    Span(X, B, 5, 10, id=4),
    Span(X, B, 45, 55, id=5),
    Span(Y, B, 60, 80, id=6),
]
INTERVIEW = InterviewUnits(id=7, length=100, turns=TURNS, codings=CODINGS)


def report(unit: str, coders: list[int] | None = None, threshold: float = 0.5) -> dict:
    built = AgreementReport(unit=unit, coders=coders or [A, B], codes=[X, Y], threshold=threshold)
    built.add_interview(INTERVIEW)
    return built.result()


def row(result: dict, code: int) -> dict:
    return next(r for r in result["codes"] if r["code"] == code)


def exact(value: float | None, expected: Fraction) -> bool:
    return value is not None and value == pytest.approx(float(expected), abs=1e-12)


# --- Character level ----------------------------------------------------------------------------


def test_character_level_per_code_and_overall() -> None:
    result = report("character")
    assert result["units"] == 100
    x = row(result, X)
    # X: A covers 20 characters, B 15, both [5,10) = 5; neither = 100 - 20 - 15 + 5 = 70.
    assert (x["both"], x["only_a"], x["only_b"], x["neither"]) == (5, 15, 10, 70)
    assert exact(x["percent"], Fraction(75, 100))
    # p_e = .2 * .15 + .8 * .85 = .71; kappa = (.75 - .71) / (1 - .71) = 4/29.
    assert exact(x["kappa"], Fraction(4, 29))
    # Coincidences over 200 values: o11 = 10, o00 = 140, o10 = o01 = 25; n1 = 35, n0 = 165.
    # alpha = 1 - 199 * 50 / (2 * 35 * 165) = 1600 / 11550.
    assert exact(x["alpha"], Fraction(1600, 11550))
    assert x["coded"] == [20, 15]
    y = row(result, Y)
    assert (y["both"], y["only_a"], y["only_b"], y["neither"]) == (20, 0, 0, 80)
    assert (y["percent"], y["kappa"], y["alpha"]) == (1.0, 1.0, 1.0)
    overall = result["overall"]
    # Pooled over both codes (200 units): both 25, only A 15, only B 10, neither 150.
    assert (overall["both"], overall["only_a"], overall["only_b"], overall["neither"]) == (
        25,
        15,
        10,
        150,
    )
    assert exact(overall["percent"], Fraction(175, 200))
    # p_e = .2 * .175 + .8 * .825 = .695; kappa = (.875 - .695) / .305 = 36/61.
    assert exact(overall["kappa"], Fraction(36, 61))
    # o11 = 50, o00 = 300, o10 = o01 = 25; n1 = 75, n0 = 325: alpha = 1 - 399*50/(2*75*325).
    assert exact(overall["alpha"], 1 - Fraction(399 * 50, 2 * 75 * 325))
    assert exact(overall["mean_kappa"], (Fraction(4, 29) + 1) / 2)
    keys = ("interview", "units", "decisions", "percent", "kappa", "alpha", "counted", "missing")
    assert [{k: r[k] for k in keys} for r in result["per_interview"]] == [
        {
            "interview": 7,
            "units": 100,
            "decisions": 200,
            "percent": overall["percent"],
            "kappa": overall["kappa"],
            "alpha": overall["alpha"],
            "counted": [0, 1],
            "missing": [],
        }
    ]
    assert result["missing"] == []


def test_character_level_with_three_coders_uses_alpha_and_pairs() -> None:
    three = InterviewUnits(id=7, length=100, turns=TURNS, codings=[*CODINGS, Span(X, C, 0, 10)])
    built = AgreementReport(unit="character", coders=[A, B, C], codes=[X, Y])
    built.add_interview(three)
    x = row(built.result(), X)
    # Coverage of X: [0,5) by A and C, [5,10) by all three, [30,40) A, [45,55) B.
    # h3 = 5, h2 = 5, h1 = 20, h0 = 70: all agree on 75 of 100 characters.
    assert exact(x["percent"], Fraction(75, 100))
    # o_TT = 5*3 + 5*1 = 20, o_TF = o_FT = 5*1 + 20*1 = 25, o_FF = 20*1 + 70*3 = 230;
    # n_T = 45, n_F = 255, n = 300: alpha = 1 - 299 * 50 / (2 * 45 * 255).
    assert exact(x["alpha"], 1 - Fraction(299 * 50, 2 * 45 * 255))
    assert x["kappa"] is None
    assert "two coders" in " ".join(x["notes"])
    # Pair A-C on X: both 10, only A 10, only C 0, neither 80.
    pair = next(p for p in x["pairs"] if (p["a"], p["b"]) == (0, 2))
    assert (pair["both"], pair["only_a"], pair["only_b"], pair["neither"]) == (10, 10, 0, 80)


def test_a_code_nobody_used_is_named_on_one_line_and_pooled() -> None:
    # Was: a row of its own with undefined kappa and alpha. Now codes nobody used are listed
    # together (``unused_codes``), and the overall row still pools them, as listed codes.
    built = AgreementReport(unit="character", coders=[A, B], codes=[X, Y, 99])
    built.add_interview(INTERVIEW)
    result = built.result()
    assert [r["code"] for r in result["codes"]] == [X, Y]
    assert (result["unused_codes"], result["pooled_codes"]) == ([99], 3)
    # Pooled over 300 units: both 25, only A 15, only B 10, neither 250.
    overall = result["overall"]
    assert (overall["both"], overall["only_a"], overall["only_b"], overall["neither"]) == (
        25, 15, 10, 250)  # fmt: skip


def test_switched_off_codes_are_listed_and_pooled_only_where_used() -> None:
    built = AgreementReport(
        unit="character", coders=[A, B], codes=[X, Y, 98, 99], switched_off={Y, 99}
    )
    built.add_interview(INTERVIEW)
    result = built.result()
    assert [(r["code"], r["switched_off"]) for r in result["codes"]] == [(X, False), (Y, True)]
    # 99 (switched off, unused) is neither listed nor pooled; 98 (on, unused) is both.
    assert (result["unused_codes"], result["pooled_codes"]) == ([98], 3)
    assert result["overall"]["units"] == 300


# --- Turn level ---------------------------------------------------------------------------------


def test_turn_level_per_code_and_overall() -> None:
    result = report("turn")
    assert result["units"] == 3
    x = row(result, X)
    # X: A touches turns {0, 1}; B touches {0, 1, 2} ([45,55) spans turns 1 and 2).
    assert (x["both"], x["only_a"], x["only_b"], x["neither"]) == (2, 0, 1, 0)
    assert exact(x["percent"], Fraction(2, 3))
    # p_e = 2/3 * 1 + 1/3 * 0 = 2/3 = p_o: kappa 0. o11 = 4, o10 + o01 = 2, o00 = 0;
    # n1 = 5, n0 = 1, n = 6: alpha = 1 - 5 * 2 / (2 * 5 * 1) = 0.
    assert x["kappa"] == 0.0
    assert x["alpha"] == 0.0
    y = row(result, Y)
    assert (y["both"], y["only_a"], y["only_b"], y["neither"]) == (1, 0, 0, 2)
    overall = result["overall"]
    assert (overall["both"], overall["only_a"], overall["only_b"], overall["neither"]) == (
        3,
        0,
        1,
        2,
    )
    assert exact(overall["percent"], Fraction(5, 6))
    # p_e = 3/6 * 4/6 + 3/6 * 2/6 = 1/2; kappa = (5/6 - 1/2) / (1/2) = 2/3.
    assert exact(overall["kappa"], Fraction(2, 3))
    # o11 = 6, o00 = 4, o10 + o01 = 2; n1 = 7, n0 = 5, n = 12: alpha = 1 - 11*2/(2*7*5).
    assert exact(overall["alpha"], 1 - Fraction(22, 70))


def test_an_interview_without_turns_is_one_unit() -> None:
    built = AgreementReport(unit="turn", coders=[A, B], codes=[X])
    built.add_interview(
        InterviewUnits(id=1, length=50, codings=[Span(X, A, 0, 5)], assigned=[A, B])
    )
    x = built.result()["codes"][0]
    assert (x["units"], x["only_a"]) == (1, 1)


# --- Segment level ------------------------------------------------------------------------------


def test_segment_level_matches_by_overlap_at_the_threshold() -> None:
    result = report("segment", threshold=0.5)
    x = row(result, X)
    # A [0,10) and B [5,10) overlap 5 of 10 characters: ratio 0.5, matched at 0.5.
    # A [30,40) and B [45,55) do not overlap: two unmatched units. 1 agreement of 3 units.
    assert x["units"] == 3
    assert exact(x["percent"], Fraction(1, 3))
    assert x["kappa"] is None
    assert x["alpha"] is None
    assert "segment level" in x["notes"][0]
    assert (x["pairs"][0]["both"], x["pairs"][0]["only_a"], x["pairs"][0]["only_b"]) == (1, 1, 1)
    assert row(result, Y)["percent"] == 1.0
    overall = result["overall"]
    # Units (A, B): (X, X), (X, -), (-, X), (Y, Y). Agreement on 2 of 4.
    assert overall["units"] == 4
    assert overall["percent"] == 0.5
    # Table over X, Y, "not coded": rows A = (2, 1, 1), columns B = (2, 1, 1);
    # p_e = (2*2 + 1*1 + 1*1) / 16 = 3/8; kappa = (1/2 - 3/8) / (5/8) = 1/5.
    assert exact(overall["kappa"], Fraction(1, 5))
    # o_XX = 2, o_YY = 2, o_X- = o_-X = 2; n_X = 4, n_Y = 2, n_- = 2, n = 8;
    # expected = 2 * (4*2 + 4*2 + 2*2) = 40: alpha = 1 - 7 * 4 / 40 = 3/10.
    assert exact(overall["alpha"], Fraction(3, 10))


def test_segment_level_above_the_threshold_leaves_the_pair_unmatched() -> None:
    result = report("segment", threshold=0.6)
    x = row(result, X)
    assert x["units"] == 4
    assert x["percent"] == 0.0


def test_segment_matching_is_one_to_one_and_best_first() -> None:
    # B's [0,10) overlaps A's [0,10) (ratio 1) and A's [0,12) (ratio 10/12): it matches the
    # first; A's [0,12) stays alone.
    clusters = segment_clusters([(0, 0, 12), (0, 0, 10), (1, 0, 10)], threshold=0.5)
    assert sorted(sorted(c) for c in clusters) == [[0], [0, 1]]


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="unit"):
        AgreementReport(unit="word", coders=[A, B], codes=[X])
    with pytest.raises(ValueError, match="two different coders"):
        AgreementReport(unit="character", coders=[A, A], codes=[X])
    with pytest.raises(ValueError, match="threshold"):
        AgreementReport(unit="segment", coders=[A, B], codes=[X], threshold=0)


# --- Disagreements ------------------------------------------------------------------------------


def test_disagreements_list_passages_where_the_coders_differ() -> None:
    a = [s for s in CODINGS if s.coder == A]
    b = [s for s in CODINGS if s.coder == B]
    found = disagreements(a, b)
    assert [(p.code, p.start, p.end, p.kind) for p in found] == [
        (X, 0, 10, "boundaries"),
        (X, 30, 40, "only_a"),
        (X, 45, 55, "only_b"),
    ]
    assert found[0].overlap == 0.5
    assert [s.id for s in found[0].a] == [1]
    assert [s.id for s in found[0].b] == [4]
    # Y [60,80) is the same for both: not a disagreement.


# --- Interval arithmetic and the count-based statistics agree with the unit-by-unit ones --------


def test_interval_helpers() -> None:
    assert merge_intervals([(5, 8), (0, 3), (2, 4), (8, 9)]) == [(0, 4), (5, 9)]
    assert intersection_length([(0, 4), (5, 9)], [(3, 6), (8, 20)]) == 1 + 1 + 1
    assert coverage_histogram([[(0, 10)], [(5, 15)], [(7, 8)]]) == {1: 10, 2: 4, 3: 1}


spans = st.lists(
    st.tuples(st.integers(0, 1), st.integers(0, 2), st.integers(0, 59), st.integers(1, 30)),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(spans)
def test_character_report_equals_the_statistics_on_listed_characters(items: list) -> None:
    length = 60
    codings = [
        Span(code, [A, B, C][coder], start, min(length, start + size))
        for code, coder, start, size in items
        if start < length
    ]
    built = AgreementReport(unit="character", coders=[A, B, C], codes=[0, 1])
    # All three are assigned: a coder without codings counts (says "no" everywhere).
    built.add_interview(InterviewUnits(id=1, length=length, codings=codings, assigned=[A, B, C]))
    result = built.result()
    for code_row in result["codes"]:
        flags = [
            [
                any(s.code == code_row["code"] and s.coder == coder and s.start <= i < s.end
                    for s in codings)
                for i in range(length)
            ]
            for coder in (A, B, C)
        ]  # fmt: skip
        pair = next(p for p in code_row["pairs"] if (p["a"], p["b"]) == (0, 1))
        expected = binary_agreement_summary(flags[0], flags[1])
        assert (pair["both"], pair["only_a"], pair["only_b"], pair["neither"]) == (
            expected["both"],
            expected["only_a"],
            expected["only_b"],
            expected["neither"],
        )
        if expected["kappa"] is None:
            assert pair["kappa"] is None
        else:
            assert pair["kappa"] == pytest.approx(expected["kappa"])
        try:
            alpha: float | None = krippendorff_alpha(flags)
        except ValueError:
            alpha = None
        if alpha is None:
            assert code_row["alpha"] is None
        else:
            assert code_row["alpha"] == pytest.approx(alpha)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=40))
def test_counts_give_the_same_summary_as_lists(pairs: list[tuple[bool, bool]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    listed = binary_agreement_summary(a, b)
    counted = binary_agreement_from_counts(
        both=listed["both"],
        only_a=listed["only_a"],
        only_b=listed["only_b"],
        neither=listed["neither"],
    )
    assert counted == listed


def test_alpha_from_tallies_matches_krippendorffs_published_example() -> None:
    # Krippendorff (2011), sec. C-F, nominal alpha of the 4 x 12 example is 0.743.
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    from collections import Counter

    tallies = [(Counter(v for row in data if (v := row[u]) is not None), 1) for u in range(12)]
    alpha = krippendorff_alpha_from_coincidences(coincidences_from_tallies(tallies))
    assert alpha == pytest.approx(0.743, abs=1e-3)
    assert alpha == krippendorff_alpha(data)


def test_kappa_from_a_table_equals_kappa_from_lists() -> None:
    rng = random.Random(3)
    a = [rng.choice("xyz") for _ in range(50)]
    b = [rng.choice("xyz") if rng.random() < 0.5 else v for v in a]
    cats = sorted(set(a) | set(b))
    table = [[sum(1 for p, q in zip(a, b, strict=True) if (p, q) == (r, c)) for c in cats]
             for r in cats]  # fmt: skip
    assert cohen_kappa_from_table(table) == pytest.approx(cohen_kappa(a, b))
    with pytest.raises(ValueError, match="square"):
        cohen_kappa_from_table([[1, 2]])
    with pytest.raises(ValueError, match="undefined"):
        cohen_kappa_from_table([[5, 0], [0, 0]])


@settings(max_examples=40, deadline=None)
@given(spans, st.lists(st.integers(1, 15), min_size=0, max_size=6))
def test_turn_report_equals_the_statistics_on_listed_turns(items: list, widths: list) -> None:
    length = 60
    turns, position = [], 0
    for width in widths:
        if position + width > length:
            break
        turns.append((position, position + width))
        position += width + 2  # a gap, as a speaker label would leave
    codings = [
        Span(code, [A, B][coder % 2], start, min(length, start + size))
        for code, coder, start, size in items
        if start < length
    ]
    built = AgreementReport(unit="turn", coders=[A, B], codes=[0, 1])
    built.add_interview(
        InterviewUnits(id=1, length=length, turns=turns, codings=codings, assigned=[A, B])
    )
    units = turns or [(0, length)]
    for row in built.result()["codes"]:
        flags = [
            [
                any(s.code == row["code"] and s.coder == who and s.start < e and s.end > b
                    for s in codings)
                for b, e in units
            ]
            for who in (A, B)
        ]  # fmt: skip
        expected = binary_agreement_summary(flags[0], flags[1])
        assert (row["both"], row["only_a"], row["only_b"], row["neither"]) == (
            expected["both"],
            expected["only_a"],
            expected["only_b"],
            expected["neither"],
        )


# --- Missing data: a coder counts only where assigned or having coded ---------------------------

# Two interviews of 10 characters, codes X and Y, coders A, B, C:
#   interview 1: A codes X [0,4), B codes X [2,6); C was neither assigned nor coded: missing.
#   interview 2: A codes X [0,5) and Y [5,10), B codes X [0,5), C assigned but coded nothing.
#   interview 3: only A coded (B and C missing): contributes nothing.
MISSING = [
    InterviewUnits(id=1, length=10, codings=[Span(X, A, 0, 4), Span(X, B, 2, 6)]),
    InterviewUnits(
        id=2,
        length=10,
        codings=[Span(X, A, 0, 5), Span(Y, A, 5, 10), Span(X, B, 0, 5)],
        assigned=[C],
    ),
    InterviewUnits(id=3, length=10, codings=[Span(X, A, 0, 10)]),
]


def flags(data: InterviewUnits, coder: int, code: int) -> list[bool]:
    return [
        any(s.coder == coder and s.code == code and s.start <= i < s.end for s in data.codings)
        for i in range(data.length)
    ]


def missing_report(unit: str = "character") -> dict:
    built = AgreementReport(unit=unit, coders=[A, B, C], codes=[X, Y])
    for data in MISSING:
        built.add_interview(data)
    return built.result()


def reliability_data(code_list: list[int]) -> np.ndarray:
    """Characters of interviews 1 and 2 (interview 3 has one coder) as columns, per code."""
    counts = {1: {A, B}, 2: {A, B, C}}
    rows = []
    for coder in (A, B, C):
        row: list[float] = []
        for code in code_list:
            for data in MISSING[:2]:
                values = flags(data, coder, code)
                row.extend(float(v) if coder in counts[data.id] else np.nan for v in values)
        rows.append(row)
    return np.array(rows)


def test_a_coder_missing_from_an_interview_is_missing_not_no() -> None:
    result = missing_report()
    assert result["missing"] == [
        {"interview": 1, "coder": 2},
        {"interview": 3, "coder": 1},
        {"interview": 3, "coder": 2},
    ]
    assert (result["interviews"], result["interviews_compared"], result["units"]) == (3, 2, 20)
    third = result["per_interview"][2]
    assert (third["counted"], third["percent"], third["alpha"]) == ([0], None, None)
    assert "only one coder counts" in third["note"]
    x = row(result, X)
    expected = krippendorff.alpha(reliability_data=reliability_data([X]),
                                  level_of_measurement="nominal")  # fmt: skip
    assert x["alpha"] == pytest.approx(expected, abs=1e-12)
    # The old rule (C says "no" in interview 1) gives another value: the test can tell.
    old = reliability_data([X])
    old[np.isnan(old)] = 0.0
    assert x["alpha"] != pytest.approx(
        krippendorff.alpha(reliability_data=old, level_of_measurement="nominal"), abs=1e-6
    )
    # Pairs use the interviews both count for: A-B both, A-C and B-C only interview 2.
    pair_units = {(p["a"], p["b"]): p["units"] for p in x["pairs"]}
    assert pair_units == {(0, 1): 20, (0, 2): 10, (1, 2): 10}
    a_c = next(p for p in x["pairs"] if (p["a"], p["b"]) == (0, 2))
    # Interview 2 only: A yes to 5 of 10 characters, C to none: p_o = p_e = 1/2, kappa 0.
    assert (a_c["both"], a_c["only_a"], a_c["only_b"], a_c["kappa"]) == (0, 5, 0, 0.0)
    a_b = next(p for p in x["pairs"] if (p["a"], p["b"]) == (0, 1))
    fa = flags(MISSING[0], A, X) + flags(MISSING[1], A, X)
    fb = flags(MISSING[0], B, X) + flags(MISSING[1], B, X)
    assert a_b["kappa"] == pytest.approx(cohen_kappa(fa, fb), abs=1e-12)
    assert a_b["pi"] == pytest.approx(scott_pi(fa, fb), abs=1e-12)
    # Fleiss' kappa and full agreement use interview 2 only (all three count there).
    rows = [
        [sum(v), 3 - sum(v)]
        for v in zip(*(flags(MISSING[1], c, X) for c in (A, B, C)), strict=True)
    ]
    assert x["fleiss"] == pytest.approx(fleiss_kappa(rows), abs=1e-12)
    assert (x["complete_units"], x["percent"]) == (10, 0.5)


def test_the_overall_row_is_the_pool_of_the_listed_codes() -> None:
    result = missing_report()
    overall = result["overall"]
    expected = krippendorff.alpha(reliability_data=reliability_data([X, Y]),
                                  level_of_measurement="nominal")  # fmt: skip
    assert overall["alpha"] == pytest.approx(expected, abs=1e-12)
    # Pair A-B pooled by hand: X and Y over interviews 1 and 2.
    fa = [v for code in (X, Y) for d in MISSING[:2] for v in flags(d, A, code)]
    fb = [v for code in (X, Y) for d in MISSING[:2] for v in flags(d, B, code)]
    a_b = next(p for p in overall["pairs"] if (p["a"], p["b"]) == (0, 1))
    assert a_b["kappa"] == pytest.approx(cohen_kappa(fa, fb), abs=1e-12)
    assert a_b["units"] == 40


def test_alpha_with_two_coders_and_a_missing_interview_matches_the_krippendorff_package() -> None:
    built = AgreementReport(unit="character", coders=[A, B], codes=[X])
    lone = InterviewUnits(id=9, length=10, codings=[Span(X, A, 0, 3)])  # B missing
    for data in (MISSING[0], lone):
        built.add_interview(data)
    result = built.result()
    data = np.array(
        [flags(MISSING[0], A, X) + flags(lone, A, X), flags(MISSING[0], B, X) + [np.nan] * 10],
        dtype=float,
    )
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert result["codes"][0]["alpha"] == pytest.approx(expected, abs=1e-12)
    # Cohen's kappa uses interview 1 alone: 2 both, 2 only A, 2 only B, 4 neither.
    assert result["codes"][0]["kappa"] == pytest.approx(
        cohen_kappa(flags(MISSING[0], A, X), flags(MISSING[0], B, X)), abs=1e-12
    )
    assert result["per_interview"][1]["note"].startswith("Contributes nothing")


def test_unitizing_alpha_per_code_and_pooled_over_interviews() -> None:
    result = missing_report()
    x = row(result, X)
    # Interview 1 with A and B, interview 2 with A, B and C (C one gap), pooled.
    terms = [
        unitizing_terms([(A, 0, 4, X), (B, 2, 6, X)], begin=0, length=10, category=X),
        unitizing_terms([(A, 0, 5, X), (B, 0, 5, X)], begin=0, length=10, category=X, coders=[C]),
    ]
    assert x["unitizing_alpha"] == pytest.approx(unitizing_alpha_pooled(terms), abs=1e-12)
    one = AgreementReport(unit="character", coders=[A, B], codes=[X])
    one.add_interview(MISSING[0])
    assert row(one.result(), X)["unitizing_alpha"] == unitizing_alpha(
        [(A, 0, 4, X), (B, 2, 6, X)], begin=0, length=10, category=X
    )
    # Y: only A made units (in interview 2); interview 1 is an empty continuum for Y.
    y_terms = [
        unitizing_terms([], begin=0, length=10, category=Y, coders=[A, B]),
        unitizing_terms([(A, 5, 10, Y)], begin=0, length=10, category=Y, coders=[B, C]),
    ]
    y_observed, y_expected = unitizing_disagreement(y_terms)
    assert row(result, Y)["unitizing_alpha"] == pytest.approx(
        float(1 - y_observed / y_expected), abs=1e-12
    )
    x_observed, x_expected = unitizing_disagreement(terms)
    assert result["overall"]["unitizing_alpha"] == pytest.approx(
        float(1 - (x_observed + y_observed) / (x_expected + y_expected)), abs=1e-12
    )


def test_segment_unit_merges_a_coders_overlapping_spans_first() -> None:
    # A codes X twice over [0,10) ([0,6) and [4,10)); B once [0,10): one unit, agreed.
    data = InterviewUnits(
        id=1, length=20, codings=[Span(X, A, 0, 6), Span(X, A, 4, 10), Span(X, B, 0, 10)]
    )
    built = AgreementReport(unit="segment", coders=[A, B], codes=[X])
    built.add_interview(data)
    x = built.result()["codes"][0]
    assert (x["units"], x["percent"]) == (1, 1.0)
