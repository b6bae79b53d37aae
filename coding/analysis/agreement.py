"""Intercoder agreement statistics, in pure Python (standard library only).

Every statistic is computed exactly with :class:`fractions.Fraction` and converted to ``float`` at
the end, so "is the expected disagreement zero?" is an exact test rather than a float comparison.

Where a statistic is mathematically undefined (no data, fewer than two coders, or no expected
disagreement because only one category was used) the function raises :class:`ValueError` with a
message saying why; it never returns ``nan``. :func:`binary_agreement_summary` is the exception by
design: it turns an undefined kappa into ``None`` so that agreement reports do not crash on a code
that nobody applied.

Missing values: the two-coder statistics (percent agreement, Cohen's kappa, Scott's pi) need
complete data and reject ``None``; Krippendorff's alpha treats ``None`` as "not coded".

:func:`unitizing_alpha` is Krippendorff's alpha for unitizing a continuum (alpha_U), which compares
where coders put the units of a category rather than values given to units fixed in advance.

This module must stay free of Django imports.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, TypedDict

__all__ = [
    "BinaryAgreementSummary",
    "UnitizingTerms",
    "binary_agreement_from_counts",
    "binary_agreement_summary",
    "cohen_kappa",
    "cohen_kappa_from_table",
    "coincidences_from_tallies",
    "confusion_counts",
    "fleiss_kappa",
    "fleiss_kappa_from_tallies",
    "krippendorff_alpha",
    "krippendorff_alpha_from_coincidences",
    "percent_agreement",
    "scott_pi",
    "scott_pi_from_table",
    "unitizing_alpha",
    "unitizing_alpha_pooled",
    "unitizing_disagreement",
    "unitizing_terms",
]

KappaWeights = Literal["linear", "quadratic"]
AlphaLevel = Literal["nominal", "ordinal", "interval", "ratio"]

_KAPPA_WEIGHTS: tuple[str, ...] = ("linear", "quadratic")
_ALPHA_LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")


class BinaryAgreementSummary(TypedDict):
    """Result of :func:`binary_agreement_summary`."""

    n: int
    both: int
    only_a: int
    only_b: int
    neither: int
    percent: float | None
    kappa: float | None


# --------------------------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------------------------


def _check_pair(a: Sequence[Hashable], b: Sequence[Hashable], statistic: str) -> int:
    """Validate two coders' codings of the same units and return the number of units."""
    if len(a) != len(b):
        raise ValueError(
            f"{statistic}: the two codings have different lengths ({len(a)} and {len(b)}); "
            "they must code the same units in the same order"
        )
    if len(a) == 0:
        raise ValueError(f"{statistic} is undefined for empty data: no units were coded")
    for coder, values in (("a", a), ("b", b)):
        for position, value in enumerate(values):
            if value is None:
                raise ValueError(
                    f"{statistic}: coder {coder} has a missing value (None) at position "
                    f"{position}; this statistic needs complete data (drop the unit, or use "
                    "krippendorff_alpha, which handles missing values)"
                )
    return len(a)


def _category_index(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    categories: Sequence[Hashable] | None,
    ordered: bool,
) -> dict[Hashable, int]:
    """Map each category to its position in the (ordered) category list."""
    if categories is None:
        observed = set(a) | set(b)
        try:
            category_list: list[Hashable] = sorted(observed)  # type: ignore[type-var]
        except TypeError as exc:
            if ordered:
                raise ValueError(
                    "Weighted kappa needs ordered categories, but the observed values cannot be "
                    "sorted; pass `categories` in their ordinal order"
                ) from exc
            # Unweighted kappa does not depend on the order; keep first appearance.
            category_list = list(dict.fromkeys([*a, *b]))
    else:
        category_list = list(categories)
        if not category_list:
            raise ValueError("`categories` is empty; it must list every category that can occur")
    index: dict[Hashable, int] = {}
    for position, category in enumerate(category_list):
        if category in index:
            raise ValueError(f"`categories` lists {category!r} more than once")
        index[category] = position
    for coder, values in (("a", a), ("b", b)):
        for value in values:
            if value not in index:
                raise ValueError(
                    f"Coder {coder} used {value!r}, which is not in `categories` {category_list!r}"
                )
    return index


def _as_fraction(value: object, level: str) -> Fraction:
    """Convert a numeric code to an exact Fraction for the metric difference functions."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool | int):
        return Fraction(int(value))
    if isinstance(value, float | Decimal):
        if not math.isfinite(value):
            raise ValueError(f"Krippendorff's alpha ({level}): value {value!r} is not finite")
        return Fraction(value)
    raise ValueError(
        f"Krippendorff's alpha at the {level} level needs numeric values (int, float, Fraction "
        f"or Decimal), got {value!r}; map ordered labels to numbers (e.g. ranks) first"
    )


# --------------------------------------------------------------------------------------------
# Two coders
# --------------------------------------------------------------------------------------------


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Share of units on which two coders assigned the same value (0..1).

    Formula: ``p_o = (1/n) * sum_i [a_i == b_i]`` over the ``n`` units.

    Source: the observed proportion of agreement ``p_o`` of Cohen, J. (1960), "A coefficient of
    agreement for nominal scales", *Educational and Psychological Measurement* 20(1), 37-46.
    It is not corrected for chance agreement (see Lombard, Snyder-Duch & Bracken 2002,
    *Human Communication Research* 28(4), 587-604, on why it should not be reported alone).

    Raises ValueError for codings of different lengths, empty codings, or ``None`` values.
    """
    n = _check_pair(a, b, "Percent agreement")
    agreements = sum(1 for x, y in zip(a, b, strict=True) if x == y)
    return float(Fraction(agreements, n))


