"""The comparison at 50, 200 and 500 dyads (~200 codings per interview, healing codebook): the
services (matrix + prevalence + process → outcome) on the default layer (consensus) and on the
union of coders, and the page and JSON endpoints over HTTP, with how the time grows."""

from __future__ import annotations

import time

from django.db import connection
from django.test import Client

from coding.analysis.subsets import DyadSubset
from coding.benchmarks import BenchContext, benchmark
from coding.benchmarks.data import bench_user, big_study, delete_study
from coding.comparison.selectors.base import comparison_base
from coding.comparison.selectors.cooccurrence import process_outcome
from coding.comparison.selectors.matrix import dyad_code_matrix
from coding.comparison.selectors.prevalence import common_components, prevalence
from coding.comparison.selectors.scope import Scope
from coding.models import Coding
from coding.selectors import LayerChoice
from interviews.models import Study

SIZES = (50, 200, 500)


def full_comparison(study: Study, layer: LayerChoice) -> tuple[int, int]:
    """What the comparison's three main views compute: the base, the matrix, prevalence with
    common components, and process → outcome (overlap and within one turn)."""
    scope = Scope(study=study, layer=layer, layer_label=layer.name, subset=DyadSubset())
    base = comparison_base(scope=scope)
    matrix = dyad_code_matrix(base=base)
    rows = prevalence(base=base)
    common_components(rows)
    pairs = process_outcome(base=base, window=1)
    return len(matrix.rows), len(pairs)


def _get(client: Client, url: str) -> int:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code}")
    return len(response.content)


@benchmark("analysis")
def analysis(ctx: BenchContext) -> None:
    lead = bench_user("bench")
    client = Client()
    client.force_login(lead)
    medians: dict[str, dict[int, float]] = {}
    for dyads in SIZES:
        started = time.perf_counter()
        study = big_study(dyads=dyads, codings_per_interview=200, label=f"analysis-{dyads}")
        if connection.vendor == "postgresql":
            # Fresh bulk inserts have no planner statistics yet, and the previous size's study
            # was just deleted; autovacuum would see to both within a minute in a running system.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        ctx.note(f"built {dyads} dyads in {time.perf_counter() - started:.1f} s")
        try:
            codings = Coding.objects.filter(interview__dyad__study=study).count()
            size = f"{dyads} dyads, {codings:,} codings"
            for layer in (LayerChoice("consensus"), LayerChoice("all")):
                name = f"comparison services, {layer.name}"
                m = ctx.measure(
                    name,
                    size,
                    lambda layer=layer, study=study: full_comparison(study, layer),  # type: ignore[misc]
                    extra=lambda r: f"{r[0]} rows, {r[1]} pairs",
                )
                medians.setdefault(name, {})[dyads] = m.median_ms
            page = f"/studies/{study.slug}/comparison/"
            api = f"/api/v1/studies/{study.slug}/comparison/"
            _get(client, page)  # warm up: templates, session
            for name, url in (
                ("page: matrix (heatmap table)", f"{page}?view=matrix"),
                ("page: prevalence (chart + table)", f"{page}?view=prevalence"),
                ("page: process → outcome", f"{page}?view=process-outcome"),
                ("JSON: matrix", f"{api}matrix/"),
                ("JSON: prevalence", f"{api}prevalence/"),
                ("JSON: process-outcome", f"{api}process-outcome/"),
                ("page: matrix, union of coders", f"{page}?view=matrix&layer=all"),
                ("JSON: process-outcome, union", f"{api}process-outcome/?layer=all"),
            ):
                m = ctx.measure(
                    name,
                    size,
                    lambda url=url: _get(client, url),  # type: ignore[misc]
                    extra=lambda n: f"{n / 1000:.0f} KB",
                )
                medians.setdefault(name, {})[dyads] = m.median_ms
        finally:
            delete_study(study)
    ctx.note("growth (median at 500 dyads ÷ median at 50 dyads; 10× the data):")
    for name, by_size in medians.items():
        first, last = by_size.get(SIZES[0]), by_size.get(SIZES[-1])
        if first and last:
            ctx.note(f"  {name:<40} {first:8.1f} ms → {last:8.1f} ms  ×{last / first:.1f}")
