"""Read a parsed (namespace-free) REFI-QDA document into ``coding.exchange.refi.model``.

Lenient by design: element order is not enforced, empty wrappers (``<Sets/>``) are fine, missing
optional attributes get defaults, GUIDs are compared in any case and with or without braces, and
anything odd is noted in ``RefiProject.problems`` instead of stopping the import.

Two things we write for other tools' sake are undone here (``coding.exchange.refi.codes``): a
code whose Description carries our switched-off marker is read as not codable, and the suffix
that made a note's name unique is taken off its name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from coding.exchange.refi.codes import note_title, switched_off
from coding.exchange.refi.errors import RefiError
from coding.exchange.refi.model import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiLink,
    RefiNote,
    RefiOtherSource,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiTextSource,
    RefiUser,
    RefiValue,
    RefiVariable,
    norm_guid,
)

VALUE_KINDS = (
    "TextValue",
    "BooleanValue",
    "IntegerValue",
    "FloatValue",
    "DateValue",
    "DateTimeValue",
)
MEDIA_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")
MEDIA_SELECTIONS = (
    "PictureSelection",
    "PDFSelection",
    "AudioSelection",
    "VideoSelection",
    "TranscriptSelection",
)


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if child.tag == name]


def _child(element: Any, name: str) -> Any:
    for child in element:
        if child.tag == name:
            return child
    return None


def _items(element: Any, wrapper: str, item: str) -> Iterator[Any]:
    """``<wrapper><item/>…</wrapper>`` items; several or empty wrappers are fine."""
    for holder in _children(element, wrapper):
        yield from _children(holder, item)


def _text(element: Any, name: str) -> str:
    child = _child(element, name)
    return (child.text or "") if child is not None else ""


def _attr(element: Any, name: str) -> str:
    return (element.get(name) or "").strip()


def _refs(element: Any, name: str, attribute: str = "targetGUID") -> list[str]:
    refs = []
    for child in _children(element, name):
        guid = norm_guid(child.get(attribute) or child.get("guid") or child.get("targetGUID"))
        if guid:
            refs.append(guid)
    return refs


def _boolean(value: str | None, default: bool = True) -> bool:
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in {"false", "0", "no"}


def _position(value: str) -> int | None:
    try:
        return int(value.strip())
    except (AttributeError, ValueError):
        return None


def parse_codes(holder: Any, *, problems: list[str]) -> list[RefiCode]:
    """The codes under a CodeBook element (``Codes/Code``, or ``Code`` directly), nested."""
    elements = list(_items(holder, "Codes", "Code")) + _children(holder, "Code")
    return [_code(element, None, 1, problems) for element in elements]


def _code(element: Any, parent: str | None, depth: int, problems: list[str]) -> RefiCode:
    guid = norm_guid(element.get("guid"))
    name = _attr(element, "name")
    if not guid:
        problems.append(f"A code without a guid ({name or 'no name'}) was given a new one.")
    description = _text(element, "Description")
    code = RefiCode(
        guid=guid,
        name=name,
        is_codable=_boolean(element.get("isCodable")) and not switched_off(description),
        color=_attr(element, "color") or None,
        description=description,
        parent_guid=parent,
        depth=depth,
        note_refs=_refs(element, "NoteRef"),
    )
    code.children = [
        _code(child, guid or None, depth + 1, problems) for child in _children(element, "Code")
    ]
    return code


def _values(element: Any) -> list[RefiValue]:
    values = []
    for value in _children(element, "VariableValue"):
        ref = _child(value, "VariableRef")
        guid = norm_guid(ref.get("targetGUID") if ref is not None else value.get("targetGUID"))
        for kind in VALUE_KINDS:
            holder = _child(value, kind)
            if holder is not None:
                values.append(RefiValue(guid, kind, (holder.text or "").strip()))
                break
    return values


def _coding(element: Any) -> RefiCoding:
    ref = _child(element, "CodeRef")
    return RefiCoding(
        guid=norm_guid(element.get("guid")),
        code_guid=norm_guid(ref.get("targetGUID")) if ref is not None else "",
        user_guid=norm_guid(element.get("creatingUser")),
        created=_attr(element, "creationDateTime"),
        note_refs=_refs(element, "NoteRef"),
    )


def _selection(element: Any) -> RefiSelection:
    raw_start, raw_end = _attr(element, "startPosition"), _attr(element, "endPosition")
    return RefiSelection(
        guid=norm_guid(element.get("guid")),
        name=element.get("name") or "",
        start=_position(raw_start),
        end=_position(raw_end),
        user_guid=norm_guid(element.get("creatingUser")),
        created=_attr(element, "creationDateTime"),
        description=_text(element, "Description"),
        codings=[_coding(child) for child in _children(element, "Coding")],
        note_refs=_refs(element, "NoteRef"),
        raw_start=raw_start,
        raw_end=raw_end,
    )


def _text_source(element: Any, kind: str, parent_name: str = "") -> RefiTextSource:
    content = _child(element, "PlainTextContent")
    return RefiTextSource(
        guid=norm_guid(element.get("guid")),
        name=_attr(element, "name"),
        kind=kind,
        plain_text_path=_attr(element, "plainTextPath"),
        rich_text_path=_attr(element, "richTextPath"),
        plain_text_content=(content.text or "") if content is not None else None,
        user_guid=norm_guid(element.get("creatingUser")),
        created=_attr(element, "creationDateTime"),
        description=_text(element, "Description"),
        parent_name=parent_name,
        selections=[_selection(child) for child in _children(element, "PlainTextSelection")],
        codings=[_coding(child) for child in _children(element, "Coding")],
        note_refs=_refs(element, "NoteRef"),
        values=_values(element),
    )


def _media_source(element: Any, project: RefiProject) -> None:
    kind = element.tag
    name = _attr(element, "name")
    selections = [child for child in element if child.tag in MEDIA_SELECTIONS]
    texts = [*_children(element, "Representation"), *_children(element, "Transcript")]
    other = RefiOtherSource(
        guid=norm_guid(element.get("guid")),
        name=name,
        kind=kind,
        path=_attr(element, "path"),
        selections=len(selections),
        codings=sum(len(_children(selection, "Coding")) for selection in selections)
        + len(_children(element, "Coding")),
    )
    project.other_sources.append(other)
    for text in texts:
        source = _text_source(text, text.tag, parent_name=name)
        # Transcripts hold their own time-anchored selections; PDFs their page areas.
        source.media_selections = len(_children(text, "TranscriptSelection"))
        project.text_sources.append(source)


def parse_project(root: Any, *, namespace: str = "") -> RefiProject:
    """A ``Project`` document as a RefiProject (RefiError if the root is something else)."""
    if root.tag != "Project":
        raise RefiError(
            f"The .qde file's root element is <{root.tag}>, not <Project>: "
            "it is not a REFI-QDA project."
        )
    project = RefiProject(
        name=_attr(root, "name"),
        origin=_attr(root, "origin"),
        namespace=namespace,
        creating_user=norm_guid(root.get("creatingUserGUID")),
        description=_text(root, "Description"),
    )
    project.users = [
        RefiUser(norm_guid(u.get("guid")), _attr(u, "name"), _attr(u, "id"))
        for u in _items(root, "Users", "User")
    ]
    for codebook in _children(root, "CodeBook"):
        project.codes.extend(parse_codes(codebook, problems=project.problems))
    project.variables = [
        RefiVariable(
            norm_guid(v.get("guid")),
            _attr(v, "name"),
            _attr(v, "typeOfVariable") or "Text",
            _text(v, "Description"),
        )
        for v in _items(root, "Variables", "Variable")
    ]
    project.cases = [
        RefiCase(
            guid=norm_guid(c.get("guid")),
            name=_attr(c, "name"),
            description=_text(c, "Description"),
            values=_values(c),
            source_refs=_refs(c, "SourceRef"),
        )
        for c in _items(root, "Cases", "Case")
    ]
    for holder in _children(root, "Sources"):
        for element in holder:
            if element.tag == "TextSource":
                project.text_sources.append(_text_source(element, "TextSource"))
            elif element.tag in MEDIA_SOURCES:
                _media_source(element, project)
    project.notes = [
        RefiNote(
            guid=norm_guid(n.get("guid")),
            name=note_title(name=_attr(n, "name"), guid=norm_guid(n.get("guid"))),
            content=(
                (_child(n, "PlainTextContent").text or "")
                if _child(n, "PlainTextContent") is not None
                else None
            ),
            path=_attr(n, "plainTextPath"),
            user_guid=norm_guid(n.get("creatingUser")),
            created=_attr(n, "creationDateTime"),
            description=_text(n, "Description"),
        )
        for n in _items(root, "Notes", "Note")
    ]
    project.links = [
        RefiLink(
            norm_guid(link.get("guid")),
            _attr(link, "name"),
            norm_guid(link.get("originGUID")),
            norm_guid(link.get("targetGUID")),
        )
        for link in _items(root, "Links", "Link")
    ]
    project.sets = [_set(s, "targetGUID") for s in _items(root, "Sets", "Set")]
    project.graphs = len(list(_items(root, "Graphs", "Graph")))
    project.project_note_refs = _refs(root, "NoteRef")
    return project


def _set(element: Any, attribute: str) -> RefiSet:
    return RefiSet(
        guid=norm_guid(element.get("guid")),
        name=_attr(element, "name"),
        description=_text(element, "Description"),
        member_codes=_refs(element, "MemberCode", attribute),
        member_sources=_refs(element, "MemberSource", attribute),
        member_notes=_refs(element, "MemberNote", attribute),
    )


def parse_codebook(root: Any) -> tuple[list[RefiCode], list[RefiSet], str, list[str]]:
    """A ``CodeBook`` document (.qdc), or the codebook of a ``Project``: codes, sets, origin."""
    problems: list[str] = []
    if root.tag == "CodeBook":
        codes = parse_codes(root, problems=problems)
        sets = [_set(s, "guid") for s in _items(root, "Sets", "Set")]
        return codes, sets, _attr(root, "origin"), problems
    if root.tag == "Project":
        project = parse_project(root)
        return project.codes, project.sets, project.origin, project.problems
    raise RefiError(
        f"The file's root element is <{root.tag}>, not <CodeBook>: it is not a REFI-QDA codebook."
    )
