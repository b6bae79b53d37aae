"""REFI-QDA figures: exporting, reading and importing the demo study and a 50-dyad study."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth import get_user_model

from coding.benchmarks import BenchContext, benchmark
from coding.benchmarks.data import bench_user, big_study, delete_study
from coding.demo.build import DEMO_SLUG, demo_load
from coding.exchange.refi.export import qdc_bytes, qdpx_write
from coding.exchange.refi.imports import qdpx_import, qdpx_inspect
from coding.exchange.registry import ExportOptions
from coding.models import Codebook, Coding
from interviews.models import Interview, Study


def _size(study: Study) -> str:
    interviews = Interview.objects.filter(dyad__study=study).count()
    codings = Coding.objects.filter(interview__dyad__study=study).count()
    return f"{study.dyads.count()} dyads, {interviews} interviews, {codings:,} codings"


def _export(study: Study, user: Any) -> bytes:
    out = io.BytesIO()
    qdpx_write(study=study, out=out, options=ExportOptions(actor=user))
    return out.getvalue()


def _measure_study(ctx: BenchContext, study: Study, label: str, user: Any) -> None:
    size = _size(study)
    data = _export(study, user)
    ctx.measure(
        f"export .qdpx ({label})",
        size,
        lambda: _export(study, user),
        extra=lambda value: f"{len(value) / 1_000_000:.1f} MB",
    )
    ctx.measure(
        f"export .qdc ({label})",
        "the codebook",
        lambda: qdc_bytes(codebook=Codebook.objects.get(study=study)),
    )
    ctx.measure(
        f"read .qdpx and propose a mapping ({label})",
        f"{len(data) / 1_000_000:.1f} MB file",
        lambda: qdpx_inspect(data=data, filename=f"{label}.qdpx", user=user, study=None),
    )
    slug = "bench-import-" + label.replace(" ", "-")
    users = get_user_model().objects
    before = set(users.values_list("id", flat=True))

    def import_once() -> Any:
        return qdpx_import(
            data=data,
            filename=f"{label}.qdpx",
            user=user,
            new_study={"slug": slug, "title": f"Import of {label}"},
        )

    def remove_import() -> None:
        imported = Study.objects.filter(slug=slug).first()
        if imported is not None:
            delete_study(imported)
        users.filter(username__startswith="imported-").exclude(id__in=before).delete()

    ctx.measure(
        f"import .qdpx as a new study ({label})",
        size,
        import_once,
        teardown=remove_import,
        repeat=min(ctx.repeat, 3),
        extra=lambda report: f"{report.imported.get('codings', 0):,} codings imported",
    )


@benchmark("refi")
def refi(ctx: BenchContext) -> None:
    user = bench_user()
    existed = Study.objects.filter(slug=DEMO_SLUG).exists()
    demo = demo_load().study
    try:
        _measure_study(ctx, demo, "demo", user)
    finally:
        if not existed:
            delete_study(demo)
    study = big_study(dyads=50, label="refi")
    try:
        _measure_study(ctx, study, "50 dyads", user)
    finally:
        delete_study(study)
