"""Agreement statistics checked against published worked examples.

Each test names its source and the published value. Published values are given to 3 or 4
decimals, so they are compared with ``pytest.approx(expected, abs=1e-3)`` (or ``1e-4`` when the
source prints 4 decimals or more); hand computations are compared exactly as fractions.

These tests are pure Python: no database, no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from decimal import Decimal
from fractions import Fraction

import pytest

from coding.analysis.agreement import (
    AlphaLevel,
    KappaWeights,
    _kappa_from_table,
    binary_agreement_summary,
    cohen_kappa,
    confusion_counts,
    fleiss_kappa,
    fleiss_kappa_from_tallies,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
    scott_pi_from_table,
    unitizing_alpha,
    unitizing_alpha_pooled,
    unitizing_disagreement,
    unitizing_terms,
)

N = None


def expand(
    table: Sequence[Sequence[int]], categories: Sequence[Hashable]
) -> tuple[list[Hashable], list[Hashable]]:
    """Turn a contingency table (rows = coder a, columns = coder b) into two codings."""
    a: list[Hashable] = []
    b: list[Hashable] = []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [categories[i]] * count
            b += [categories[j]] * count
    return a, b


# --------------------------------------------------------------------------------------------
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", Annenberg School for
# Communication Departmental Papers, University of Pennsylvania (repository.upenn.edu/asc_papers/43)
# --------------------------------------------------------------------------------------------

# Sec. C-F: reliability data matrix, 4 observers (A-D) x 12 units, "." = missing.
KRIPP_4x12: list[list[int | None]] = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],  # A
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],  # B
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],  # C
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],  # D
]

# Sec. A: binary data, two observers, no missing data.
KRIPP_BINARY_A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
KRIPP_BINARY_B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]

# Sec. B: nominal data, two observers (Ben, Gerry), no missing data.
KRIPP_BEN = ["a", "a", "b", "b", "d", "c", "c", "c", "e", "d", "d", "a"]
KRIPP_GERRY = ["b", "a", "b", "b", "b", "c", "c", "c", "e", "d", "d", "d"]


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("nominal", 0.743),  # Krippendorff 2011, sec. C: alpha_nominal = 0.743
        ("ordinal", 0.815),  # Krippendorff 2011, sec. D: alpha_ordinal = 0.815
        ("interval", 0.849),  # Krippendorff 2011, sec. E: alpha_interval = 0.849
        ("ratio", 0.797),  # Krippendorff 2011, sec. F: alpha_ratio = 0.797
    ],
)
def test_krippendorff_4_coders_12_units_missing_data(level: AlphaLevel, expected: float) -> None:
    assert krippendorff_alpha(KRIPP_4x12, level) == pytest.approx(expected, abs=1e-3)


def test_krippendorff_nominal_4x12_exact_value() -> None:
    # Sec. C: pairable values n = 40 with marginals n_1..n_5 = 9, 13, 10, 5, 3 and off-diagonal
    # coincidences sum_{c!=k} o_ck = 8, so
    # alpha = 1 - (n - 1) * 8 / (n^2 - sum_c n_c^2) = 1 - 39 * 8 / (1600 - 384) = 113/152 = 0.743
    assert krippendorff_alpha(KRIPP_4x12) == pytest.approx(113 / 152, abs=1e-12)


def test_krippendorff_ignores_units_with_a_single_value() -> None:
    # Unit 12 has only B's "3": not pairable, so Krippendorff's rule drops it. Removing the unit
    # (and, separately, giving it a value nobody else used) must not change alpha.
    without_unit_12 = [row[:11] for row in KRIPP_4x12]
    odd_single = [[*row[:11], value] for row, value in zip(KRIPP_4x12, [N, 99, N, N], strict=True)]
    levels: list[AlphaLevel] = ["nominal", "ordinal", "interval", "ratio"]
    for level in levels:
        full = krippendorff_alpha(KRIPP_4x12, level)
        assert krippendorff_alpha(without_unit_12, level) == pytest.approx(full, abs=1e-12)
        assert krippendorff_alpha(odd_single, level) == pytest.approx(full, abs=1e-12)


def test_krippendorff_binary_two_coders() -> None:
    # Krippendorff 2011, sec. A: o_00 = 10, o_01 = o_10 = 4, o_11 = 2; n_0 = 14, n_1 = 6, n = 20;
    # alpha = 1 - (n - 1) o_01 / (n_0 n_1) = 1 - 19 * 4 / (14 * 6) = 1 - 76/84 = 0.095
    alpha = krippendorff_alpha([KRIPP_BINARY_A, KRIPP_BINARY_B])
    assert alpha == pytest.approx(0.095, abs=1e-3)
    assert alpha == pytest.approx(1 - 76 / 84, abs=1e-12)


def test_krippendorff_nominal_two_coders_no_missing() -> None:
    # Krippendorff 2011, sec. B (Ben and Gerry, 12 units, categories a-e): alpha = 0.692
    assert krippendorff_alpha([KRIPP_BEN, KRIPP_GERRY]) == pytest.approx(0.692, abs=1e-3)


def test_krippendorff_ordinal_depends_only_on_rank_order() -> None:
    # The ordinal metric uses only ranks and marginal frequencies, so a strictly increasing
    # recoding (v -> v**3) keeps alpha_ordinal; alpha_interval must change.
    cubed = [[None if v is None else v**3 for v in row] for row in KRIPP_4x12]
    assert krippendorff_alpha(cubed, "ordinal") == pytest.approx(0.815, abs=1e-3)
    assert krippendorff_alpha(cubed, "interval") != pytest.approx(0.849, abs=1e-3)


def test_krippendorff_nominal_ignores_labels() -> None:
    relabelled = [[None if v is None else f"code-{v}" for v in row] for row in KRIPP_4x12]
    assert krippendorff_alpha(relabelled) == pytest.approx(0.743, abs=1e-3)


def test_krippendorff_perfect_agreement_is_one() -> None:
    assert krippendorff_alpha([[1, 2, 3, N], [1, 2, 3, 4], [N, 2, 3, 4]], "interval") == 1.0


# --------------------------------------------------------------------------------------------
# Scott's pi (Scott 1955) and its relation to Krippendorff's alpha
# --------------------------------------------------------------------------------------------


def test_scott_pi_hand_computed() -> None:
    # a = x x x y, b = x x y y; n = 4.
    # p_o = 3/4 (units 1, 2, 4 agree).
    # Pooled codes (8): x = 3 + 2 = 5, y = 1 + 2 = 3 -> p_e = (5/8)^2 + (3/8)^2 = 34/64 = 17/32.
    # pi = (3/4 - 17/32) / (1 - 17/32) = (7/32) / (15/32) = 7/15 = 0.4667
    a = ["x", "x", "x", "y"]
    b = ["x", "x", "y", "y"]
    assert scott_pi(a, b) == pytest.approx(7 / 15, abs=1e-12)
    # Cohen's kappa on the same data uses each coder's own marginals:
    # p_e = (3/4)(2/4) + (1/4)(2/4) = 1/2 -> kappa = (3/4 - 1/2) / (1/2) = 1/2
    assert cohen_kappa(a, b) == pytest.approx(0.5, abs=1e-12)


def test_scott_pi_on_krippendorff_binary_example() -> None:
    # Krippendorff 2011, sec. A data: p_o = 6/10; pooled 14 zeros and 6 ones of 20 codes,
    # p_e = 0.7^2 + 0.3^2 = 0.58; pi = (0.6 - 0.58) / 0.42 = 1/21 = 0.048
    assert scott_pi(KRIPP_BINARY_A, KRIPP_BINARY_B) == pytest.approx(1 / 21, abs=1e-12)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (KRIPP_BINARY_A, KRIPP_BINARY_B),  # n = 10: pi = 1/21, alpha = 0.095
        (KRIPP_BEN, KRIPP_GERRY),  # n = 12: alpha = 0.692
        (["x", "x", "x", "y"], ["x", "x", "y", "y"]),  # n = 4: pi = 7/15, alpha = 8/15
    ],
)
def test_nominal_alpha_is_small_sample_corrected_pi(
    a: Sequence[Hashable], b: Sequence[Hashable]
) -> None:
    # Two coders, no missing data, N = 2n pairable values:
    #   1 - pi    = D_o / (sum_{c!=k} n_c n_k / N^2)
    #   1 - alpha = D_o / (sum_{c!=k} n_c n_k / (N (N - 1)))
    # so 1 - alpha = (1 - pi) (N - 1) / N, i.e. alpha = 1 - (1 - pi)(2n - 1)/(2n).
    # (Sec. A: 1 - (1 - 1/21) * 19/20 = 1 - 76/84 = 0.095.)
    n = len(a)
    pi = scott_pi(a, b)
    assert krippendorff_alpha([a, b]) == pytest.approx(
        1 - (1 - pi) * (2 * n - 1) / (2 * n), abs=1e-12
    )


# --------------------------------------------------------------------------------------------
# Cohen's kappa (Cohen 1960) and weighted kappa (Cohen 1968)
# --------------------------------------------------------------------------------------------


def test_cohen_kappa_wikipedia_worked_example() -> None:
    # Wikipedia, "Cohen's kappa", worked example: 50 proposals, yes/yes 20, A yes/B no 5,
    # A no/B yes 10, no/no 15.
    # p_o = (20 + 15)/50 = 0.7; p_yes = 25/50 * 30/50 = 0.3, p_no = 25/50 * 20/50 = 0.2,
    # p_e = 0.5; kappa = (0.7 - 0.5)/(1 - 0.5) = 0.4
    a, b = expand([[20, 5], [10, 15]], ["yes", "no"])
    assert percent_agreement(a, b) == pytest.approx(0.7, abs=1e-12)
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-3)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        # Wikipedia, "Cohen's kappa", "Same percentages but different numbers": both tables
        # have p_o = 0.60 but kappa = 0.1304 and 0.2593.
        ([[45, 15], [25, 15]], 0.1304),  # p_e = .6*.7 + .4*.3 = .54 -> .06/.46
        ([[25, 35], [5, 35]], 0.2593),  # p_e = .6*.3 + .4*.7 = .46 -> .14/.54
    ],
)
def test_cohen_kappa_same_agreement_different_kappa(
    table: list[list[int]], expected: float
) -> None:
    a, b = expand(table, ["yes", "no"])
    assert percent_agreement(a, b) == pytest.approx(0.6, abs=1e-12)
    assert cohen_kappa(a, b) == pytest.approx(expected, abs=1e-4)


# Cohen (1968), Psychological Bulletin 70(4), 213-220: the example table of proportions
# (rows judge A, columns judge B), n = 200, reproduced in the documentation of R psych::cohen.kappa:
#   .44 .07 .09 / .05 .20 .05 / .01 .03 .06   -> counts below (x 200)
COHEN_1968 = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]


def test_cohen_1968_unweighted() -> None:
    # Cohen 1968 reports kappa = .492: p_o = .70, p_c = .6*.5 + .3*.3 + .1*.2 = .41,
    # kappa = .29/.59 = .4915
    a, b = expand(COHEN_1968, ["I", "II", "III"])
    assert cohen_kappa(a, b) == pytest.approx(0.492, abs=1e-3)


def test_cohen_1968_weighted_with_his_disagreement_weights() -> None:
    # Cohen 1968 reports kappa_w = .348 with disagreement weights v_12 = 1, v_13 = 3, v_23 = 6.
    # sum v p_o = 1(.07+.05) + 3(.09+.01) + 6(.05+.03) = .90
    # sum v p_c = 1(.18+.15) + 3(.12+.05) + 6(.06+.03) = 1.38 -> kappa_w = 1 - .90/1.38 = .348
    # The public API only offers linear/quadratic weights, so this checks the table engine that
    # cohen_kappa delegates to.
    weights = [[0, 1, 3], [1, 0, 6], [3, 6, 0]]
    assert float(_kappa_from_table(COHEN_1968, weights)) == pytest.approx(0.348, abs=1e-3)


# vcd::SexualFun (Agresti 1990 after Hout, Duncan & Sobel 1987): husband (rows) x wife (columns)
# ratings of "sex is fun", 91 couples, 4 ordered categories.
SEXUAL_FUN = [[7, 7, 2, 3], [2, 8, 3, 7], [1, 5, 4, 9], [2, 8, 9, 14]]


def test_weighted_kappa_linear_sexualfun() -> None:
    # R vcd documentation, Kappa(SexualFun): Unweighted 0.1293, Weighted ("Equal-Spacing",
    # i.e. linear weights 1 - |i-j|/(k-1)) 0.2374
    a, b = expand(SEXUAL_FUN, [1, 2, 3, 4])
    assert cohen_kappa(a, b) == pytest.approx(0.1293, abs=1e-4)
    assert cohen_kappa(a, b, weights="linear") == pytest.approx(0.2374, abs=1e-4)


# R package irr, dataset `anxiety` (20 subjects, 3 raters, scale 1-6); raters 2 and 3.
# Rater 2 and 3 together never use 5, so irr's factor levels are 1, 2, 3, 4, 6 - the same as
# cohen_kappa's default categories (sorted union of the observed values).
ANXIETY_RATER2 = [3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4]
ANXIETY_RATER3 = [2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2]


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        (None, -0.006289308),  # irr::kappa2(anxiety[,2:3]) -> Kappa = -0.006289308
        ("linear", 0.1459075),  # irr::kappa2(anxiety[,2:3], "equal") -> 0.1459075
        ("quadratic", 0.2520325),  # irr::kappa2(anxiety[,2:3], "squared") -> 0.2520325
    ],
)
def test_cohen_kappa_irr_anxiety(weights: KappaWeights | None, expected: float) -> None:
    kappa = cohen_kappa(ANXIETY_RATER2, ANXIETY_RATER3, weights=weights)
    assert kappa == pytest.approx(expected, abs=1e-6)


def test_weighted_kappa_quadratic_maple_essaytools() -> None:
    # Maple help, EssayTools[QuadraticWeightedKappa], examples 1 and 2 (Min/Max taken from the
    # data, i.e. the scale 1..10): 0.758620689655172 and 0.438095238095238.
    scores = [9, 7, 8, 7, 6, 8, 3, 5, 10]
    scale = list(range(1, 11))
    example_1 = [8, 8, 6, 6, 7, 6, 1, 4, 8]
    example_2 = [3, 5, 6, 6, 7, 6, 1, 4, 8]
    assert cohen_kappa(scores, example_1, "quadratic", scale) == pytest.approx(
        0.758620689655172, abs=1e-9
    )
    assert cohen_kappa(scores, example_2, "quadratic", scale) == pytest.approx(
        0.438095238095238, abs=1e-9
    )
    # Nobody used 2, so the default categories (observed values) close the 1-3 gap and change
    # the weights: the ordered category list matters for weighted kappa.
    assert cohen_kappa(scores, example_1, "quadratic") != pytest.approx(0.7586, abs=1e-3)


def test_weighted_kappa_hand_computed() -> None:
    # a = 1 1 2 3, b = 1 2 2 2, categories [1, 2, 3] (k = 3), n = 4.
    # Cells: (1,1) (1,2) (2,2) (3,2). Row totals r = 2, 1, 1; column totals c = 1, 3, 0.
    # Unweighted: p_o = 2/4, p_e = (2*1 + 1*3 + 1*0)/16 = 5/16 -> (8/16 - 5/16)/(11/16) = 3/11.
    # Linear v_ij = |i-j|/2:
    #   observed   sum v*o/n    = (1/2 + 1/2)/4 = 1/4
    #   expected   sum v*r*c/n^2 = [r2c1*1/2 + r3c1*1 + r1c2*1/2 + r3c2*1/2]/16
    #                           = [1/2 + 1 + 3 + 3/2]/16 = 6/16 = 3/8
    #   kappa_lin = 1 - (1/4)/(3/8) = 1/3
    # Quadratic v_ij = (i-j)^2/4 (adjacent 1/4, two apart 1):
    #   observed = (1/4 + 1/4)/4 = 1/8
    #   expected = [1/4 + 1 + 6/4 + 3/4]/16 = 3.5/16 = 7/32
    #   kappa_quad = 1 - (1/8)/(7/32) = 3/7
    a = [1, 1, 2, 3]
    b = [1, 2, 2, 2]
    assert cohen_kappa(a, b) == pytest.approx(3 / 11, abs=1e-12)
    assert cohen_kappa(a, b, "linear") == pytest.approx(1 / 3, abs=1e-12)
    assert cohen_kappa(a, b, "quadratic") == pytest.approx(3 / 7, abs=1e-12)


def test_weighted_kappa_on_two_categories_equals_unweighted() -> None:
    a, b = expand([[20, 5], [10, 15]], ["no", "yes"])
    assert cohen_kappa(a, b, "linear") == pytest.approx(0.4, abs=1e-12)
    assert cohen_kappa(a, b, "quadratic") == pytest.approx(0.4, abs=1e-12)


def test_unweighted_kappa_ignores_category_order_and_unused_categories() -> None:
    a, b = expand([[20, 5], [10, 15]], ["yes", "no"])
    assert cohen_kappa(a, b, categories=["no", "yes", "maybe"]) == pytest.approx(0.4, abs=1e-12)
    # Unsortable mixed labels are fine when no order is needed.
    assert cohen_kappa([1, "x", 1, "x"], [1, "x", "x", "x"]) == pytest.approx(0.5, abs=1e-12)


def test_cohen_kappa_perfect_agreement_is_one() -> None:
    assert cohen_kappa(["a", "b", "c"], ["a", "b", "c"]) == 1.0
    assert cohen_kappa([1, 2, 3], [1, 2, 3], "quadratic") == 1.0


# --------------------------------------------------------------------------------------------
# Fleiss' kappa (Fleiss 1971)
# --------------------------------------------------------------------------------------------


def test_fleiss_kappa_wikipedia_example() -> None:
    # Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories;
    # P_bar = 0.378, P_e = 0.213, kappa = 0.210. (Wikipedia's own example, not Fleiss 1971's.)
    counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    assert fleiss_kappa(counts) == pytest.approx(0.210, abs=1e-3)


# Fleiss (1971), Psychological Bulletin 76(5), 378-382, Table 1: 30 patients, 6 psychiatrists,
# 5 diagnoses (1 depression, 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other), as
# shipped in R package irr as `diagnoses` (one row per patient, the six raters' diagnoses).
FLEISS_1971_DIAGNOSES = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]  # fmt: skip


def test_fleiss_kappa_fleiss_1971_diagnoses() -> None:
    # Fleiss 1971: kappa = .430; R irr::kappam.fleiss(diagnoses) prints Kappa = 0.43
    # (0.4302445 unrounded). Category totals 26, 26, 30, 55, 43 of 180 ratings.
    counts = [[row.count(k) for k in range(1, 6)] for row in FLEISS_1971_DIAGNOSES]
    assert [sum(col) for col in zip(*counts, strict=True)] == [26, 26, 30, 55, 43]
    assert fleiss_kappa(counts) == pytest.approx(0.430, abs=1e-3)
    assert fleiss_kappa(counts) == pytest.approx(0.4302445, abs=1e-7)


def test_fleiss_kappa_hand_computed() -> None:
    # 2 subjects, 3 raters, 2 categories: rows [3, 0] and [1, 2].
    # P_1 = (9 - 3)/(3*2) = 1, P_2 = (1 + 4 - 3)/6 = 1/3 -> P_bar = 2/3.
    # p = (4/6, 2/6) -> P_e = 16/36 + 4/36 = 5/9.
    # kappa = (2/3 - 5/9)/(1 - 5/9) = (1/9)/(4/9) = 1/4
    assert fleiss_kappa([[3, 0], [1, 2]]) == pytest.approx(0.25, abs=1e-12)


# --------------------------------------------------------------------------------------------
# Report helpers
# --------------------------------------------------------------------------------------------


def test_percent_agreement() -> None:
    assert percent_agreement([1, 2, 3, 4], [1, 2, 0, 4]) == pytest.approx(0.75, abs=1e-12)
    assert percent_agreement(["a"], ["b"]) == 0.0


def test_confusion_counts_wikipedia_table() -> None:
    a, b = expand([[20, 5], [10, 15]], ["yes", "no"])
    assert confusion_counts(a, b) == {
        ("yes", "yes"): 20,
        ("yes", "no"): 5,
        ("no", "yes"): 10,
        ("no", "no"): 15,
    }
    assert confusion_counts([], []) == {}
    assert confusion_counts([None, "x"], [None, None]) == {(None, None): 1, ("x", None): 1}


def test_binary_agreement_summary_wikipedia_table() -> None:
    a = [True] * 25 + [False] * 25
    b = [True] * 20 + [False] * 5 + [True] * 10 + [False] * 15
    summary = binary_agreement_summary(a, b)
    assert summary == {
        "n": 50,
        "both": 20,
        "only_a": 5,
        "only_b": 10,
        "neither": 15,
        "percent": pytest.approx(0.7, abs=1e-12),
        "kappa": pytest.approx(0.4, abs=1e-3),
    }


def test_binary_agreement_summary_code_nobody_used() -> None:
    summary = binary_agreement_summary([False] * 4, [False] * 4)
    assert summary["neither"] == 4
    assert summary["percent"] == 1.0
    assert summary["kappa"] is None


def test_binary_agreement_summary_code_everybody_used_everywhere() -> None:
    # 1/0 are accepted as flags (e.g. straight from a database column).
    summary = binary_agreement_summary([True, True], [1, 1])  # type: ignore[list-item]
    assert summary["both"] == 2
    assert summary["kappa"] is None


def test_binary_agreement_summary_no_units() -> None:
    assert binary_agreement_summary([], []) == {
        "n": 0,
        "both": 0,
        "only_a": 0,
        "only_b": 0,
        "neither": 0,
        "percent": None,
        "kappa": None,
    }


# --------------------------------------------------------------------------------------------
# Degenerate input -> ValueError with a clear message
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("func", [percent_agreement, cohen_kappa, scott_pi])
def test_pairwise_mismatched_lengths(func: Callable[..., object]) -> None:
    with pytest.raises(ValueError, match=r"different lengths \(2 and 3\)"):
        func([1, 2], [1, 2, 3])


@pytest.mark.parametrize("func", [percent_agreement, cohen_kappa, scott_pi])
def test_pairwise_empty(func: Callable[..., object]) -> None:
    with pytest.raises(ValueError, match="undefined for empty data"):
        func([], [])


@pytest.mark.parametrize("func", [percent_agreement, cohen_kappa, scott_pi])
def test_pairwise_missing_value(func: Callable[..., object]) -> None:
    with pytest.raises(ValueError, match=r"coder b has a missing value \(None\) at position 1"):
        func([1, 2], [1, None])


def test_cohen_kappa_single_category() -> None:
    with pytest.raises(
        ValueError,
        match=r"Cohen's kappa is undefined: both coders used a single category \('x'\), "
        "so chance agreement is 1",
    ):
        cohen_kappa(["x", "x", "x"], ["x", "x", "x"])


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_cohen_kappa_single_category_even_with_a_longer_scale(
    weights: KappaWeights | None,
) -> None:
    with pytest.raises(ValueError, match="chance agreement is 1"):
        cohen_kappa([2, 2], [2, 2], weights, categories=[1, 2, 3])


def test_cohen_kappa_different_single_categories_is_defined() -> None:
    # a always "x", b always "y": p_o = 0, p_e = 0 -> kappa = 0 (defined, no error).
    assert cohen_kappa(["x", "x"], ["y", "y"]) == 0.0


def test_cohen_kappa_value_outside_categories() -> None:
    with pytest.raises(ValueError, match=r"Coder b used 4, which is not in `categories`"):
        cohen_kappa([1, 2, 3], [1, 2, 4], "linear", categories=[1, 2, 3])


def test_cohen_kappa_bad_categories() -> None:
    with pytest.raises(ValueError, match="`categories` lists 2 more than once"):
        cohen_kappa([1, 2], [1, 2], categories=[1, 2, 2])
    with pytest.raises(ValueError, match="`categories` is empty"):
        cohen_kappa([1, 2], [1, 2], categories=[])


def test_cohen_kappa_unknown_weights() -> None:
    with pytest.raises(ValueError, match="Unknown kappa weights 'cubic'"):
        cohen_kappa([1, 2], [1, 2], weights="cubic")  # type: ignore[arg-type]


def test_weighted_kappa_needs_ordered_categories() -> None:
    with pytest.raises(ValueError, match="Weighted kappa needs ordered categories"):
        cohen_kappa([1, "x"], [1, "x"], "linear")


def test_scott_pi_single_category() -> None:
    with pytest.raises(
        ValueError,
        match="Scott's pi is undefined: both coders used only the single category 'x', "
        "so expected agreement is 1",
    ):
        scott_pi(["x", "x"], ["x", "x"])


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ([], "undefined for empty data: no subjects"),
        ([[]], "rows have no categories"),
        ([[1, 1], [2]], "row 1 has 1 categories but row 0 has 2"),
        ([[1, 1], [2, 1]], "row 1 sums to 3 but row 0 sums to 2"),
        ([[1, 0], [0, 1]], "needs at least two raters per subject, got 1"),
        ([[3, -1], [1, 1]], "counts must be non-negative integers"),
        ([[1.5, 0.5], [1, 1]], "counts must be non-negative integers"),
        ([[0, 3], [0, 3]], "undefined: every rating falls in a single category"),
    ],
)
def test_fleiss_kappa_degenerate(counts: list[list[int]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fleiss_kappa(counts)


@pytest.mark.parametrize(
    ("data", "level", "message"),
    [
        ([], "nominal", "needs at least two coders, got 0"),
        ([[1, 2, 3]], "nominal", "needs at least two coders, got 1"),
        ([[1, 2], [1, 2, 3]], "nominal", "coder 1 has 3 units but coder 0 has 2"),
        ([[], []], "nominal", "undefined for empty data: there are no units"),
        ([[1, N], [N, 2]], "nominal", "no unit has values from at least two coders"),
        ([[1, 1, N], [1, 1, 2]], "nominal", r"all pairable values are the same \(1\)"),
        ([[1, 2], [1, 2]], "cardinal", "Unknown level 'cardinal'"),
        ([["a", "b"], ["a", "b"]], "interval", "needs numeric values"),
        ([["a", "b"], ["a", "b"]], "ordinal", "needs numeric values"),
        ([[1, -2], [1, 2]], "ratio", "value -2 is negative"),
        ([[1.0, float("nan")], [1.0, 2.0]], "interval", "value nan is not finite"),
    ],
)
def test_krippendorff_degenerate(
    data: list[list[Hashable | None]], level: AlphaLevel, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        krippendorff_alpha(data, level)


def test_confusion_counts_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match=r"different lengths \(1 and 2\)"):
        confusion_counts([1], [1, 2])


def test_binary_agreement_summary_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match=r"different lengths \(1 and 2\)"):
        binary_agreement_summary([True], [True, False])
    with pytest.raises(ValueError, match="coder a has None at position 0; expected True/False"):
        binary_agreement_summary([None], [True])  # type: ignore[list-item]


def test_krippendorff_interval_hand_computed_with_ints_fractions_and_decimals() -> None:
    # Units (1, 1) and (3, 5): coincidences o_11 = 2, o_35 = o_53 = 1; n_1 = 2, n_3 = n_5 = 1,
    # n = 4. Interval delta^2 = (c - k)^2.
    # sum o*delta = 2 * (3 - 5)^2 = 8
    # sum n_c n_k delta = 2 * [2*1*(1-3)^2 + 2*1*(1-5)^2 + 1*1*(3-5)^2] = 2 * (8 + 32 + 4) = 88
    # alpha = 1 - (n - 1) * 8 / 88 = 1 - 24/88 = 8/11 (interval alpha is scale-free, so halving
    # every value must give the same result).
    assert krippendorff_alpha([[1, 3], [1, 5]], "interval") == pytest.approx(8 / 11, abs=1e-12)
    halves = [[Fraction(1, 2), Fraction(3, 2)], [Fraction(1, 2), Fraction(5, 2)]]
    assert krippendorff_alpha(halves, "interval") == pytest.approx(8 / 11, abs=1e-12)
    decimals = [[Decimal("0.5"), Decimal("1.5")], [Decimal("0.5"), Decimal("2.5")]]
    assert krippendorff_alpha(decimals, "interval") == pytest.approx(8 / 11, abs=1e-12)


# --- Tallied forms used by the reports ---------------------------------------------------------


def test_fleiss_from_tallies_equals_fleiss_on_the_listed_rows() -> None:
    rows = [[3, 0], [3, 0], [2, 1], [0, 3], [1, 2], [2, 1], [2, 1]]
    tallies = [([3, 0], 2), ([2, 1], 3), ([0, 3], 1), ([1, 2], 1), ([1, 2], 0)]
    assert fleiss_kappa_from_tallies(tallies) == fleiss_kappa(rows)
    with pytest.raises(ValueError, match="no subjects"):
        fleiss_kappa_from_tallies([([2, 1], 0)])


def test_scott_pi_from_a_table_equals_scott_pi_from_lists() -> None:
    a, b = expand([[20, 5], [10, 15]], ["yes", "no"])
    assert scott_pi_from_table([[20, 5], [10, 15]]) == pytest.approx(scott_pi(a, b), abs=1e-12)
    # Hand computed: p_o = 35/50; pooled yes = (25 + 30) / 100, p_e = .55**2 + .45**2 = .505;
    # pi = (.7 - .505) / .495 = 13/33.
    assert scott_pi_from_table([[20, 5], [10, 15]]) == pytest.approx(13 / 33, abs=1e-12)
    with pytest.raises(ValueError, match="undefined"):
        scott_pi_from_table([[4, 0], [0, 0]])


# --- Unitizing alpha ----------------------------------------------------------------------------

# Krippendorff (2004), §12.4, p. 254: two observers unitize the continuum [150, 450) into
# categories c and k (units as (observer, start, end, category), half-open).
KRIPPENDORFF_2004 = [
    ("i", 225, 295, "c"),
    ("i", 370, 400, "c"),
    ("j", 220, 300, "c"),
    ("j", 355, 375, "c"),
    ("j", 400, 420, "c"),
    ("i", 180, 240, "k"),
    ("i", 300, 350, "k"),
    ("j", 180, 240, "k"),
    ("j", 300, 350, "k"),
]


def test_unitizing_alpha_krippendorff_2004_worked_example() -> None:
    """Krippendorff, K. (2004), *Content Analysis*, 2nd ed., §12.4, p. 254 (the example as
    reproduced in DKPro Statistics' ``Krippendorff2004Test``): for category c, D_o = 0.0144,
    D_e = 0.0532 and c-alpha_U = 0.7286; for category k, D_o = 0, D_e = 0.0490, alpha_U = 1."""
    terms = unitizing_terms(KRIPPENDORFF_2004, begin=150, length=300, category="c")
    observed, expected = unitizing_disagreement([terms])
    assert float(observed) == pytest.approx(0.0144, abs=1e-4)
    assert float(expected) == pytest.approx(0.0532, abs=1e-4)
    # D_o exactly: 5**2 + 5**2 (225-295 against 220-300), 15**2 + 25**2 (370-400 against
    # 355-375) and 20**2 (j's 400-420 inside i's gap 400-450): 1300, twice (ordered pairs),
    # over 2 * 300**2.
    assert observed == Fraction(2 * 1300, 2 * 300**2)
    alpha_c = unitizing_alpha(KRIPPENDORFF_2004, begin=150, length=300, category="c")
    assert alpha_c == pytest.approx(0.7286, abs=1e-4)
    k_terms = unitizing_terms(KRIPPENDORFF_2004, begin=150, length=300, category="k")
    assert float(unitizing_disagreement([k_terms])[1]) == pytest.approx(0.0490, abs=1e-4)
    assert unitizing_alpha(KRIPPENDORFF_2004, begin=150, length=300, category="k") == 1.0


def test_unitizing_alpha_is_scale_free_on_a_fine_grid() -> None:
    # Continuous positions (the 1995 form) scaled by 1000 approach the grid value of the 2004
    # form: the "+ 1" and "- 1" grid terms fade, leaving 0.731 against 0.729.
    fine = [(c, s * 1000, e * 1000, v) for c, s, e, v in KRIPPENDORFF_2004]
    coarse = unitizing_alpha(KRIPPENDORFF_2004, begin=150, length=300, category="c")
    scaled = unitizing_alpha(fine, begin=150_000, length=300_000, category="c")
    assert scaled == pytest.approx(coarse, abs=3e-3)
    assert scaled == pytest.approx(0.7308, abs=1e-4)


def test_unitizing_alpha_hand_computed() -> None:
    # Continuum [0, 10): coder a codes [2, 5), coder b [3, 5).
    # Observed: only the two units differ, (2-3)**2 + (5-5)**2 = 1; ordered pairs 2;
    # D_o = 2 / (2 * 1 * 10**2) = 1/100.
    # Expected: units 3 and 2 (N = 2), gaps 2, 5 (a) and 3, 5 (b).
    #   unit 3: (2*27 - 3*9 + 3)/3 = 10; gaps >= 3: (3-3+1) + 2 * (5-3+1) = 7, * 9 = 63 -> 73
    #   unit 2: (2*8 - 3*4 + 2)/3 = 2; gaps >= 2: 1 + 2 + 2 * 4 = 11, * 4 = 44 -> 46
    #   D_e = (2/10) * 119 / (20 * 19 - (3*2 + 2*1)) = 119/1860.
    # alpha_U = 1 - (1/100) / (119/1860) = 502/595.
    units = [("a", 2, 5, "x"), ("b", 3, 5, "x")]
    observed, expected = unitizing_disagreement(
        [unitizing_terms(units, begin=0, length=10, category="x")]
    )
    assert (observed, expected) == (Fraction(1, 100), Fraction(119, 1860))
    assert unitizing_alpha(units, begin=0, length=10, category="x") == float(Fraction(502, 595))
    # Float positions are exact too.
    floats = [("a", 2.0, 5.0, "x"), ("b", 3.0, 5.0, "x")]
    assert unitizing_alpha(floats, begin=0.0, length=10.0, category="x") == float(
        Fraction(502, 595)
    )


def test_unitizing_alpha_keeps_a_coders_abutting_units_apart() -> None:
    # a: [0,5) and [5,10); b: [0,10), on [0,20). Each of a's units overlaps b's:
    # 0**2 + 5**2 and 5**2 + 0**2 = 50, ordered 100; D_o = 100 / (2 * 20**2) = 1/8.
    apart = [("a", 0, 5, "x"), ("a", 5, 10, "x"), ("b", 0, 10, "x")]
    terms = unitizing_terms(apart, begin=0, length=20, category="x")
    assert unitizing_disagreement([terms])[0] == Fraction(1, 8)
    assert unitizing_alpha(apart, begin=0, length=20, category="x") < 1
    joined = [("a", 0, 10, "x"), ("b", 0, 10, "x")]
    assert unitizing_alpha(joined, begin=0, length=20, category="x") == 1.0


def test_unitizing_alpha_counts_a_coder_without_units_and_other_categories() -> None:
    # b made no unit of x: a's unit [2, 5) lies inside b's single gap: delta = 3**2.
    with_b = unitizing_terms([("a", 2, 5, "x")], begin=0, length=10, category="x", coders=["b"])
    assert (with_b.coders, with_b.observed) == (2, Fraction(2 * 9))
    # A unit of another category only makes its coder count.
    other = unitizing_terms([("a", 2, 5, "x"), ("b", 0, 1, "y")], begin=0, length=10,
                            category="x")  # fmt: skip
    assert (other.coders, other.observed, sorted(other.units), sorted(other.gaps)) == (
        2, with_b.observed, sorted(with_b.units), sorted(with_b.gaps))  # fmt: skip


def test_unitizing_alpha_pools_continua_as_laid_end_to_end() -> None:
    # Two interviews of 10 whose edges are unit edges for both coders: laid end to end they are
    # one continuum of 20 with the same sections, so pooling equals alpha_U of that continuum.
    first = [("a", 2, 10, "x"), ("b", 3, 10, "x")]
    second = [("a", 0, 4, "x"), ("b", 0, 5, "x")]
    joined = [*first, *[(c, s + 10, e + 10, v) for c, s, e, v in second]]
    pooled = unitizing_alpha_pooled(
        [
            unitizing_terms(first, begin=0, length=10, category="x"),
            unitizing_terms(second, begin=0, length=10, category="x"),
        ]
    )
    assert pooled == unitizing_alpha(joined, begin=0, length=20, category="x")
    assert pooled != unitizing_alpha(first, begin=0, length=10, category="x")


@pytest.mark.parametrize(
    ("units", "message"),
    [
        ([], "no units"),
        ([("a", 0, 5, "x")], "at least two coders, got 1"),
        ([("a", 0, 5, "x"), ("b", 8, 12, "x")], "outside the continuum"),
        ([("a", -1, 5, "x"), ("b", 0, 5, "x")], "outside the continuum"),
        ([("a", 5, 5, "x"), ("b", 0, 5, "x")], "does not start before it ends"),
        ([("a", 0, 5, "x"), ("a", 4, 6, "x"), ("b", 0, 5, "x")], "overlapping units"),
        ([("a", 0, 5, "y"), ("b", 0, 5, "y")], "expected disagreement is 0"),
    ],
)
def test_unitizing_alpha_degenerate(units: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        unitizing_alpha(units, begin=0, length=10, category="x")
