"""Load figures: 20 coders creating codings at once on the team server, and nothing lost.

``bench --only load`` builds the team server on loopback and drives it over HTTP:

1. a fresh PostgreSQL database (``BENCH_LOAD_DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/bench_load``; only names starting with ``bench_load`` are
   accepted, because it is dropped and created anew), ``migrate`` and ``collectstatic`` into a
   temporary ``HEALING_VAR_DIR``;
2. a study with the healing codebook, ``BENCH_LOAD_INTERVIEWS`` interviews of about 2,000 words
   and ``BENCH_LOAD_CODERS`` coder accounts (a child process through the services);
3. gunicorn as the README's team server runs it (``DEBUG=false``, a random ``SECRET_KEY``,
   HTTPS-only cookies off because this is plain HTTP on loopback) with the gthread worker that
   keeps connections alive (``BENCH_LOAD_GUNICORN``, default ``--worker-class gthread --workers 2
   --threads 8``);
4. each coder signs in through the login form (session cookie and CSRF token, as the browser)
   and, on its own kept-alive ``http.client`` connection, sends ``POST /api/v1/codings/`` — what
   the workspace sends for one code — once a second for ``BENCH_LOAD_SECONDS`` (60) seconds, at
   fixed times (the coders' phases spread over the second), each request with a 10 s timeout;
5. the latencies (from sending the request to the last byte of the answer) are summarised, and
   the database is read back: every acknowledged coding (201) must be stored exactly once, as
   requested, with exactly one audit event; no request may be stored twice and nothing else may
   be stored (``verify``).

The server, database and temporary directory are removed afterwards (``BENCH_LOAD_KEEP=1`` keeps
the database). Bounded: a fixed number of requests, a timeout on each, and a limit on the server's
start.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import psycopg2
from django.contrib.auth import get_user_model

from coding.benchmarks import BenchContext, benchmark
from coding.benchmarks.data import bench_study, bench_user, transcript
from coding.models import Code, Coding
from healing.audit.models import AuditEvent
from interviews.services import dyad_get_or_create, interview_import, membership_set

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_load"
DEFAULT_GUNICORN = "--worker-class gthread --workers 2 --threads 8"
# The team server's cache (API rate-limit counters) and Celery broker; nothing is enqueued here.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s"
PASSWORD = "load-Passw0rd!"  # noqa: S105 - throw-away accounts in a throw-away database
REQUEST_TIMEOUT = 10.0
START_TIMEOUT = 60.0

# Run in a child process against the load database: the study, its coders and interviews.
SETUP = """
import json, sys
import django
django.setup()
from coding.benchmarks.load import setup_study
print(json.dumps(setup_study(coders=int(sys.argv[1]), interviews=int(sys.argv[2]))))
"""


# --- The plan and its verification (pure; tests/coding/test_load_bench.py) -----------------


@dataclass(frozen=True)
class PlannedCoding:
    """One request: this coder codes ``[start, end)`` of the interview with the code."""

    coder: str
    interview: int
    code: int
    start: int
    end: int

    @property
    def key(self) -> tuple[str, int, int, int, int]:
        return (self.coder, self.interview, self.code, self.start, self.end)

    def body(self) -> dict[str, Any]:
        return {
            "interview": self.interview,
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "layer": "individual",
        }


@dataclass
class Attempt:
    """What happened to one planned coding: the HTTP status (0: no answer) and the new id."""

    planned: PlannedCoding
    status: int = 0
    coding_id: int | None = None
    seconds: float = 0.0
    late: float = 0.0
    error: str = ""
    session_written: bool = False  # the answer set the session cookie (the session was saved)


@dataclass(frozen=True)
class StoredCoding:
    id: int
    coder: str
    interview: int
    code: int
    start: int
    end: int

    @property
    def key(self) -> tuple[str, int, int, int, int]:
        return (self.coder, self.interview, self.code, self.start, self.end)


@dataclass
class Verification:
    acknowledged: int = 0
    stored: int = 0
    lost: list[int] = field(default_factory=list)  # acknowledged ids not stored as requested
    without_audit: list[int] = field(default_factory=list)  # stored, not exactly one event
    stored_twice: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    unexpected: list[int] = field(default_factory=list)  # stored, matching no request
    unacknowledged_stored: int = 0  # no 201 seen (e.g. a timeout), yet stored once: allowed

    @property
    def ok(self) -> bool:
        return not (self.lost or self.without_audit or self.stored_twice or self.unexpected)

    def describe(self) -> str:
        return (
            f"{self.acknowledged} acknowledged, {self.stored} stored; lost {len(self.lost)}, "
            f"without exactly one audit event {len(self.without_audit)}, stored twice "
            f"{len(self.stored_twice)}, unexpected {len(self.unexpected)}, stored without an "
            f"answer {self.unacknowledged_stored}"
        )


def plan_codings(
    *,
    coder: str,
    coder_index: int,
    count: int,
    interviews: Sequence[tuple[int, Sequence[int]]],
    codes: Sequence[int],
) -> list[PlannedCoding]:
    """``count`` distinct codings for one coder: (interview id, word starts) pairs give the
    spans (3 to 12 words); coders and requests walk the interviews and codes in turn."""
    planned: list[PlannedCoding] = []
    seen: set[tuple[str, int, int, int, int]] = set()
    step = 0
    while len(planned) < count:
        interview, words = interviews[(coder_index + step) % len(interviews)]
        code = codes[(coder_index * 7 + step) % len(codes)]
        first = (coder_index * 131 + step * 17) % (len(words) - 13)
        item = PlannedCoding(coder, interview, code, words[first], words[first + 3 + step % 10] - 1)
        step += 1
        if item.key not in seen:
            seen.add(item.key)
            planned.append(item)
    return planned


def verify(
    attempts: Iterable[Attempt], stored: Iterable[StoredCoding], audit_events: Counter[int]
) -> Verification:
    """Compare what the server acknowledged with what the database holds.

    ``audit_events`` counts the "create coding" audit events by coding id.
    """
    attempts = list(attempts)
    stored = list(stored)
    result = Verification(stored=len(stored))
    by_id = {row.id: row for row in stored}
    copies = Counter(row.key for row in stored)
    planned_keys = {attempt.planned.key for attempt in attempts}
    acknowledged_keys: set[tuple[str, int, int, int, int]] = set()
    for attempt in attempts:
        if attempt.status != 201:
            continue
        result.acknowledged += 1
        acknowledged_keys.add(attempt.planned.key)
        row = by_id.get(attempt.coding_id) if attempt.coding_id is not None else None
        if row is None or row.key != attempt.planned.key:
            result.lost.append(attempt.coding_id or 0)
    result.stored_twice = sorted(key for key, n in copies.items() if n > 1)
    for row in stored:
        if audit_events.get(row.id, 0) != 1:
            result.without_audit.append(row.id)
        if row.key not in planned_keys:
            result.unexpected.append(row.id)
        elif row.key not in acknowledged_keys:
            result.unacknowledged_stored += 1
    return result


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 1,200 values is the 1,188th smallest)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil
    return ordered[int(rank) - 1]


# --- The study (run in the child process, against the load database) ----------------------


def setup_study(*, coders: int, interviews: int) -> dict[str, Any]:
    """A study with ``coders`` coder accounts and ``interviews`` interviews of ~2,000 words."""
    lead = bench_user("load-lead")
    study = bench_study(user=lead, label="load")
    names = []
    for index in range(coders):
        user = get_user_model().objects.create_user(
            username=f"load-coder-{index + 1:02d}", password=PASSWORD
        )
        membership_set(study=study, user=user, role="coder", actor=lead)
        names.append(user.username)
    texts = []
    for index in range(interviews):
        dyad, _ = dyad_get_or_create(study=study, label=f"L{index + 1:02d}")
        text = transcript(words=2_000, seed=index + 1)
        interview = interview_import(
            dyad=dyad,
            perspective="patient",
            filename=f"l{index + 1:02d}.txt",
            data=text.encode("utf-8"),
            imported_by=lead,
            force=True,
        ).interview
        stored = interview.text
        words = [m.start() for m in re.finditer(r"(?<!\S)\S", stored)]
        texts.append([interview.pk, words])
    codes = list(
        Code.objects.filter(codebook__study=study, is_active=True)
        .order_by("order")
        .values_list("pk", flat=True)
    )
    return {"study": study.slug, "coders": names, "interviews": texts, "codes": codes}


# --- The run ----------------------------------------------------------------------------


class Session:
    """One coder's kept-alive connection with the session cookie and CSRF token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.set_cookies: list[str] = []  # names of the cookies the last answer set
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        self.set_cookies = []
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the next request opens a new connection
            raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, cookie = pair.partition("=")
                self.cookies[key.strip()] = cookie.strip()
                self.set_cookies.append(key.strip())
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return response.status, data

    def sign_in(self, username: str) -> None:
        status, page = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or match is None:
            raise RuntimeError(f"login page answered {status} without a CSRF token")
        form = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": PASSWORD,
            }
        ).encode()
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"signing in {username} answered {status}")

    def create(self, planned: PlannedCoding) -> tuple[int, bytes]:
        return self.request(
            "POST",
            "/api/v1/codings/",
            body=json.dumps(planned.body()).encode(),
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
                "Origin": f"http://127.0.0.1:{self.port}",
            },
        )


