"""Intercoder agreement reports over coded spans, per code and overall, on a chosen unit.

Pure Python (no Django): the caller loads each interview's length, speaker turns and the codings
of the coders being compared, feeds them to :class:`AgreementReport` one interview at a time, and
reads :meth:`AgreementReport.result`. The statistics themselves come from
:mod:`coding.analysis.agreement`.

Units (what one "decision" of a coder is):

``character``
    Every character (code point) of every interview's text is a unit; per code, a coder "said
    yes" for a character when one of their codings of that code covers it. Characters nobody
    counting coded with the code count as units they left uncoded (agreement on "no"), so a long
    transcript with little coding has a high percent agreement; kappa and alpha correct for that
    chance agreement. This is NVivo's coding comparison.
``turn``
    Every speaker turn is a unit; a coder "said yes" for a turn when one of their codings of the
    code overlaps the turn by at least one character. Turns nobody coded with the code count as
    agreement on "no". An interview without turns counts as one turn. Codings that touch no turn
    (only a speaker label, say) are not counted.
``segment``
    Each coder's codings are the units: codings of the same code by different coders in the same
    interview are matched when their overlap (characters in both / characters in either, the
    Jaccard ratio) is at least the threshold, greedily from the best-overlapping pair, each coding
    matched at most once per coder, after one coder's overlapping codings of a code are merged
    into one. A matched group is one unit every coder in it coded; a coding
    left unmatched is a unit only its coder coded. Uncoded text is not counted at all, so per
    code only percent agreement is defined (there are no units both coders left uncoded, and
    kappa and alpha would be 0 or below by construction). The overall row treats the code as a
    nominal category: each unit gets the code from the coders who coded it and "not coded" from
    the others, and Cohen's kappa and Krippendorff's alpha are computed over those categories.

Who counts: a coder counts for an interview where they were assigned to it or coded in it at all;
elsewhere their values are *missing*, not "no". Krippendorff's alpha takes every unit with at
least two coders (missing values allowed); Cohen's kappa, Scott's pi and each pair's percent use
the interviews both coders of the pair count for; Fleiss' kappa and the all-coders percent
agreement use the interviews every coder counts for. An interview with fewer than two coders
counting contributes nothing and is listed as such.

Codes: the table lists the codes switched on or used in scope (switched-off codes only where
used); the overall row pools exactly those. At the character unit each code also gets
Krippendorff's unitizing alpha (alpha_U, :func:`coding.analysis.agreement.unitizing_alpha`),
pooled over interviews as one continuum laid end to end.

Computation is interval arithmetic: spans are merged and swept by their end points, never
expanded into one Python object per character.
"""

from __future__ import annotations

import bisect
import heapq
from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Any, NamedTuple

from coding.analysis.agreement import (
    UnitizingTerms,
    binary_agreement_from_counts,
    cohen_kappa_from_table,
    coincidences_from_tallies,
    fleiss_kappa_from_tallies,
    krippendorff_alpha_from_coincidences,
    scott_pi_from_table,
    unitizing_disagreement,
    unitizing_terms,
)

UNITS = ("character", "turn", "segment")
NOT_CODED = "(not coded)"

UNIT_LABELS = {
    "character": "characters",
    "turn": "speaker turns",
    "segment": "coded segments",
}

UNCODED_TEXT = {
    "character": (
        "Every character of the transcripts is a unit. Characters that neither coder coded with "
        "a code count as agreement (both said “no”), so percent agreement is high where little "
        "is coded; Cohen's kappa and Krippendorff's alpha correct for that chance agreement."
    ),
    "turn": (
        "Every speaker turn is a unit (an interview without turns counts as one). A turn has a "
        "code for a coder when one of their codings of it overlaps the turn. Turns that neither "
        "coder gave a code count as agreement (both said “no”)."
    ),
    "segment": (
        "Only coded segments are units: uncoded text is not counted at all. Codings of the same "
        "code are matched when their overlap is at least the threshold; a match is an agreement, "
        "a coding without a match a disagreement. Per code only percent agreement is defined; "
        "the overall kappa and alpha treat each segment's code as a category, with “not coded” "
        "for a coder who has no matching coding."
    ),
}

