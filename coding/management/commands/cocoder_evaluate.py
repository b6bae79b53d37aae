"""python manage.py cocoder_evaluate --study SLUG [--engine tfidf|embedding] [--unit turn|sentence]
[--json]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coding.cocoder.engines import ENGINES, EngineUnavailable, engine_get
from coding.cocoder.evaluate import MIN_PASSAGES, evaluate_leave_one_dyad_out, study_corpus
from coding.cocoder.units import UNITS
from interviews.management.commands._common import get_study


def _figure(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{100 * value:.1f}%" if percent else f"{value:.3f}"


class Command(BaseCommand):
    help = (
        "Leave-one-dyad-out evaluation of a co-coder engine on a study's settled coding: per "
        "code, the training passages and the agreement (percent, Cohen's kappa, Krippendorff's "
        "alpha) between its suggestions and the held-out coding."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--study", required=True, help="The study's slug.")
        parser.add_argument("--engine", default="tfidf", help=f"One of: {', '.join(ENGINES)}.")
        parser.add_argument("--unit", default="turn", help=f"One of: {', '.join(UNITS)}.")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")

    def handle(self, *args: Any, **options: Any) -> None:
        study = get_study(options["study"])
        if options["unit"] not in UNITS:
            raise CommandError(f"Unknown unit {options['unit']!r}: use turn or sentence.")
        try:
            engine = engine_get(options["engine"])
        except (ValueError, EngineUnavailable) as exc:
            raise CommandError(str(exc)) from None
        corpus = study_corpus(study=study)
        if len({doc.dyad_id for doc in corpus.interviews}) < 2:
            raise CommandError("Leave-one-dyad-out needs a study with at least two dyads.")
        evaluation = evaluate_leave_one_dyad_out(corpus=corpus, engine=engine, unit=options["unit"])
        if options["json"]:
            self.stdout.write(json.dumps(evaluation.as_json(), indent=2))
            return
        self.stdout.write(
            f"Engine {evaluation.engine}, unit {evaluation.unit}, leave-one-dyad-out over "
            f"{evaluation.dyads} dyads (training {evaluation.train_seconds:.1f} s, suggesting "
            f"{evaluation.suggest_seconds:.1f} s in all)"
        )
        width = max([len("code"), *(len(c.key) for c in evaluation.codes)])
        self.stdout.write(f"{'code':<{width}}  passages  percent   kappa   alpha")
        for code in evaluation.codes:
            self.stdout.write(
                f"{code.key:<{width}}  {code.passages:>8}  {_figure(code.percent, True):>7}"
                f"  {_figure(code.kappa):>6}  {_figure(code.alpha):>6}"
            )
        overall = evaluation.overall
        self.stdout.write(
            f"{'overall':<{width}}  {'':>8}  {_figure(overall['percent'], True):>7}"
            f"  {_figure(overall['kappa']):>6}  {_figure(overall['alpha']):>6}"
        )
        self.stdout.write(
            f"mean alpha over codes with at least {MIN_PASSAGES} passages: "
            f"{_figure(evaluation.mean_alpha)}"
        )