def _coder_loop(
    session: Session, plan: list[PlannedCoding], first_at: float, attempts: list[Attempt]
) -> None:
    """Send the plan at ``first_at``, ``first_at + 1 s``, …; a late request goes at once."""
    for index, planned in enumerate(plan):
        due = first_at + index
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        attempt = Attempt(planned, late=max(0.0, -wait))
        started = time.perf_counter()
        try:
            status, body = session.create(planned)
            attempt.status = status
            attempt.session_written = "sessionid" in session.set_cookies
            if status == 201:
                attempt.coding_id = int(json.loads(body)["id"])
            else:
                attempt.error = body[:200].decode("utf-8", "replace")
        except (OSError, http.client.HTTPException, ValueError, KeyError) as exc:
            attempt.error = f"{type(exc).__name__}: {exc}"
        attempt.seconds = time.perf_counter() - started
        attempts.append(attempt)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _admin(url: str) -> Any:
    parts = urlparse(url)
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection


def _database_name(url: str) -> str:
    name = urlparse(url).path.lstrip("/")
    if not re.fullmatch(r"bench_load[a-z0-9_]*", name):
        raise RuntimeError(
            f"BENCH_LOAD_DATABASE_URL names {name!r}: the load benchmark drops and creates its "
            "database, so its name must start with bench_load."
        )
    return name


