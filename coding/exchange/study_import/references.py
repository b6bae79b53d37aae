"""Checks beyond the shape: references, spans, attribute values and times, each naming its item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError

from coding.exchange.study_import.errors import StudyImportError
from interviews.attributes import coerce_attribute_value
from interviews.models import AttributeDefinition, Role


def parse_time(value: str, where: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise StudyImportError(f"At {where}: {value!r} is not an ISO 8601 date and time.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def parse_date(value: str | None, where: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise StudyImportError(f"At {where}: {value!r} is not a date (YYYY-MM-DD).") from None


def _unique(values: Sequence[Any], what: str) -> None:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise StudyImportError(f"Two {what} are the same: {value!r}.")
        seen.add(value)


def check_references(document: dict[str, Any]) -> None:
    """Everything the database cannot check for us, with a message that points at the item."""
    usernames = [u["username"] for u in document["users"]]
    _unique(usernames, "users")
    known_users = set(usernames)

    def user(value: str | None, where: str) -> None:
        if value is not None and value not in known_users:
            raise StudyImportError(f"At {where}: {value!r} is not in the users list.")

    user(document["study"]["created_by"], "study.created_by")
    _unique([m["user"] for m in document["members"]], "members")
    for i, member in enumerate(document["members"]):
        user(member["user"], f"members[{i}].user")
    if not any(m["role"] == Role.LEAD for m in document["members"]):
        raise StudyImportError("The study has no lead among its members.")
    _unique([(a["entity"], a["key"]) for a in document["attributes"]], "attribute definitions")
    definitions = {(a["entity"], a["key"]): a for a in document["attributes"]}
    for i, attribute in enumerate(document["attributes"]):
        if attribute["type"] == "choice" and not attribute["choices"]:
            raise StudyImportError(f"At attributes[{i}]: a choice attribute needs choices.")

    def values(entity: str, attributes: dict[str, Any], where: str) -> None:
        for key, value in attributes.items():
            definition = definitions.get((entity, key))
            if definition is None:
                raise StudyImportError(f"At {where}: no {entity} attribute {key!r} is defined.")
            check = AttributeDefinition(
                key=key, label=definition["label"], type=definition["type"],
                choices=definition["choices"],
            )  # fmt: skip
            try:
                coerced = coerce_attribute_value(definition=check, raw=value)
            except ValidationError as exc:
                raise StudyImportError(f"At {where}.{key}: {' '.join(exc.messages)}") from None
            if coerced != value:
                raise StudyImportError(
                    f"At {where}.{key}: {value!r} is not stored as a {definition['type']}."
                )

    _unique([(p["role"], p["pseudonym"]) for p in document["participants"]], "participants")
    people = {(p["role"], p["pseudonym"]) for p in document["participants"]}
    for i, participant in enumerate(document["participants"]):
        values(participant["role"], participant["attributes"], f"participants[{i}].attributes")
    _unique([d["label"] for d in document["dyads"]], "dyad labels")
    labels = {d["label"] for d in document["dyads"]}
    for i, dyad in enumerate(document["dyads"]):
        for role in ("clinician", "patient"):
            if dyad[role] is not None and (role, dyad[role]) not in people:
                raise StudyImportError(f"At dyads[{i}].{role}: no {role} {dyad[role]!r}.")
        values("dyad", dyad["attributes"], f"dyads[{i}].attributes")
    _unique([d["guid"].lower() for d in document["dyads"]], "dyad GUIDs")
    _unique([iv["guid"].lower() for iv in document["interviews"]], "interview GUIDs")
    lengths: dict[str, int] = {}
    for i, interview in enumerate(document["interviews"]):
        where = f"interviews[{i}]"
        if interview["dyad"] not in labels:
            raise StudyImportError(f"At {where}.dyad: no dyad {interview['dyad']!r}.")
        user(interview["imported_by"], f"{where}.imported_by")
        parse_date(interview["conducted_on"], f"{where}.conducted_on")
        length = len(interview["text"])
        lengths[interview["guid"].lower()] = length
        indexes = [turn[0] for turn in interview["turns"]]
        _unique(indexes, f"turn indexes in {where}")
        for j, (_, _, _, start, end, _) in enumerate(interview["turns"]):
            if not start < end <= length:
                raise StudyImportError(
                    f"At {where}.turns[{j}]: the span [{start}, {end}) is not inside the "
                    f"text ({length} characters)."
                )
    codebook = document["codebook"]
    _unique([c["guid"].lower() for c in codebook["codes"]], "code GUIDs")
    _unique([c["key"] for c in codebook["codes"]], "code keys")
    code_guids = {c["guid"].lower() for c in codebook["codes"]}
    parents = {c["guid"].lower(): (c["parent"] or "").lower() for c in codebook["codes"]}
    for i, code in enumerate(codebook["codes"]):
        if code["parent"] is not None and code["parent"].lower() not in code_guids:
            raise StudyImportError(f"At codebook.codes[{i}].parent: no code {code['parent']!r}.")
        seen = {code["guid"].lower()}
        ancestor = parents[code["guid"].lower()]
        while ancestor:
            if ancestor in seen:
                raise StudyImportError(f"At codebook.codes[{i}]: the code is its own ancestor.")
            seen.add(ancestor)
            ancestor = parents.get(ancestor, "")
    _unique([v["number"] for v in codebook["versions"]], "codebook version numbers")
    for i, version in enumerate(codebook["versions"]):
        user(version["created_by"], f"codebook.versions[{i}].created_by")
    _unique([c["guid"].lower() for c in document["codings"]], "coding GUIDs")
    for i, coding in enumerate(document["codings"]):
        where = f"codings[{i}]"
        text_length = lengths.get(coding["interview"].lower())
        if text_length is None:
            raise StudyImportError(f"At {where}.interview: no interview {coding['interview']!r}.")
        if coding["code"].lower() not in code_guids:
            raise StudyImportError(f"At {where}.code: no code {coding['code']!r}.")
        user(coding["coder"], f"{where}.coder")
        if not coding["start"] < coding["end"] <= text_length:
            raise StudyImportError(
                f"At {where}: the span [{coding['start']}, {coding['end']}) is not inside the "
                f"interview's text ({text_length} characters)."
            )
    coding_guids = {c["guid"].lower() for c in document["codings"]}
    _unique([m["guid"].lower() for m in document["memos"]], "memo GUIDs")
    for i, memo in enumerate(document["memos"]):
        where = f"memos[{i}]"
        user(memo["author"], f"{where}.author")
        targets = [name for name in ("dyad", "interview", "code", "coding") if memo[name]]
        if len(targets) > 1:
            raise StudyImportError(f"At {where}: a memo has at most one target.")
        known = {
            "dyad": labels,
            "interview": set(lengths),
            "code": code_guids,
            "coding": coding_guids,
        }
        for name in targets:
            value = memo[name] if name == "dyad" else memo[name].lower()
            if value not in known[name]:
                raise StudyImportError(f"At {where}.{name}: no {name} {memo[name]!r}.")
    _unique([c["dyad"] for c in document["case_studies"]], "case studies of one dyad")
    for i, case in enumerate(document["case_studies"]):
        where = f"case_studies[{i}]"
        if case["dyad"] not in labels:
            raise StudyImportError(f"At {where}.dyad: no dyad {case['dyad']!r}.")
        user(case["updated_by"], f"{where}.updated_by")
        _unique([s["code"].lower() for s in case["sections"]], f"sections of {where}")
        for j, section in enumerate(case["sections"]):
            if section["code"].lower() not in code_guids:
                raise StudyImportError(f"At {where}.sections[{j}].code: no such code.")
            user(section["updated_by"], f"{where}.sections[{j}].updated_by")
            for guid in section["evidence"]:
                if guid.lower() not in coding_guids:
                    raise StudyImportError(
                        f"At {where}.sections[{j}].evidence: no coding {guid!r}."
                    )
    for i, decision in enumerate(document.get("adjudications", [])):
        where = f"adjudications[{i}]"
        passage_text = lengths.get(decision["interview"].lower())
        if passage_text is None:
            raise StudyImportError(f"At {where}.interview: no such interview.")
        if decision["code"].lower() not in code_guids:
            raise StudyImportError(f"At {where}.code: no code {decision['code']!r}.")
        if not decision["start"] < decision["end"] <= passage_text:
            raise StudyImportError(f"At {where}: the passage is not inside the text.")
        for name in ("coder_a", "coder_b", "accepted", "decided_by"):
            user(decision[name], f"{where}.{name}")
    for i, code in enumerate(codebook["codes"]):
        target = code.get("merged_into")
        if target is not None and target.lower() not in code_guids:
            raise StudyImportError(f"At codebook.codes[{i}].merged_into: no code {target!r}.")
    _unique([(a["interview"].lower(), a["coder"]) for a in document["assignments"]], "assignments")
    for i, assignment in enumerate(document["assignments"]):
        where = f"assignments[{i}]"
        if assignment["interview"].lower() not in lengths:
            raise StudyImportError(f"At {where}.interview: no such interview.")
        user(assignment["coder"], f"{where}.coder")
        user(assignment["assigned_by"], f"{where}.assigned_by")
