"""Workspace figures: loading an interview's workspace JSON and creating one coding, in process.

Sizes follow issue #3: a 20,000-word transcript with 2,000 codings of 12 codes. Requests go
through Django's test Client (URL routing, middleware, session authentication, DRF, JSON
rendering), one at a time, so the figures are the server's whole cost of a request without the
network. ``workspace-browser`` measures the page in Chromium (it needs Playwright and Chromium).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.utils import timezone

from coding.benchmarks import BenchContext, Measurement, benchmark
from coding.benchmarks.data import bench_study, bench_user, delete_study, random_codings, transcript
from coding.models import Code, Coding
from coding.services import codings_bulk_create
from healing.audit.models import AuditEvent
from interviews.models import Interview, Study
from interviews.services import dyad_get_or_create, interview_import

WORDS = 20_000
CODINGS = 2_000
CODES = 12


@dataclass
class WorkspaceData:
    study: Study
    interview: Interview
    codes: list[Code]
    user: Any
    words: int

    @property
    def size(self) -> str:
        return f"{self.words:,} words, {CODINGS:,} codings, {len(self.codes)} codes"


def workspace_data(*, label: str, username: str = "bench") -> WorkspaceData:
    """A study with one 20,000-word interview holding 2,000 codings of 12 codes (with audit)."""
    user = bench_user(username)
    study = bench_study(user=user, label=label)
    dyad, _ = dyad_get_or_create(study=study, label="W01")
    text = transcript(words=WORDS)
    interview = interview_import(
        dyad=dyad, perspective="patient", filename="bench.txt", data=text.encode("utf-8"),
        imported_by=user, force=True,
    ).interview  # fmt: skip
    codes = list(
        Code.objects.filter(codebook__study=study, is_active=True).order_by("order")[:CODES]
    )
    items = random_codings(interview=interview, codes=codes, count=CODINGS)
    codings_bulk_create(interview=interview, coder=user, items=items)
    return WorkspaceData(study, interview, codes, user, len(text.split()))


def _ok(response: Any, status: int) -> Any:
    if response.status_code != status:
        raise RuntimeError(
            f"expected HTTP {status}, got {response.status_code}: {response.content!r}"
        )
    return response


@benchmark("workspace")
def workspace(ctx: BenchContext) -> None:
    data = workspace_data(label="workspace")
    try:
        client = Client()
        client.force_login(data.user)
        url = f"/api/v1/interviews/{data.interview.pk}/workspace/?layer=mine"
        _ok(client.get(url), 200)  # warm up: URL resolver, imports, connection

        def load() -> Any:
            return _ok(client.get(url), 200)

        def describe(response: Any) -> str:
            payload = json.loads(response.content)
            return (
                f"{len(response.content) / 1000:.0f} KB, {len(payload['codings'])} codings, "
                f"{len(payload['turns'])} turns"
            )

        ctx.measure(
            "load workspace JSON (GET …/workspace/)", data.size, load, extra=describe,
            repeat=max(ctx.repeat, 20),
        )  # fmt: skip

        text = data.interview.text
        spaces = [i for i, ch in enumerate(text) if ch == " "]
        starts = itertools.count(0, 7)
        code_ids = itertools.cycle(code.pk for code in data.codes)

        def create() -> Any:
            first = next(starts) % (len(spaces) - 20)
            body = {
                "interview": data.interview.pk,
                "code": next(code_ids),
                "start": spaces[first] + 1,
                "end": spaces[first + 9],
            }
            return _ok(client.post("/api/v1/codings/", body, content_type="application/json"), 201)

        create()  # warm up
        ctx.measure(
            "create one coding (POST /api/v1/codings/)", data.size, create,
            repeat=max(ctx.repeat, 50),
        )  # fmt: skip
        # A page's poll every few seconds while nothing changed (the events are made older than
        # the window the changes endpoint sends again).
        AuditEvent.objects.filter(interview=data.interview).update(
            at=timezone.now() - dt.timedelta(minutes=1)
        )
        count = Coding.objects.filter(interview=data.interview).count()
        changes_url = (
            f"/api/v1/interviews/{data.interview.pk}/changes/?layer=mine&since="
            f"{_cursor(client, url)}"
        )
        ctx.measure(
            "poll for changes, nothing new (GET …/changes/)", f"{count:,} codings in the interview",
            lambda: _ok(client.get(changes_url), 200), repeat=max(ctx.repeat, 20),
            extra=lambda r: f"{len(json.loads(r.content)['upserts'])} upserts",
        )  # fmt: skip
        page_url = f"/interviews/{data.interview.pk}/"
        _ok(client.get(page_url), 200)
        ctx.measure(
            "workspace page HTML (GET /interviews/<id>/)", "shell; data comes from the API",
            lambda: _ok(client.get(page_url), 200), repeat=max(ctx.repeat, 20),
        )  # fmt: skip
    finally:
        delete_study(data.study)


def _cursor(client: Client, url: str) -> int:
    return int(json.loads(_ok(client.get(url), 200).content)["cursor"])


# --- in Chromium ----------------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
BENCH_PASSWORD = "bench-workspace-browser"  # noqa: S105 - a throw-away benchmark user


def _chromium() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def browser_or_note(ctx: BenchContext) -> tuple[Any, str] | None:
    """Playwright's ``sync_playwright`` and Debian's Chromium, or None with a note saying which
    is missing (the browser benchmarks are skipped, not failed, without them)."""
    executable = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        ctx.note("skipped: needs Playwright (pip install -r requirements-dev.txt)")
        return None
    if executable is None:
        ctx.note("skipped: needs Chromium (apt-get install chromium, or set CHROMIUM_PATH)")
        return None
    return sync_playwright, executable


@benchmark("workspace-browser")
def workspace_browser(ctx: BenchContext) -> None:
    """Time until the workspace is interactive in Chromium: from navigation start to the page's
    ``workspace:interactive`` mark (HTML, four ES modules, the workspace JSON, the transcript
    with its highlights, and every coding stripe laid out)."""
    found = browser_or_note(ctx)
    if found is None:
        return
    sync_playwright, executable = found
    # The data and the server are made before Playwright starts: its sync API runs an event loop
    # in this thread, inside which Django refuses database calls.
    with workspace_server() as (data, base_url), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            _measure_in_browser(ctx, browser, base_url, data)
        finally:
            browser.close()


def measure_workspace_in_browser(ctx: BenchContext, browser: Any) -> None:
    """The browser suite with a Chromium already launched (as the browser tests have one)."""
    with workspace_server() as (data, base_url):
        _measure_in_browser(ctx, browser, base_url, data)


@contextmanager
def workspace_server() -> Iterator[tuple[WorkspaceData, str]]:
    """The benchmark data, and the app served on a free port (static files included)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    data = workspace_data(label="workspace-browser", username="bench-browser")
    data.user.set_password(BENCH_PASSWORD)
    data.user.save(update_fields=["password"])
    server = LiveServerThread("localhost", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    try:
        if server.error:
            raise server.error
        yield data, f"http://localhost:{server.port}"
    finally:
        server.terminate()
        server.join()
        delete_study(data.study)


def _measure_in_browser(
    ctx: BenchContext, browser: Any, base_url: str, data: WorkspaceData
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=base_url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(data.user.get_username())
    page.get_by_label("Password").fill(BENCH_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    url = f"/interviews/{data.interview.pk}/"

    def interactive_ms() -> float:
        page.goto(url)
        page.wait_for_selector("body[data-workspace=ready]", timeout=30_000)
        return float(
            page.evaluate("performance.getEntriesByName('workspace:interactive')[0].startTime")
        )

    interactive_ms()  # warm up: the server's first request, Chromium's module cache
    runs = [interactive_ms() / 1000 for _ in range(max(ctx.repeat, 5))]
    stripes = page.locator(".stripe").count()
    measurement = Measurement(
        "workspace interactive in Chromium (1280×800)",
        data.size,
        runs,
        None,
        f"{stripes} stripes drawn",
    )
    ctx.results.append(measurement)
    ctx.print_row(measurement)

    # Coding one more passage: from Enter in the picker to its highlight and stripe drawn.
    applied: list[float] = []
    for turn in range(3, 3 + max(ctx.repeat, 5)):
        page.evaluate(
            """(turn) => {
              const said = document.querySelector(`#turn-${turn} .ws-said [data-s]`);
              const range = document.createRange();
              range.selectNodeContents(said);
              getSelection().removeAllRanges();
              getSelection().addRange(range);
            }""",
            turn,
        )
        page.wait_for_selector("#ws-selection:not([hidden])")
        page.keyboard.press("c")
        page.keyboard.type(data.codes[turn % len(data.codes)].key)
        before = page.locator(".stripe").count()
        started = page.evaluate("performance.now()")
        page.keyboard.press("Enter")
        # A selector wait, not a predicate string: the app's CSP forbids evaluating strings.
        page.locator(".stripe").nth(before).wait_for(state="attached")
        applied.append((page.evaluate("performance.now()") - started) / 1000)
    measurement = Measurement(
        "code a passage in Chromium (Enter → stripe)", data.size, applied, None, "POST + redraw"
    )
    ctx.results.append(measurement)
    ctx.print_row(measurement)
    context.close()
