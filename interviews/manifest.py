"""Reading a batch-import manifest (CSV): one row per transcript file.

Columns ``file``, ``dyad`` and ``perspective`` are required. Optional fixed columns:
``clinician`` and ``patient`` (pseudonyms; a clinician may appear in several rows),
``speakers`` ("Jane=patient; Int=interviewer"), ``conducted_on`` (YYYY-MM-DD), ``interviewer``.
Any other column is a dyad attribute; ``clinician.NAME`` and ``patient.NAME`` columns are
attributes of the clinician or patient (``dyad.NAME`` is also accepted for dyad attributes).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from interviews.services import BatchItem, manifest_columns, parse_speaker_map

REQUIRED_COLUMNS = ("file", "dyad", "perspective")

Loader = Callable[[], bytes]
Resolver = Callable[[str], Loader]


class ManifestError(ValueError):
    """The manifest itself cannot be read; nothing is imported."""


def _attribute_name(column: str) -> str:
    name = column.strip()
    return name.split(".", 1)[1] if "." in name else name


def read_manifest(
    data: bytes,
    *,
    name: str,
    resolve: Resolver,
) -> list[BatchItem]:
    """Items for ``interviews_import_batch``; ``resolve(file_column)`` returns a bytes loader."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ManifestError(f"{name}: the manifest must be UTF-8 CSV.") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ManifestError(
            f"{name}: missing column(s) {', '.join(missing)}; "
            "the header needs file, dyad, perspective."
        )
    kinds = manifest_columns(reader.fieldnames or [])
    items: list[BatchItem] = []
    for line, row in enumerate(reader, start=2):
        values = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        if not any(values.values()):
            continue
        if not values.get("file"):
            raise ManifestError(f"{name}, line {line}: the file column is empty.")
        try:
            speaker_map = parse_speaker_map(values.get("speakers", ""))
        except ValidationError as exc:
            raise ManifestError(f"{name}, line {line}: {' '.join(exc.messages)}") from None
        item = BatchItem(
            name=values["file"],
            dyad=values.get("dyad", ""),
            perspective=values.get("perspective", "").lower(),
            load=resolve(values["file"]),
            clinician=values.get("clinician", ""),
            patient=values.get("patient", ""),
            speaker_map=speaker_map,
            conducted_on=values.get("conducted_on", ""),
            interviewer=values.get("interviewer", ""),
        )
        for column, kind in kinds.items():
            value = values.get(column.strip(), "")
            if kind == "dyad_attribute" and value:
                item.dyad_attributes[_attribute_name(column)] = value
            elif kind == "clinician_attribute" and value:
                item.clinician_attributes[_attribute_name(column)] = value
            elif kind == "patient_attribute" and value:
                item.patient_attributes[_attribute_name(column)] = value
        items.append(item)
    if not items:
        raise ManifestError(f"{name}: the manifest lists no files.")
    return items


def file_loader(base: Path) -> Resolver:
    """Resolves manifest paths relative to the manifest's folder (absolute paths as given)."""

    def resolve(relative: str) -> Loader:
        path = base / relative

        def load() -> bytes:
            if not path.is_file():
                raise OSError(f"{relative} does not exist (looked for {path}).")
            limit = settings.HEALING_MAX_UPLOAD_BYTES
            if path.stat().st_size > limit:
                size_mb = path.stat().st_size / 1_000_000
                raise OSError(
                    f"{relative} is {size_mb:.1f} MB; the limit is {limit / 1_000_000:.1f} MB "
                    "(HEALING_MAX_UPLOAD_BYTES)."
                )
            return path.read_bytes()

        return load

    return resolve


def manifest_items(*, data: bytes, name: str) -> list[dict[str, Any]]:
    """A manifest's rows as the JSON items an import job takes (files come as uploads)."""
    return [
        {
            "file": item.name,
            "dyad": item.dyad,
            "perspective": item.perspective,
            "dyad_attributes": item.dyad_attributes,
            "clinician": item.clinician,
            "clinician_attributes": item.clinician_attributes,
            "patient": item.patient,
            "patient_attributes": item.patient_attributes,
            "speaker_map": item.speaker_map,
            "conducted_on": item.conducted_on,
            "interviewer": item.interviewer,
        }
        for item in read_manifest(data, name=name, resolve=lambda _name: lambda: b"")
    ]
