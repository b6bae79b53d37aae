"""Merging codes from a REFI-QDA file into a study's codebook (for .qdc and .qdpx imports).

A file code is the codebook's code with the same GUID, else with the same key (from a
Description we wrote), else with the same name under the same (matched) parent; any other is
added under its parent. New codes are inserted in bulk, level by level, each with its audit
record; the caller records the codebook version once.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from coding.exchange.refi.codes import (
    GROUP_LABELS,
    PALETTE,
    color_from_file,
    key_from_name,
    read_description,
    unique_key,
    valid_key,
)
from coding.exchange.refi.model import RefiCode, RefiSet, is_guid, iter_codes
from coding.exchange.refi.report import ImportReport
from coding.models import Code, Codebook, CodeGroup
from coding.services import CODE_FIELDS, code_update, codebook_version_record
from healing.audit.models import AuditEvent
from healing.audit.services import audit_records_bulk, snapshot


def match_codes(
    *, existing: list[Code], codes: list[RefiCode]
) -> dict[str, tuple[Code | None, str]]:
    """For each file code (by GUID): the existing code it is, and how it was matched
    ("guid", "key" from our Description, "name" under the same parent), or (None, "new")."""
    by_guid = {str(known.guid): known for known in existing}
    by_key = {known.key.lower(): known for known in existing}
    by_name: dict[tuple[int | None, str], list[Code]] = defaultdict(list)
    for known in existing:
        by_name[(known.parent_id, " ".join(known.name.split()).casefold())].append(known)
    matches: dict[str, tuple[Code | None, str]] = {}
    used: set[int] = set()
    for number, refi in enumerate(iter_codes(codes)):
        guid = refi.guid or f"no-guid-{number}"
        parent = matches.get(refi.parent_guid, (None, "new"))[0] if refi.parent_guid else None
        key = read_description(refi.description).key.lower()
        name = (parent.pk if parent else None, " ".join(refi.name.split()).casefold())
        found: tuple[Code | None, str] = (None, "new")
        if guid in by_guid and by_guid[guid].pk not in used:
            found = (by_guid[guid], "guid")
        elif key and key in by_key and by_key[key].pk not in used:
            found = (by_key[key], "key")
        elif (parent is not None or not refi.parent_guid) and len(by_name.get(name, [])) == 1:
            candidate = by_name[name][0]
            if candidate.pk not in used:
                found = (candidate, "name")
        if found[0] is not None:
            used.add(found[0].pk)
        matches[guid] = found
    return matches


@dataclass
class CodeMergeResult:
    by_guid: dict[str, Code] = field(default_factory=dict)
    created: list[Code] = field(default_factory=list)
    not_codable: list[Code] = field(default_factory=list)
    updated: int = 0
    matched: int = 0


def codebook_merge(
    *,
    codebook: Codebook,
    codes: list[RefiCode],
    actor: Any,
    report: ImportReport,
    update_matched: bool = False,
    groups: dict[str, str] | None = None,
) -> CodeMergeResult:
    """Add the file's codes to ``codebook``: a code matched by GUID, key or name (under the same
    parent) is kept (and updated from the file with ``update_matched``); any other is created
    under its parent. Codes are created codable; ``not_codable`` lists those to switch off
    once codings are in. No version is recorded here (the caller does, once)."""
    existing = list(Code.objects.filter(codebook=codebook))
    taken_keys = {code.key for code in existing}
    taken_guids = {str(code.guid) for code in existing}
    matches = match_codes(existing=existing, codes=codes)
    result = CodeMergeResult()
    sibling_names: dict[Any, set[str]] = defaultdict(set)
    for code in existing:
        sibling_names[code.parent_id].add(code.name.casefold())
    top = max((code.order for code in existing), default=-1)
    depth: dict[int, int] = {}  # id(new code) -> depth below the last existing ancestor
    for number, refi in enumerate(iter_codes(codes)):
        guid = refi.guid or f"no-guid-{number}"
        found, how = matches[guid]
        fields = read_description(refi.description)
        label = refi.name or f"code {number + 1}"
        if found is not None:
            result.matched += 1
            result.by_guid[guid] = found
            report.convert("code matched", label, f"matched {found.key} {found.name} by {how}")
            if update_matched:
                result.updated += _update_code(found, refi, fields, actor)
            continue
        parent = result.by_guid.get(refi.parent_guid or "") if refi.parent_guid else None
        name = " ".join(refi.name.split()) or "Unnamed code"
        if len(name) > 200:
            report.convert("name shortened", name[:60], "code name cut to 200 characters")
            name = name[:200]
        siblings = sibling_names[(parent.pk or f"new {id(parent)}") if parent is not None else None]
        if name.casefold() in siblings:
            renamed = unique_label_name(name, siblings)
            report.convert("renamed duplicate", name, f"a sibling code has this name: {renamed}")
            name = renamed
        siblings.add(name.casefold())
        key = fields.key if fields.key and valid_key(fields.key) else key_from_name(name)
        free = unique_key(key, taken_keys)
        if fields.key and free != fields.key:
            report.convert("renamed duplicate", name, f"key {fields.key} is taken: {free}")
        taken_keys.add(free)
        color = color_from_file(refi.color)
        if color is None:
            color = PALETTE[len(result.created) % len(PALETTE)]
            report.convert(
                "colour given",
                name,
                f"no usable colour ({refi.color!r})" if refi.color else "no colour in the file",
            )
        new_guid = refi.guid if is_guid(refi.guid) and refi.guid not in taken_guids else None
        if new_guid is None:
            report.convert("new GUID", name, f"GUID {refi.guid or '(none)'} unusable or taken")
        taken_guids.add(new_guid or "")
        group = (
            fields.group
            or (groups or {}).get(refi.guid)
            or (parent.group if parent is not None else CodeGroup.OTHER)
        )
        top += 1
        created = Code(
            codebook=codebook,
            parent=parent,
            key=free,
            name=name,
            group=group,
            definition=fields.definition,
            inclusion=fields.inclusion,
            exclusion=fields.exclusion,
            example=fields.example,
            color=color,
            order=top,
            is_active=True,
            **({"guid": uuid.UUID(new_guid)} if new_guid else {}),
        )
        created.clean_fields(exclude=["codebook", "parent"])
        depth[id(created)] = depth.get(id(parent), 0) + 1 if parent is not None else 1
        result.by_guid[guid] = created
        result.created.append(created)
        if not refi.is_codable:
            result.not_codable.append(created)
    _codes_bulk_create(codebook=codebook, codes=result.created, depth=depth, actor=actor)
    report.count("codes", len(result.created))
    if result.matched:
        report.count("codes matched", result.matched)
    if result.updated:
        report.count("codes updated", result.updated)
    return result


def _codes_bulk_create(
    *, codebook: Codebook, codes: list[Code], depth: dict[int, int], actor: Any
) -> None:
    """Insert new codes level by level (a parent gets its id before its children are written),
    each with its audit record, in a few queries instead of several per code."""
    levels: dict[int, list[Code]] = defaultdict(list)
    for code in codes:
        levels[depth[id(code)]].append(code)
    for level in sorted(levels):
        for code in levels[level]:
            if code.parent is not None:
                code.parent_id = code.parent.pk
        Code.objects.bulk_create(levels[level], batch_size=500)
    audit_records_bulk(
        [
            AuditEvent(
                study_id=codebook.study_id,
                actor_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
                action=AuditEvent.Action.CREATE,
                object_type="code",
                object_id=str(code.pk),
                after=snapshot(code, CODE_FIELDS),
                summary=f"Code {code.key} {code.name} added (import)"[:300],
            )
            for code in codes
        ]
    )


def code_groups(sets: list[RefiSet]) -> dict[str, str]:
    """Code GUID -> group, from sets named like ours ("Group: Process")."""
    labels = {f"group: {label}".lower(): group for group, label in GROUP_LABELS.items()}
    groups: dict[str, str] = {}
    for refi_set in sets:
        group = labels.get(refi_set.name.strip().lower())
        if group:
            for guid in refi_set.member_codes:
                groups.setdefault(guid, group)
    return groups


def unique_label_name(name: str, taken: set[str]) -> str:
    number = 2
    while f"{name} ({number})".casefold() in taken:
        number += 1
    return f"{name} ({number})"[:200]


def _update_code(code: Code, refi: RefiCode, fields: Any, actor: Any) -> int:
    changes: dict[str, Any] = {"is_active": refi.is_codable}
    if refi.name.strip():
        changes["name"] = " ".join(refi.name.split())[:200]
    color = color_from_file(refi.color)
    if color:
        changes["color"] = color
    if refi.description.strip():
        changes.update(
            definition=fields.definition,
            inclusion=fields.inclusion,
            exclusion=fields.exclusion,
            example=fields.example,
        )
    if fields.group:
        changes["group"] = fields.group
    before = (code.name, code.color, code.definition, code.is_active, code.group)
    code_update(code=code, actor=actor, bump_version=False, **changes)
    return int(before != (code.name, code.color, code.definition, code.is_active, code.group))


def finish_codebook(
    *, codebook: Codebook, merged: CodeMergeResult, summary: str, actor: Any, new: bool
) -> None:
    if merged.not_codable:
        Code.objects.filter(pk__in=[code.pk for code in merged.not_codable]).update(is_active=False)
    if new:
        codebook_version_record(codebook=codebook, summary=summary, actor=actor)
    elif merged.created or merged.updated or merged.not_codable:
        codebook.refresh_from_db()
        codebook_version_record(codebook=codebook, summary=summary, actor=actor)
