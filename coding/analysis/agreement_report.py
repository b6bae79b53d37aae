"""Intercoder agreement reports over coded spans, per code and overall, on a chosen unit.

Pure Python (no Django): the caller loads each interview's length, speaker turns and the codings
of the coders being compared, feeds them to :class:`AgreementReport` one interview at a time, and
reads :meth:`AgreementReport.result`. The statistics themselves come from
:mod:`coding.analysis.agreement`.

Units (what one "decision" of a coder is):

``character``
    Every character (code point) of every interview's text is a unit; per code, a coder "said
    yes" for a character when one of their codings of that code covers it. Characters nobody
    coded with the code count as units both coders left uncoded (agreement on "no"), so a long
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
    matched at most once per coder. A matched group is one unit every coder in it coded; a coding
    left unmatched is a unit only its coder coded. Uncoded text is not counted at all, so per
    code only percent agreement is defined (there are no units both coders left uncoded, and
    kappa and alpha would be 0 or below by construction). The overall row treats the code as a
    nominal category: each unit gets the code from the coders who coded it and "not coded" from
    the others, and Cohen's kappa and Krippendorff's alpha are computed over those categories.

Computation is interval arithmetic: spans are merged and swept by their end points, never
expanded into one Python object per character.
"""

from __future__ import annotations

import bisect
import heapq
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Any, NamedTuple

