"""The README's team-server command serves the largest upload it documents (issue 14, finding 5):
gunicorn started with exactly the README's flags answers a 10 MB transcript upload with 201
within its timeout, where the default 30 s timeout once turned it into a 500."""

from __future__ import annotations

import http.client
import json
import os
import shlex
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.servers import free_port, wait_until_listening

ROOT = Path(__file__).resolve().parents[1]

SETUP = """
from django.contrib.auth import get_user_model
from healing.tokens.services import api_token_create
from interviews.services import study_create
user = get_user_model().objects.create_user("uploader", password="x-long-enough-9")
study_create(slug="big", title="Big", created_by=user)
print(api_token_create(user=user, name="upload")[1])
"""


def readme_gunicorn() -> list[str]:
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith(".venv/bin/gunicorn "):
            return shlex.split(line.split("#")[0])[1:]
    raise AssertionError("README.md has no gunicorn command")


def transcript(size: int) -> bytes:
    lines, total, turn = [], 0, 0
    while True:
        who = "Interviewer" if turn % 2 == 0 else "Patient"
        line = f"{who}: she always listened to me and I trust her with my health {turn}\n"
        if total + len(line) > size:
            return "".join(lines).encode("utf-8")
        lines.append(line)
        total += len(line)
        turn += 1


def multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/plain\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.slow
def test_the_readme_server_command_takes_the_largest_upload(tmp_path: Path) -> None:
    flags = readme_gunicorn()
    assert flags[0] == "healing.wsgi"
    timeout = int(flags[flags.index("--timeout") + 1])
    port = free_port()
    flags[flags.index("--bind") + 1] = f"127.0.0.1:{port}"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        HEALING_VAR_DIR=str(tmp_path),
        DEBUG="false",
        SECRET_KEY="test-" + uuid.uuid4().hex * 2,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    token = (
        subprocess.run(
            [*manage, "shell", "-c", SETUP],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", *flags, "--workers", "1", "--no-control-socket"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_listening(server, port, tmp_path / "gunicorn.log")
        data = transcript(settings.HEALING_MAX_UPLOAD_BYTES - 4096)
        body, content_type = multipart(
            {"study": "big", "dyad": "D01", "perspective": "patient"}, "big.txt", data
        )
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout + 30)
        started = time.monotonic()
        connection.request(
            "POST",
            "/api/v1/interviews/",
            body=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
        )
        response = connection.getresponse()
        answer = response.read()
        took = time.monotonic() - started
        assert response.status == 201, answer[:500]
        assert took < timeout, took
        assert json.loads(answer)["word_count"] > 1_000_000
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
