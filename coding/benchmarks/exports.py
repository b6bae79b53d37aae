"""Export figures: coded segments over the API at 2,000 and 200,000 codings, with memory.

Each export is requested the way a script does it — ``GET /api/v1/studies/{slug}/exports/csv/``
with ``Authorization: Bearer hl_…`` through Django's full request stack — and the streamed body
is read to the end and thrown away. Memory is measured in a fresh serving process (a child
process that has served only a small export before): how far its peak resident set size (VmHWM,
reset just before the request; Linux) rises above its size before the request. The peak of
Python allocations during the request (tracemalloc) is measured too, in this process.
"""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.test import Client

from coding.benchmarks import BenchContext, benchmark
from coding.benchmarks.data import (
    bench_study,
    bench_user,
    big_study,
    delete_study,
    random_codings,
    transcript,
)
from coding.exchange.registry import ExportOptions
from coding.exchange.study_import import study_import
from coding.exports import export_study_write, study_format
from coding.models import Code, Coding
from coding.services import codings_bulk_create
from interviews.models import Study
from interviews.services import api_token_create, dyad_get_or_create, interview_import

STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")
ROOT = Path(__file__).resolve().parents[2]

# Run in a child process: serve one small export (to load the code), then the measured one.
SERVE = """
import gc, json, os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healing.settings")
django.setup()
from django.test import Client
from coding.benchmarks.exports import _download, _rss_kb, CLEAR_REFS
url, warm, token = sys.argv[1:4]
client = Client()
_download(client, warm, token)
gc.collect()
before = _rss_kb("VmRSS")
CLEAR_REFS.write_text("5")
started = time.perf_counter()
size, lines = _download(client, url, token)
took = time.perf_counter() - started
print(json.dumps({"before_kb": before, "peak_kb": _rss_kb("VmHWM"), "seconds": took,
                  "bytes": size, "lines": lines}))
"""


def _download(client: Client, url: str, token: str) -> tuple[int, int]:
    """(bytes, rows) of a streamed export, read to the end and not kept."""
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    size = lines = 0
    chunks = response.streaming_content if response.streaming else [response.content]  # type: ignore[attr-defined]
    for chunk in chunks:
        size += len(chunk)
        lines += chunk.count(b"\n")
    response.close()
    return size, lines


