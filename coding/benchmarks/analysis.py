"""The comparison at 50, 200 and 500 dyads (~200 codings per interview, healing codebook): the
services (matrix + prevalence + process → outcome) on the consensus, on the default layer
(``best``: half the dyads consensus-complete) and on the union of coders, process → outcome
alone, and the page and JSON endpoints over HTTP, with how the time grows.

``bench --only analysis --dyads 500 --keep`` builds the 500-dyad study once and reuses it."""

from __future__ import annotations

import time

from django.db import connection
from django.test import Client

from coding.analysis.measures import layer_sql
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
# Every other dyad's interviews are consensus-complete: ``best`` reads the consensus there.
COMPLETE_SHARE = 0.5
LAYERS = ("consensus", "best", "all")


def analysis_study(ctx: BenchContext, dyads: int) -> tuple[Study, bool]:
    """The benchmark study of ``dyads`` dyads: with ``--keep``, one kept by an earlier run when
    there is one. Returns it and whether it is to be deleted after the suite."""
    label = f"analysis-{dyads}"
    if ctx.keep:
        kept = Study.objects.filter(title=f"Benchmark {label}").order_by("-pk").first()
        if kept is not None:
            ctx.note(f"reusing {dyads} dyads ({kept.slug}, kept by an earlier --keep run)")
            return kept, False
    started = time.perf_counter()
    study = big_study(
        dyads=dyads, codings_per_interview=200, label=label, complete_share=COMPLETE_SHARE
    )
    if connection.vendor == "postgresql":
        # Fresh bulk inserts have no planner statistics yet, and the previous size's study
        # was just deleted; autovacuum would see to both within a minute in a running system.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    ctx.note(f"built {dyads} dyads in {time.perf_counter() - started:.1f} s")
    return study, not ctx.keep


def layer_codings(study: Study, layer: str) -> int:
    scope = Scope(study=study, layer=LayerChoice(layer), layer_label=layer, subset=DyadSubset())
    where, params = layer_sql(scope.layer)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM coding_coding c "  # noqa: S608 - fixed fragments only
            "JOIN interviews_interview i ON i.id = c.interview_id "
            f"JOIN interviews_dyad d ON d.id = i.dyad_id WHERE d.study_id = %s AND {where}",
            [study.pk, *params],
        )
        return int(cursor.fetchone()[0])


def only_process_outcome(study: Study, layer: LayerChoice) -> int:
    """What the process → outcome view computes: the base and the pairs."""
    scope = Scope(study=study, layer=layer, layer_label=layer.name, subset=DyadSubset())
    return len(process_outcome(base=comparison_base(scope=scope), window=1))


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
    for dyads in ctx.sizes or SIZES:
        study, delete = analysis_study(ctx, dyads)
        try:
            codings = Coding.objects.filter(interview__dyad__study=study).count()
            size = f"{dyads} dyads, {codings:,} codings"
            for name in LAYERS:
                layer = LayerChoice(name)
                ctx.note(f"layer {name}: {layer_codings(study, name):,} codings")
                label = f"comparison services, {name}"
                m = ctx.measure(
                    label,
                    size,
                    lambda layer=layer, study=study: full_comparison(study, layer),  # type: ignore[misc]
                    extra=lambda r: f"{r[0]} rows, {r[1]} pairs",
                )
                medians.setdefault(label, {})[dyads] = m.median_ms
                label = f"process → outcome service, {name}"
                m = ctx.measure(
                    label,
                    size,
                    lambda layer=layer, study=study: only_process_outcome(study, layer),  # type: ignore[misc]
                    extra=lambda r: f"{r} pairs",
                )
                medians.setdefault(label, {})[dyads] = m.median_ms
            page = f"/studies/{study.slug}/comparison/"
            api = f"/api/v1/studies/{study.slug}/comparison/"
            _get(client, page)  # warm up: templates, session
            for name, url in (
                ("page: matrix (heatmap table), best", f"{page}?view=matrix"),
                ("page: prevalence (chart + table), best", f"{page}?view=prevalence"),
                ("page: process → outcome, best", f"{page}?view=process-outcome"),
                ("JSON: matrix, best", f"{api}matrix/"),
                ("JSON: prevalence, best", f"{api}prevalence/"),
                ("JSON: process-outcome, best", f"{api}process-outcome/"),
                ("page: matrix, union of coders", f"{page}?view=matrix&layer=all"),
                ("page: process → outcome, union", f"{page}?view=process-outcome&layer=all"),
                ("JSON: process-outcome, union", f"{api}process-outcome/?layer=all"),
                ("page: framework, best", f"{page}?view=framework"),
            ):
                m = ctx.measure(
                    name,
                    size,
                    lambda url=url: _get(client, url),  # type: ignore[misc]
                    extra=lambda n: f"{n / 1000:.0f} KB",
                )
                medians.setdefault(name, {})[dyads] = m.median_ms
        finally:
            if delete:
                delete_study(study)
    ctx.note("growth (median at 500 dyads ÷ median at 50 dyads; 10× the data):")
    sizes = ctx.sizes or SIZES
    for name, by_size in medians.items():
        if len(sizes) < 2:
            break
        first, last = by_size.get(sizes[0]), by_size.get(sizes[-1])
        if first and last:
            ctx.note(f"  {name:<40} {first:8.1f} ms → {last:8.1f} ms  ×{last / first:.1f}")