SEGMENT_CODE_NOTE = (
    "Not defined per code at the segment level: no unit was left uncoded by both coders, so "
    "chance agreement cannot be estimated (see the overall row)."
)


class Span(NamedTuple):
    """One coding: a code by a coder on ``[start, end)`` (code points). A named tuple: reports
    make hundreds of thousands of them."""

    code: int
    coder: int
    start: int
    end: int
    id: int = 0


@dataclass(frozen=True)
class InterviewUnits:
    """What the report needs of one interview."""

    id: int
    length: int
    turns: Sequence[tuple[int, int]] = ()
    codings: Sequence[Span] = ()
    # Coders assigned to the interview: with those who coded in it, the coders who count for it.
    assigned: Collection[int] = ()


Interval = tuple[int, int]


# --- Interval arithmetic ------------------------------------------------------------------------


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of half-open intervals as sorted, disjoint, non-touching intervals."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def total_length(intervals: Sequence[Interval]) -> int:
    return sum(end - start for start, end in intervals)


def intersection_length(a: Sequence[Interval], b: Sequence[Interval]) -> int:
    """Characters in both of two merged interval lists (two pointers, linear)."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        low = max(a[i][0], b[j][0])
        high = min(a[i][1], b[j][1])
        if low < high:
            total += high - low
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def coverage_histogram(layers: Sequence[Sequence[Interval]]) -> dict[int, int]:
    """Characters covered by exactly k of the layers (k >= 1), each layer already merged.

    A sweep over the end points: ``O(E log E)`` for E intervals, independent of text length.
    """
    events: list[tuple[int, int]] = []
    for layer in layers:
        for start, end in layer:
            events.append((start, 1))
            events.append((end, -1))
    events.sort()
    histogram: dict[int, int] = {}
    depth = 0
    previous = 0
    for position, step in events:
        if depth and position > previous:
            histogram[depth] = histogram.get(depth, 0) + position - previous
        depth += step
        previous = position
    return histogram


def overlap_ratio(a: Interval, b: Interval) -> float:
    """Characters in both spans over characters in either (Jaccard), 0..1."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / ((a[1] - a[0]) + (b[1] - b[0]) - inter)


def turns_touched(starts: Sequence[int], ends: Sequence[int], start: int, end: int) -> range:
    """Indices of the turns (sorted and disjoint, given by their starts and ends) that
    ``[start, end)`` overlaps."""
    return range(bisect.bisect_right(ends, start), bisect.bisect_left(starts, end))


def segment_clusters(
    spans: Sequence[tuple[int, int, int]], threshold: float
) -> list[frozenset[int]]:
    """Match one code's segments across coders; returns each unit's set of coder indices.

    ``spans`` are ``(coder_index, start, end)``. Pairs from different coders whose overlap ratio
    is at least ``threshold`` are joined greedily, best ratio first, as long as a group keeps at
    most one segment per coder. Every segment ends up in exactly one group.
    """
    order = sorted(range(len(spans)), key=lambda i: (spans[i][1], spans[i][2], spans[i][0]))
    edges: list[tuple[float, int, int]] = []
    for position, i in enumerate(order):
        coder_i, start_i, end_i = spans[i]
        for j in order[position + 1 :]:
            coder_j, start_j, end_j = spans[j]
            if start_j >= end_i:
                break
            if coder_j == coder_i:
                continue
            ratio = overlap_ratio((start_i, end_i), (start_j, end_j))
            if ratio >= threshold:
                edges.append((-ratio, min(i, j), max(i, j)))
    heapq.heapify(edges)
    parent = list(range(len(spans)))
    members: dict[int, set[int]] = {i: {spans[i][0]} for i in range(len(spans))}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    while edges:
        _, i, j = heapq.heappop(edges)
        root_i, root_j = root(i), root(j)
        if root_i == root_j or members[root_i] & members[root_j]:
            continue
        parent[root_j] = root_i
        members[root_i] |= members.pop(root_j)
    return [frozenset(coders) for coders in members.values()]


