"""De-identification (issue 17): the detector's recall per kind and character precision on its
evaluation corpus, each half apart (``dev`` was developed against, ``test`` held out), and the
scan time of a 20,000-word transcript (target ≤ 1 s). Pure Python: no database is touched.
"""

from __future__ import annotations

from coding.benchmarks import BenchContext, benchmark
from interviews.deid.corpus import HALVES, load_corpus
from interviews.deid.detect import detect
from interviews.deid.evaluate import long_transcript, report_lines, score


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
