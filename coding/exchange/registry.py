"""The formats a study or a codebook can be exported in, registered by the modules beside this one.

A study export writes to a binary stream::

    @register_study_export("csv", extension="csv", content_type="text/csv", description="…")
    def export_segments_csv(*, study: Study, out: BinaryIO, options: ExportOptions) -> None: ...

``manage.py export_study --format F`` and ``export_codebook --format F`` (and the export jobs and
API endpoints) look formats up here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExportOptions:
    """Which codings to export: ``layer`` is "all" (every coder's layer and the consensus),
    "consensus" or "individual"; ``coder`` narrows to one coder's username. ``progress``
    (percent, message) is called now and then by long exports (jobs show it); ``stamp`` is the
    export stamp to state (``coding.exchange.tabular.ExportStamp``), made when not given."""

    layer: str = "all"
    coder: str | None = None
    actor: Any = None
    progress: Callable[[int, str], None] | None = None
    stamp: Any = None


StudyWriter = Callable[..., None]
CodebookWriter = Callable[..., None]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    extension: str
    content_type: str
    description: str
    write: Callable[..., None]
    # Formats that can be sent row by row also give ``stream(*, study, options)``, an iterator
    # of bytes: the API streams those with flat memory, whatever the size of the study.
    stream: Callable[..., Iterator[bytes]] | None = None


STUDY_EXPORTS: dict[str, ExportFormat] = {}
CODEBOOK_EXPORTS: dict[str, ExportFormat] = {}


def register_study_export(
    name: str,
    *,
    extension: str,
    content_type: str,
    description: str,
    stream: Callable[..., Iterator[bytes]] | None = None,
) -> Callable[[StudyWriter], StudyWriter]:
    def register(write: StudyWriter) -> StudyWriter:
        STUDY_EXPORTS[name] = ExportFormat(
            name, extension, content_type, description, write, stream
        )
        return write

    return register


def register_codebook_export(
    name: str, *, extension: str, content_type: str, description: str
) -> Callable[[CodebookWriter], CodebookWriter]:
    def register(write: CodebookWriter) -> CodebookWriter:
        CODEBOOK_EXPORTS[name] = ExportFormat(name, extension, content_type, description, write)
        return write

    return register


def load_formats() -> None:
    """Import every module of ``coding.exchange`` so that each registers its formats."""
    import coding.exchange as package

    for module in pkgutil.walk_packages(package.__path__, prefix="coding.exchange."):
        importlib.import_module(module.name)


def study_export(name: str) -> ExportFormat:
    load_formats()
    if name not in STUDY_EXPORTS:
        known = ", ".join(sorted(STUDY_EXPORTS)) or "none"
        raise KeyError(f"Unknown study export format {name!r}; known: {known}.")
    return STUDY_EXPORTS[name]


def codebook_export(name: str) -> ExportFormat:
    load_formats()
    if name not in CODEBOOK_EXPORTS:
        known = ", ".join(sorted(CODEBOOK_EXPORTS)) or "none"
        raise KeyError(f"Unknown codebook export format {name!r}; known: {known}.")
    return CODEBOOK_EXPORTS[name]