# --- Tallies ------------------------------------------------------------------------------------


@dataclass
class BinaryTally:
    """One code's (or a pool's) decisions on units, by how many coders counted and said yes.

    ``values[(m_u, k)]`` counts units that ``m_u`` coders counted for and ``k`` of them said yes
    (``k = 0`` only once :meth:`AgreementReport.result` has filled in the units nobody coded).
    ``pairs[(i, j)]`` holds ``[both, only_i, only_j, units]`` over the units both i and j count
    for. ``coded[i]`` counts the units coder i said yes to.
    """

    coders: int
    values: Counter[tuple[int, int]] = field(default_factory=Counter)
    pairs: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    coded: Counter[int] = field(default_factory=Counter)

    def add(self, other: BinaryTally, times: int = 1) -> None:
        for key, count in other.values.items():
            self.values[key] += count * times
        for index, count in other.coded.items():
            self.coded[index] += count * times
        for pair, cells in other.pairs.items():
            mine = self.pairs.setdefault(pair, [0, 0, 0, 0])
            for position, value in enumerate(cells):
                mine[position] += value * times

    def pair_cells(self, i: int, j: int) -> list[int]:
        return self.pairs.get((i, j), [0, 0, 0, 0])


@dataclass
class UnitBase:
    """The units of the interviews compared, by who counts for them: what a sparse tally of
    "yes" decisions needs to become complete (the rest of the units are everyone's "no")."""

    by_counted: Counter[int] = field(default_factory=Counter)
    by_pair: Counter[tuple[int, int]] = field(default_factory=Counter)

    def add(self, counted: Sequence[int], units: int) -> None:
        self.by_counted[len(counted)] += units
        for pair in combinations(counted, 2):
            self.by_pair[pair] += units

    def complete(self, sparse: BinaryTally, times: int = 1) -> BinaryTally:
        """``sparse`` (yes decisions only) with the units nobody said yes to filled in, over
        ``times`` codes."""
        full = BinaryTally(sparse.coders)
        full.add(sparse)
        for m_u, units in self.by_counted.items():
            said_yes = sum(count for (m, k), count in sparse.values.items() if m == m_u and k)
            full.values[(m_u, 0)] += units * times - said_yes
        for pair, units in self.by_pair.items():
            full.pairs.setdefault(pair, [0, 0, 0, 0])[3] = units * times
        return full


def _alpha(
    coincidences: Mapping[tuple[Hashable, Hashable], int | Fraction],
) -> tuple[float | None, str]:
    try:
        return krippendorff_alpha_from_coincidences(coincidences), ""
    except ValueError as exc:
        return None, str(exc)


def _or_none(compute: Any, *args: Any) -> float | None:
    """A statistic, or None where it is undefined (the reason is stated by the caller)."""
    try:
        return float(compute(*args))
    except ValueError:
        return None


