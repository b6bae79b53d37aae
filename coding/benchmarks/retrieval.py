"""Retrieval at 500 dyads (1,000 interviews, ~12 M characters, 200,000 codings): the first page of
retrieved segments under combinations of three filters, a word search over every transcript
(first page with context), a ``followed_by`` coding query of two terms over the whole study, and
the code × code co-occurrence table. Targets (issue 16): ≤ 100 ms, ≤ 150 ms, ≤ 1 s, ≤ 1 s.

Each figure is timed through the API (what a page or a script waits for, minus the network),
with its number of queries, which must not grow with the number of results.
``bench --only retrieval --dyads 500 --keep`` builds the study once and reuses it.
"""

from __future__ import annotations

import json
import statistics
from typing import Any

from django.db.models import Sum
from django.db.models.functions import Length
from django.test import Client

from coding.benchmarks import BenchContext, benchmark
from coding.benchmarks.analysis import analysis_study
from coding.benchmarks.data import bench_user, delete_study
from coding.models import Coding
from interviews.models import Interview, Study

# Three filters each, of different kinds: code, side or role, an attribute, coder, text.
SEGMENT_FILTERS = [
    ("code + role + dyad attribute", "code=VAL&role=patient&attr.visit_frequency=monthly"),
    (
        "code + side + clinician attribute",
        "code=OUT.TRUST&perspective=clinician&attr.clinician.type=NP",
    ),
    ("code + dyad range + text", "code=ABI&attr.years_together__gte=20&text=the"),
    ("two codes + role + patient attribute", "code=POW&code=OUT.HOPE&role=clinician"
     "&attr.patient.age_band=65%2B"),
    ("code + coder + memo", "code=VAL.PRES&coder=bench-coder-a&memo=false"),
]  # fmt: skip
SEARCHES = [
    ("word search: one common word", "q=trust&mode=words"),
    ("word search: two words", "q=hope+drawing&mode=words"),
    ("word search: prefix", "q=listen*&mode=words"),
    ("phrase search", "q=put+the+pen+down&mode=phrase"),
]
# A followed_by pairs segments of one interview: in a patient's interview the turns are the
# interviewer's and the patient's, so both terms are the patient's (a clinician-role term there
# finds nothing, and the measure would time an empty answer).
FOLLOWED_BY = {
    "query": {
        "followed_by": [
            {"code": "OUT.HOPE", "role": "patient"},
            {"code": "ABI", "role": "patient"},
        ],
        "turns": 2,
    }
}


COOCCURRENCE = [
    ("co-occurrence table: overlap", "relations/?cooccur=overlap"),
    ("co-occurrence table: same turn", "relations/?cooccur=turn"),
]


def _get(client: Client, url: str) -> int:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code} {response.content[:300]!r}")
    return len(response.content)


def _post(client: Client, url: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(url, json.dumps(body), content_type="application/json")
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code} {response.content[:300]!r}")
    return dict(response.json())


def _found(client: Client, url: str) -> bool:
    return client.options(url).status_code != 404


@benchmark("retrieval")
def retrieval(ctx: BenchContext) -> None:
    lead = bench_user("bench")
    client = Client()
    client.force_login(lead)
    for dyads in ctx.sizes or (500,):
        study, delete = analysis_study(ctx, dyads)
        try:
            _measure(ctx, client, study, dyads)
        finally:
            if delete:
                delete_study(study)


def _measure(ctx: BenchContext, client: Client, study: Study, dyads: int) -> None:
    codings = Coding.objects.filter(interview__dyad__study=study).count()
    characters = (
        Interview.objects.filter(dyad__study=study).aggregate(n=Sum(Length("text")))["n"] or 0
    )
    size = f"{dyads} dyads, {codings:,} codings, {characters / 1e6:.1f} M chars"
    api = f"/api/v1/studies/{study.slug}"
    _get(client, f"{api}/segments/")  # warm up: session, codebook
    medians = []
    for name, query in SEGMENT_FILTERS:
        m = ctx.measure(
            f"segments first page: {name}",
            size,
            lambda q=query: _get(client, f"{api}/segments/?{q}"),  # type: ignore[misc]
            extra=lambda n: f"{n / 1000:.0f} KB",
        )
        medians.append(m.median_ms)
    ctx.note(
        f"segments, three filters: median of the medians {statistics.median(medians):.1f} ms, "
        f"worst {max(medians):.1f} ms (target ≤ 100 ms)"
    )
    ctx.measure(
        "segments first page: no filter (best layer)",
        size,
        lambda: _get(client, f"{api}/segments/"),
        extra=lambda n: f"{n / 1000:.0f} KB",
    )
    if _found(client, f"{api}/search/"):
        for name, query in SEARCHES:
            ctx.measure(
                name,
                size,
                lambda q=query: _get(client, f"{api}/search/?{q}"),  # type: ignore[misc]
                extra=lambda n: f"{n / 1000:.0f} KB (target ≤ 150 ms)",
            )
    else:
        ctx.note("search: no /search/ endpoint in this build")
    if _found(client, f"{api}/queries/run/"):
        ctx.measure(
            "query: followed_by, two terms, within 2 turns",
            size,
            lambda: _post(client, f"{api}/queries/run/", FOLLOWED_BY),
            extra=lambda r: f"{r['counts']['total']} segments (target ≤ 1 s)",
        )
    else:
        ctx.note("queries: no /queries/run/ endpoint in this build")
    for name, view in COOCCURRENCE:
        url = f"{api}/comparison/{view}"
        if not _found(client, url.split("?")[0]):
            ctx.note(f"{name}: no endpoint in this build")
            continue
        ctx.measure(
            name,
            size,
            lambda url=url: _get(client, url),  # type: ignore[misc]
            extra=lambda n: f"{n / 1000:.0f} KB (target ≤ 1 s)",
        )
