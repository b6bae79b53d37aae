"""Leave-one-dyad-out evaluation of a co-coder engine, measured like a coder.

For each dyad, the engine is trained on the other dyads' settled coding (the ``best`` layer: the
consensus where an interview is marked complete, else the coders' union) and suggests codes for
the units of the held-out dyad's interviews. The suggestions form one more coder's layer (one
span per suggested unit), which is compared with the held-out settled coding by the team's
agreement report (:class:`coding.analysis.agreement_report.AgreementReport`) at the same unit:
turns, or sentences fed to the report as its units. Percent agreement, Cohen's kappa and
Krippendorff's alpha per code and pooled are therefore the very figures the agreement report
would give for these two layers.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from coding.analysis.agreement_report import AgreementReport, InterviewUnits, Span
from coding.cocoder.engines import Engine, Passage
from coding.cocoder.units import Unit, split_units
from coding.models import Code, Coding
from coding.retrieval.segments import layer_q
from coding.selectors import LayerChoice
from interviews.models import Interview, Study, Turn

SETTLED = 1  # the held-out settled coding, as the report's first coder
SUGGESTED = 2  # the engine's suggestions, as its second coder
MIN_PASSAGES = 20  # codes with fewer training passages do not count towards mean_alpha


@dataclass
class InterviewDoc:
    """What the co-coder needs of one interview: its text, turns and settled codings."""

    id: int
    dyad_id: int
    text: str
    turns: list[tuple[int, int]] = field(default_factory=list)
    codings: list[tuple[int, int, int]] = field(default_factory=list)  # (code id, start, end)

    def units(self, unit: str) -> list[Unit]:
        return split_units(self.text, self.turns, unit)


@dataclass
class StudyCorpus:
    """A study's interviews with their settled coding, and its codes in codebook order."""

    interviews: list[InterviewDoc]
    code_keys: dict[int, str]  # code id -> key, codebook order
    switched_off: set[int] = field(default_factory=set)

    def passages_per_code(self) -> dict[int, int]:
        """Distinct coded passages (spans) of each code in the settled coding."""
        spans: dict[int, set[tuple[int, int, int]]] = {code: set() for code in self.code_keys}
        for doc in self.interviews:
            for code, start, end in doc.codings:
                if code in spans:
                    spans[code].add((doc.id, start, end))
        return {code: len(found) for code, found in spans.items()}


def study_corpus(*, study: Study) -> StudyCorpus:
    """Load the study's interviews, turns, codes and ``best``-layer codings. Four queries."""
    codes = Code.objects.filter(codebook__study=study, merged_into__isnull=True).order_by(
        "order", "key"
    )
    code_keys: dict[int, str] = {}
    switched_off: set[int] = set()
    for pk, key, active in codes.values_list("pk", "key", "is_active"):
        code_keys[pk] = key
        if not active:
            switched_off.add(pk)
    docs = {
        pk: InterviewDoc(id=pk, dyad_id=dyad_id, text=text)
        for pk, dyad_id, text in Interview.objects.filter(dyad__study=study)
        .order_by("dyad_id", "id")
        .values_list("pk", "dyad_id", "text")
    }
    for interview_id, start, end in (
        Turn.objects.filter(interview__dyad__study=study)
        .order_by("interview_id", "index")
        .values_list("interview_id", "start", "end")
    ):
        docs[interview_id].turns.append((start, end))
    for interview_id, code_id, start, end in (
        Coding.objects.filter(interview__dyad__study=study)
        .filter(layer_q(LayerChoice("best")))
        .order_by("interview_id", "start", "end")
        .values_list("interview_id", "code_id", "start", "end")
    ):
        if code_id in code_keys:
            docs[interview_id].codings.append((code_id, start, end))
    return StudyCorpus(
        interviews=list(docs.values()), code_keys=code_keys, switched_off=switched_off
    )


def unit_codes(units: Sequence[Unit], codings: Iterable[tuple[int, int, int]]) -> list[set[int]]:
    """The codes of each unit: those with a coding that overlaps it by at least one code point
    (the agreement report's rule for a coder having coded a turn). Units are sorted and
    disjoint."""
    starts = [u[0] for u in units]
    ends = [u[1] for u in units]
    found: list[set[int]] = [set() for _ in units]
    for code, start, end in codings:
        for k in range(bisect.bisect_right(ends, start), bisect.bisect_left(starts, end)):
            found[k].add(code)
    return found


def training_passages(
    docs: Iterable[InterviewDoc], *, unit: str, code_keys: dict[int, str]
) -> list[Passage]:
    """Every unit of the interviews as a passage with the keys of its settled codes."""
    passages = []
    for doc in docs:
        units = doc.units(unit)
        for (start, end), codes in zip(units, unit_codes(units, doc.codings), strict=True):
            passages.append(Passage(doc.text[start:end], frozenset(code_keys[c] for c in codes)))
    return passages


