"""Open a ``.qdpx`` (a ZIP) or a bare ``.qde`` safely, and find source files in it.

Nothing is ever extracted to disk; entries are read into memory, and only the ``.qde`` and the
plain-text files the project refers to are read at all. Before anything is read the archive is
checked against ``Limits``: number of entries, declared sizes (each entry and in total),
compression ratio (a zip bomb packs gigabytes of zeros into kilobytes), entry names that would
escape the archive (``../``, absolute paths, drive letters), encryption. Reads are bounded too, so
a header that lies about its size cannot make us read more than the limit.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from django.conf import settings

from coding.exchange.refi.errors import RefiError

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Limits:
    """What a .qdpx may be. The file itself is capped by HEALING_MAX_QDPX_BYTES (upload size)."""

    max_file_bytes: int
    max_entries: int = 10_000
    # Any single entry we read (the .qde, a .txt source).
    max_entry_bytes: int = 64 * 1024 * 1024
    # Declared uncompressed size of everything in the archive (media included, read or not).
    max_total_bytes: int = 2 * 1024 * 1024 * 1024
    # Uncompressed / compressed, for entries above ``ratio_floor`` bytes. Text and XML compress
    # 3-20 times; a zip bomb compresses a thousand times or more.
    max_ratio: int = 200
    ratio_floor: int = 1024 * 1024


def default_limits() -> Limits:
    return Limits(max_file_bytes=settings.HEALING_MAX_QDPX_BYTES)


@dataclass
class ProjectFile:
    """A .qdpx opened for reading: its .qde bytes and a way to read the files beside it."""

    name: str
    qde_name: str
    qde: bytes
    limits: Limits
    zip: zipfile.ZipFile | None = None
    entries: dict[str, zipfile.ZipInfo] = field(default_factory=dict)  # lower-case name -> info
    notes: list[str] = field(default_factory=list)

    @property
    def is_bare(self) -> bool:
        """A bare .qde: the project XML without any source files."""
        return self.zip is None

    def find(self, path: str) -> zipfile.ZipInfo | None:
        """The entry a project path refers to, looked up without regard to case.

        ``internal://X.txt`` is ``sources/X.txt`` (any case of "sources"), or ``X.txt`` at the
        root; a bare or relative path is looked up as given, then by its file name alone.
        """
        if self.zip is None:
            return None
        name = path.replace("\\", "/").strip().lstrip("/")
        candidates = [name.lower(), f"sources/{name}".lower()]
        for candidate in candidates:
            info = self.entries.get(candidate)
            if info is not None:
                return info
        base = posixpath.basename(name).lower()
        matches = [info for key, info in self.entries.items() if posixpath.basename(key) == base]
        return matches[0] if len(matches) == 1 else None

    def read(self, info: zipfile.ZipInfo) -> bytes:
        assert self.zip is not None
        return _read_bounded(self.zip, info, self.limits.max_entry_bytes, self.name)


def open_project(data: bytes, *, name: str, limits: Limits | None = None) -> ProjectFile:
    """Check and open a .qdpx (or a bare .qde); RefiError says what is wrong with it."""
    limits = limits or default_limits()
    if not data:
        raise RefiError(f"{name} is empty (0 bytes).")
    if len(data) > limits.max_file_bytes:
        raise RefiError(
            f"{name} is {len(data) / 1_000_000:.1f} MB; the limit is "
            f"{limits.max_file_bytes / 1_000_000:.1f} MB (HEALING_MAX_QDPX_BYTES)."
        )
    if not data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        if _looks_like_xml(data):
            # A bare project.qde (the spec's own example ships like this): no source files.
            return ProjectFile(
                name=name,
                qde_name=name,
                qde=data,
                limits=limits,
                notes=[f"{name} is a bare .qde without source files: texts cannot be imported."],
            )
        raise RefiError(
            f"{name} is not a .qdpx file: a .qdpx is a ZIP archive (with project.qde inside)."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise RefiError(f"{name} is not a readable ZIP archive ({exc}).") from None
    _check_entries(infos, name=name, limits=limits)
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if not info.is_dir():
            entries.setdefault(info.filename.replace("\\", "/").lower(), info)
    qde_info = _find_qde(entries, name=name)
    if qde_info.flag_bits & 0x1:
        raise RefiError(f"{name}: {qde_info.filename} is encrypted; export it without a password.")
    qde = _read_bounded(archive, qde_info, limits.max_entry_bytes, name)
    return ProjectFile(
        name=name, qde_name=qde_info.filename, qde=qde, limits=limits, zip=archive, entries=entries
    )


def _looks_like_xml(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return head.startswith(b"<")


def _check_entries(infos: list[zipfile.ZipInfo], *, name: str, limits: Limits) -> None:
    if len(infos) > limits.max_entries:
        raise RefiError(
            f"{name} holds {len(infos):,} files; the limit is {limits.max_entries:,} "
            "(is it really a REFI-QDA project?)."
        )
    total = 0
    for info in infos:
        entry = info.filename.replace("\\", "/")
        parts = entry.split("/")
        if entry.startswith("/") or _DRIVE.match(entry) or ".." in parts or "\x00" in entry:
            raise RefiError(
                f"{name} contains the path {info.filename!r}, which points outside the archive; "
                "the file is refused."
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise RefiError(
                f"{name} unpacks to more than {limits.max_total_bytes / 1_000_000_000:.1f} GB; "
                "the file is refused (zip bomb?)."
            )
        if info.file_size > limits.ratio_floor:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise RefiError(
                    f"{name}: {info.filename} is compressed {ratio:,.0f} to 1 "
                    f"(limit {limits.max_ratio} to 1); the file is refused (zip bomb?)."
                )


def _find_qde(entries: dict[str, zipfile.ZipInfo], *, name: str) -> zipfile.ZipInfo:
    at_root = [info for key, info in entries.items() if key.endswith(".qde") and "/" not in key]
    if len(at_root) == 1:
        return at_root[0]
    if len(at_root) > 1:
        names = ", ".join(sorted(info.filename for info in at_root))
        raise RefiError(f"{name} contains several project files ({names}); expected one .qde.")
    anywhere = [info for key, info in entries.items() if key.endswith(".qde")]
    if len(anywhere) == 1:
        return anywhere[0]
    raise RefiError(
        f"{name} is a ZIP archive without a project.qde file, so it is not a REFI-QDA project."
    )


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, name: str) -> bytes:
    if info.file_size > limit:
        raise RefiError(
            f"{name}: {info.filename} is {info.file_size / 1_000_000:.1f} MB unpacked; "
            f"the limit for one file is {limit / 1_000_000:.0f} MB."
        )
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(1024 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise RefiError(
                        f"{name}: {info.filename} unpacks to more than its declared size "
                        f"and the limit of {limit / 1_000_000:.0f} MB; the file is refused."
                    )
                chunks.append(chunk)
    except RefiError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        RuntimeError,
        NotImplementedError,
    ) as exc:
        raise RefiError(f"{name}: {info.filename} could not be unpacked ({exc}).") from None
    return b"".join(chunks)
