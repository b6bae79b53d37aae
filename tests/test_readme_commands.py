"""The README opens with the two commands a newcomer runs, and CI runs the second one as written."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def opening_commands() -> list[str]:
    block = re.search(r"```[a-z]*\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block is not None
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_opens_with_run_and_test() -> None:
    assert opening_commands()[:2] == ["python3 dev.py run", "python3 dev.py test"]


def test_the_readme_says_how_to_serve_on_another_address_and_dev_py_accepts_it() -> None:
    # Right under the two opening commands, which stay two.
    top = "\n".join((ROOT / "README.md").read_text().splitlines()[:15])
    assert "`python3 dev.py run 127.0.0.1:8080`" in top
    assert len(opening_commands()) == 2
    spec = importlib.util.spec_from_file_location("dev_for_readme", ROOT / "dev.py")
    assert spec is not None
    assert spec.loader is not None
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    parsed = dev.run_parser().parse_args(["127.0.0.1:8080"])
    assert dev.server_address(parsed.address) == "127.0.0.1:8080"
    help_text = subprocess.run(
        [sys.executable, str(ROOT / "dev.py"), "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("run", "test", "lint", "bench", "screenshots"):
        assert f"python3 dev.py {command}" in help_text
    assert "ADDRESS" in help_text
    assert "--reload" in help_text


def test_ci_runs_the_readmes_test_command() -> None:
    script = (ROOT / ".ci/run").read_text()
    extraction = next(line for line in script.splitlines() if line.startswith("readme_test="))
    assert 'eval "$readme_test"' in script
    found = subprocess.run(
        ["bash", "-c", f'{extraction}\nprintf %s "$readme_test"'],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert found == opening_commands()[1]
