"""Benchmarks run by ``manage.py bench`` (``make bench``): generated data at stated sizes.

Each suite is a function ``suite(ctx) -> None`` registered with ``@benchmark(name)`` that times
operations with ``ctx.measure`` and prints rows. Suites create their own data in a throw-away
study and delete it afterwards.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

Suite = Callable[["BenchContext"], None]


class Output(Protocol):
    def write(self, text: str) -> Any: ...
    def flush(self) -> Any: ...


SUITES: dict[str, Suite] = {}


def benchmark(name: str) -> Callable[[Suite], Suite]:
    def register(function: Suite) -> Suite:
        SUITES[name] = function
        return function

    return register


@dataclass
class Measurement:
    name: str
    size: str
    seconds: list[float]
    queries: int | None = None
    extra: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000


@dataclass
class BenchContext:
    out: Output
    repeat: int = 5
    # Study sizes (dyads) asked for with --dyads; empty: each suite's own sizes.
    sizes: tuple[int, ...] = ()
    # --keep: generated analysis studies are kept and reused by later runs.
    keep: bool = False
    results: list[Measurement] = field(default_factory=list)

    def measure(
        self,
        name: str,
        size: str,
        action: Callable[[], Any],
        *,
        setup: Callable[[], Any] | None = None,
        teardown: Callable[[], Any] | None = None,
        repeat: int | None = None,
        extra: Callable[[Any], str] | None = None,
    ) -> Measurement:
        """Run ``action`` ``repeat`` times (each between setup and teardown); print the median."""
        seconds: list[float] = []
        queries = None
        note = ""
        for _ in range(repeat or self.repeat):
            if setup is not None:
                setup()
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                value = action()
                seconds.append(time.perf_counter() - started)
            queries = len(captured.captured_queries)
            if extra is not None:
                note = extra(value)
            if teardown is not None:
                teardown()
        measurement = Measurement(name, size, seconds, queries, note)
        self.results.append(measurement)
        self.print_row(measurement)
        return measurement

    def print_row(self, m: Measurement) -> None:
        spread = f"{min(m.seconds) * 1000:.1f}–{max(m.seconds) * 1000:.1f}"
        queries = "" if m.queries is None else f"{m.queries} queries"
        self.out.write(
            f"  {m.name:<44} {m.size:<34} median {m.median_ms:9.1f} ms  "
            f"(range {spread} ms, n={len(m.seconds)})  {queries}  {m.extra}\n"
        )
        self.out.flush()

    def note(self, text: str) -> None:
        self.out.write(f"  {text}\n")
        self.out.flush()