def _kappa_from_table(
    table: Sequence[Sequence[int | Fraction]],
    disagreement: Sequence[Sequence[int | Fraction]],
) -> Fraction:
    """Weighted kappa from a k x k contingency table and a k x k disagreement-weight matrix.

    ``kappa_w = 1 - sum_ij v_ij p_o,ij / sum_ij v_ij p_c,ij`` where ``p_o,ij`` are the observed
    cell proportions, ``p_c,ij = p_i. * p_.j`` the chance-expected ones and ``v_ij`` the
    disagreement weights (Cohen 1968, eq. 6). With ``v_ij = [i != j]`` this is Cohen's (1960)
    unweighted kappa ``(p_o - p_c) / (1 - p_c)``. Raises ValueError when the expected
    disagreement is zero (kappa undefined).
    """
    total = sum((Fraction(cell) for row in table for cell in row), Fraction(0))
    if total == 0:
        raise ValueError("Cohen's kappa is undefined for empty data: the table has no units")
    k = len(table)
    rows = [sum((Fraction(cell) for cell in row), Fraction(0)) for row in table]
    cols = [sum((Fraction(table[i][j]) for i in range(k)), Fraction(0)) for j in range(k)]
    observed = Fraction(0)
    expected = Fraction(0)
    for i in range(k):
        for j in range(k):
            weight = Fraction(disagreement[i][j])
            observed += weight * Fraction(table[i][j]) / total
            expected += weight * rows[i] * cols[j] / (total * total)
    if expected == 0:
        raise ValueError(
            "Cohen's kappa is undefined: both coders used a single category, so chance "
            "agreement is 1 (expected disagreement is 0)"
        )
    return 1 - observed / expected


def cohen_kappa(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    weights: KappaWeights | None = None,
    categories: Sequence[Hashable] | None = None,
) -> float:
    """Cohen's kappa for two coders, unweighted (Cohen 1960) or weighted (Cohen 1968).

    Unweighted: ``kappa = (p_o - p_e) / (1 - p_e)`` with ``p_o`` the observed proportion of
    agreement and ``p_e = sum_k p_a(k) * p_b(k)`` the agreement expected from each coder's own
    marginal distribution.

    Weighted: ``kappa_w = 1 - sum_ij v_ij o_ij / sum_ij v_ij e_ij`` with observed cell proportions
    ``o_ij``, chance-expected proportions ``e_ij = p_a(i) * p_b(j)`` and disagreement weights
    ``v_ij`` computed from the positions ``i, j`` (0-based) of the categories in ``categories``,
    ``k`` categories in all:

    * ``"linear"``: ``v_ij = |i - j| / (k - 1)`` (Cicchetti & Allison 1971; "equal spacing"),
    * ``"quadratic"``: ``v_ij = (i - j)**2 / (k - 1)**2`` (Fleiss & Cohen 1973).

    These are the complements of the agreement weights ``1 - |i-j|/(k-1)`` and
    ``1 - (i-j)**2/(k-1)**2`` used by e.g. R ``irr::kappa2`` ("equal"/"squared") and
    ``vcd::Kappa``; the statistic is the same.

    Sources: Cohen, J. (1960), "A coefficient of agreement for nominal scales", *Educational and
    Psychological Measurement* 20(1), 37-46; Cohen, J. (1968), "Weighted kappa: Nominal scale
    agreement with provision for scaled disagreement or partial credit", *Psychological
    Bulletin* 70(4), 213-220.

    ``categories`` is the ordered list of possible categories. It matters for weighted kappa:
    positions, not values, set the weights, and an unused category in the middle of a scale
    still widens the gap between its neighbours. By default it is the sorted union of the
    observed values. A value not in ``categories`` raises ValueError.

    Raises ValueError for codings of different lengths, empty codings, ``None`` values, unknown
    ``weights``, bad ``categories``, and when kappa is undefined because both coders used one
    and the same single category (chance agreement is 1).
    """
    _check_pair(a, b, "Cohen's kappa")
    if weights is not None and weights not in _KAPPA_WEIGHTS:
        raise ValueError(f"Unknown kappa weights {weights!r}; use None, 'linear' or 'quadratic'")
    index = _category_index(a, b, categories, ordered=weights is not None)
    k = len(index)
    table = [[0] * k for _ in range(k)]
    for x, y in zip(a, b, strict=True):
        table[index[x]][index[y]] += 1
    used = set(a) | set(b)
    if len(used) == 1:
        raise ValueError(
            "Cohen's kappa is undefined: both coders used a single category "
            f"({next(iter(used))!r}), so chance agreement is 1"
        )
    disagreement: list[list[Fraction]]
    if weights is None:
        disagreement = [[Fraction(int(i != j)) for j in range(k)] for i in range(k)]
    elif weights == "linear":
        disagreement = [[Fraction(abs(i - j), k - 1) for j in range(k)] for i in range(k)]
    else:
        disagreement = [[Fraction((i - j) ** 2, (k - 1) ** 2) for j in range(k)] for i in range(k)]
    # With two or more categories in use the expected disagreement is > 0, so this is defined.
    kappa = _kappa_from_table(table, disagreement)
    return float(kappa)


