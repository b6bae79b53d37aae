"""Checks of a REFI-QDA file beyond what parsing needs: the schemas, and what they cannot say.

``schema_errors`` validates against Project.xsd or Codebook.xsd with lxml (libxml2) or with
``xmlschema`` (the two disagree on a few details, e.g. libxml2 accepts an 8-digit colour; the
tests use both). The XSDs are not shipped with Healing: pass their path (the tests read them
from ``../shared/refi/``).

``project_problems`` and ``codebook_problems`` check what XSD validation does not: every GUID
is unique, every reference resolves, every internal file exists, each TextSource has either
PlainTextContent or a plainTextPath, colours are ``#RRGGBB``, and every selection's positions
are code points inside its text (0 <= start < end <= length). A Note may have both (we write
both on purpose, see ``coding.exchange.refi.export``): then its file must hold the same text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

STRICT_COLOR = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
REFERENCE_ATTRIBUTES = {
    "CodeRef": "targetGUID",
    "NoteRef": "targetGUID",
    "SourceRef": "targetGUID",
    "SelectionRef": "targetGUID",
    "VariableRef": "targetGUID",
    "MemberCode": "targetGUID",
    "MemberSource": "targetGUID",
    "MemberNote": "targetGUID",
}
USER_ATTRIBUTES = ("creatingUser", "modifyingUser", "creatingUserGUID", "modifyingUserGUID")


@cache
def _lxml_schema(path: str) -> Any:
    return etree.XMLSchema(etree.parse(path))


@cache
def _xmlschema_schema(path: str) -> Any:
    import xmlschema

    return xmlschema.XMLSchema(path)


def schema_errors(xml: bytes, xsd: Path, *, engine: str = "lxml") -> list[str]:
    """Validation errors of ``xml`` against the schema at ``xsd`` ([] when valid)."""
    if engine == "lxml":
        schema = _lxml_schema(str(xsd))
        document = etree.parse(io.BytesIO(xml))
        if schema.validate(document):
            return []
        return [f"line {error.line}: {error.message}" for error in schema.error_log]
    if engine == "xmlschema":
        schema = _xmlschema_schema(str(xsd))
        return [str(error.reason or error) for error in schema.iter_errors(io.BytesIO(xml))]
    raise ValueError(f"Unknown engine {engine!r}: use lxml or xmlschema.")


def read_qdpx(data: bytes) -> tuple[bytes, dict[str, bytes]]:
    """The project.qde and the other files of a .qdpx (for checks and tests)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return files.pop("project.qde"), files


def _local(element: Any) -> str:
    return etree.QName(element).localname


def project_problems(data: bytes) -> list[str]:
    """What is wrong with a .qdpx beyond its schema (see the module docstring)."""
    qde, files = read_qdpx(data)
    root = etree.fromstring(qde)
    problems: list[str] = []
    guids = [element.get("guid") for element in root.iter() if element.get("guid")]
    problems += [f"GUID {guid} is used {n} times" for guid, n in Counter(guids).items() if n > 1]
    by_guid = {element.get("guid"): element for element in root.iter() if element.get("guid")}
    users = {element.get("guid") for element in root.iter() if _local(element) == "User"}
    for element in root.iter():
        name = _local(element)
        attribute = REFERENCE_ATTRIBUTES.get(name)
        if attribute is not None:
            target = element.get(attribute)
            if target not in by_guid:
                problems.append(f"{name} refers to {target}, which is not in the project")
        for user_attribute in USER_ATTRIBUTES:
            value = element.get(user_attribute)
            if value is not None and value not in users:
                problems.append(f"{name}@{user_attribute} {value} is not a user")
        if name == "Link":
            for side in ("originGUID", "targetGUID"):
                if element.get(side) not in by_guid:
                    problems.append(f"Link {element.get('guid')} {side} does not resolve")
        color = element.get("color")
        if color is not None and not STRICT_COLOR.match(color):
            problems.append(f"{name} {element.get('guid')} has colour {color!r}")
    for source in root.iter():
        if _local(source) not in {"TextSource", "Note"}:
            continue
        content = [child for child in source if _local(child) == "PlainTextContent"]
        path = source.get("plainTextPath")
        if _local(source) == "Note":
            problems += _note_problems(source, content, path, files)
            continue
        if bool(content) == bool(path):
            problems.append(
                f"TextSource {source.get('guid')}: needs PlainTextContent or "
                "plainTextPath, not both or neither"
            )
        text: str | None = None
        if path:
            if not path.startswith("internal://"):
                problems.append(f"TextSource {source.get('guid')}: path {path} is not internal")
                continue
            entry = "sources/" + path.removeprefix("internal://")
            if entry not in files:
                problems.append(f"TextSource {source.get('guid')}: {entry} is missing")
                continue
            raw = files[entry]
            if raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw:
                problems.append(f"{entry} has a BOM or CR line ends")
            text = raw.decode("utf-8")
        elif content:
            text = content[0].text or ""
        length = len(text or "")
        for selection in source:
            if _local(selection) != "PlainTextSelection":
                continue
            start = int(selection.get("startPosition"))
            end = int(selection.get("endPosition"))
            if not 0 <= start < end <= length:
                problems.append(
                    f"Selection {selection.get('guid')} [{start}, {end}) is outside its text "
                    f"({length} code points)"
                )
    return problems


def _note_problems(
    note: Any, content: list[Any], path: str | None, files: dict[str, bytes]
) -> list[str]:
    """A note needs its text inline, in an internal file, or both the same."""
    guid = note.get("guid")
    if not content and not path:
        return [f"Note {guid}: needs PlainTextContent or plainTextPath"]
    if not path:
        return []
    if not path.startswith("internal://"):
        return [f"Note {guid}: path {path} is not internal"]
    entry = "sources/" + path.removeprefix("internal://")
    if entry not in files:
        return [f"Note {guid}: {entry} is missing"]
    if content and files[entry].decode("utf-8") != (content[0].text or ""):
        return [f"Note {guid}: {entry} differs from its PlainTextContent"]
    return []


def codebook_problems(data: bytes) -> list[str]:
    root = etree.fromstring(data)
    problems: list[str] = []
    guids = [e.get("guid") for e in root.iter() if _local(e) == "Code"]
    problems += [f"GUID {guid} is used {n} times" for guid, n in Counter(guids).items() if n > 1]
    for member in root.iter():
        if _local(member) == "MemberCode" and member.get("guid") not in guids:
            problems.append(f"MemberCode {member.get('guid')} is not a code")
        color = member.get("color")
        if color is not None and not STRICT_COLOR.match(color):
            problems.append(f"Code {member.get('guid')} has colour {color!r}")
    return problems
