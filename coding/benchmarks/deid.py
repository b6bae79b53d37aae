"""De-identification (issue 17): the detector's recall per kind and character precision on its
evaluation corpus, each half apart (``dev`` was developed against, ``test`` held out), and the
scan time of a 20,000-word transcript (target ≤ 1 s); then applying a review of that transcript
with 2,000 codings on it (target ≤ 2 s), in a throw-away study.
"""

from __future__ import annotations

import random

from django.db import transaction

from coding.benchmarks import BenchContext, benchmark
from coding.benchmarks.data import bench_study, bench_user, delete_study
from coding.deid.apply import deid_apply
from coding.models import Code, Coding, Layer
from interviews.deid.corpus import HALVES, load_corpus
from interviews.deid.detect import detect
from interviews.deid.evaluate import long_transcript, report_lines, score
from interviews.deid.review import deid_propose, entity_for
from interviews.models import DeidEntity, DeidSpan, Interview, Study
from interviews.services import dyad_get_or_create, interview_import


@benchmark("deid")
def deid_suite(ctx: BenchContext) -> None:
    for half in HALVES:
        documents = load_corpus(half)
        for line in report_lines(f"{half} ({len(documents)} transcripts)", score(documents)):
            ctx.note(line)
    text = long_transcript(load_corpus("dev") + load_corpus("test"))
    detect("load the gazetteers")
    ctx.measure(
        "deid scan (target ≤ 1 s)",
        f"{len(text.split()):,} words, {len(text):,} characters",
        lambda: detect(text),
        extra=lambda proposals: f"{len(proposals)} proposals",
    )

    _apply(ctx, text)


class _Rollback(Exception):
    """Undo one timed apply, so that every run applies the same review to the same text."""


def _apply(ctx: BenchContext, text: str) -> None:
    lead = bench_user("bench")
    study = bench_study(user=lead, label="deid")
    try:
        dyad, _ = dyad_get_or_create(study=study, label="D1")
        interview = interview_import(
            dyad=dyad, perspective="patient", filename="long.txt", data=text.encode(),
            imported_by=lead, force=True,
        ).interview  # fmt: skip
        rng = random.Random(3)
        codes = list(Code.objects.filter(codebook__study=study))
        seen: set[tuple[int, int, int]] = set()
        rows: list[Coding] = []
        while len(rows) < 2000:
            start = rng.randrange(0, len(text) - 400)
            end = start + rng.randint(20, 400)
            code = rng.choice(codes)
            if (code.pk, start, end) in seen:
                continue
            seen.add((code.pk, start, end))
            rows.append(
                Coding(interview=interview, code=code, coder=lead, layer=Layer.INDIVIDUAL,
                       start=start, end=end, quote=text[start:end])
            )  # fmt: skip
        Coding.objects.bulk_create(rows)
        deid_propose(interview=interview, actor=lead)
        DeidSpan.objects.filter(interview=interview).update(status=DeidSpan.Status.ACCEPTED)
        for span in DeidSpan.objects.filter(interview=interview).select_related("interview"):
            span.entity = _entity(study, span)
            span.save(update_fields=["entity"])
        spans = DeidSpan.objects.filter(interview=interview).count()

        def run() -> int:
            try:
                with transaction.atomic():
                    result = deid_apply(interview=Interview.objects.get(pk=interview.pk),
                                        actor=lead)  # fmt: skip
                    raise _Rollback(result.replaced)
            except _Rollback as done:
                return int(done.args[0])

        ctx.measure(
            "deid apply (target ≤ 2 s)",
            f"{len(text.split()):,} words, 2,000 codings, {spans} identifiers",
            run,
            extra=lambda n: f"{n} replaced",
        )
    finally:
        delete_study(study)


def _entity(study: Study, span: DeidSpan) -> DeidEntity:
    return entity_for(study=study, kind=span.kind, text=span.interview.text[span.start : span.end])