def compare_interview(
    *,
    interview_id: int,
    length: int,
    units: Sequence[Unit],
    settled: Iterable[tuple[int, int, int]],
    suggested: Iterable[tuple[int, int, int]],
) -> InterviewUnits:
    """The adapter to the agreement report: two layers of in-memory spans (settled and
    suggested, as ``(code, start, end)``) on the given units, both coders counting."""
    spans = [Span(code, SETTLED, start, end) for code, start, end in settled]
    spans += [Span(code, SUGGESTED, start, end) for code, start, end in suggested]
    return InterviewUnits(
        id=interview_id,
        length=length,
        turns=list(units),
        codings=spans,
        assigned=(SETTLED, SUGGESTED),
    )


def agreement_report(
    *, code_ids: Sequence[int], switched_off: Iterable[int] = ()
) -> AgreementReport:
    """The team's agreement report for the settled and the suggested layer. The report's turn
    unit takes whatever units it is given: speaker turns, or sentences."""
    return AgreementReport(
        unit="turn",
        coders=[SETTLED, SUGGESTED],
        codes=list(code_ids),
        switched_off=set(switched_off),
    )


@dataclass
class CodeFigures:
    key: str
    passages: int
    percent: float | None
    kappa: float | None
    alpha: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "passages": self.passages,
            "percent": self.percent,
            "kappa": self.kappa,
            "alpha": self.alpha,
        }


@dataclass
class Evaluation:
    engine: str
    unit: str
    codes: list[CodeFigures]
    overall: dict[str, float | None]
    mean_alpha: float | None
    dyads: int
    train_seconds: float
    suggest_seconds: float
    report: dict[str, Any] = field(repr=False, default_factory=dict)
    # The suggested layer per interview: (code id, start, end), one span per suggested unit.
    suggestions: dict[int, list[tuple[int, int, int]]] = field(repr=False, default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "unit": self.unit,
            "codes": [code.as_dict() for code in self.codes],
            "mean_alpha": self.mean_alpha,
        }


def evaluate_leave_one_dyad_out(
    *,
    corpus: StudyCorpus,
    engine: Engine,
    unit: str = "turn",
    progress: Callable[[int, int], None] | None = None,
) -> Evaluation:
    """Train without each dyad in turn, suggest for its interviews, and compare the suggestions
    with its settled coding in one agreement report over every dyad."""
    split_units("", [], unit)  # refuses an unknown unit before any work
    key_to_id = {key: pk for pk, key in corpus.code_keys.items()}
    report = agreement_report(code_ids=list(corpus.code_keys), switched_off=corpus.switched_off)
    dyads = list(dict.fromkeys(doc.dyad_id for doc in corpus.interviews))
    train_seconds = suggest_seconds = 0.0
    suggestions: dict[int, list[tuple[int, int, int]]] = {}
    for done, dyad in enumerate(dyads, start=1):
        held_out = [doc for doc in corpus.interviews if doc.dyad_id == dyad]
        training = [doc for doc in corpus.interviews if doc.dyad_id != dyad]
        began = time.perf_counter()
        model = engine.fit(training_passages(training, unit=unit, code_keys=corpus.code_keys))
        train_seconds += time.perf_counter() - began
        for doc in held_out:
            units = doc.units(unit)
            began = time.perf_counter()
            proposed = model.suggest([doc.text[s:e] for s, e in units])
            suggest_seconds += time.perf_counter() - began
            suggested = [
                (key_to_id[key], start, end)
                for (start, end), keys in zip(units, proposed, strict=True)
                for key in keys
            ]
            suggestions[doc.id] = suggested
            report.add_interview(
                compare_interview(
                    interview_id=doc.id,
                    length=len(doc.text),
                    units=units,
                    settled=doc.codings,
                    suggested=suggested,
                )
            )
        if progress is not None:
            progress(done, len(dyads))
    evaluation = _figures(
        corpus, engine.name, unit, report.result(), len(dyads), train_seconds, suggest_seconds
    )
    evaluation.suggestions = suggestions
    return evaluation


def _figures(
    corpus: StudyCorpus,
    engine: str,
    unit: str,
    result: dict[str, Any],
    dyads: int,
    train_seconds: float,
    suggest_seconds: float,
) -> Evaluation:
    passages = corpus.passages_per_code()
    rows = {row["code"]: row for row in result["codes"]}
    listed = set(rows) | set(result["unused_codes"])
    codes = []
    for pk, key in corpus.code_keys.items():
        if pk not in listed:
            continue
        row = rows.get(pk, {})
        codes.append(
            CodeFigures(
                key=key,
                passages=passages[pk],
                percent=row.get("percent"),
                kappa=row.get("kappa"),
                alpha=row.get("alpha"),
            )
        )
    counted = [c.alpha for c in codes if c.passages >= MIN_PASSAGES and c.alpha is not None]
    overall = {name: result["overall"][name] for name in ("percent", "kappa", "alpha")}
    return Evaluation(
        engine=engine,
        unit=unit,
        codes=codes,
        overall=overall,
        mean_alpha=sum(counted) / len(counted) if counted else None,
        dyads=dyads,
        train_seconds=train_seconds,
        suggest_seconds=suggest_seconds,
        report=result,
    )
