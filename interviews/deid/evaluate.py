"""Score the detector against gold spans: entity recall per kind, character precision, speed.

A gold identifier counts as found when proposals (of any kind: a found span is redacted whatever
its label) cover at least 90 % of its characters. Character precision is the share of proposed
characters that lie inside some gold span. ``kind_agreement`` is the share of found identifiers
whose covering proposals carry the gold kind (what a reviewer would not have to relabel).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .corpus import GoldDocument
from .detect import detect
from .proposals import Kind, Proposal

FOUND_SHARE = 0.9

Detector = Callable[[str], Sequence[Proposal]]


@dataclass
class Score:
    gold: Counter[Kind] = field(default_factory=Counter)
    found: Counter[Kind] = field(default_factory=Counter)
    same_kind: int = 0
    proposed_chars: int = 0
    correct_chars: int = 0
    missed: list[tuple[str, Kind, str]] = field(default_factory=list)
    spurious: list[tuple[str, Kind, str]] = field(default_factory=list)

    def recall(self, kind: Kind | None = None) -> float:
        gold = self.gold[kind] if kind else sum(self.gold.values())
        found = self.found[kind] if kind else sum(self.found.values())
        return found / gold if gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct_chars / self.proposed_chars if self.proposed_chars else 1.0

    @property
    def kind_agreement(self) -> float:
        found = sum(self.found.values())
        return self.same_kind / found if found else 1.0


def score(documents: Sequence[GoldDocument], detector: Detector | None = None) -> Score:
    run = detector or (lambda text: detect(text))
    result = Score()
    for document in documents:
        proposals = run(document.text)
        covered = [0] * len(document.text)
        kinds: list[Kind | None] = [None] * len(document.text)
        for proposal in proposals:
            for index in range(proposal.start, proposal.end):
                covered[index] = 1
                kinds[index] = proposal.kind
        gold_chars = [0] * len(document.text)
        for span in document.spans:
            result.gold[span.kind] += 1
            for index in range(span.start, span.end):
                gold_chars[index] = 1
            share = sum(covered[span.start : span.end]) / (span.end - span.start)
            if share >= FOUND_SHARE:
                result.found[span.kind] += 1
                if Counter(kinds[span.start : span.end]).most_common(1)[0][0] == span.kind:
                    result.same_kind += 1
            else:
                result.missed.append((document.name, span.kind, span.text))
        for proposal in proposals:
            inside = sum(gold_chars[proposal.start : proposal.end])
            result.proposed_chars += proposal.end - proposal.start
            result.correct_chars += inside
            if inside < (proposal.end - proposal.start) / 2:
                result.spurious.append((document.name, proposal.kind, proposal.text))
    return result


def long_transcript(documents: Sequence[GoldDocument], words: int = 20_000) -> str:
    """A transcript of at least ``words`` words, made by repeating the corpus texts."""
    parts: list[str] = []
    count = 0
    while count < words:
        for document in documents:
            parts.append(document.text)
            count += len(document.text.split())
            if count >= words:
                break
    return "\n\n".join(parts)


def scan_seconds(text: str, repeat: int = 3) -> float:
    """The best of ``repeat`` timed scans of ``text`` (gazetteers loaded beforehand)."""
    detect("warm up the gazetteers")
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        detect(text)
        best = min(best, time.perf_counter() - started)
    return best


def report_lines(name: str, result: Score) -> list[str]:
    lines = [f"{name}: {sum(result.gold.values())} identifiers"]
    for kind in Kind:
        if result.gold[kind]:
            lines.append(
                f"  {kind.value:<9} recall {result.recall(kind):.2f} "
                f"({result.found[kind]}/{result.gold[kind]})"
            )
    lines.append(f"  overall   recall {result.recall():.2f}")
    lines.append(f"  character precision {result.precision:.2f}")
    lines.append(f"  kind agreement {result.kind_agreement:.2f}")
    return lines