def _rss_kb(field: str) -> int | None:
    if not STATUS.exists():
        return None
    for line in STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def _fresh_process_serving(url: str, warm: str, token: str) -> dict[str, Any] | None:
    """A child process serves ``warm`` then ``url``: its RSS before and peak, time, size."""
    if not CLEAR_REFS.exists():
        return None
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SERVE, url, warm, token],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=os.environ.copy(),
    )
    if done.returncode:
        raise RuntimeError(f"the serving process failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _traced_peak_mb(action: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        baseline, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return (peak - baseline) / 1_000_000


def _small_study(user: Any) -> Study:
    """One dyad, a 20,000-word interview with 2,000 codings over 24 codes."""
    study = bench_study(user=user, label="export-small")
    dyad, _ = dyad_get_or_create(study=study, label="B01", attributes={"years_together": 9})
    text = transcript(words=20_000)
    interview = interview_import(
        dyad=dyad, perspective="patient", filename="b01.txt", data=text.encode(), imported_by=user
    ).interview
    codes = list(Code.objects.filter(codebook__study=study, is_active=True))
    codings_bulk_create(
        interview=interview,
        coder=user,
        items=random_codings(interview=interview, codes=codes, count=2_000),
        audit=False,
    )
    return study


@benchmark("exports")
def exports(ctx: BenchContext) -> None:
    user = bench_user()
    _, token = api_token_create(user=user, name=f"bench {time.monotonic_ns()}")
    client = Client()

    small = _small_study(user)
    try:
        url = f"/api/v1/studies/{small.slug}/exports/csv/"
        count = Coding.objects.filter(interview__dyad__study=small).count()
        _download(client, url, token)  # warm up: imports, connections
        small_csv = ctx.measure(
            "export coded segments, CSV (API, streamed)",
            f"{count:,} codings, 1 interview",
            lambda: _download(client, url, token),
            repeat=max(ctx.repeat, 25),
            extra=lambda result: f"{result[0] / 1000:.0f} KB, {result[1]:,} lines",
        )
        ctx.note(f"  → fastest of {len(small_csv.seconds)}: {min(small_csv.seconds) * 1000:.1f} ms")
        jsonl = f"/api/v1/studies/{small.slug}/exports/jsonl/"
        ctx.measure(
            "export coded segments, JSON Lines (API)",
            f"{count:,} codings, 1 interview",
            lambda: _download(client, jsonl, token),
            extra=lambda result: f"{result[0] / 1000:.0f} KB",
        )
    finally:
        delete_study(small)

    ctx.note("building the 500-dyad study (200,000 codings); this takes a few minutes …")
    started = time.perf_counter()
    big = big_study(dyads=500, codings_per_interview=200, label="export-big")
    ctx.note(f"built in {time.perf_counter() - started:.0f} s")
    try:
        count = Coding.objects.filter(interview__dyad__study=big).count()
        size = f"{count:,} codings, 500 dyads, 1,000 interviews"
        for name, path in (("CSV", "csv"), ("JSON Lines", "jsonl")):
            url = f"/api/v1/studies/{big.slug}/exports/{path}/"
            measured = ctx.measure(
                f"export coded segments, {name} (API, streamed)",
                size,
                lambda url=url: _download(client, url, token),  # type: ignore[misc]
                repeat=min(ctx.repeat, 3),
                extra=lambda result: f"{result[0] / 1_000_000:.0f} MB",
            )
            rate = count / (measured.median_ms / 1000)
            traced = _traced_peak_mb(lambda url=url: _download(client, url, token))  # type: ignore[misc]
            warm = f"/api/v1/studies/{big.slug}/codebook/exports/csv/"
            fresh = _fresh_process_serving(url, warm, token)
            if fresh is None:
                rss_text = "n/a (no /proc)"
            else:
                growth = (fresh["peak_kb"] - fresh["before_kb"]) / 1024
                rss_text = (
                    f"+{growth:.1f} MB (from {fresh['before_kb'] / 1024:.0f} MB; that run "
                    f"{count / fresh['seconds']:,.0f} rows/s)"
                )
            ctx.note(
                f"  → {rate:,.0f} rows/s; serving process peak RSS {rss_text}; "
                f"peak Python allocations +{traced:.1f} MB"
            )
        matrix = f"/api/v1/studies/{big.slug}/exports/matrix-csv/"
        ctx.measure(
            "export code-by-dyad matrix, CSV (API)",
            size,
            lambda: _download(client, matrix, token),
            repeat=min(ctx.repeat, 3),
            extra=lambda result: f"{result[1]:,} lines",
        )
        _whole_file_exports(ctx, big, size)
    finally:
        delete_study(big)


def _whole_file_exports(ctx: BenchContext, study: Study, size: str) -> None:
    """XLSX and the whole-study JSON (run as jobs for a study this size), and the import."""

    def write(name: str) -> int:
        buffer = io.BytesIO()
        export_study_write(
            study=study, fmt=study_format(name), out=buffer, options=ExportOptions(), via="job"
        )
        return len(buffer.getvalue())

    ctx.measure(
        "export coded segments, XLSX (job's work)",
        size,
        lambda: write("xlsx"),
        repeat=1,
        extra=lambda n: f"{n / 1_000_000:.0f} MB",
    )
    document: dict[str, bytes] = {}

    def whole() -> int:
        buffer = io.BytesIO()
        export_study_write(
            study=study, fmt=study_format("json"), out=buffer, options=ExportOptions(), via="job"
        )
        document["data"] = buffer.getvalue()
        return len(document["data"])

    ctx.measure(
        "export whole study, JSON (job's work)",
        size,
        whole,
        repeat=1,
        extra=lambda n: f"{n / 1_000_000:.0f} MB",
    )
    imported: list[Study] = []
    ctx.measure(
        "import whole study, JSON (job's work)",
        size,
        lambda: imported.append(study_import(data=document["data"], slug=f"{study.slug}-imported")),
        repeat=1,
    )
    for copy in imported:
        delete_study(copy)
