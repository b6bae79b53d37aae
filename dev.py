#!/usr/bin/env python3
"""One entry point that needs nothing but Python 3.11+: python3 dev.py COMMAND [ARGUMENTS].

It creates .venv/, installs the pinned requirements into it (again only when a requirements file
changed), and runs the app, the test suite, the linters or the benchmarks inside it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_venv(requirements: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit(f"Healing needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating {VENV.name}/ ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256()
    for name in ("requirements.txt", "requirements-dev.txt"):
        if name == requirements or name == "requirements.txt":
            digest.update((ROOT / name).read_bytes())
    stamp = VENV / f".installed-{requirements}-{digest.hexdigest()[:16]}"
    if stamp.exists():
        return
    print(f"Installing {requirements} into {VENV.name}/ ...", flush=True)
    run(
        [
            str(PYTHON),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            "-r",
            requirements,
        ]
    )
    for old in VENV.glob(f".installed-{requirements}-*"):
        old.unlink()
    stamp.touch()


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    completed = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603
    if completed.returncode:
        sys.exit(completed.returncode)


def manage(*args: str) -> None:
    run([str(PYTHON), "manage.py", *args])


DEFAULT_ADDRESS = "127.0.0.1:8000"
# gunicorn's gthread worker keeps a browser's connection open between requests (its sync worker
# closes each one, so every request pays a new connect); 2 processes x 4 threads let a long job
# that runs inside a request (jobs run eagerly without Redis) leave other requests served.
GUNICORN_WORKERS = 2
GUNICORN_THREADS = 4
KEEP_ALIVE_SECONDS = 5


def server_address(address: str | None) -> str:
    """``127.0.0.1:8000`` by default; a bare port means that port on 127.0.0.1 (as runserver)."""
    if not address:
        return DEFAULT_ADDRESS
    return f"127.0.0.1:{address}" if address.isdigit() else address


def server_command(
    address: str, *, reload: bool = False, windows: bool = os.name == "nt", python: str = ""
) -> list[str]:
    """The command line ``dev.py run`` execs: gunicorn where it runs (POSIX), waitress on
    Windows; both keep connections alive, and whitenoise serves static files in the app.

    ``--reload`` restarts the workers when a source file changes (gunicorn's ``--reload``, the
    same server otherwise); waitress has no reloader, so on Windows ``--reload`` falls back to
    Django's runserver, which answers kept-alive requests about 40 ms late (docs/performance.md).
    """
    python = python or str(PYTHON)
    if windows:
        if reload:
            return [python, "manage.py", "runserver", address]
        return [
            python,
            "-m",
            "waitress",
            f"--listen={address}",
            f"--threads={GUNICORN_WORKERS * GUNICORN_THREADS}",
            "healing.wsgi:application",
        ]
    return [
        python,
        "-m",
        "gunicorn",
        "healing.wsgi",
        "--bind",
        address,
        "--worker-class",
        "gthread",
        "--workers",
        str(GUNICORN_WORKERS),
        "--threads",
        str(GUNICORN_THREADS),
        "--keep-alive",
        str(KEEP_ALIVE_SECONDS),
        # A job that runs inside the request (no Redis) may take minutes: no worker timeout.
        "--timeout",
        "0",
        "--access-logfile",
        "-",
        # No control socket: it lives at one path per user (~/.gunicorn/), which a second
        # checkout's server (or the tests) would fight over; nothing here uses it.
        "--no-control-socket",
        *(["--reload"] if reload else []),
    ]


def run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python3 dev.py run",
        description=(
            "Install, migrate, load the demo study, print the logins and serve with gunicorn "
            "(waitress on Windows); static files through whitenoise."
        ),
    )
    parser.add_argument(
        "address",
        nargs="?",
        default=DEFAULT_ADDRESS,
        help=f"HOST:PORT or PORT to serve on (default {DEFAULT_ADDRESS})",
    )
    parser.add_argument(
        "--reload", action="store_true", help="restart when a source file changes (development)"
    )
    return parser


def cmd_run(args: list[str]) -> None:
    """Install, migrate, load the demo study, print the logins and serve on 127.0.0.1:8000 (or
    ADDRESS, e.g. 127.0.0.1:8080) with gunicorn (waitress on Windows); --reload restarts it when
    a source file changes."""
    options = run_parser().parse_args(args)
    address = server_address(options.address)
    ensure_venv("requirements.txt")
    manage("migrate", "--no-input", "-v", "0")
    manage("load_demo")
    print(
        f"\nHealing is starting at http://{address}/ — log in with one of the demo users above."
        + (" It restarts when a source file changes." if options.reload else "")
        + "\n",
        flush=True,
    )
    command = server_command(address, reload=options.reload)
    os.chdir(ROOT)
    os.execv(command[0], command)  # noqa: S606


def cmd_test(args: list[str]) -> None:
    """Install the test requirements and run the whole suite (pytest arguments pass through)."""
    ensure_venv("requirements-dev.txt")
    workers = os.environ.get("PYTEST_WORKERS", "auto")
    extra = ["-n", workers] if workers != "0" and not any(a.startswith("-n") for a in args) else []
    run([str(PYTHON), "-m", "pytest", *extra, *args])


def cmd_lint(args: list[str]) -> None:
    """ruff (lint and format check), mypy on the apps, and import-linter on the three floors."""
    ensure_venv("requirements-dev.txt")
    run([str(BIN / "ruff"), "check", "."])
    run([str(BIN / "ruff"), "format", "--check", "."])
    run([str(BIN / "mypy")])
    run([str(BIN / "lint-imports")])


def cmd_bench(args: list[str]) -> None:
    """Benchmarks at stated sizes (docs/performance.md); the arguments pass to manage.py bench
    (python3 dev.py bench --help lists them)."""
    ensure_venv("requirements.txt")
    manage("migrate", "--no-input", "-v", "0")
    manage("bench", *args)


def cmd_screenshots(args: list[str]) -> None:
    """Retake the workspace screenshots in docs/screenshots/ (Chromium, the demo study; pytest
    arguments pass through)."""
    ensure_venv("requirements-dev.txt")
    env = {**os.environ, "HEALING_SCREENSHOTS": "1"}
    run([str(PYTHON), "-m", "pytest", "-q", "tests/browser/test_screenshots.py", *args], env=env)


COMMANDS = {
    "run": cmd_run,
    "test": cmd_test,
    "lint": cmd_lint,
    "bench": cmd_bench,
    "screenshots": cmd_screenshots,
}
ARGUMENTS = {
    "run": "[--reload] [ADDRESS]",
    "test": "[PYTEST ARGUMENTS]",
    "lint": "",
    "bench": "[BENCH ARGUMENTS]",
    "screenshots": "[PYTEST ARGUMENTS]",
}


def usage() -> str:
    lines = [(__doc__ or "").strip(), "", "Commands:"]
    for name, function in COMMANDS.items():
        lines.append(f"  python3 dev.py {name} {ARGUMENTS[name]}".rstrip())
        what = " ".join((function.__doc__ or "").split())
        lines.extend(textwrap.wrap(what, 96, initial_indent=" " * 6, subsequent_indent=" " * 6))
    lines.append("")
    lines.append("python3 dev.py run --help says more about run.")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) >= 2 and sys.argv[1] in {"-h", "--help", "help"}:
        print(usage())
        sys.exit(0)
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        if len(sys.argv) >= 2:
            print(f"Unknown command {sys.argv[1]!r}.\n", file=sys.stderr)
        print(usage())
        sys.exit(2)
    COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
