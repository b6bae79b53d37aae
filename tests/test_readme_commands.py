"""The README opens with the two commands a newcomer runs, and CI runs the second one as written."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def opening_commands() -> list[str]:
    block = re.search(r"```[a-z]*\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block is not None
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_opens_with_run_and_test() -> None:
    assert opening_commands() == ["python3 dev.py run", "python3 dev.py test"]


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