def _recreate_database(url: str, *, drop_only: bool = False) -> None:
    name = _database_name(url)
    admin = _admin(url)
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not drop_only:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()


def _read_back(url: str) -> tuple[list[StoredCoding], Counter[int]]:
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT c.id, u.username, c.interview_id, c.code_id, c.start, c.end "  # noqa: S608
                f'FROM "{Coding._meta.db_table}" c JOIN auth_user u ON u.id = c.coder_id'
            )
            stored = [StoredCoding(*row) for row in cursor.fetchall()]
            cursor.execute(
                f'SELECT object_id, count(*) FROM "{AuditEvent._meta.db_table}" '  # noqa: S608
                "WHERE object_type = 'coding' AND action = %s GROUP BY object_id",
                [AuditEvent.Action.CREATE],
            )
            events = Counter({int(object_id): n for object_id, n in cursor.fetchall()})
    finally:
        connection.close()
    return stored, events


def _manage(env: dict[str, str], *argv: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv[:2])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _wait_for_server(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT:.0f} s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def _cpu_seconds(pids: Iterable[int]) -> float:
    """User and system CPU time of these processes (Linux /proc; 0 for any that is gone)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _session_pids(session: int) -> list[int]:
    """The processes of a session: gunicorn's master and workers."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session:
                found.append(int(entry.name))
    return found


def _backend_pids(url: str) -> list[int]:
    """PostgreSQL's server processes connected to the load database (same machine)."""
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]
    finally:
        connection.close()


