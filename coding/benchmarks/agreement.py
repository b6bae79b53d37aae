"""Teamwork figures: the study-wide agreement report on the 500-dyad study, per unit, and the
disagreements and side-by-side view of one interview."""

from __future__ import annotations

import time

from coding.benchmarks import BenchContext, benchmark
from coding.benchmarks.data import bench_user, big_study, delete_study
from coding.models import Coding, Layer
from coding.team import selectors
from coding.team.reports import AgreementRequest, agreement_report_compute
from interviews.models import Interview


@benchmark("agreement")
def agreement(ctx: BenchContext) -> None:
    started = time.perf_counter()
    study = big_study(dyads=500, label="agreement")
    ctx.note(f"generated the 500-dyad study in {time.perf_counter() - started:.1f} s")
    try:
        coders = [bench_user("bench-coder-a").pk, bench_user("bench-coder-b").pk]
        individual = Coding.objects.filter(
            interview__dyad__study=study, layer=Layer.INDIVIDUAL
        ).count()
        interviews = Interview.objects.filter(dyad__study=study).count()
        size = f"{interviews:,} interviews, {individual:,} codings"
        for unit, threshold in (("character", 0.5), ("turn", 0.5), ("segment", 0.5)):
            request = AgreementRequest(scope="study", unit=unit, coders=coders, threshold=threshold)
            ctx.measure(
                f"agreement report, whole study, {unit}",
                size,
                lambda request=request: agreement_report_compute(study=study, request=request),  # type: ignore[misc]
                extra=lambda result: (
                    f"kappa {result['overall']['kappa']:.3f}, alpha "
                    f"{result['overall']['alpha']:.3f}, {result['units']:,} units"
                ),
            )
        interview = Interview.objects.filter(dyad__study=study).order_by("id").first()
        assert interview is not None
        codes = selectors.codes_by_id(study=study)
        per_interview = Coding.objects.filter(interview=interview).count()
        ctx.measure(
            "disagreements of one interview",
            f"{len(interview.text):,} characters, {per_interview} codings",
            lambda: selectors.interview_disagreements(
                interview=interview, coder_a=coders[0], coder_b=coders[1], codes=codes
            ),
            extra=lambda rows: f"{len(rows)} passages",
        )
        columns = selectors.column_names(ids=coders)
        ctx.measure(
            "side-by-side layers of one interview",
            f"{len(interview.text):,} characters, {per_interview} codings",
            lambda: selectors.compare_columns(interview=interview, columns=columns, codes=codes),
            extra=lambda rows: f"{len(rows)} turns",
        )
    finally:
        delete_study(study)
