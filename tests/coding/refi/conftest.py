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


PROJECT_NS = "urn:QDA-XML:project:1.0"


def make_qdpx(
    qde: str | bytes, files: dict[str, bytes] | None = None, *, qde_name: str = "project.qde"
) -> bytes:
    """A .qdpx (zip) holding ``qde`` under ``qde_name`` and ``files`` (path -> bytes)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(qde_name, qde.encode("utf-8") if isinstance(qde, str) else qde)
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def project_xml(body: str, *, origin: str = "Test tool 1.0", ns: str = PROJECT_NS) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="{ns}" name="Test project" origin="{origin}">{body}</Project>'
    )
