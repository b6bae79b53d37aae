"""The formats a study or a codebook can be exported in, registered by the modules beside this one.

A study export writes to a binary stream::

    @register_study_export("xlsx", extension="xlsx", content_type="…", description="…")
    def export_segments_xlsx(*, study: Study, out: BinaryIO, options: ExportOptions) -> None: ...

``manage.py export_study --format F`` and ``export_codebook --format F`` (and the export jobs and
API endpoints) look formats up here. A format sent row by row registers its stream instead, and
is written to a file chunk by chunk::

    @register_streamed_study_export("jsonl", extension="jsonl", content_type="…", description="…")
    def segments_jsonl_stream(*, study: Study, options: ExportOptions) -> Iterator[bytes]: ...
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import coding.exchange as package


@dataclass(frozen=True)
class ExportOptions:
    """Which codings to export: ``layer`` is "all" (every coder's layer and the consensus),
    "consensus" or "individual"; ``coder`` narrows to one coder's username. ``progress``
    (percent, message) is called now and then by long exports (jobs show it); ``stamp`` is the
    export stamp to state (``coding.exchange.tabular.ExportStamp``), made when not given; ``raw``
    leaves text that a spreadsheet would evaluate (a leading =, +, -, @) as it is."""

    layer: str = "all"
    coder: str | None = None
    actor: Any = None
    progress: Callable[[int, str], None] | None = None
    stamp: Any = None
    # Text a spreadsheet would evaluate is prefixed with an apostrophe unless ``raw``.
    raw: bool = False


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


def write_chunks(out: BinaryIO, chunks: Iterable[bytes]) -> None:
    for chunk in chunks:
        out.write(chunk)


def register_streamed_study_export(
    name: str, *, extension: str, content_type: str, description: str
) -> Callable[[Callable[..., Iterator[bytes]]], Callable[..., Iterator[bytes]]]:
    """Register a format sent row by row: decorate its ``stream(*, study, options)``; writing it
    to a file is writing its chunks."""

    def register(stream: Callable[..., Iterator[bytes]]) -> Callable[..., Iterator[bytes]]:
        def write(*, study: Any, out: BinaryIO, options: ExportOptions) -> None:
            write_chunks(out, stream(study=study, options=options))

        STUDY_EXPORTS[name] = ExportFormat(
            name, extension, content_type, description, write, stream
        )
        return stream

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
