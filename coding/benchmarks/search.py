"""Figures for full-text search on a study at benchmark size (docs/search.md): the first page
of a word search with context, as the API computes it, and the query count."""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from coding.search.service import search_from_params, search_page
from interviews.models import Study

SEARCHES = (
    ("a common word", {"q": ["trust"]}),
    ("two words and a prefix", {"q": ["hope listened*"]}),
    ("a phrase", {"q": ["the first visit"], "mode": ["phrase"]}),
    ("a rare word", {"q": ["emphysema"]}),
    ("a regular expression with a literal", {"q": [r"(?i)trust\w*"], "mode": ["regex"]}),
)


def search_figures(*, study: Study, repeat: int = 9) -> list[dict[str, Any]]:
    """Median milliseconds of the first page (50 hits, 200 characters of context) per search."""
    rows = []
    for name, params in SEARCHES:
        search = search_from_params(study=study, params=params)
        times = []
        queries = 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                page = search_page(study=study, search=search)
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
        rows.append(
            {
                "search": name,
                "median_ms": round(statistics.median(times), 1),
                "hits_on_page": len(page.results),
                "candidates": page.candidates,
                "queries": queries,
            }
        )
    return rows
