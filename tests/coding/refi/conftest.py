"""REFI-QDA tests: the official schemas and real files from other tools live beside the
checkout, in ``../shared/refi/`` (never copied into the repository)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from coding.exchange.registry import ExportOptions
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[3]
REFI_DIR = ROOT.parent / "shared" / "refi"
SAMPLES = REFI_DIR / "samples"


@pytest.fixture(scope="session")
def refi_dir() -> Path:
    if not (REFI_DIR / "Project.xsd").is_file():
        skip_or_fail(f"{REFI_DIR} (REFI-QDA schemas and samples beside the checkout) is absent")
    return REFI_DIR


@pytest.fixture(scope="session")
def samples(refi_dir: Path) -> Path:
    if not SAMPLES.is_dir():
        skip_or_fail(f"{SAMPLES} is absent")
    return SAMPLES


def export_qdpx(study: Any, **options: Any) -> bytes:
    from coding.exchange.refi.export import qdpx_write

    out = io.BytesIO()
    qdpx_write(study=study, out=out, options=ExportOptions(**options))
    return out.getvalue()
