"""dev.py: its help lists every command; `run` serves with gunicorn (waitress on Windows), keeps
connections alive and serves static files through whitenoise."""

from __future__ import annotations

import http.client
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.servers import free_port, wait_until_listening

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["run", "test", "lint", "bench", "screenshots"]


def dev_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_under_test", ROOT / "dev.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dev_py(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "dev.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(("args", "returncode"), [(["--help"], 0), ([], 2), (["serve"], 2)])
def test_help_lists_every_command_with_its_arguments(args: list[str], returncode: int) -> None:
    result = dev_py(*args)
    assert result.returncode == returncode
    for name in COMMANDS:
        assert f"python3 dev.py {name}" in result.stdout
    assert "python3 dev.py run [--reload] [ADDRESS]" in result.stdout
    if args == ["serve"]:
        assert "Unknown command 'serve'" in result.stderr


def test_run_help_names_the_address_and_reload() -> None:
    result = dev_py("run", "--help")
    assert result.returncode == 0
    assert "--reload" in result.stdout
    assert "address" in result.stdout
    assert "127.0.0.1:8000" in result.stdout


def test_run_serves_with_gunicorn_threads_and_keep_alive() -> None:
    dev = dev_module()
    command = dev.server_command("127.0.0.1:8080", windows=False, python="py")
    assert command[:4] == ["py", "-m", "gunicorn", "healing.wsgi"]
    options = dict(zip(command[4::2], command[5::2], strict=False))
    assert options["--bind"] == "127.0.0.1:8080"
    assert options["--worker-class"] == "gthread"  # the sync worker closes every connection
    assert int(options["--threads"]) > 1
    assert int(options["--keep-alive"]) >= 2
    assert "--reload" not in command
    assert "--no-control-socket" in command  # one path per user: two servers would clash
    assert (
        dev.server_command("127.0.0.1:8080", reload=True, windows=False, python="py")[-1]
        == "--reload"
    )


def test_run_serves_with_waitress_on_windows() -> None:
    dev = dev_module()
    assert dev.server_command("127.0.0.1:8080", windows=True, python="py") == [
        "py",
        "-m",
        "waitress",
        "--listen=127.0.0.1:8080",
        f"--threads={dev.GUNICORN_WORKERS * dev.GUNICORN_THREADS}",
        "healing.wsgi:application",
    ]
    # waitress has no reloader: --reload on Windows is Django's runserver.
    assert dev.server_command("127.0.0.1:8080", reload=True, windows=True, python="py") == [
        "py",
        "manage.py",
        "runserver",
        "127.0.0.1:8080",
    ]


@pytest.mark.parametrize(
    ("given", "address"),
    [(None, "127.0.0.1:8000"), ("8080", "127.0.0.1:8080"), ("0.0.0.0:9000", "0.0.0.0:9000")],
)
def test_run_address_defaults_and_accepts_a_bare_port(given: str | None, address: str) -> None:
    assert dev_module().server_address(given) == address


@pytest.mark.slow
def test_gunicorn_as_dev_py_runs_it_keeps_the_connection_and_serves_static(
    tmp_path: Path,
) -> None:
    dev = dev_module()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env["HEALING_VAR_DIR"] = str(tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    port = free_port()
    command = dev.server_command(f"127.0.0.1:{port}", python=sys.executable, windows=False)
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_until_listening(server, port, tmp_path / "server.log")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sockets = []
        for _ in range(2):
            connection.request("GET", "/accounts/login/")
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200
            assert b"<form" in body
            assert (response.getheader("Connection") or "").lower() != "close"
            sockets.append(connection.sock)
        # One kept-alive connection: http.client reconnects (a new socket) if the server closed.
        assert sockets[0] is not None
        assert sockets[0] is sockets[1]
        connection.request("GET", "/static/css/base.css")
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200
        assert body == (ROOT / "static/css/base.css").read_bytes()
        assert connection.sock is sockets[0]
        connection.close()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        log.close()