def _binary_stats(tally: BinaryTally, *, segment: bool) -> dict[str, Any]:
    """Per code (or pooled): percent agreement and Fleiss' kappa over the units every coder
    counts for, Cohen's kappa and Scott's pi per pair over the units both count for,
    Krippendorff's alpha over every unit with two or more coders (missing values allowed)."""
    m = tally.coders
    units = sum(tally.values.values())
    complete = {k: count for (m_u, k), count in tally.values.items() if m_u == m and count}
    complete_units = sum(complete.values())
    agree = complete.get(0, 0) + complete.get(m, 0)
    stats: dict[str, Any] = {
        "units": units,
        "complete_units": complete_units,
        "agree": agree,
        "percent": (agree / complete_units) if complete_units else None,
        "kappa": None,
        "pi": None,
        "fleiss": None,
        "alpha": None,
        "notes": [],
    }
    pairs = []
    for i, j in combinations(range(m), 2):
        both, only_i, only_j, pair_units = tally.pair_cells(i, j)
        neither = pair_units - both - only_i - only_j
        summary = binary_agreement_from_counts(
            both=both, only_a=only_i, only_b=only_j, neither=neither
        )
        table = [[both, only_i], [only_j, neither]]
        pairs.append(
            {
                "a": i,
                "b": j,
                "units": pair_units,
                "both": both,
                "only_a": only_i,
                "only_b": only_j,
                "neither": neither,
                "percent": summary["percent"],
                "kappa": None if segment else summary["kappa"],
                "pi": None if segment or not pair_units else _or_none(scott_pi_from_table, table),
            }
        )
    stats["pairs"] = pairs
    if not units:
        stats["notes"].append("No units: nothing to compare.")
        return stats
    if segment:
        stats["notes"].append(SEGMENT_CODE_NOTE)
        return stats
    if m == 2:
        stats.update({k: pairs[0][k] for k in ("both", "only_a", "only_b", "neither")})
        stats["kappa"] = pairs[0]["kappa"]
        stats["pi"] = pairs[0]["pi"]
        if stats["kappa"] is None:
            stats["notes"].append(
                "Kappa is undefined: both coders made the same single choice on every unit."
            )
    else:
        stats["notes"].append("Cohen's kappa compares two coders: see the pairs.")
        rows = [([k, m - k], count) for k, count in complete.items()]
        stats["fleiss"] = _or_none(fleiss_kappa_from_tallies, rows) if rows else None
        if stats["fleiss"] is None:
            stats["notes"].append(
                "Fleiss' kappa is undefined: no unit every coder counts for, or a single choice."
            )
    alpha, why = _alpha(
        coincidences_from_tallies(
            ({True: k, False: m_u - k}, count) for (m_u, k), count in tally.values.items()
        )
    )
    stats["alpha"] = alpha
    if alpha is None:
        stats["notes"].append(why)
    return stats


