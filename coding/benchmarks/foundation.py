"""Foundation figures: importing a long transcript, creating codings in bulk."""

from __future__ import annotations

from coding.benchmarks import BenchContext, benchmark
from coding.benchmarks.data import bench_study, bench_user, delete_study, random_codings, transcript
from coding.models import Code, Coding
from coding.services import codings_bulk_create
from interviews.models import Interview
from interviews.services import dyad_get_or_create, interview_import


@benchmark("foundation")
def foundation(ctx: BenchContext) -> None:
    user = bench_user()
    study = bench_study(user=user, label="foundation")
    try:
        dyad, _ = dyad_get_or_create(study=study, label="B01")
        text = transcript(words=20_000)
        data = text.encode("utf-8")
        words = len(text.split())

        def import_once() -> Interview:
            return interview_import(
                dyad=dyad, perspective="patient", filename="bench.txt", data=data,
                imported_by=user, force=True,
            ).interview  # fmt: skip

        imported = ctx.measure(
            "import transcript (.txt, parse + store)",
            f"{words:,} words, {len(data) / 1000:.0f} KB",
            import_once,
            teardown=lambda: Interview.objects.filter(dyad=dyad).delete(),
            extra=lambda interview: f"{interview.turns.count()} turns",
        )
        del imported
        interview = import_once()
        codes = list(
            Code.objects.filter(codebook__study=study, is_active=True).order_by("order")[:12]
        )
        items = random_codings(interview=interview, codes=codes, count=2_000)
        ctx.measure(
            "bulk create codings (one request's worth)",
            f"2,000 codings, 12 codes, {words:,}-word text",
            lambda: codings_bulk_create(interview=interview, coder=user, items=items),
            teardown=lambda: Coding.objects.filter(interview=interview).delete(),
        )
    finally:
        delete_study(study)