def server_times_ms(log: str, *, skip: int) -> list[float]:
    """Server-side times (gunicorn's ``%(D)s``, microseconds) of the coding creations in an access
    log written with ``ACCESS_FORMAT``, leaving out the first ``skip`` (the warm-up)."""
    times = [
        int(parts[3]) / 1000
        for line in log.splitlines()
        if len(parts := line.split()) == 4 and parts[:3] == ["POST", "/api/v1/codings/", "201"]
    ]
    return times[skip:]


def _redis_answers(url: str) -> bool:
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


@benchmark("load")
def load(ctx: BenchContext) -> None:
    url = os.environ.get("BENCH_LOAD_DATABASE_URL") or DEFAULT_DATABASE_URL
    coders = int(os.environ.get("BENCH_LOAD_CODERS") or 20)
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS") or 60)
    interviews = int(os.environ.get("BENCH_LOAD_INTERVIEWS") or 5)
    gunicorn_args = (os.environ.get("BENCH_LOAD_GUNICORN") or DEFAULT_GUNICORN).split()
    keep = os.environ.get("BENCH_LOAD_KEEP") == "1"
    _database_name(url)
    try:
        _admin(url).close()
    except psycopg2.OperationalError as exc:
        ctx.note(f"skipped: no PostgreSQL server at {urlparse(url).netloc} ({exc})".strip())
        return
    var_dir = tempfile.mkdtemp(prefix="bench-load-")
    env = dict(os.environ)
    for name in ("REDIS_URL", "TEST_DATABASE_NAME"):
        env.pop(name, None)
    redis_url = os.environ.get("BENCH_LOAD_REDIS_URL", DEFAULT_REDIS_URL)
    if redis_url and _redis_answers(redis_url):
        env["REDIS_URL"] = redis_url  # the cache (API rate counters) is Redis, as on a team server
    else:
        redis_url = ""
    env.update(
        DJANGO_SETTINGS_MODULE="healing.settings",
        DATABASE_URL=url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HEALING_VAR_DIR=var_dir,
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        PYTHONUNBUFFERED="1",
    )
    server: subprocess.Popen[bytes] | None = None
    log_path = Path(var_dir) / "gunicorn.log"
    access_path = Path(var_dir) / "access.log"
    try:
        ctx.note(f"load average before: {_loadavg()}")
        started = time.perf_counter()
        _recreate_database(url)
        _manage(env, "manage.py", "migrate", "--no-input")
        _manage(env, "manage.py", "collectstatic", "--no-input")
        setup = json.loads(
            _manage(env, "-c", SETUP, str(coders), str(interviews)).strip().splitlines()[-1]
        )
        ctx.note(
            f"database {_database_name(url)}: {coders} coders, {interviews} interviews, "
            f"{len(setup['codes'])} codes, ready in {time.perf_counter() - started:.0f} s"
        )
        port = _free_port()
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "healing.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            *gunicorn_args,
            "--timeout",
            "120",
            "--access-logfile",
            str(access_path),
            "--access-logformat",
            ACCESS_FORMAT,
        ]
        with log_path.open("wb") as log:
            server = subprocess.Popen(  # noqa: S603 - our own gunicorn
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_for_server(port, server)
        ctx.note("server: " + " ".join(["gunicorn", *command[1:]]))
        ctx.note(f"cache: {redis_url or 'in-process memory (no Redis answered)'}")

        sessions = [Session(port) for _ in setup["coders"]]
        for session, name in zip(sessions, setup["coders"], strict=True):
            session.sign_in(name)
        pairs = [(int(i), words) for i, words in setup["interviews"]]
        # Each coder's first coding warms up (imports, connections); it is left out of the
        # figures and the check. Then the timed run.
        plans = [
            plan_codings(
                coder=name,
                coder_index=index,
                count=seconds + 1,
                interviews=pairs,
                codes=setup["codes"],
            )
            for index, name in enumerate(setup["coders"])
        ]
        warm_attempts: list[Attempt] = []
        for session, plan in zip(sessions, plans, strict=True):
            _coder_loop(session, plan[:1], time.monotonic(), warm_attempts)
        attempts: list[Attempt] = []
        per_coder: list[list[Attempt]] = [[] for _ in sessions]
        begin = time.monotonic() + 0.5
        load_before = _loadavg()
        gunicorn_pids = _session_pids(server.pid)
        cpu_before = _cpu_seconds(gunicorn_pids)
        threads = [
            threading.Thread(
                target=_coder_loop,
                args=(session, plan[1:], begin + index / len(sessions), per_coder[index]),
                daemon=True,
            )
            for index, (session, plan) in enumerate(zip(sessions, plans, strict=True))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 3 * REQUEST_TIMEOUT + 10)
        for done in per_coder:
            attempts.extend(done)
        elapsed = time.monotonic() - begin
        for session in sessions:
            session.connection.close()
        load_after = _loadavg()
        cpu_after = _cpu_seconds(gunicorn_pids)
        # The server's connections to PostgreSQL stay open (CONN_MAX_AGE): their whole CPU time
        # is the warm-up's and the run's (and their sign-ins'), an upper bound per request.
        backends = _backend_pids(url)
        backend_cpu = _cpu_seconds(backends)

        ok = [a.seconds * 1000 for a in attempts if a.status == 201]
        errors = Counter(a.status or a.error.split(":")[0] for a in attempts if a.status != 201)
        ctx.note(
            f"{len(attempts)} of {coders * seconds} requests sent in {elapsed:.1f} s "
            f"({len(attempts) / elapsed:.1f}/s); 201: {len(ok)}; errors: {dict(errors) or 'none'}"
        )
        if ok:
            ctx.note(
                f"create one coding under load: p50 {percentile(ok, 0.50):.1f} ms, "
                f"p95 {percentile(ok, 0.95):.1f} ms, p99 {percentile(ok, 0.99):.1f} ms, "
                f"max {max(ok):.1f} ms, mean {statistics.fmean(ok):.1f} ms (target p99 ≤ 50 ms)"
            )
        written = [a.seconds * 1000 for a in attempts if a.status == 201 and a.session_written]
        if written:
            ctx.note(
                f"of which {len(written)} also saved the session (the idle clock, once a minute "
                f"per person): median {statistics.median(written):.1f} ms, "
                f"max {max(written):.1f} ms"
            )
        served = server_times_ms(access_path.read_text(), skip=len(warm_attempts))
        if served:
            ctx.note(
                f"the same in gunicorn (request in → response out, %(D)s): "
                f"p50 {percentile(served, 0.50):.1f} ms, p95 {percentile(served, 0.95):.1f} ms, "
                f"p99 {percentile(served, 0.99):.1f} ms, max {max(served):.1f} ms"
            )
        if attempts:
            ctx.note(
                f"CPU per request: gunicorn {(cpu_after - cpu_before) * 1000 / len(attempts):.2f} "
                f"ms; PostgreSQL at most {backend_cpu * 1000 / len(attempts):.2f} ms "
                f"({len(backends)} connections)"
            )
        late = [a.late * 1000 for a in attempts]
        ctx.note(
            f"sent late (client behind its schedule): {sum(1 for x in late if x > 5)} requests "
            f"over 5 ms, worst {max(late, default=0):.1f} ms"
        )
        ctx.note(f"load average during the run: {load_before} → {load_after}")
        warm_keys = {a.planned.key for a in warm_attempts}
        stored, events = _read_back(url)
        stored = [row for row in stored if row.key not in warm_keys]
        checked = verify(attempts, stored, events)
        ctx.note(("nothing lost: " if checked.ok else "CHECK FAILED: ") + checked.describe())
        if not checked.ok:
            raise RuntimeError(f"the load benchmark's check failed: {checked.describe()}")
    finally:
        if server is not None:
            _stop(server)
            if log_path.exists():
                failures = [
                    line
                    for line in log_path.read_text(errors="replace").splitlines()
                    if "Traceback" in line or "[ERROR]" in line or "WORKER TIMEOUT" in line
                ]
                if failures:
                    ctx.note(f"gunicorn log: {len(failures)} error lines, e.g. {failures[0]}")
        if not keep:
            _recreate_database(url, drop_only=True)
        shutil.rmtree(var_dir, ignore_errors=True)