def merge_overlapping(intervals: Iterable[Interval]) -> list[Interval]:
    """Join one coder's overlapping spans; spans that only abut stay apart (two units)."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass
class InterviewEntry:
    """One interview as the report saw it: who counts for it and what it contributed."""

    id: int
    units: int
    counted: list[int]
    missing: list[int]
    tally: BinaryTally | None = None
    segment_tallies: Counter[tuple[Hashable, ...]] = field(default_factory=Counter)
    base: UnitBase = field(default_factory=UnitBase)


# --- The report ---------------------------------------------------------------------------------


class AgreementReport:
    """Accumulates agreement between ``coders`` on ``codes`` over interviews, on one unit.

    ``coders`` and ``codes`` are ids; spans of other coders or codes are ignored. At least two
    coders. ``threshold`` is the segment unit's minimal overlap ratio, in (0, 1].
    ``switched_off`` codes are compared (and pooled) only where a coder used them.
    """

    def __init__(
        self,
        *,
        unit: str,
        coders: Sequence[int],
        codes: Sequence[int],
        threshold: float = 0.5,
        switched_off: Collection[int] = (),
    ) -> None:
        if unit not in UNITS:
            raise ValueError(f"Unknown unit {unit!r}: use character, turn or segment.")
        if len(set(coders)) != len(coders) or len(coders) < 2:
            raise ValueError("Choose at least two different coders to compare.")
        if not 0 < threshold <= 1:
            raise ValueError("The overlap threshold must be above 0 and at most 1.")
        self.unit = unit
        self.coders = list(coders)
        self.codes = list(codes)
        self.switched_off = set(switched_off)
        self.threshold = threshold
        self._coder_index = {coder: index for index, coder in enumerate(self.coders)}
        self._code_set = set(self.codes)
        m = len(self.coders)
        self.per_code: dict[int, BinaryTally] = {code: BinaryTally(m) for code in self.codes}
        self.entries: list[InterviewEntry] = []
        self.base = UnitBase()
        # Character unit: alpha_U's terms per code, per interview that has units of the code;
        # the interviews compared (coders counting, length) give the empty continua.
        self._unitizing: dict[int, list[UnitizingTerms]] = {}
        self._continua: list[tuple[int, int]] = []
        self._segment_tallies: Counter[tuple[Hashable, ...]] = Counter()
        self.total_units = 0

    # Each interview ---------------------------------------------------------------------------

    def add_interview(self, data: InterviewUnits) -> None:
        """Add one interview. A coder counts for it when assigned to it or having coded in it at
        all; elsewhere their values are missing. With fewer than two coders counting, the
        interview contributes nothing (and is listed as such)."""
        m = len(self.coders)
        assigned = set(data.assigned)
        has_coded = {s.coder for s in data.codings}
        counted = [i for i, c in enumerate(self.coders) if c in assigned or c in has_coded]
        missing = [i for i in range(m) if i not in counted]
        if self.unit == "segment":
            units = 0
        elif self.unit == "character":
            units = data.length
        else:
            units = max(1, len(data.turns))
        entry = InterviewEntry(id=data.id, units=units, counted=counted, missing=missing)
        self.entries.append(entry)
        if len(counted) < 2:
            return
        by_code: dict[int, list[list[Span]]] = {}
        for span in data.codings:
            index = self._coder_index.get(span.coder)
            if index is None or span.code not in self._code_set or span.end <= span.start:
                continue
            by_code.setdefault(span.code, [[] for _ in range(m)])[index].append(span)
        pooled = BinaryTally(m)
        if self.unit == "segment":
            for code, layers in by_code.items():
                tally = self._segments(layers, counted, code, entry.segment_tallies)
                self.per_code[code].add(tally)
                pooled.add(tally)
            entry.units = sum(pooled.values.values())
        else:
            self.total_units += units
            self.base.add(counted, units)
            entry.base.add(counted, units)
            layout = self._turn_layout(data) if self.unit == "turn" else None
            for code, layers in by_code.items():
                if layout is None:
                    sets = [merge_intervals((s.start, s.end) for s in layer) for layer in layers]
                    tally = self._binary_from_intervals(sets, counted)
                    self._add_unitizing(code, layers, counted, data.length)
                else:
                    tally = self._binary_from_turns(layout, layers, counted)
                self.per_code[code].add(tally)
                pooled.add(tally)
            if layout is None and data.length > 0:
                self._continua.append((len(counted), data.length))
        entry.tally = pooled

    def _add_unitizing(
        self, code: int, layers: list[list[Span]], counted: list[int], length: int
    ) -> None:
        if length <= 0:
            return
        units = [
            (index, max(0, start), min(length, end), code)
            for index in counted
            for start, end in merge_overlapping((s.start, s.end) for s in layers[index])
            if max(0, start) < min(length, end)
        ]
        terms = unitizing_terms(units, begin=0, length=length, category=code, coders=counted)
        self._unitizing.setdefault(code, []).append(terms)

    @staticmethod
    def _turn_layout(data: InterviewUnits) -> tuple[list[Interval], list[int], list[int], bool]:
        """The interview's turns (the whole text when it has none), their starts and ends, and
        whether they are in order without overlaps (then a binary search finds them)."""
        turns = list(data.turns) or [(0, max(1, data.length))]
        ordered = all(turns[k][1] <= turns[k + 1][0] for k in range(len(turns) - 1))
        return turns, [t[0] for t in turns], [t[1] for t in turns], ordered

    def _binary_from_intervals(self, sets: list[list[Interval]], counted: list[int]) -> BinaryTally:
        m = len(sets)
        tally = BinaryTally(m)
        m_u = len(counted)
        for k, count in coverage_histogram([sets[i] for i in counted]).items():
            tally.values[(m_u, k)] += count
        lengths = [total_length(s) for s in sets]
        for index in counted:
            tally.coded[index] += lengths[index]
        for i, j in combinations(counted, 2):
            both = intersection_length(sets[i], sets[j])
            tally.pairs[(i, j)] = [both, lengths[i] - both, lengths[j] - both, 0]
        return tally

    def _binary_from_turns(
        self,
        layout: tuple[list[Interval], list[int], list[int], bool],
        layers: list[list[Span]],
        counted: list[int],
    ) -> BinaryTally:
        turns, starts, ends, ordered = layout
        touched: list[set[int]] = []
        for layer in layers:
            found: set[int] = set()
            for span in layer:
                if ordered:
                    found.update(turns_touched(starts, ends, span.start, span.end))
                else:
                    found.update(
                        k for k, (s, e) in enumerate(turns) if s < span.end and e > span.start
                    )
            touched.append(found)
        tally = BinaryTally(len(layers))
        votes: Counter[int] = Counter()
        for index in counted:
            votes.update(touched[index])
            tally.coded[index] += len(touched[index])
        for k, count in Counter(votes.values()).items():
            tally.values[(len(counted), k)] += count
        for i, j in combinations(counted, 2):
            both = len(touched[i] & touched[j])
            tally.pairs[(i, j)] = [both, len(touched[i]) - both, len(touched[j]) - both, 0]
        return tally

    def _segments(
        self,
        layers: list[list[Span]],
        counted: list[int],
        code: int,
        interview_tallies: Counter[tuple[Hashable, ...]],
    ) -> BinaryTally:
        m = len(layers)
        # One coder's overlapping spans of a code are one segment: merge them before matching.
        spans = [
            (index, start, end)
            for index, layer in enumerate(layers)
            for start, end in merge_overlapping((s.start, s.end) for s in layer)
        ]
        clusters = segment_clusters(spans, self.threshold)
        tally = BinaryTally(m)
        for pair in combinations(counted, 2):
            tally.pairs[pair] = [0, 0, 0, 0]
        # Units with the same set of coders count alike: tally the sets, then weigh them.
        for coders, weight in Counter(clusters).items():
            tally.values[(len(counted), len(coders))] += weight
            for index in coders:
                tally.coded[index] += weight
            values = tuple(
                code if index in coders else NOT_CODED if index in counted else None
                for index in range(m)
            )
            interview_tallies[values] += weight
            self._segment_tallies[values] += weight
            for i, j in combinations(counted, 2):
                has_i, has_j = i in coders, j in coders
                if not (has_i or has_j):
                    continue
                cells = tally.pairs[(i, j)]
                cells[3] += weight
                cells[0 if has_i and has_j else 1 if has_i else 2] += weight
        return tally

    # Results ----------------------------------------------------------------------------------

    def _nominal_overall(self, tallies: Counter[tuple[Hashable, ...]]) -> dict[str, Any]:
        """Segment level, overall: each unit's code (or "not coded") as a nominal category;
        ``None`` where a coder does not count for the unit's interview."""
        m = len(self.coders)
        units = sum(tallies.values())
        complete = {values: n for values, n in tallies.items() if None not in values}
        complete_units = sum(complete.values())
        agree = sum(n for values, n in complete.items() if NOT_CODED not in values)
        coincidences = coincidences_from_tallies(
            (Counter(v for v in values if v is not None), n) for values, n in tallies.items()
        )
        alpha, why = _alpha(coincidences)
        result: dict[str, Any] = {
            "units": units,
            "complete_units": complete_units,
            "agree": agree,
            "percent": agree / complete_units if complete_units else None,
            "kappa": None,
            "pi": None,
            "fleiss": None,
            "alpha": alpha,
            "notes": [why] if why and units else [],
            "pairs": [],
        }
        for i, j in combinations(range(m), 2):
            table_counts: Counter[tuple[Hashable, Hashable]] = Counter()
            for values, count in tallies.items():
                a, b = values[i], values[j]
                if a is None or b is None or (a == NOT_CODED and b == NOT_CODED):
                    continue
                table_counts[(a, b)] += count
            result["pairs"].append(self._nominal_pair(i, j, table_counts))
        if m == 2:
            result["kappa"] = result["pairs"][0]["kappa"]
            result["pi"] = result["pairs"][0]["pi"]
            if result["kappa"] is None and units:
                result["notes"].append(result["pairs"][0]["note"])
        elif units:
            result["notes"].append("Cohen's kappa compares two coders: see the pairs.")
            categories = sorted({v for values in complete for v in values}, key=str)
            rows = [([values.count(c) for c in categories], n) for values, n in complete.items()]
            result["fleiss"] = _or_none(fleiss_kappa_from_tallies, rows) if rows else None
        if not units:
            result["notes"].append("No units: nothing to compare.")
        return result

    def _nominal_pair(
        self, i: int, j: int, table_counts: Counter[tuple[Hashable, Hashable]]
    ) -> dict[str, Any]:
        categories = sorted({c for pair in table_counts for c in pair}, key=str)
        index = {c: k for k, c in enumerate(categories)}
        table = [[0] * len(categories) for _ in categories]
        for (x, y), count in table_counts.items():
            table[index[x]][index[y]] += count
        units = sum(table_counts.values())
        agree = sum(count for (x, y), count in table_counts.items() if x == y)
        kappa: float | None = None
        note = ""
        try:
            kappa = cohen_kappa_from_table(table) if units else None
        except ValueError as exc:
            note = str(exc)
        return {
            "a": i,
            "b": j,
            "units": units,
            "both": agree,
            "only_a": sum(c for (x, y), c in table_counts.items() if x != y and y == NOT_CODED),
            "only_b": sum(c for (x, y), c in table_counts.items() if x != y and x == NOT_CODED),
            "neither": 0,
            "percent": agree / units if units else None,
            "kappa": kappa,
            "pi": _or_none(scott_pi_from_table, table) if units else None,
            "note": note,
        }

    def _unitizing_terms(self, code: int) -> list[UnitizingTerms]:
        """alpha_U's terms of a code over every interview compared on characters: those where
        it has units, and an empty continuum (each coder one gap) for each of the others."""
        coded = self._unitizing.get(code, [])
        empty: Counter[tuple[int, int]] = Counter(self._continua)
        for terms in coded:
            empty[(terms.coders, int(terms.length))] -= 1
        blanks = [
            UnitizingTerms(
                coders=m_u,
                length=Fraction(length),
                observed=Fraction(0),
                units=(),
                gaps=(Fraction(length),) * m_u,
            )
            for (m_u, length), count in empty.items()
            for _ in range(count)
        ]
        return [*coded, *blanks]

    def result(self) -> dict[str, Any]:
        """Plain JSON-ready data: per code, overall, per interview; coders as indices 0..m-1.

        The table lists every code that is switched on or was used in scope; codes nobody used
        are named in ``unused_codes`` instead of a row each. The overall row pools exactly the
        listed codes (used and unused)."""
        segment = self.unit == "segment"
        character = self.unit == "character"
        m = len(self.coders)
        used = [code for code in self.codes if any(self.per_code[code].coded.values())]
        used_set = set(used)
        listed = [c for c in self.codes if c in used_set or c not in self.switched_off]
        unused = [c for c in listed if c not in used_set]
        codes = []
        kappas = []
        disagreements: list[tuple[Fraction, Fraction]] = []
        for code in listed:
            tally = self.per_code[code] if segment else self.base.complete(self.per_code[code])
            stats = _binary_stats(tally, segment=segment)
            stats["code"] = code
            stats["switched_off"] = code in self.switched_off
            stats["coded"] = [tally.coded.get(i, 0) for i in range(m)]
            stats["unitizing_alpha"] = None
            if character and self._continua:
                observed, expected = unitizing_disagreement(self._unitizing_terms(code))
                disagreements.append((observed, expected))
                if expected > 0:
                    stats["unitizing_alpha"] = float(1 - observed / expected)
            if code in used_set:
                if stats["kappa"] is not None:
                    kappas.append(stats["kappa"])
                codes.append(stats)
        if segment:
            overall = self._nominal_overall(self._segment_tallies)
        else:
            sparse = BinaryTally(m)
            for code in listed:
                sparse.add(self.per_code[code])
            pooled = self.base.complete(sparse, times=len(listed))
            overall = _binary_stats(pooled, segment=False)
            overall["coded"] = [pooled.coded.get(i, 0) for i in range(m)]
        # alpha_U over the listed codes: 1 - sum_c D_o(c) / sum_c D_e(c).
        expected_sum = sum((e for _, e in disagreements), Fraction(0))
        overall["unitizing_alpha"] = (
            float(1 - sum((o for o, _ in disagreements), Fraction(0)) / expected_sum)
            if expected_sum > 0
            else None
        )
        overall["mean_kappa"] = sum(kappas) / len(kappas) if kappas else None
        overall["codes_with_kappa"] = len(kappas)
        interviews = []
        missing: list[dict[str, Any]] = []
        for entry in self.entries:
            row: dict[str, Any] = {
                "interview": entry.id,
                "units": entry.units,
                "counted": entry.counted,
                "missing": entry.missing,
                "decisions": 0,
                "percent": None,
                "kappa": None,
                "pi": None,
                "fleiss": None,
                "alpha": None,
                "note": "",
            }
            missing.extend({"interview": entry.id, "coder": index} for index in entry.missing)
            if entry.tally is None:
                row["note"] = (
                    "Contributes nothing: "
                    + ("no coder counts" if not entry.counted else "only one coder counts")
                    + " for it (the others were neither assigned nor coded it)."
                )
            else:
                if segment:
                    stats = self._nominal_overall(entry.segment_tallies)
                else:
                    tally = entry.base.complete(entry.tally, times=len(listed))
                    stats = _binary_stats(tally, segment=False)
                row.update({k: stats[k] for k in ("percent", "kappa", "pi", "fleiss", "alpha")})
                row["decisions"] = stats["units"]
            interviews.append(row)
        compared = sum(1 for entry in self.entries if entry.tally is not None)
        return {
            "unit": self.unit,
            "threshold": self.threshold if segment else None,
            "coders": list(self.coders),
            "interviews": len(self.entries),
            "interviews_compared": compared,
            "units": self.total_units if not segment else overall["units"],
            "codes": codes,
            "unused_codes": unused,
            "pooled_codes": len(listed),
            "overall": overall,
            "per_interview": interviews,
            "missing": missing,
        }