from coding.analysis.agreement import (
    binary_agreement_from_counts,
    cohen_kappa_from_table,
    coincidences_from_tallies,
    krippendorff_alpha_from_coincidences,
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
    """One code's (or a pool's) decisions: units by how many coders said yes, and pair tables.

    ``histogram[k]`` counts units where exactly k coders said yes (k >= 1; units nobody coded
    follow from ``units``). ``pairs[(i, j)]`` holds ``[both, only_i, only_j, units_of_pair]``.
    """

    coders: int
    units: int = 0
    histogram: Counter[int] = field(default_factory=Counter)
    pairs: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    coded: Counter[int] = field(default_factory=Counter)

    def add(self, other: BinaryTally) -> None:
        self.units += other.units
        self.histogram.update(other.histogram)
        self.coded.update(other.coded)
        for pair, cells in other.pairs.items():
            mine = self.pairs.setdefault(pair, [0, 0, 0, 0])
            for index, value in enumerate(cells):
                mine[index] += value

    def pair_cells(self, i: int, j: int) -> list[int]:
        return self.pairs.get((i, j), [0, 0, 0, 0])

    def tallies(self) -> list[tuple[Mapping[Hashable, int], int]]:
        """Units as value tallies for Krippendorff's alpha: k coders said True, m - k False."""
        m = self.coders
        nobody = self.units - sum(self.histogram.values())
        rows: list[tuple[Mapping[Hashable, int], int]] = [({False: m}, nobody)]
        for k, count in self.histogram.items():
            rows.append(({True: k, False: m - k}, count))
        return rows


def _alpha(
    coincidences: Mapping[tuple[Hashable, Hashable], int | Fraction],
) -> tuple[float | None, str]:
    try:
        return krippendorff_alpha_from_coincidences(coincidences), ""
    except ValueError as exc:
        return None, str(exc)


def _binary_stats(tally: BinaryTally, *, segment: bool) -> dict[str, Any]:
    """Percent agreement (all coders agree), kappa (two coders), alpha; notes where undefined."""
    m = tally.coders
    nobody = tally.units - sum(tally.histogram.values())
    agree = nobody + tally.histogram.get(m, 0)
    stats: dict[str, Any] = {
        "units": tally.units,
        "agree": agree,
        "percent": (agree / tally.units) if tally.units else None,
        "kappa": None,
        "alpha": None,
        "notes": [],
    }
    pairs = []
    for i, j in combinations(range(m), 2):
        both, only_i, only_j, units = tally.pair_cells(i, j)
        neither = units - both - only_i - only_j
        summary = binary_agreement_from_counts(
            both=both, only_a=only_i, only_b=only_j, neither=neither
        )
        pairs.append(
            {
                "a": i,
                "b": j,
                "units": units,
                "both": both,
                "only_a": only_i,
                "only_b": only_j,
                "neither": neither,
                "percent": summary["percent"],
                "kappa": None if segment else summary["kappa"],
            }
        )
    stats["pairs"] = pairs
    if not tally.units:
        stats["notes"].append("No units: nothing to compare.")
        return stats
    if segment:
        stats["notes"].append(SEGMENT_CODE_NOTE)
        return stats
    if m == 2:
        stats.update({k: pairs[0][k] for k in ("both", "only_a", "only_b", "neither")})
        stats["kappa"] = pairs[0]["kappa"]
        if stats["kappa"] is None:
            stats["notes"].append(
                "Kappa is undefined: both coders made the same single choice on every unit."
            )
    else:
        stats["notes"].append("Cohen's kappa compares two coders: see the pairs.")
    alpha, why = _alpha(coincidences_from_tallies(tally.tallies()))
    stats["alpha"] = alpha
    if alpha is None:
        stats["notes"].append(why)
    return stats


# --- The report ---------------------------------------------------------------------------------


class AgreementReport:
    """Accumulates agreement between ``coders`` on ``codes`` over interviews, on one unit.

    ``coders`` and ``codes`` are ids; spans of other coders or codes are ignored. At least two
    coders. ``threshold`` is the segment unit's minimal overlap ratio, in (0, 1].
    """

    def __init__(
        self,
        *,
        unit: str,
        coders: Sequence[int],
        codes: Sequence[int],
        threshold: float = 0.5,
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
        self.threshold = threshold
        self._coder_index = {coder: index for index, coder in enumerate(self.coders)}
        self._code_set = set(self.codes)
        m = len(self.coders)
        self._pairs = list(combinations(range(m), 2))
        self.per_code: dict[int, BinaryTally] = {code: BinaryTally(m) for code in self.codes}
        self.per_interview: list[tuple[int, int, BinaryTally, Counter[tuple[Hashable, ...]]]] = []
        # Segment level, overall: the nominal table of each pair and the value tallies.
        self._segment_tables: dict[tuple[int, int], Counter[tuple[Hashable, Hashable]]] = {}
        self._segment_tallies: Counter[tuple[Hashable, ...]] = Counter()
        self.interviews = 0
        self.total_units = 0

    # Each interview ---------------------------------------------------------------------------

    def add_interview(self, data: InterviewUnits) -> None:
        by_code: dict[int, list[list[Span]]] = {}
        m = len(self.coders)
        for span in data.codings:
            index = self._coder_index.get(span.coder)
            if index is None or span.code not in self._code_set or span.end <= span.start:
                continue
            by_code.setdefault(span.code, [[] for _ in range(m)])[index].append(span)
        pooled = BinaryTally(m)
        segment_tallies: Counter[tuple[Hashable, ...]] = Counter()
        units = 0
        if self.unit == "segment":
            for code, layers in by_code.items():
                tally = self._segments(code, layers, segment_tallies)
                self.per_code[code].add(tally)
                pooled.add(tally)
            units = pooled.units
        else:
            units = data.length if self.unit == "character" else max(1, len(data.turns))
            self.total_units += units
            # Units nobody coded (and the pair tables' totals) follow from the unit count; the
            # per-code totals are filled in by result().
            pooled.units = units * len(self.codes)
            for pair in self._pairs:
                pooled.pairs[pair] = [0, 0, 0, pooled.units]
            layout = self._turn_layout(data) if self.unit == "turn" else None
            for code, layers in by_code.items():
                if layout is None:
                    sets = [merge_intervals((s.start, s.end) for s in layer) for layer in layers]
                    tally = self._binary_from_intervals(sets)
                else:
                    tally = self._binary_from_turns(layout, layers)
                for target in (self.per_code[code], pooled):
                    histogram, coded = target.histogram, target.coded
                    for k, count in tally.histogram.items():
                        histogram[k] += count
                    for index, count in tally.coded.items():
                        coded[index] += count
                    for pair, cells in tally.pairs.items():
                        mine = target.pairs.setdefault(pair, [0, 0, 0, 0])
                        mine[0] += cells[0]
                        mine[1] += cells[1]
                        mine[2] += cells[2]
        self.per_interview.append((data.id, units, pooled, segment_tallies))
        self.interviews += 1

    @staticmethod
    def _turn_layout(data: InterviewUnits) -> tuple[list[Interval], list[int], list[int], bool]:
        """The interview's turns (the whole text when it has none), their starts and ends, and
        whether they are in order without overlaps (then a binary search finds them)."""
        turns = list(data.turns) or [(0, max(1, data.length))]
        ordered = all(turns[k][1] <= turns[k + 1][0] for k in range(len(turns) - 1))
        return turns, [t[0] for t in turns], [t[1] for t in turns], ordered

    def _binary_from_intervals(self, sets: list[list[Interval]]) -> BinaryTally:
        m = len(sets)
        tally = BinaryTally(m)
        tally.histogram.update(coverage_histogram(sets))
        lengths = [total_length(s) for s in sets]
        for index, length in enumerate(lengths):
            tally.coded[index] += length
        for i, j in combinations(range(m), 2):
            both = intersection_length(sets[i], sets[j])
            tally.pairs[(i, j)] = [both, lengths[i] - both, lengths[j] - both, 0]
        return tally

    def _binary_from_turns(
        self, layout: tuple[list[Interval], list[int], list[int], bool], layers: list[list[Span]]
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
        m = len(layers)
        tally = BinaryTally(m)
        votes: Counter[int] = Counter()
        for found in touched:
            votes.update(found)
        tally.histogram.update(Counter(votes.values()))
        for index, found in enumerate(touched):
            tally.coded[index] += len(found)
        for i, j in combinations(range(m), 2):
            both = len(touched[i] & touched[j])
            tally.pairs[(i, j)] = [both, len(touched[i]) - both, len(touched[j]) - both, 0]
        return tally

    def _segments(
        self,
        code: int,
        layers: list[list[Span]],
        interview_tallies: Counter[tuple[Hashable, ...]],
    ) -> BinaryTally:
        m = len(layers)
        spans = [(index, s.start, s.end) for index, layer in enumerate(layers) for s in layer]
        clusters = segment_clusters(spans, self.threshold)
        tally = BinaryTally(m)
        tally.units = len(clusters)
        # Units with the same set of coders count alike: tally the sets, then weigh them.
        by_coders = Counter(clusters)
        for pair in combinations(range(m), 2):
            tally.pairs[pair] = [0, 0, 0, 0]
        for coders, weight in by_coders.items():
            tally.histogram[len(coders)] += weight
            for index in coders:
                tally.coded[index] += weight
            values = tuple(code if index in coders else NOT_CODED for index in range(m))
            interview_tallies[values] += weight
            self._segment_tallies[values] += weight
            for i, j in combinations(range(m), 2):
                has_i, has_j = i in coders, j in coders
                if not (has_i or has_j):
                    continue
                cells = tally.pairs[(i, j)]
                cells[3] += weight
                cells[0 if has_i and has_j else 1 if has_i else 2] += weight
                table = self._segment_tables.setdefault((i, j), Counter())
                table[(values[i], values[j])] += weight
        return tally

    # Results ----------------------------------------------------------------------------------

    def _nominal_overall(
        self, tallies: Counter[tuple[Hashable, ...]], tables: dict[tuple[int, int], Any] | None
    ) -> dict[str, Any]:
        """Segment level, overall: each unit's code (or "not coded") as a nominal category."""
        m = len(self.coders)
        units = sum(tallies.values())
        agree = sum(count for values, count in tallies.items() if NOT_CODED not in values)
        coincidences = coincidences_from_tallies(
            (Counter(values), count) for values, count in tallies.items()
        )
        alpha, why = _alpha(coincidences)
        result: dict[str, Any] = {
            "units": units,
            "agree": agree,
            "percent": agree / units if units else None,
            "kappa": None,
            "alpha": alpha,
            "notes": [why] if why and units else [],
            "pairs": [],
        }
        for i, j in combinations(range(m), 2):
            if tables is None:
                table_counts: Counter[tuple[Hashable, Hashable]] = Counter()
                for values, count in tallies.items():
                    if values[i] != NOT_CODED or values[j] != NOT_CODED:
                        table_counts[(values[i], values[j])] += count
            else:
                table_counts = tables.get((i, j), Counter())
            result["pairs"].append(self._nominal_pair(i, j, table_counts))
        if m == 2:
            result["kappa"] = result["pairs"][0]["kappa"]
            if result["kappa"] is None and units:
                result["notes"].append(result["pairs"][0]["note"])
        elif units:
            result["notes"].append("Cohen's kappa compares two coders: see the pairs.")
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
            "note": note,
        }

    def result(self) -> dict[str, Any]:
        """Plain JSON-ready data: per code, overall, per interview; coders as indices 0..m-1."""
        segment = self.unit == "segment"
        codes = []
        kappas = []
        if not segment:
            for tally in self.per_code.values():
                tally.units = self.total_units
                for pair in self._pairs:
                    tally.pairs.setdefault(pair, [0, 0, 0, 0])[3] = self.total_units
        for code in self.codes:
            tally = self.per_code[code]
            stats = _binary_stats(tally, segment=segment)
            stats["code"] = code
            stats["coded"] = [tally.coded.get(i, 0) for i in range(len(self.coders))]
            if stats["kappa"] is not None:
                kappas.append(stats["kappa"])
            codes.append(stats)
        if segment:
            overall = self._nominal_overall(self._segment_tallies, self._segment_tables)
        else:
            pooled = BinaryTally(len(self.coders))
            for _, _, tally, _ in self.per_interview:
                pooled.add(tally)
            overall = _binary_stats(pooled, segment=False)
            overall["coded"] = [pooled.coded.get(i, 0) for i in range(len(self.coders))]
        overall["mean_kappa"] = sum(kappas) / len(kappas) if kappas else None
        overall["codes_with_kappa"] = len(kappas)
        interviews = []
        for interview_id, units, tally, tallies in self.per_interview:
            if segment:
                stats = self._nominal_overall(tallies, None)
            else:
                stats = _binary_stats(tally, segment=False)
            interviews.append(
                {
                    "interview": interview_id,
                    "units": units,
                    "decisions": stats["units"],
                    "percent": stats["percent"],
                    "kappa": stats["kappa"],
                    "alpha": stats["alpha"],
                }
            )
        return {
            "unit": self.unit,
            "threshold": self.threshold if segment else None,
            "coders": list(self.coders),
            "interviews": self.interviews,
            "units": self.total_units if not segment else overall["units"],
            "codes": codes,
            "overall": overall,
            "per_interview": interviews,
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
