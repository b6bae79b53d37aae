#!/usr/bin/env python3
"""One entry point that needs nothing but Python 3.11+: python3 dev.py run | test | lint | bench |
screenshots.

It creates .venv/, installs the pinned requirements into it (again only when a requirements file
changed), and runs the app, the test suite, the linters or the benchmarks inside it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
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


def cmd_run(args: list[str]) -> None:
    """Install, migrate, load the demo study, print the logins and serve on 127.0.0.1:8000."""
    ensure_venv("requirements.txt")
    manage("migrate", "--no-input", "-v", "0")
    manage("load_demo")
    address = args[0] if args else "127.0.0.1:8000"
    print(
        f"\nHealing is starting at http://{address}/ — log in with one of the demo users above.\n"
    )
    os.execv(str(PYTHON), [str(PYTHON), "manage.py", "runserver", address])  # noqa: S606


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
    """Benchmarks at stated sizes (see docs/performance.md); arguments pass to manage.py bench."""
    ensure_venv("requirements.txt")
    manage("migrate", "--no-input", "-v", "0")
    manage("bench", *args)


def cmd_screenshots(args: list[str]) -> None:
    """Retake the workspace screenshots in docs/screenshots/ (Chromium, the demo study)."""
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


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        for name, function in COMMANDS.items():
            print(f"  {name:<6} {function.__doc__}")
        sys.exit(2)
    COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
