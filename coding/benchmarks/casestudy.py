"""Case study figures: the page of one dyad and its JSON, through Django's test Client (URL
routing, middleware, session authentication, template or DRF rendering), logged in as the lead,
in studies of 50 and 500 dyads from ``big_study`` (a patient and a clinician interview of about
2,000 words per dyad, 200 codings per interview over the healing codebook: two coders and a
consensus layer)."""

from __future__ import annotations

import json
import time
from typing import Any

from django.test import Client

from coding.benchmarks import BenchContext, benchmark
from coding.benchmarks.data import bench_user, big_study, delete_study
from coding.models import Coding
from interviews.models import Dyad, Interview


def _ok(response: Any) -> Any:
    if response.status_code != 200:
        raise RuntimeError(f"expected HTTP 200, got {response.status_code}")
    return response


@benchmark("casestudy")
def casestudy(ctx: BenchContext) -> None:
    for dyads in (50, 500):
        started = time.perf_counter()
        study = big_study(dyads=dyads, label=f"casestudy{dyads}")
        ctx.note(f"generated the {dyads}-dyad study in {time.perf_counter() - started:.1f} s")
        try:
            interviews = Interview.objects.filter(dyad__study=study).count()
            codings = Coding.objects.filter(interview__dyad__study=study).count()
            dyad = Dyad.objects.filter(study=study).order_by("label")[dyads // 2]
            in_dyad = Coding.objects.filter(interview__dyad=dyad).count()
            size = f"{dyads} dyads, {interviews:,} interviews, {codings:,} codings"
            client = Client()
            client.force_login(bench_user("bench"))
            page = f"/dyads/{dyad.pk}/case-study/"
            api = f"/api/v1/dyads/{dyad.pk}/case-study/"
            _ok(client.get(page))  # warm up
            for layer in ("", "?layer=all"):
                _measure(ctx, client, layer, page, api, size, in_dyad)
        finally:
            delete_study(study)


def _measure(
    ctx: BenchContext, client: Client, layer: str, page: str, api: str, size: str, in_dyad: int
) -> None:
    name = "consensus (default)" if not layer else "all coders"
    ctx.measure(
        f"case study page, {name}", size, lambda: _ok(client.get(page + layer)),
        extra=lambda r: f"{len(r.content) / 1000:.0f} KB; dyad has {in_dyad} codings",
    )  # fmt: skip
    ctx.measure(
        f"case study JSON, {name}", size, lambda: _ok(client.get(api + layer)),
        extra=lambda r: (
            f"{len(r.content) / 1000:.0f} KB, "
            f"{json.loads(r.content)['concordance']['both']} concordant components"
        ),
    )  # fmt: skip
