"""Open a .qdpx and find each source's text: the common first step of inspect and import.

Paths are read leniently (NOTES §2, §7.4): ``internal://X`` is looked up in ``sources/`` in any
case, a bare or relative path inside the archive, ``relative:///``, ``absolute:///`` and
``file://`` paths (files outside the archive) by their file name in case they were packed after
all. A path with ``..`` that would leave the archive makes the whole file refused. A source
whose text is missing or empty is reported, and its selections with it.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from coding.exchange.refi.archive import Limits, ProjectFile, open_project
from coding.exchange.refi.errors import RefiError
from coding.exchange.refi.model import RefiProject, RefiSelection, RefiTextSource
from coding.exchange.refi.offsets import (
    CODEPOINTS,
    CRLF_AS_ONE,
    CRLF_AS_TWO,
    UTF16,
    PositionMap,
    decode_source,
    informative_name,
    name_matches,
    unit_for_origin,
)
from coding.exchange.refi.parse import parse_project
from coding.exchange.refi.safexml import parse_xml
from interviews.importing import TranscriptError
from interviews.importing.formats import docx_text

EXTERNAL_SCHEMES = ("relative://", "absolute://", "file://", "http://", "https://")
MAX_CODES = 20_000
MAX_SOURCES = 5_000


@dataclass
class SourceText:
    """A text-bearing source with its text (``positions.text`` is the normalised text)."""

    source: RefiTextSource
    positions: PositionMap | None = None
    problem: str = ""  # why there is no usable text
    file_key: str = ""  # which file or element the text came from (to find duplicates)
    duplicate_of: str = ""  # guid of an earlier source with the same text file
    notes: list[str] = field(default_factory=list)
    from_rich_text: bool = False

    @property
    def text(self) -> str:
        return self.positions.text if self.positions is not None else ""

    @property
    def usable(self) -> bool:
        return self.positions is not None and bool(self.text.strip())


@dataclass
class LoadedProject:
    file: ProjectFile
    project: RefiProject
    texts: list[SourceText]

    def text_of(self, guid: str) -> SourceText | None:
        for item in self.texts:
            if item.source.guid == guid:
                return item
        return None


def load_project(data: bytes, *, name: str, limits: Limits | None = None) -> LoadedProject:
    """Open, check and parse a .qdpx (or bare .qde) and resolve each source's text.

    Raises RefiError for a file that cannot be used at all; problems with single sources are
    kept on the source (``SourceText.problem``) for the report.
    """
    project_file = open_project(data, name=name, limits=limits)
    root, namespace = parse_xml(project_file.qde, name=project_file.qde_name)
    project = parse_project(root, namespace=namespace)
    codes = sum(1 for _ in project.all_codes())
    if codes > MAX_CODES:
        raise RefiError(f"{name} has {codes:,} codes; the limit is {MAX_CODES:,}.")
    if len(project.text_sources) > MAX_SOURCES:
        raise RefiError(
            f"{name} has {len(project.text_sources):,} text sources; the limit is {MAX_SOURCES:,}."
        )
    for note in project.notes:
        if note.path and not note.path.strip().lower().startswith(EXTERNAL_SCHEMES):
            check_path(note.path, name=name)
    texts = [_resolve(project_file, project, source) for source in project.text_sources]
    seen: dict[str, str] = {}
    for item in texts:
        if item.file_key and item.usable:
            if item.file_key in seen:
                item.duplicate_of = seen[item.file_key]
            else:
                seen[item.file_key] = item.source.guid
    return LoadedProject(file=project_file, project=project, texts=texts)


def check_path(path: str, *, name: str) -> str:
    """The archive-internal part of ``path``; RefiError if it would leave the archive."""
    inner = path.strip()
    if inner.lower().startswith("internal://"):
        inner = inner[len("internal://") :]
    inner = inner.replace("\\", "/").lstrip("/")
    if ".." in inner.split("/"):
        raise RefiError(
            f"{name} refers to the file {path!r}, which is outside the archive; "
            "the file is refused."
        )
    return inner


def _resolve(project_file: ProjectFile, project: RefiProject, source: RefiTextSource) -> SourceText:
    item = SourceText(source=source)
    raw: str | None = None
    if source.plain_text_content is not None and source.plain_text_content.strip():
        raw = source.plain_text_content
        item.file_key = f"content:{source.guid}"
    elif source.plain_text_path:
        raw = _read_path(project_file, source.plain_text_path, item)
    elif source.rich_text_path:
        raw = _read_rich(project_file, source.rich_text_path, item)
    else:
        item.problem = "the file gives no plain text (neither PlainTextContent nor plainTextPath)"
    if raw is None:
        return item
    if not raw.replace("\ufeff", "").strip():
        item.problem = "its plain text is empty"
        return item
    unit, crlf = _choose_units(project.origin, raw, source)
    item.positions = PositionMap(raw, unit=unit, crlf=crlf)
    if not item.positions.reliable:
        item.notes.append("Unicode normalisation changed the text in an unexpected way")
    return item


def _read_path(project_file: ProjectFile, path: str, item: SourceText) -> str | None:
    lowered = path.strip().lower()
    external = lowered.startswith(EXTERNAL_SCHEMES)
    inner = posixpath.basename(path.replace("\\", "/")) if external else path
    if not external:
        inner = check_path(path, name=project_file.name)
    if project_file.is_bare:
        item.problem = f"its text file {path} is not included (the file is a bare .qde)"
        return None
    info = project_file.find(inner)
    if info is None:
        where = "outside the archive" if external else "missing from the archive"
        item.problem = f"its text file {path} is {where}"
        return None
    item.file_key = info.filename.lower()
    data = project_file.read(info)
    try:
        decoded = decode_source(data)
    except UnicodeDecodeError:
        item.problem = f"its text file {path} is neither UTF-8, UTF-16 nor Windows-1252 text"
        return None
    item.notes.extend(decoded.notes)
    return decoded.raw


def _read_rich(project_file: ProjectFile, path: str, item: SourceText) -> str | None:
    """Only a .docx: its paragraphs as text (positions refer to a plain text we do not have)."""
    if not path.lower().endswith(".docx"):
        item.problem = f"it has no plain text, only {posixpath.basename(path)}"
        return None
    if project_file.is_bare:
        item.problem = f"its file {path} is not included (the file is a bare .qde)"
        return None
    lowered = path.strip().lower()
    inner = (
        posixpath.basename(path.replace("\\", "/"))
        if lowered.startswith(EXTERNAL_SCHEMES)
        else check_path(path, name=project_file.name)
    )
    info = project_file.find(inner)
    if info is None:
        item.problem = f"its file {path} is missing from the archive"
        return None

    try:
        extracted = docx_text(
            project_file.read(info),
            posixpath.basename(path),
            max_bytes=project_file.limits.max_entry_bytes,
        )
    except TranscriptError as exc:
        item.problem = str(exc)
        return None
    item.file_key = info.filename.lower()
    item.from_rich_text = True
    item.notes.append("text taken from the .docx (no plain-text file)")
    return extracted.text


def _choose_units(origin: str, raw: str, source: RefiTextSource) -> tuple[str, str]:
    """How positions count in this source: by the producer, unless the selections' names
    (ATLAS.ti and QualCoder name a selection by its first words) fit another way better."""
    default = unit_for_origin(origin)
    if "\r\n" not in raw and not any(ord(char) > 0xFFFF for char in raw):
        return default  # every way of counting agrees
    named = [
        s
        for s in source.selections
        if s.start is not None and s.end is not None and informative_name(s.name)
    ][:200]
    if not named:
        return default
    options = [(CODEPOINTS, CRLF_AS_TWO), (CODEPOINTS, CRLF_AS_ONE), (UTF16, CRLF_AS_TWO)]
    best, best_score = default, _score(raw, default, named)
    for option in options:
        if option != default:
            score = _score(raw, option, named)
            if score > best_score:
                best, best_score = option, score
    return best


def _score(raw: str, option: tuple[str, str], selections: list[RefiSelection]) -> int:
    positions = PositionMap(raw, unit=option[0], crlf=option[1])
    score = 0
    for selection in selections:
        assert selection.start is not None
        assert selection.end is not None
        converted = positions.convert(selection.start, selection.end)
        if converted is not None and name_matches(
            positions.text, converted[0], converted[1], selection.name
        ):
            score += 1
    return score