# --- Disagreements ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """Where two coders differ on one code: a stretch of text covered by either's codings."""

    code: int
    start: int
    end: int
    kind: str  # only_a, only_b or boundaries
    a: tuple[Span, ...]
    b: tuple[Span, ...]
    overlap: float  # characters both coded / characters either coded

    @property
    def key(self) -> str:
        return f"{self.code}:{self.start}-{self.end}"


def disagreements(spans_a: Sequence[Span], spans_b: Sequence[Span]) -> list[Passage]:
    """Passages where coder a's and coder b's codings of a code cover different characters.

    Per code, a passage is a maximal stretch covered by overlapping codings of either coder.
    It is a disagreement unless both coders cover exactly the same characters in it: ``only_a``
    or ``only_b`` when one coder did not code it at all, ``boundaries`` when both did but their
    extents differ. Sorted by position in the text, then code.
    """
    by_code: dict[int, list[tuple[int, Span]]] = {}
    for side, spans in ((0, spans_a), (1, spans_b)):
        for span in spans:
            if span.end > span.start:
                by_code.setdefault(span.code, []).append((side, span))
    found: list[Passage] = []
    for code, items in by_code.items():
        items.sort(key=lambda item: (item[1].start, item[1].end))
        group: list[tuple[int, Span]] = []
        group_end = -1
        for item in [*items, None]:
            if item is not None and group and item[1].start < group_end:
                group.append(item)
                group_end = max(group_end, item[1].end)
                continue
            if group:
                passage = _passage(code, group)
                if passage is not None:
                    found.append(passage)
            if item is not None:
                group = [item]
                group_end = item[1].end
    found.sort(key=lambda p: (p.start, p.end, p.code))
    return found


def _passage(code: int, group: list[tuple[int, Span]]) -> Passage | None:
    a = tuple(span for side, span in group if side == 0)
    b = tuple(span for side, span in group if side == 1)
    merged_a = merge_intervals((s.start, s.end) for s in a)
    merged_b = merge_intervals((s.start, s.end) for s in b)
    if merged_a == merged_b:
        return None
    start = min(span.start for _, span in group)
    end = max(span.end for _, span in group)
    both = intersection_length(merged_a, merged_b)
    either = total_length(merged_a) + total_length(merged_b) - both
    kind = "only_a" if not b else "only_b" if not a else "boundaries"
    return Passage(code, start, end, kind, a, b, both / either if either else 0.0)