def scott_pi(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Scott's pi for two coders on a nominal scale.

    Formula: ``pi = (p_o - p_e) / (1 - p_e)`` with ``p_o`` the observed proportion of agreement
    and ``p_e = sum_k p_k**2``, where ``p_k`` is the proportion of all ``2n`` codes (both
    coders pooled) that fall in category ``k``. Unlike Cohen's kappa, chance agreement uses the
    pooled distribution, i.e. assumes both coders share one distribution of categories.

    Source: Scott, W. A. (1955), "Reliability of content analysis: The case of nominal scale
    coding", *Public Opinion Quarterly* 19(3), 321-325.

    For two coders with no missing data Krippendorff's nominal alpha is the small-sample
    corrected version: ``alpha = 1 - (1 - pi) * (2n - 1) / (2n)`` (Krippendorff 2011, sec. A).

    Raises ValueError for codings of different lengths, empty codings, ``None`` values, and when
    pi is undefined because both coders used only one and the same category (expected agreement
    is 1).
    """
    n = _check_pair(a, b, "Scott's pi")
    observed = Fraction(sum(1 for x, y in zip(a, b, strict=True) if x == y), n)
    pooled = Counter([*a, *b])
    expected = sum((Fraction(count, 2 * n) ** 2 for count in pooled.values()), Fraction(0))
    if expected == 1:
        only = next(iter(pooled))
        raise ValueError(
            "Scott's pi is undefined: both coders used only the single category "
            f"{only!r}, so expected agreement is 1"
        )
    return float((observed - expected) / (1 - expected))


def _table_size(table: Sequence[Sequence[Any]], statistic: str) -> tuple[int, Any]:
    """(k, n) of a square k x k table of counts; ValueError naming ``statistic`` otherwise. Sums
    start at int 0 so that tables of counts stay in (fast) integers."""
    k = len(table)
    if k == 0 or any(len(row) != k for row in table):
        raise ValueError(f"{statistic} needs a square k x k table of counts")
    if any(cell < 0 for row in table for cell in row):
        raise ValueError(f"{statistic}: a table cell is negative; cells are counts")
    n = sum(sum(row, 0) for row in table)
    if n == 0:
        raise ValueError(f"{statistic} is undefined for empty data: the table has no units")
    return k, n


def scott_pi_from_table(table: Sequence[Sequence[int]]) -> float:
    """Scott's (1955) pi from a k x k contingency table of counts (see :func:`scott_pi`).

    ``table[i][j]`` counts the units coder a put in category i and coder b in category j;
    ``p_o = sum_i table[i][i] / n`` and ``p_e = sum_i ((row_i + column_i) / 2n)**2``. Raises
    ValueError for a table that is not square, has negative cells, is empty, or whose pi is
    undefined (every value in one and the same category).
    """
    k, n = _table_size(table, "Scott's pi")
    # Exact in whole numbers, scaled by 4 n**2: pi = (4 n agree - pooled) / (4 n**2 - pooled)
    # with pooled = sum_i (row_i + column_i)**2.
    agree = sum(table[i][i] for i in range(k))
    pooled = sum((sum(table[i], 0) + sum(row[i] for row in table)) ** 2 for i in range(k))
    if pooled == 4 * n * n:
        raise ValueError(
            "Scott's pi is undefined: every value is in one and the same category, so expected "
            "agreement is 1"
        )
    return float(Fraction(4 * n * agree - pooled, 4 * n * n - pooled))


# --------------------------------------------------------------------------------------------
# Many coders
# --------------------------------------------------------------------------------------------


def fleiss_kappa(counts: Sequence[Sequence[int]]) -> float:
    """Fleiss' kappa for a fixed number of raters per subject, nominal categories.

    ``counts[i][j]`` is the number of raters who put subject ``i`` in category ``j``; every row
    sums to the same number of raters ``n >= 2``. With ``N`` subjects:

    * ``P_i = (sum_j n_ij**2 - n) / (n (n - 1))`` (agreement among the raters of subject i),
    * ``P_bar = (1/N) sum_i P_i``,
    * ``p_j = (1/(N n)) sum_i n_ij`` and ``P_e = sum_j p_j**2``,
    * ``kappa = (P_bar - P_e) / (1 - P_e)``.

    Source: Fleiss, J. L. (1971), "Measuring nominal scale agreement among many raters",
    *Psychological Bulletin* 76(5), 378-382 (eqs. 2-9).

    Raises ValueError for no subjects, ragged rows, negative or non-integer counts, rows with
    different totals, fewer than two raters per subject, and when kappa is undefined because
    every rating falls in a single category (chance agreement is 1).
    """
    return fleiss_kappa_from_tallies((row, 1) for row in counts)


def fleiss_kappa_from_tallies(rows: Iterable[tuple[Sequence[int], int]]) -> float:
    """:func:`fleiss_kappa` from subjects given as ``(counts, weight)``: ``weight`` subjects have
    exactly that row of counts. Reports use it for millions of characters that fall into a
    handful of distinct rows; the statistic and the errors are those of :func:`fleiss_kappa`.
    """
    width: int | None = None
    raters: int | None = None
    subjects = 0
    agreement_sum = Fraction(0)
    totals: list[int] = []
    for i, (raw, weight) in enumerate(rows):
        row = list(raw)
        if width is None:
            width = len(row)
            if width == 0:
                raise ValueError("Fleiss' kappa: rows have no categories")
            totals = [0] * width
        if len(row) != width:
            raise ValueError(
                f"Fleiss' kappa: row {i} has {len(row)} categories but row 0 has {width}; "
                "every subject needs a count for every category"
            )
        for value in row:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(
                    f"Fleiss' kappa: row {i} holds {value!r}; counts must be non-negative integers"
                )
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
            raise ValueError(f"Fleiss' kappa: row {i} has weight {weight!r}; use a count >= 0")
        total = sum(row)
        if raters is None:
            raters = total
        elif total != raters:
            raise ValueError(
                f"Fleiss' kappa: row {i} sums to {total} but row 0 sums to {raters}; every "
                "subject must be rated by the same number of raters"
            )
        if raters < 2:
            raise ValueError(f"Fleiss' kappa needs at least two raters per subject, got {raters}")
        subjects += weight
        agreement_sum += weight * Fraction(sum(c * c for c in row) - raters, raters * (raters - 1))
        for j, value in enumerate(row):
            totals[j] += weight * value
    if raters is None or subjects == 0:
        raise ValueError("Fleiss' kappa is undefined for empty data: no subjects")
    p_bar = agreement_sum / subjects
    p_e = sum((Fraction(t, subjects * raters) ** 2 for t in totals), Fraction(0))
    if p_e == 1:
        raise ValueError(
            "Fleiss' kappa is undefined: every rating falls in a single category, so chance "
            "agreement is 1"
        )
    return float((p_bar - p_e) / (1 - p_e))


def _ordinal_deltas(
    values: list[Hashable], marginals: dict[Hashable, Fraction]
) -> dict[tuple[Hashable, Hashable], Fraction]:
    """Krippendorff's (2011) ordinal metric from the coincidence-matrix marginals.

    ``delta_ck**2 = (sum_{g=c..k} n_g - (n_c + n_k) / 2)**2`` over the ranked values.
    """
    ranked = sorted(values, key=lambda v: _as_fraction(v, "ordinal"))
    # cumulative[i] = n_{v_0} + ... + n_{v_{i-1}}
    cumulative = [Fraction(0)]
    for v in ranked:
        cumulative.append(cumulative[-1] + marginals[v])
    deltas: dict[tuple[Hashable, Hashable], Fraction] = {}
    for i, c in enumerate(ranked):
        for j, k in enumerate(ranked):
            lo, hi = min(i, j), max(i, j)
            span = cumulative[hi + 1] - cumulative[lo]
            deltas[c, k] = (span - (marginals[c] + marginals[k]) / 2) ** 2
    return deltas


def _metric_delta(c: Hashable, k: Hashable, level: str) -> Fraction:
    """Squared difference ``delta_ck**2`` for the nominal, interval and ratio levels."""
    if level == "nominal":
        return Fraction(int(c != k))
    x, y = _as_fraction(c, level), _as_fraction(k, level)
    if level == "interval":
        return (x - y) ** 2
    # ratio
    if x + y == 0:
        return Fraction(0)
    return ((x - y) / (x + y)) ** 2


def krippendorff_alpha(
    data: Sequence[Sequence[Hashable | None]],
    level: AlphaLevel = "nominal",
) -> float:
    """Krippendorff's alpha for any number of coders, missing data, and four metrics.

    ``data[coder][unit]`` is the value a coder gave a unit, ``None`` if the coder did not code
    it. Computation (Krippendorff 2011, sec. C-F):

    * units with fewer than two values (``m_u < 2``) are not pairable and are ignored;
    * coincidence matrix ``o_ck = sum_u (number of c-k pairs of values in u) / (m_u - 1)``,
      counting ordered pairs of values from different coders;
    * marginals ``n_c = sum_k o_ck`` and ``n = sum_c n_c`` (the number of pairable values);
    * ``alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_ck o_ck delta_ck**2
      / sum_ck n_c n_k delta_ck**2``

    with the difference function ``delta_ck**2`` for the ``level``:

    * ``"nominal"``: 0 if ``c == k`` else 1;
    * ``"ordinal"``: ``(sum_{g=c..k} n_g - (n_c + n_k) / 2)**2`` over the ranked values, using
      the marginal frequencies ``n_g`` (numeric values; only their order matters);
    * ``"interval"``: ``(c - k)**2``;
    * ``"ratio"``: ``((c - k) / (c + k))**2`` (values must be >= 0; 0 when ``c = k = 0``).

    Source: Krippendorff, K. (2011), "Computing Krippendorff's Alpha-Reliability", Annenberg
    School for Communication Departmental Papers, University of Pennsylvania
    (https://repository.upenn.edu/asc_papers/43); also Krippendorff, K. (2004), *Content
    Analysis: An Introduction to Its Methodology*, 2nd ed., ch. 11.

    Raises ValueError for fewer than two coders, coders with different numbers of units, no
    units, no pairable unit, an unknown ``level``, non-numeric values at the ordinal, interval
    or ratio level (negative ones at the ratio level), and when alpha is undefined because all
    pairable values are the same (expected disagreement is 0).
    """
    if level not in _ALPHA_LEVELS:
        raise ValueError(
            f"Unknown level {level!r}; use 'nominal', 'ordinal', 'interval' or 'ratio'"
        )
    coders = [list(row) for row in data]
    if len(coders) < 2:
        raise ValueError(f"Krippendorff's alpha needs at least two coders, got {len(coders)}")
    n_units = len(coders[0])
    for position, row in enumerate(coders):
        if len(row) != n_units:
            raise ValueError(
                f"Krippendorff's alpha: coder {position} has {len(row)} units but coder 0 has "
                f"{n_units}; use None for units a coder did not code"
            )
    if n_units == 0:
        raise ValueError("Krippendorff's alpha is undefined for empty data: there are no units")

    if level != "nominal":
        # Validate every value (not only pairable ones): numeric, finite, and >= 0 for ratio.
        for row in coders:
            for value in row:
                if value is None:
                    continue
                number = _as_fraction(value, level)
                if level == "ratio" and number < 0:
                    raise ValueError(
                        f"Krippendorff's alpha (ratio): value {value!r} is negative; ratio "
                        "data must be >= 0"
                    )

    coincidences = coincidences_from_tallies(
        (Counter(value for row in coders if (value := row[unit]) is not None), 1)
        for unit in range(n_units)
    )
    return krippendorff_alpha_from_coincidences(coincidences, level=level)


def coincidences_from_tallies(
    tallies: Iterable[tuple[Mapping[Hashable, int], int | Fraction]],
) -> dict[tuple[Hashable, Hashable], int | Fraction]:
    """Krippendorff's coincidence matrix from units given as value tallies.

    Each item is ``(tally, weight)``: ``tally`` counts the values the coders gave one unit
    (``{value: number of coders}``, missing values left out) and ``weight`` is how many units
    have exactly that tally. Reports use it to feed millions of identical units (characters
    coded by the same coders, say) in a handful of items:
    ``o_ck += weight * (number of c-k pairs in the unit) / (m_u - 1)`` (Krippendorff 2011,
    sec. C), units with fewer than two values being unpairable and skipped.
    """
    coincidences: dict[tuple[Hashable, Hashable], int | Fraction] = {}
    for tally, weight in tallies:
        if not weight:
            continue
        if weight < 0:
            raise ValueError(f"coincidences_from_tallies: negative weight {weight!r}")
        m_u = sum(tally.values())
        if m_u < 2:
            continue
        for c, n_c in tally.items():
            for k, n_k in tally.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    # Whole numbers stay integers (two coders: m_u - 1 = 1), exact either way.
                    share = weight * pairs if m_u == 2 else Fraction(weight * pairs, m_u - 1)
                    coincidences[c, k] = coincidences.get((c, k), 0) + share
    return coincidences


def krippendorff_alpha_from_coincidences(
    coincidences: Mapping[tuple[Hashable, Hashable], int | Fraction],
    level: AlphaLevel = "nominal",
) -> float:
    """Krippendorff's alpha from a coincidence matrix ``o_ck`` (see :func:`krippendorff_alpha`).

    ``alpha = 1 - (n - 1) * sum_ck o_ck delta_ck**2 / sum_ck n_c n_k delta_ck**2`` with the
    marginals ``n_c = sum_k o_ck`` and ``n = sum_c n_c`` (Krippendorff 2011, sec. C-F). The matrix
    must be symmetric, as built by :func:`coincidences_from_tallies`. Raises ValueError when
    there are no pairable values or alpha is undefined (expected disagreement is zero).
    """
    if level not in _ALPHA_LEVELS:
        raise ValueError(
            f"Unknown level {level!r}; use 'nominal', 'ordinal', 'interval' or 'ratio'"
        )
    coincidences = {pair: o for pair, o in coincidences.items() if o}
    if not coincidences:
        raise ValueError(
            "Krippendorff's alpha is undefined: no unit has values from at least two coders, "
            "so there are no pairable values"
        )
    marginals: dict[Hashable, int | Fraction] = {}
    for (c, _k), o_ck in coincidences.items():
        marginals[c] = marginals.get(c, 0) + o_ck
    n_total = sum(marginals.values(), 0)
    values_seen = list(marginals)
    if len(values_seen) == 1:
        raise ValueError(
            "Krippendorff's alpha is undefined: all pairable values are the same "
            f"({values_seen[0]!r}), so expected disagreement is 0"
        )

    if level == "nominal":
        # delta is 1 off the diagonal: D_o ~ n - sum_c o_cc, D_e ~ n**2 - sum_c n_c**2.
        observed_nominal = n_total - sum(o for (c, k), o in coincidences.items() if c == k)
        expected_nominal = n_total * n_total - sum(m * m for m in marginals.values())
        return float(1 - Fraction((n_total - 1) * observed_nominal) / expected_nominal)

    if level == "ordinal":
        ordinal = _ordinal_deltas(values_seen, {v: Fraction(m) for v, m in marginals.items()})

        def delta(c: Hashable, k: Hashable) -> Fraction:
            return ordinal[c, k]

    else:

        def delta(c: Hashable, k: Hashable) -> Fraction:
            return _metric_delta(c, k, level)

    observed = sum(
        (o_ck * delta(c, k) for (c, k), o_ck in coincidences.items()),
        Fraction(0),
    )
    expected = sum(
        (marginals[c] * marginals[k] * delta(c, k) for c in values_seen for k in values_seen),
        Fraction(0),
    )
    if expected == 0:
        raise ValueError(
            "Krippendorff's alpha is undefined: expected disagreement is 0 (all pairable values "
            "are equivalent under the chosen metric)"
        )
    return float(1 - (n_total - 1) * observed / expected)


# --------------------------------------------------------------------------------------------
# Report helpers
# --------------------------------------------------------------------------------------------


def confusion_counts(
    a: Sequence[Hashable], b: Sequence[Hashable]
) -> dict[tuple[Hashable, Hashable], int]:
    """Count the units for each pair of values ``(a[i], b[i])`` (a sparse confusion matrix).

    Only pairs that occur are keys; ``result.get((x, y), 0)`` reads any cell. This is a plain
    tally, so ``None`` is counted like any other value and empty codings give ``{}``.

    Raises ValueError when the codings have different lengths.
    """
    if len(a) != len(b):
        raise ValueError(
            f"confusion_counts: the two codings have different lengths ({len(a)} and "
            f"{len(b)}); they must code the same units in the same order"
        )
    return dict(Counter(zip(a, b, strict=True)))


def _as_flag(value: object, coder: str, position: int) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ValueError(
        f"binary_agreement_summary: coder {coder} has {value!r} at position {position}; "
        "expected True/False (or 1/0)"
    )


def binary_agreement_summary(a: Sequence[bool], b: Sequence[bool]) -> BinaryAgreementSummary:
    """Two coders' agreement on whether one code applies to each unit (True = applied).

    Returns ``{"n", "both", "only_a", "only_b", "neither", "percent", "kappa"}``: the number of
    units, the four cells of the 2x2 table, the percent agreement as a share 0..1
    (``(both + neither) / n``, see :func:`percent_agreement`) and Cohen's (1960) kappa
    (see :func:`cohen_kappa`).

    Statistics that are undefined are ``None`` instead of raising: ``kappa`` when both coders
    made the same single choice on every unit (e.g. a code nobody used), ``percent`` and
    ``kappa`` when there are no units. Reports can therefore always render the counts.

    Raises ValueError when the codings have different lengths or hold non-boolean values.
    """
    if len(a) != len(b):
        raise ValueError(
            f"binary_agreement_summary: the two codings have different lengths ({len(a)} and "
            f"{len(b)}); they must code the same units in the same order"
        )
    flags_a = [_as_flag(v, "a", i) for i, v in enumerate(a)]
    flags_b = [_as_flag(v, "b", i) for i, v in enumerate(b)]
    cells = Counter(zip(flags_a, flags_b, strict=True))
    n = len(flags_a)
    percent: float | None = None
    kappa: float | None = None
    if n:
        percent = percent_agreement(flags_a, flags_b)
        try:
            kappa = cohen_kappa(flags_a, flags_b, categories=[False, True])
        except ValueError:
            kappa = None
    return {
        "n": n,
        "both": cells[True, True],
        "only_a": cells[True, False],
        "only_b": cells[False, True],
        "neither": cells[False, False],
        "percent": percent,
        "kappa": kappa,
    }


def cohen_kappa_from_table(table: Sequence[Sequence[int | Fraction]]) -> float:
    """Cohen's (1960) unweighted kappa from a k x k contingency table of counts.

    ``table[i][j]`` counts the units coder a put in category i and coder b in category j.
    ``kappa = (p_o - p_e) / (1 - p_e)`` with ``p_o = sum_i table[i][i] / n`` and
    ``p_e = sum_i (row_i / n) * (column_i / n)`` (see :func:`cohen_kappa`). Reports use it when
    they have tallied the table themselves rather than listed the units.

    Raises ValueError for a table that is not square, has negative cells, is empty, or whose
    kappa is undefined (chance agreement is 1: every unit in one and the same category).
    """
    # Exact in whole numbers (scaled by n**2): kappa = (n * agree - chance) / (n**2 - chance)
    # with chance = sum_i row_i * column_i, the same as (p_o - p_e) / (1 - p_e).
    k, n = _table_size(table, "Cohen's kappa")
    agree = sum(table[i][i] for i in range(k))
    rows = [sum(row, 0) for row in table]
    columns = [sum(table[i][j] for i in range(k)) for j in range(k)]
    chance = sum(rows[j] * columns[j] for j in range(k))
    if chance == n * n:
        raise ValueError(
            "Cohen's kappa is undefined: every unit is in one and the same category, so chance "
            "agreement is 1 (expected disagreement is 0)"
        )
    return float(Fraction(n * agree - chance) / (n * n - chance))


def binary_agreement_from_counts(
    *, both: int, only_a: int, only_b: int, neither: int
) -> BinaryAgreementSummary:
    """:func:`binary_agreement_summary` from the four cells of the 2x2 table.

    Same result as listing ``both + only_a + only_b + neither`` units and calling
    :func:`binary_agreement_summary`, without building the lists: character-level reports count
    millions of units. ``percent = (both + neither) / n``; ``kappa`` is Cohen's (1960) kappa of
    the table, ``None`` where undefined (as in :func:`binary_agreement_summary`).
    """
    cells = (both, only_a, only_b, neither)
    if any(isinstance(c, bool) or not isinstance(c, int) or c < 0 for c in cells):
        raise ValueError(f"binary_agreement_from_counts: cells must be counts >= 0, got {cells}")
    n = sum(cells)
    percent: float | None = None
    kappa: float | None = None
    if n:
        percent = float(Fraction(both + neither, n))
        try:
            kappa = cohen_kappa_from_table([[both, only_a], [only_b, neither]])
        except ValueError:
            kappa = None
    return {
        "n": n,
        "both": both,
        "only_a": only_a,
        "only_b": only_b,
        "neither": neither,
        "percent": percent,
        "kappa": kappa,
    }


# --------------------------------------------------------------------------------------------
# Unitizing a continuum
# --------------------------------------------------------------------------------------------

Position = int | float | Fraction


@dataclass(frozen=True)
class UnitizingTerms:
    """What alpha_U needs of one continuum and one category (see :func:`unitizing_terms`).

    ``observed`` is ``sum_i sum_(j != i) sum_g sum_h delta**2`` over the ordered pairs of coders;
    ``units`` and ``gaps`` are the lengths of every coder's units of the category and of the
    gaps between them (all coders together).
    """

    coders: int
    length: Fraction
    observed: Fraction
    units: tuple[Fraction, ...]
    gaps: tuple[Fraction, ...]


def _sections(
    spans: list[tuple[Fraction, Fraction]], begin: Fraction, end: Fraction
) -> list[tuple[Fraction, Fraction, bool]]:
    """One coder's continuum as ``(begin, length, is_unit)`` sections: the units and the
    (non-empty) gaps between them, in order."""
    sections: list[tuple[Fraction, Fraction, bool]] = []
    position = begin
    for start, stop in spans:
        if start > position:
            sections.append((position, start - position, False))
        sections.append((start, stop - start, True))
        position = stop
    if end > position:
        sections.append((position, end - position, False))
    return sections


def _section_delta(
    a: tuple[Fraction, Fraction, bool], b: tuple[Fraction, Fraction, bool]
) -> Fraction:
    """Krippendorff's (2004, §12.4) difference ``delta**2`` between two coders' sections.

    Two units that overlap differ by the squared distances of their begins and of their ends; a
    unit lying wholly inside the other coder's gap differs by its squared length; every other
    pair (a unit partly over a gap, two gaps, sections apart) by nothing, since the overlapping
    units already account for a partial overlap.
    """
    begin_a, length_a, unit_a = a
    begin_b, length_b, unit_b = b
    if unit_a and unit_b:
        if begin_a < begin_b + length_b and begin_b < begin_a + length_a:
            return (begin_a - begin_b) ** 2 + (begin_a + length_a - begin_b - length_b) ** 2
        return Fraction(0)
    if unit_a and not unit_b:
        inside = begin_b <= begin_a and begin_a + length_a <= begin_b + length_b
        return length_a**2 if inside else Fraction(0)
    if unit_b and not unit_a:
        inside = begin_a <= begin_b and begin_b + length_b <= begin_a + length_a
        return length_b**2 if inside else Fraction(0)
    return Fraction(0)


def _pair_observed(
    first: list[tuple[Fraction, Fraction, bool]], second: list[tuple[Fraction, Fraction, bool]]
) -> Fraction:
    """``sum_g sum_h delta**2`` between two coders' sections: only sections that overlap can
    differ, so a sweep over both (each a partition of the continuum) visits every such pair
    once."""
    total = Fraction(0)
    i = j = 0
    while i < len(first) and j < len(second):
        total += _section_delta(first[i], second[j])
        end_first = first[i][0] + first[i][1]
        end_second = second[j][0] + second[j][1]
        if end_first <= end_second:
            i += 1
        if end_second <= end_first:
            j += 1
    return total


def unitizing_terms(
    units: Iterable[tuple[Hashable, Position, Position, Hashable]],
    *,
    begin: Position,
    length: Position,
    category: Hashable,
    coders: Iterable[Hashable] = (),
) -> UnitizingTerms:
    """The observed-disagreement sum and the unit and gap lengths of one continuum, one category.

    ``units`` are ``(coder, start, end, category)`` with half-open ``[start, end)`` on the
    continuum ``[begin, begin + length)``; ``coders`` names coders who count although they made
    no unit (their whole continuum is one gap); the coders are those and the ones in ``units``.
    Units of other categories only make their coder count: for ``category`` they lie in gaps.
    Two abutting units of one coder stay two units. Raises ValueError for a continuum of no
    length, fewer than two coders, a unit with ``start >= end`` or outside the continuum, and
    overlapping units of the category by one coder (merge them first: a coder's units and gaps
    must partition the continuum).
    """
    first = Fraction(begin)
    size = Fraction(length)
    if size <= 0:
        raise ValueError(f"Unitizing alpha: the continuum has length {length!r}; it must be > 0")
    last = first + size
    by_coder: dict[Hashable, list[tuple[Fraction, Fraction]]] = {c: [] for c in coders}
    for coder, raw_start, raw_end, value in units:
        start, end = Fraction(raw_start), Fraction(raw_end)
        if start >= end:
            raise ValueError(
                f"Unitizing alpha: coder {coder!r} has a unit [{raw_start}, {raw_end}) that does "
                "not start before it ends"
            )
        if start < first or end > last:
            raise ValueError(
                f"Unitizing alpha: coder {coder!r} has a unit [{raw_start}, {raw_end}) outside "
                f"the continuum [{begin}, {last})"
            )
        spans = by_coder.setdefault(coder, [])
        if value == category:
            spans.append((start, end))
    if len(by_coder) < 2:
        raise ValueError(f"Unitizing alpha needs at least two coders, got {len(by_coder)}")
    observed = Fraction(0)
    unit_lengths: list[Fraction] = []
    gap_lengths: list[Fraction] = []
    layouts = []
    for coder, spans in by_coder.items():
        spans.sort()
        for (_, end), (start, _) in itertools.pairwise(spans):
            if start < end:
                raise ValueError(
                    f"Unitizing alpha: coder {coder!r} has overlapping units of {category!r}; "
                    "merge them first"
                )
        sections = _sections(spans, first, last)
        layouts.append(sections)
        for _, size_of, is_unit in sections:
            (unit_lengths if is_unit else gap_lengths).append(size_of)
    for a, b in itertools.combinations(layouts, 2):
        observed += _pair_observed(a, b)
    # delta is symmetric: the sum over ordered pairs of coders is twice that over unordered.
    return UnitizingTerms(
        coders=len(by_coder),
        length=size,
        observed=2 * observed,
        units=tuple(unit_lengths),
        gaps=tuple(gap_lengths),
    )


def unitizing_disagreement(terms: Sequence[UnitizingTerms]) -> tuple[Fraction, Fraction]:
    """Observed and expected disagreement ``(D_o, D_e)`` of alpha_U over one or more continua.

    One continuum (Krippendorff 2004, §12.4), with ``m`` coders, length ``L``, the units of the
    category ``l_ig`` (``N`` of them, all coders) and the gaps ``l_jh``::

        D_o = sum_i sum_(j != i) sum_g sum_h delta**2 / (m (m - 1) L**2)
        D_e = (2 / L) sum_ig [ (N - 1) (2 l**3 - 3 l**2 + l) / 3
                               + l**2 sum_jh [l_jh >= l] (l_jh - l + 1) ]
              / (m L (m L - 1) - sum_ig l (l - 1))

    where the first term of ``D_e`` is the disagreement of the unit with every other unit put
    anywhere and the second that of the unit put in any gap that holds it (lengths count the
    positions of the grid, characters here).

    Several continua (the interviews of a study) pool as one continuum laid end to end whose
    sections never cross from one continuum into the next: the ``delta**2`` sums, the units and
    the gaps are summed, ``L`` is the total length, ``m L`` the total length coded
    (``sum_k m_k L_k``) and ``m (m - 1) L**2`` becomes ``sum_k m_k (m_k - 1) L_k * L`` -- the
    same numbers when every coder codes every continuum, and continua with fewer coders weigh
    by the coders they have. Raises ValueError for no continuum.
    """
    if not terms:
        raise ValueError("Unitizing alpha is undefined for empty data: no continuum")
    total_length = sum((t.length for t in terms), Fraction(0))
    coded_length = sum((t.coders * t.length for t in terms), Fraction(0))
    pair_length = sum((t.coders * (t.coders - 1) * t.length for t in terms), Fraction(0))
    observed_sum = sum((t.observed for t in terms), Fraction(0))
    unit_lengths = [u for t in terms for u in t.units]
    gaps = sorted(g for t in terms for g in t.gaps)
    # suffix[k] = sum of gaps[k:], so sum_(g >= l) (g - l + 1) = suffix - count * (l - 1).
    suffix = [Fraction(0)] * (len(gaps) + 1)
    for k in range(len(gaps) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + gaps[k]
    n_units = len(unit_lengths)
    spread = Fraction(0)
    for unit in unit_lengths:
        among_units = Fraction(n_units - 1) * (2 * unit**3 - 3 * unit**2 + unit) / 3
        first_fit = bisect.bisect_left(gaps, unit)
        fits = len(gaps) - first_fit
        in_gaps = suffix[first_fit] - fits * (unit - 1)
        spread += among_units + unit**2 * in_gaps
    squared = sum((u * (u - 1) for u in unit_lengths), Fraction(0))
    observed = observed_sum / (pair_length * total_length)
    normaliser = coded_length * (coded_length - 1) - squared
    expected = 2 * spread / total_length / normaliser if normaliser else Fraction(0)
    return observed, expected


def unitizing_alpha_pooled(terms: Sequence[UnitizingTerms]) -> float:
    """alpha_U ``= 1 - D_o / D_e`` over one or more continua (see :func:`unitizing_disagreement`).

    Raises ValueError when it is undefined: no continuum, or no expected disagreement (no unit
    of the category at all, say).
    """
    observed, expected = unitizing_disagreement(terms)
    if expected <= 0:
        raise ValueError(
            "Unitizing alpha is undefined: expected disagreement is 0 (no coder made a unit of "
            "the category, or units fill the continuum)"
        )
    return float(1 - observed / expected)


def unitizing_alpha(
    units: Sequence[tuple[Hashable, Position, Position, Hashable]],
    *,
    begin: Position,
    length: Position,
    category: Hashable,
    coders: Iterable[Hashable] = (),
) -> float:
    """Krippendorff's alpha for unitizing (alpha_U) of ``category`` on one continuum.

    ``units`` are ``(coder, start, end, category)``, half-open on ``[begin, begin + length)``.
    Each coder's continuum is partitioned into their units of the category and the gaps between
    them (the uncoded stretches); abutting units of one coder stay apart. ``D_o`` and ``D_e``
    as in :func:`unitizing_disagreement`; ``alpha_U = 1 - D_o / D_e`` (1 is perfect agreement on
    where the units lie, 0 is chance).

    Sources: Krippendorff, K. (1995), "On the reliability of unitizing continuous data",
    *Sociological Methodology* 25, 47-76; Krippendorff, K. (2004), *Content Analysis: An
    Introduction to Its Methodology*, 2nd ed., Sage, §12.4 (the form computed here, on
    lengths measured in grid steps; scale continuous positions finely, e.g. by 1000).

    Raises ValueError for no units, fewer than two coders, a unit outside the continuum or with
    ``start >= end``, overlapping units of the category by one coder, and when alpha_U is
    undefined (no expected disagreement).
    """
    if not units:
        raise ValueError("Unitizing alpha is undefined for empty data: there are no units")
    terms = unitizing_terms(units, begin=begin, length=length, category=category, coders=coders)
    return unitizing_alpha_pooled([terms])
