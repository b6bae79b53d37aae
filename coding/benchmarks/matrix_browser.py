"""The comparison's matrix page in Chromium at 500 dyads × 24 codes: from navigation start until
the server's first byte, ``domInteractive``, the ``load`` event (the page's module has run), and
the first frame painted after it (the table laid out: the page is interactive); and the part
spent in the browser (first byte → laid out).

``bench --only matrix-browser --keep`` reuses the 500-dyad study kept by
``bench --only analysis --dyads 500 --keep`` (or builds and keeps it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from coding.benchmarks import BenchContext, Measurement, benchmark
from coding.benchmarks.analysis import analysis_study
from coding.benchmarks.data import bench_user, delete_study
from coding.benchmarks.workspace import CHROMIUM_ARGS, browser_or_note

BENCH_PASSWORD = "bench-matrix-browser"  # noqa: S105 - a throw-away benchmark user

# Runs in the page: resolves after the first frame painted once the load event has fired.
AFTER_LOAD_FRAME = """() => new Promise((resolve) => {
  const done = () => requestAnimationFrame(() => setTimeout(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    resolve({
      interactive: nav.domInteractive,
      response: nav.responseStart,
      loaded: nav.loadEventEnd,
      painted: performance.now(),
      bytes: nav.transferSize,
      cells: document.querySelectorAll('td').length,
      nodes: document.getElementsByTagName('*').length,
    });
  }, 0));
  if (document.readyState === 'complete') done();
  else addEventListener('load', done, { once: true });
})"""


@contextmanager
def _server() -> Iterator[str]:
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    server = LiveServerThread("localhost", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    try:
        if server.error:
            raise server.error
        yield f"http://localhost:{server.port}"
    finally:
        server.terminate()
        server.join()


@benchmark("matrix-browser")
def matrix_browser(ctx: BenchContext) -> None:
    found = browser_or_note(ctx)
    if found is None:
        return
    sync_playwright, executable = found
    dyads = (ctx.sizes or (500,))[-1]
    # Data and server before Playwright: its sync API runs an event loop in this thread,
    # inside which Django refuses database calls.
    study, delete = analysis_study(ctx, dyads)
    lead = bench_user("bench")
    lead.set_password(BENCH_PASSWORD)
    lead.save(update_fields=["password"])
    try:
        with _server() as base_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                _measure(ctx, browser, base_url, study.slug, f"{dyads} dyads × 24 codes")
            finally:
                browser.close()
    finally:
        if delete:
            delete_study(study)


def _measure(ctx: BenchContext, browser: Any, base_url: str, slug: str, size: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=base_url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("bench")
    page.get_by_label("Password").fill(BENCH_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for label, query in (("best", "view=matrix"), ("union of coders", "view=matrix&layer=all")):
        url = f"/studies/{slug}/comparison/?{query}"
        figures: dict[str, list[float]] = {
            "response": [],
            "interactive": [],
            "loaded": [],
            "painted": [],
            "browser": [],
        }
        info: dict[str, Any] = {}

        def once(
            url: str = url, figures: dict[str, list[float]] = figures, info: dict[str, Any] = info
        ) -> None:
            page.goto(url, wait_until="commit")
            result = page.evaluate(AFTER_LOAD_FRAME)
            result["browser"] = result["painted"] - result["response"]
            for key in figures:
                figures[key].append(float(result[key]) / 1000)
            info.update(result)

        once()  # warm up: the server's first request, Chromium's caches
        for key in figures:
            figures[key].clear()
        for _ in range(max(ctx.repeat, 5)):
            once()
        extra = (
            f"{info['bytes'] / 1000:.0f} KB, {info['cells']:,} cells, {info['nodes']:,} elements"
        )
        for key, name in (
            ("response", "first byte (server)"),
            ("interactive", "DOM interactive"),
            ("loaded", "load event end"),
            ("painted", "laid out (first frame after load)"),
            ("browser", "in the browser (first byte → laid out)"),
        ):
            measurement = Measurement(
                f"matrix page, {label}: {name}", size, figures[key], None, extra
            )
            ctx.results.append(measurement)
            ctx.print_row(measurement)
    context.close()
