"""Inspect a .qdpx before importing it: what it holds, and a proposed mapping for the lead.

The plan (JSON, stored as the inspect job's result) lists each text source with the dyad and
perspective we propose for it, each case with the dyad it becomes, and each user with the
member, placeholder or layer their codings go to. Where the file says (our own export's
variables, a case holding the source, a set or a name mentioning "patient" or "clinician") the
proposal says where it came from; where it does not, the proposal is a guess and the page asks
the lead to confirm. ``mapping_clean`` checks a mapping sent back (from the page, the API or a
file given to the command) against the plan, filling in what it leaves out.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError

from coding.exchange.refi.codebook import match_codes
from coding.exchange.refi.codes import GROUP_LABELS, read_description
from coding.exchange.refi.export import CONSENSUS_USER_GUID, CONSENSUS_USER_NAME
from coding.exchange.refi.loading import LoadedProject
from coding.exchange.refi.model import RefiProject, RefiTextSource, iter_codes
from coding.exchange.refi.offsets import describe_unit
from coding.models import Code
from interviews.models import Dyad, Interview, Membership, Perspective, Study
from interviews.services.placeholders import placeholder_username as placeholder_username

SOURCE_ACTIONS = ("new", "existing", "skip")
USER_ACTIONS = ("member", "placeholder", "consensus", "skip")
NO_USER = ""  # the plan's entry for codings that name no user
PREVIEW_CHARS = 280
_PATIENT = re.compile(r"\b(patient|pt|client)s?\b", re.I)
_CLINICIAN = re.compile(
    r"\b(clinician|doctor|dr|physician|gp|provider|nurse|np|pa|practitioner)s?\b", re.I
)
_DYAD = re.compile(r"\b(D\d{1,4}|dyad[ _-]?\d{1,4}|pair[ _-]?\d{1,4})\b", re.I)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _perspective_from_words(*texts: str) -> str:
    for text in texts:
        patient, clinician = bool(_PATIENT.search(text)), bool(_CLINICIAN.search(text))
        if patient != clinician:
            return Perspective.PATIENT.value if patient else Perspective.CLINICIAN.value
    return ""


def _variable_names(project: RefiProject) -> dict[str, str]:
    return {variable.guid: variable.name for variable in project.variables}


def _source_value(project: RefiProject, source: RefiTextSource, name: str) -> str:
    names = _variable_names(project)
    for value in source.values:
        if names.get(value.variable_guid, "").lower() == name:
            return value.value
    return ""


def hint_sets(project: RefiProject) -> dict[str, str]:
    """Sets that say something we use: "Group: Process" (a code group) or a name that says
    "patient" or "clinician" (a perspective); set GUID -> what it says."""
    groups = {f"group: {label}".lower(): group for group, label in GROUP_LABELS.items()}
    hints: dict[str, str] = {}
    for refi_set in project.sets:
        group = groups.get(refi_set.name.strip().lower())
        if group and refi_set.member_codes:
            hints[refi_set.guid] = f"group:{group}"
            continue
        perspective = _perspective_from_words(refi_set.name)
        if perspective and refi_set.member_sources:
            hints[refi_set.guid] = f"perspective:{perspective}"
    return hints


def unique_label(base: str, taken: set[str]) -> str:
    """``base`` (at most 60 characters) or ``base (2)``… not in ``taken`` (case-insensitive)."""
    base = " ".join(base.split())[:60] or "Dyad"
    lowered = {label.lower() for label in taken}
    if base.lower() not in lowered:
        return base
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = base[: 60 - len(suffix)] + suffix
        if candidate.lower() not in lowered:
            return candidate
        number += 1


def case_labels(project: RefiProject) -> dict[str, str]:
    """A dyad label per case: its name, made unique ("Case 3" when it has none)."""
    labels: dict[str, str] = {}
    taken: set[str] = set()
    for number, case in enumerate(project.cases, start=1):
        label = unique_label(case.name or f"Case {number}", taken)
        taken.add(label)
        labels[case.guid] = label
    return labels


def referenced_users(project: RefiProject) -> tuple[Counter[str], Counter[str]]:
    """Codings and notes per user GUID ("" for codings that name nobody)."""
    codings: Counter[str] = Counter()
    for source in project.text_sources:
        for coding in source.codings:
            codings[coding.user_guid] += 1
        for selection in source.selections:
            for coding in selection.codings:
                codings[coding.user_guid or selection.user_guid] += 1
    notes = Counter(note.user_guid for note in project.notes)
    return codings, notes


def build_plan(
    *,
    loaded: LoadedProject,
    user: Any,
    study: Study | None,
    new_study: dict[str, str] | None = None,
) -> dict[str, Any]:
    """What the file holds and the proposed mapping into ``study`` (or a new study)."""
    project = loaded.project
    existing_labels = (
        set(Dyad.objects.filter(study=study).values_list("label", flat=True)) if study else set()
    )
    hashes: dict[str, int] = {}
    if study is not None:
        hashes = dict(Interview.objects.filter(dyad__study=study).values_list("text_sha256", "id"))
    labels = case_labels(project)
    case_of_source: dict[str, str] = {}
    for case in project.cases:
        for guid in case.source_refs:
            case_of_source.setdefault(guid, labels[case.guid])
    set_names: dict[str, list[str]] = {}
    for refi_set in project.sets:
        for guid in refi_set.member_sources:
            set_names.setdefault(guid, []).append(refi_set.name)

    sources: list[dict[str, Any]] = []
    for item in loaded.texts:
        source = item.source
        coding_count = len(source.codings) + sum(len(s.codings) for s in source.selections)
        entry: dict[str, Any] = {
            "guid": source.guid,
            "name": source.label,
            "kind": source.kind,
            "selections": len(source.selections),
            "codings": coding_count,
            "problem": item.problem,
            "duplicate_of": item.duplicate_of,
            "chars": len(item.text),
            "words": len(item.text.split()),
            "preview": item.text[:PREVIEW_CHARS],
            "sha256": text_sha256(item.text) if item.usable else "",
            "positions": describe_unit(item.positions.unit, item.positions.crlf)
            if item.positions is not None
            else "",
            "interview": None,
        }
        perspective = _source_value(project, source, "interview.perspective").lower()
        perspective_from = "variable" if perspective in Perspective.values else ""
        if not perspective_from:
            perspective = _perspective_from_words(*set_names.get(source.guid, []))
            perspective_from = "set" if perspective else ""
        if not perspective_from:
            perspective = _perspective_from_words(source.name, source.parent_name)
            perspective_from = "name" if perspective else ""
        if not perspective_from:
            perspective, perspective_from = Perspective.OTHER.value, "guess"
        dyad = case_of_source.get(source.guid, "")
        dyad_from = "case" if dyad else ""
        if not dyad:
            match = _DYAD.search(source.name) or _DYAD.search(source.parent_name)
            if match:
                dyad, dyad_from = match[1].upper().replace(" ", ""), "name"
        if not dyad:
            dyad, dyad_from = (source.label[:60] or f"Source {len(sources) + 1}"), "guess"
        entry.update(
            dyad=dyad,
            dyad_from=dyad_from,
            perspective=perspective,
            perspective_from=perspective_from,
        )
        if not item.usable or item.duplicate_of:
            entry["action"] = "skip"
        elif entry["sha256"] in hashes:
            entry["action"], entry["interview"] = "existing", hashes[entry["sha256"]]
        else:
            entry["action"] = "new"
        sources.append(entry)

    cases = [
        {
            "guid": case.guid,
            "name": case.name,
            "dyad": labels[case.guid],
            "sources": len(case.source_refs),
            "values": len(case.values),
            "existing": labels[case.guid] in existing_labels,
        }
        for case in project.cases
    ]

    members = _members(study=study, user=user)
    codings, notes = referenced_users(project)
    users = []
    known = set()
    for refi_user in project.users:
        known.add(refi_user.guid)
        users.append(
            _user_entry(refi_user.guid, refi_user.label, refi_user.id, codings, notes, members)
        )
    for guid in sorted(set(codings) | set(notes)):
        if guid not in known:
            label = "(no user given)" if guid == NO_USER else f"Unknown user {guid[:8]}"
            users.append(_user_entry(guid, label, "", codings, notes, members))
            known.add(guid)

    codes = list(iter_codes(project.codes))
    plan: dict[str, Any] = {
        "file": loaded.file.name,
        "origin": project.origin,
        "namespace": project.namespace,
        "project": project.name,
        "target": (
            {"kind": "existing", "study": study.slug, "title": study.title}
            if study is not None
            else {"kind": "new", **(new_study or {})}
        ),
        "counts": {
            "codes": len(codes),
            "levels": project.code_levels(),
            "not_codable": sum(1 for code in codes if not code.is_codable),
            "users": len(project.users),
            "variables": len(project.variables),
            "cases": len(project.cases),
            "text_sources": sum(1 for s in project.text_sources if s.kind == "TextSource"),
            "transcripts": sum(1 for s in project.text_sources if s.kind == "Transcript"),
            "representations": sum(1 for s in project.text_sources if s.kind == "Representation"),
            "other_sources": len(project.other_sources),
            "selections": project.selection_count(),
            "codings": sum(codings.values()),
            "notes": len(project.notes),
            "links": len(project.links),
            "sets": len(project.sets),
            "graphs": project.graphs,
        },
        "codes": code_match_summary(study=study, project=project),
        "sources": sources,
        "cases": cases,
        "users": users,
        "members": [{"username": u, "name": n} for u, n in members.items()],
        "dyads": sorted(existing_labels),
        "other_sources": [
            {"name": o.name, "kind": o.kind, "selections": o.selections, "codings": o.codings}
            for o in project.other_sources
        ],
        "problems": list(project.problems) + list(loaded.file.notes),
    }
    plan["needs_review"] = any(
        s["action"] != "skip" and "guess" in (s["dyad_from"], s["perspective_from"])
        for s in sources
    )
    return plan


def _members(*, study: Study | None, user: Any) -> dict[str, str]:
    """Usernames (with display names) codings may be given to: the study's members, or the
    importing user for a new study."""
    if study is None:
        return {user.username: user.get_full_name() or user.username}
    return {
        m.user.username: m.user.get_full_name() or m.user.username
        for m in Membership.objects.filter(study=study)
        .select_related("user")
        .order_by("user__username")
    }


def _user_entry(
    guid: str,
    name: str,
    user_id: str,
    codings: Counter[str],
    notes: Counter[str],
    members: dict[str, str],
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "guid": guid,
        "name": name,
        "id": user_id,
        "codings": codings.get(guid, 0),
        "notes": notes.get(guid, 0),
        "username": "",
    }
    wanted = {name.casefold(), user_id.casefold()} - {""}
    member = next(
        (
            username
            for username, display in members.items()
            if username.casefold() in wanted or display.casefold() in wanted
        ),
        "",
    )
    if guid == CONSENSUS_USER_GUID or (name == CONSENSUS_USER_NAME and not user_id):
        entry["action"] = "consensus"
    elif member:
        entry["action"], entry["username"] = "member", member
    elif guid == NO_USER and len(members) == 1:
        entry["action"], entry["username"] = "member", next(iter(members))
    elif entry["codings"] or entry["notes"]:
        entry["action"] = "placeholder"
    else:
        entry["action"] = "skip"
    return entry


def code_match_summary(*, study: Study | None, project: RefiProject) -> dict[str, int]:
    """How the file's codes would meet the study's codebook (all new for a new study)."""
    existing = list(Code.objects.filter(codebook__study=study)) if study is not None else []
    matches = match_codes(existing=existing, codes=project.codes)
    counts = Counter(how for _, how in matches.values())
    return {
        "total": len(matches),
        "match_guid": counts.get("guid", 0),
        "match_key": counts.get("key", 0),
        "match_name": counts.get("name", 0),
        "new": counts.get("new", 0),
        "with_healing_fields": sum(
            1 for code in iter_codes(project.codes) if read_description(code.description).key
        ),
    }


# --- Mapping ------------------------------------------------------------------------------------


def mapping_clean(*, plan: dict[str, Any], mapping: dict[str, Any] | None) -> dict[str, Any]:
    """The plan's proposals overridden by ``mapping``; ValidationError names each bad entry
    (``sources[2].dyad``). Entries the mapping leaves out keep the proposal."""
    mapping = mapping or {}
    if not isinstance(mapping, dict):
        raise ValidationError({"mapping": "The mapping is an object with sources, cases, users."})
    errors: dict[str, str] = {}
    given_sources = _by_guid(mapping.get("sources"), "sources", errors)
    given_cases = _by_guid(mapping.get("cases"), "cases", errors)
    given_users = _by_guid(mapping.get("users"), "users", errors)
    members = {member["username"] for member in plan["members"]}
    interviews = _interviews_for(plan)

    sources = []
    for index, proposal in enumerate(plan["sources"]):
        given = given_sources.pop(proposal["guid"], {})
        entry = {
            "guid": proposal["guid"],
            "action": str(given.get("action", proposal["action"])),
            "dyad": " ".join(str(given.get("dyad", proposal["dyad"]) or "").split()),
            "perspective": str(given.get("perspective", proposal["perspective"])),
            "interview": given.get("interview", proposal.get("interview")),
        }
        where = f"sources[{index}]"
        if entry["action"] not in SOURCE_ACTIONS:
            errors[f"{where}.action"] = f"Use one of {', '.join(SOURCE_ACTIONS)}."
        elif entry["action"] != "skip" and not proposal["sha256"]:
            errors[f"{where}.action"] = (
                f"{proposal['name']} cannot be imported: {proposal['problem'] or 'no text'}."
            )
        elif entry["action"] == "new":
            if not entry["dyad"] or len(entry["dyad"]) > 60:
                errors[f"{where}.dyad"] = "Give a dyad label of 1 to 60 characters."
            if entry["perspective"] not in Perspective.values:
                errors[f"{where}.perspective"] = "Use patient, clinician or other."
        elif entry["action"] == "existing":
            try:
                interview_id = int(entry["interview"])
            except (TypeError, ValueError):
                errors[f"{where}.interview"] = "Give the id of the interview to add codings to."
            else:
                entry["interview"] = interview_id
                if interviews.get(interview_id) is None:
                    errors[f"{where}.interview"] = f"No interview {interview_id} in this study."
                elif interviews[interview_id] != proposal["sha256"]:
                    errors[f"{where}.interview"] = (
                        f"Interview {interview_id} has another text than {proposal['name']}; "
                        "codings would land in the wrong places."
                    )
        sources.append(entry)
    for guid in given_sources:
        errors[f"sources.{guid}"] = "No such source in the file."

    cases = []
    for index, proposal in enumerate(plan["cases"]):
        given = given_cases.pop(proposal["guid"], {})
        label = " ".join(str(given.get("dyad", proposal["dyad"]) or "").split())
        if len(label) > 60:
            errors[f"cases[{index}].dyad"] = "Keep dyad labels to 60 characters ('' skips it)."
        cases.append({"guid": proposal["guid"], "dyad": label})
    for guid in given_cases:
        errors[f"cases.{guid}"] = "No such case in the file."

    users = []
    for index, proposal in enumerate(plan["users"]):
        given = given_users.pop(proposal["guid"], {})
        entry = {
            "guid": proposal["guid"],
            "action": str(given.get("action", proposal["action"])),
            "username": str(given.get("username", proposal["username"]) or ""),
        }
        if entry["action"] not in USER_ACTIONS:
            errors[f"users[{index}].action"] = f"Use one of {', '.join(USER_ACTIONS)}."
        elif entry["action"] == "member" and entry["username"] not in members:
            errors[f"users[{index}].username"] = (
                f"{entry['username'] or 'Nobody'} is not a member of the study; choose a member, "
                "a placeholder, the consensus layer or skip."
            )
        users.append(entry)
    for guid in given_users:
        errors[f"users.{guid}"] = "No such user in the file."
    if errors:
        raise ValidationError(errors)
    return {
        "sources": sources,
        "cases": cases,
        "users": users,
        "update_codes": bool(mapping.get("update_codes", False)),
    }


def _by_guid(items: Any, name: str, errors: dict[str, str]) -> dict[str, dict[str, Any]]:
    if items is None:
        return {}
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        errors[name] = "A list of objects, each with a guid."
        return {}
    return {str(item.get("guid", "")).strip("{}").lower(): item for item in items}


def _interviews_for(plan: dict[str, Any]) -> dict[int, str]:
    target = plan["target"]
    if target.get("kind") != "existing":
        return {}
    return dict(
        Interview.objects.filter(dyad__study__slug=target["study"]).values_list("id", "text_sha256")
    )
