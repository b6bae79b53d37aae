"""The WSGI entry point loads the URLconf at start and freezes what start-up made out of the
garbage collector's full passes (healing/wsgi.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import gc, sys
import healing.wsgi
print(gc.get_freeze_count(), "healing.urls" in sys.modules, "coding.codings_api" in sys.modules)
"""


def test_start_up_objects_are_frozen_and_the_urlconf_loaded() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    frozen, urls, views = done.stdout.split()
    assert int(frozen) > 50_000
    assert urls == views == "True"
