"""Rebuild a study from a whole-study JSON document (``coding.exchange.study_json``).

The file is untrusted input: its shape is checked against a JSON Schema (``STUDY_SCHEMA``),
then every reference, span and attribute value is checked, and only then is anything written —
all in one transaction, so a file that fails leaves nothing behind. Rows are inserted in bulk
and keep their creation and change times (a raw insert, as ``loaddata`` does).

People are matched by username. Someone the target server does not know is created as an
inactive account without a password (so they cannot sign in until an administrator activates
them and they set one); their work keeps their name.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import gzip
import json
import re
import zlib
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db import connections as db_connections

from coding.exchange.study_json import FORMAT, SNAPSHOT_CODE_REFERENCES, VERSION
from coding.models import (
    Adjudication,
    Assignment,
    CaseStudy,
    CaseStudySection,
    Code,
    Codebook,
    CodebookVersion,
    Coding,
    Memo,
)
from healing.audit.services import audit_record
from interviews.attributes import coerce_attribute_value
from interviews.models import (
    AttributeDefinition,
    Dyad,
    Interview,
    Membership,
    Participant,
    Role,
    Study,
    Turn,
)

Progress = Callable[[int, str], None]
BATCH = 1000
INT32 = 2**31 - 1
# A gzipped file may unpack to at most this many times the upload limit (a zip bomb guard).
GZIP_RATIO_LIMIT = 20


class StudyImportError(Exception):
    """The file cannot be imported; the message says where and why. Nothing was stored."""


# --- The shape of the file ------------------------------------------------------------------------


def _text(max_length: int | None = None, **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", **extra}
    if max_length:
        schema["maxLength"] = max_length
    return schema


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict[str, Any], *, optional: Sequence[str] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


TIME = _text(40)
GUID = _text(36, pattern=r"^[0-9a-fA-F-]{32,36}$")
USERNAME = _text(150, minLength=1)
COUNT = {"type": "integer", "minimum": 0, "maximum": INT32}
SPAN = {"type": "integer", "minimum": 0, "maximum": INT32}
ATTRIBUTES = {
    "type": "object",
    "additionalProperties": {"type": ["string", "number", "boolean", "null"]},
}

STUDY_SCHEMA: dict[str, Any] = _object(
    {
        "format": {"const": FORMAT},
        "version": {"const": VERSION},
        "exported_at": TIME,
        "exported_by": _nullable(USERNAME),
        "layer": {"const": "all"},
        "codebook_version": {"type": "integer", "minimum": 1},
        "study": _object(
            {
                "slug": _text(64, pattern=r"^[-a-zA-Z0-9_]+$"),
                "title": _text(200, minLength=1),
                "description": _text(),
                "blind_coding": {"type": "boolean"},
                "created": TIME,
                "created_by": _nullable(USERNAME),
            }
        ),
        "users": _array(
            _object({"username": USERNAME, "first_name": _text(150), "last_name": _text(150)})
        ),
        "members": _array(
            _object(
                {
                    "user": USERNAME,
                    "role": {"enum": ["lead", "coder", "viewer"]},
                    "adjudicator": {"type": "boolean"},
                    "created": TIME,
                }
            )
        ),
        "attributes": _array(
            _object(
                {
                    "entity": {"enum": ["clinician", "patient", "dyad"]},
                    "key": _text(40, pattern=r"^[a-z][a-z0-9_]{0,39}$"),
                    "label": _text(120),
                    "type": {"enum": ["text", "integer", "decimal", "boolean", "date", "choice"]},
                    "choices": _array(_text(500)),
                    "order": COUNT,
                }
            )
        ),
        "participants": _array(
            _object(
                {
                    "role": {"enum": ["clinician", "patient"]},
                    "pseudonym": _text(120, minLength=1),
                    "attributes": ATTRIBUTES,
                    "created": TIME,
                }
            )
        ),
        "dyads": _array(
            _object(
                {
                    "label": _text(60, minLength=1),
                    "clinician": _nullable(_text(120)),
                    "patient": _nullable(_text(120)),
                    "attributes": ATTRIBUTES,
                    "guid": GUID,
                    "created": TIME,
                }
            )
        ),
        "interviews": _array(
            _object(
                {
                    "guid": GUID,
                    "dyad": _text(60),
                    "perspective": {"enum": ["patient", "clinician", "other"]},
                    "title": _text(200),
                    "conducted_on": _nullable(_text(10)),
                    "interviewer": _text(120),
                    "text": _text(minLength=1),
                    "text_sha256": _text(64),
                    "word_count": COUNT,
                    "source_name": _text(255),
                    "source_format": _text(10),
                    "imported_by": _nullable(USERNAME),
                    "consensus_complete": {"type": "boolean"},
                    "created": TIME,
                    "updated": TIME,
                    "turns": _array(
                        {
                            "type": "array",
                            "prefixItems": [
                                COUNT,
                                _text(120),
                                {"enum": ["interviewer", "patient", "clinician", "other"]},
                                SPAN,
                                SPAN,
                                _nullable({"type": "integer", "minimum": 0, "maximum": 2**63 - 1}),
                            ],
                            "minItems": 6,
                            "maxItems": 6,
                        }
                    ),
                }
            )
        ),
        "codebook": _object(
            {
                "title": _text(200),
                "description": _text(),
                "version": {"type": "integer", "minimum": 1, "maximum": INT32},
                "origin": _text(200),
                "updated": TIME,
                "codes": _array(
                    _object(
                        {
                            "guid": GUID,
                            "parent": _nullable(GUID),
                            "key": _text(40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"),
                            "name": _text(200, minLength=1),
                            "group": {"enum": ["process", "outcome", "competency", "other"]},
                            "definition": _text(),
                            "inclusion": _text(),
                            "exclusion": _text(),
                            "example": _text(),
                            "color": _text(7, pattern=r"^#[0-9A-Fa-f]{6}$"),
                            "order": COUNT,
                            "is_active": {"type": "boolean"},
                            "merged_into": _nullable(GUID),
                            "created": TIME,
                            "updated": TIME,
                        },
                        optional=["merged_into"],
                    )
                ),
                "versions": _array(
                    _object(
                        {
                            "number": {"type": "integer", "minimum": 1, "maximum": INT32},
                            "summary": _text(300),
                            "snapshot": _array({"type": "object"}),
                            "created_by": _nullable(USERNAME),
                            "created": TIME,
                        }
                    )
                ),
            }
        ),
        "codings": _array(
            _object(
                {
                    "guid": GUID,
                    "interview": GUID,
                    "code": GUID,
                    "coder": USERNAME,
                    "layer": {"enum": ["individual", "consensus"]},
                    "start": SPAN,
                    "end": SPAN,
                    "quote": _text(),
                    "memo": _text(10_000),
                    "codebook_version": COUNT,
                    "created": TIME,
                    "updated": TIME,
                }
            )
        ),
        "memos": _array(
            _object(
                {
                    "guid": GUID,
                    "dyad": _nullable(_text(60)),
                    "interview": _nullable(GUID),
                    "code": _nullable(GUID),
                    "coding": _nullable(GUID),
                    "author": USERNAME,
                    "title": _text(200),
                    "body": _text(minLength=1),
                    "created": TIME,
                    "updated": TIME,
                }
            )
        ),
        "case_studies": _array(
            _object(
                {
                    "dyad": _text(60),
                    "summary": _text(),
                    "updated_by": _nullable(USERNAME),
                    "updated": TIME,
                    "sections": _array(
                        _object(
                            {
                                "code": GUID,
                                "synthesis": _text(),
                                "evidence": _array(GUID),
                                "updated_by": _nullable(USERNAME),
                                "updated": TIME,
                            }
                        )
                    ),
                }
            )
        ),
        "assignments": _array(
            _object(
                {
                    "interview": GUID,
                    "coder": USERNAME,
                    "assigned_by": _nullable(USERNAME),
                    "done": {"type": "boolean"},
                    "created": TIME,
                }
            )
        ),
        # Decisions settling two coders' disagreements; coding and code ids inside ``source``
        # and ``result`` are GUIDs (null: a coding deleted since).
        "adjudications": _array(
            _object(
                {
                    "interview": GUID,
                    "code": GUID,
                    "start": SPAN,
                    "end": SPAN,
                    "decision": {"enum": ["accept", "merge", "new"]},
                    "coder_a": _nullable(USERNAME),
                    "coder_b": _nullable(USERNAME),
                    "accepted": _nullable(USERNAME),
                    "note": _text(),
                    "source": {
                        "type": "object",
                        "additionalProperties": _array(
                            {
                                "type": "array",
                                "prefixItems": [_nullable(GUID), SPAN, SPAN],
                                "minItems": 3,
                                "maxItems": 3,
                            }
                        ),
                    },
                    "result": _array(
                        {
                            "type": "array",
                            "prefixItems": [_nullable(GUID), _nullable(GUID), SPAN, SPAN],
                            "minItems": 4,
                            "maxItems": 4,
                        }
                    ),
                    "decided_by": _nullable(USERNAME),
                    "created": TIME,
                }
            )
        ),
    },
    optional=["adjudications"],
)


def _path(parts: Sequence[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the document"


# The bulk of a large file is its codings and speaker turns: those items are checked against
# their part of STUDY_SCHEMA by ``_check_flat`` (the same rules, a hundred times faster than a
# general validator); jsonschema checks the rest.
CODING_SCHEMA: dict[str, Any] = STUDY_SCHEMA["properties"]["codings"]["items"]
TURN_SCHEMA: dict[str, Any] = STUDY_SCHEMA["properties"]["interviews"]["items"]["properties"][
    "turns"
]["items"]


def _outline_schema() -> dict[str, Any]:
    outline = copy.deepcopy(STUDY_SCHEMA)
    outline["properties"]["codings"]["items"] = {"type": "object"}
    interview = outline["properties"]["interviews"]["items"]
    interview["properties"]["turns"]["items"] = {"type": "array"}
    return outline


_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


@functools.cache
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _flat_problem(value: Any, schema: dict[str, Any]) -> str | None:
    """Why ``value`` breaks a scalar ``schema`` (the keywords STUDY_SCHEMA uses), or None."""
    if "anyOf" in schema:
        problems = [_flat_problem(value, option) for option in schema["anyOf"]]
        return None if None in problems else problems[0]
    if "const" in schema and value != schema["const"]:
        return f"{value!r} was expected to be {schema['const']!r}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{value!r} is not one of {schema['enum']!r}"
    kind = schema.get("type")
    if kind is not None and not _TYPES[kind](value):
        return f"{value!r} is not of type {kind!r}"
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", len(value)):
            return f"{value[:40]!r} is longer than {schema['maxLength']} characters"
        if len(value) < schema.get("minLength", 0):
            return f"{value!r} should be non-empty"
        if "pattern" in schema and not _pattern(schema["pattern"]).search(value):
            return f"{value!r} does not match {schema['pattern']!r}"
    elif isinstance(value, int) and not isinstance(value, bool):
        if value < schema.get("minimum", value):
            return f"{value} is less than the minimum of {schema['minimum']}"
        if value > schema.get("maximum", value):
            return f"{value} is greater than the maximum of {schema['maximum']}"
    return None


def _check_flat(items: list[Any], schema: dict[str, Any], where: str) -> None:
    """Check a list of flat objects (properties) or fixed tuples (prefixItems) fast."""
    properties = schema.get("properties")
    required = set(schema.get("required", []))
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        if properties is not None:
            if not isinstance(item, dict):
                raise StudyImportError(f"At {at}: {item!r} is not of type 'object'")
            extra = set(item) - set(properties)
            if extra:
                raise StudyImportError(
                    f"At {at}: Additional properties are not allowed "
                    f"({', '.join(sorted(map(repr, extra)))} were unexpected)"
                )
            missing = required - set(item)
            if missing:
                raise StudyImportError(f"At {at}: {sorted(missing)[0]!r} is a required property")
            for name, value in item.items():
                problem = _flat_problem(value, properties[name])
                if problem:
                    raise StudyImportError(f"At {at}.{name}: {problem}")
        else:
            positions = schema["prefixItems"]
            if not isinstance(item, list) or len(item) != len(positions):
                raise StudyImportError(f"At {at}: expected a list of {len(positions)} values")
            for position, (value, part) in enumerate(zip(item, positions, strict=True)):
                problem = _flat_problem(value, part)
                if problem:
                    raise StudyImportError(f"At {at}[{position}]: {problem}")


def _check_shape(document: Any) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    validator = Draft202012Validator(_outline_schema())
    error = best_match(validator.iter_errors(document))
    if error is not None:
        raise StudyImportError(f"At {_path(list(error.absolute_path))}: {error.message}")
    _check_flat(document["codings"], CODING_SCHEMA, "codings")
    for index, interview in enumerate(document["interviews"]):
        _check_flat(interview["turns"], TURN_SCHEMA, f"interviews[{index}].turns")


def parse_document(data: bytes) -> dict[str, Any]:
    """Parse the file (JSON, or gzipped JSON) and check it is a whole-study export we read."""
    if data[:2] == b"\x1f\x8b":
        limit = settings.HEALING_MAX_UPLOAD_BYTES * GZIP_RATIO_LIMIT
        try:
            unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data = unpacker.decompress(data, limit + 1)
        except (zlib.error, gzip.BadGzipFile) as exc:
            raise StudyImportError(f"The gzipped file is damaged ({exc}).") from None
        if len(data) > limit or unpacker.unconsumed_tail:
            raise StudyImportError(
                f"The gzipped file unpacks to more than {limit / 1_000_000:.0f} MB; refused."
            )
        if not unpacker.eof:
            raise StudyImportError("The gzipped file is damaged or cut short.")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise StudyImportError("The file is not UTF-8 text.") from None
    except (ValueError, RecursionError) as exc:
        raise StudyImportError(f"The file is not valid JSON ({exc}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StudyImportError(f'This is not a whole-study export (expected "format": "{FORMAT}").')
    if document.get("version") != VERSION:
        raise StudyImportError(
            f"This file is version {document.get('version')!r} of the format; "
            f"this server reads version {VERSION}."
        )
    return document


def load_document(data: bytes) -> dict[str, Any]:
    """Parse the file and check its shape against ``STUDY_SCHEMA``."""
    document = parse_document(data)
    _check_shape(document)
    return document


# --- Checks beyond the shape --------------------------------------------------------------------


def _time(value: str, where: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise StudyImportError(f"At {where}: {value!r} is not an ISO 8601 date and time.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _date(value: str | None, where: str) -> dt.date | None:
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


def _check_references(document: dict[str, Any]) -> None:
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
        _date(interview["conducted_on"], f"{where}.conducted_on")
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


# --- Writing ------------------------------------------------------------------------------------


def insert_keeping_times(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert rows as they are, auto_now and auto_now_add values included (a raw insert, as
    ``loaddata`` does), in batches; sets each object's primary key."""
    if not objects:
        return
    db = router.db_for_write(model)
    connection = db_connections[db]
    # Generated columns (Interview.text_length) are computed by the database, never inserted.
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not getattr(f, "generated", False)
    ]
    batch = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, list(objects))))
    manager = model._base_manager.using(db)
    for offset in range(0, len(objects), batch):
        chunk = list(objects[offset : offset + batch])
        rows = manager._insert(  # type: ignore[attr-defined]
            chunk, fields=fields, returning_fields=[model._meta.pk], raw=True, using=db
        )
        for obj, row in zip(chunk, rows, strict=True):
            obj.pk = row[0]
            obj._state.adding = False
            obj._state.db = db


def _snapshot_in(snapshot: list[dict[str, Any]], code_id: dict[str, int]) -> list[dict[str, Any]]:
    """A version's snapshot with GUIDs turned back into this server's code ids."""
    entries = []
    for entry in snapshot:
        guid = str(entry.get("guid") or "").lower()
        rebuilt = {"id": code_id.get(guid), **entry}
        for name in SNAPSHOT_CODE_REFERENCES:
            if name not in entry:
                continue
            target = entry[name]
            target_id = code_id.get(str(target).lower()) if target else None
            rebuilt[name] = target_id
            if target and target_id is None:
                rebuilt[f"{name}_guid"] = target  # a code that no longer exists
        entries.append(rebuilt)
    return entries


def _users(document: dict[str, Any]) -> dict[str, Any]:
    """The file's people, by username: existing accounts, or new inactive ones."""
    user_model = get_user_model()
    wanted = {u["username"]: u for u in document["users"]}
    found = {u.get_username(): u for u in user_model.objects.filter(username__in=list(wanted))}
    for username, person in wanted.items():
        if username in found:
            continue
        account = user_model(
            username=username,
            first_name=person["first_name"],
            last_name=person["last_name"],
            is_active=False,
        )
        account.set_unusable_password()
        account.save()
        found[username] = account
    return found


def study_import(
    *,
    data: bytes | dict[str, Any],
    actor: Any = None,
    slug: str | None = None,
    progress: Progress | None = None,
) -> Study:
    """Create a study from a whole-study document; all or nothing.

    ``slug`` renames it (the file's slug may be taken here). The ``actor`` (who imports) is
    recorded in the audit trail and made a lead of the new study so they can open it.
    """
    report = progress or (lambda percent, message: None)
    report(1, "Reading the file")
    document = data if isinstance(data, dict) else load_document(data)
    if isinstance(data, dict):
        _check_shape(document)
    _check_references(document)
    slug = slug or document["study"]["slug"]
    if Study.objects.filter(slug=slug).exists():
        raise StudyImportError(
            f"A study with the slug {slug!r} already exists here; import it under another slug."
        )
    try:
        with transaction.atomic():
            study = _write(document, slug=slug, actor=actor, report=report)
    except IntegrityError as exc:
        raise StudyImportError(
            f"The file breaks a rule of the database, so nothing was imported: {exc}"
        ) from None
    report(100, f"Imported {study.slug}")
    return study


def _write(document: dict[str, Any], *, slug: str, actor: Any, report: Progress) -> Study:
    users = _users(document)

    def user(name: str | None) -> Any:
        return users[name] if name else None

    source = document["study"]
    study = Study(
        slug=slug,
        title=source["title"],
        description=source["description"],
        blind_coding=source["blind_coding"],
        created_by=user(source["created_by"]),
        created=_time(source["created"], "study.created"),
    )
    insert_keeping_times(Study, [study])
    memberships = [
        Membership(
            study=study,
            user=user(m["user"]),
            role=m["role"],
            adjudicator=m["adjudicator"],
            created=_time(m["created"], "members"),
        )
        for m in document["members"]
    ]
    insert_keeping_times(Membership, memberships)
    AttributeDefinition.objects.bulk_create(
        [AttributeDefinition(study=study, **a) for a in document["attributes"]]
    )
    participants = [
        Participant(
            study=study,
            role=p["role"],
            pseudonym=p["pseudonym"],
            attributes=p["attributes"],
            created=_time(p["created"], "participants"),
        )
        for p in document["participants"]
    ]
    insert_keeping_times(Participant, participants)
    person = {(p.role, p.pseudonym): p for p in participants}
    dyads = [
        Dyad(
            study=study,
            label=d["label"],
            clinician=person.get(("clinician", d["clinician"])) if d["clinician"] else None,
            patient=person.get(("patient", d["patient"])) if d["patient"] else None,
            attributes=d["attributes"],
            guid=d["guid"],
            created=_time(d["created"], "dyads"),
        )
        for d in document["dyads"]
    ]
    insert_keeping_times(Dyad, dyads)
    dyad = {d.label: d for d in dyads}
    report(10, "Importing interviews")
    interviews = [
        Interview(
            dyad=dyad[i["dyad"]],
            perspective=i["perspective"],
            title=i["title"],
            conducted_on=_date(i["conducted_on"], "interviews"),
            interviewer=i["interviewer"],
            text=i["text"],
            text_sha256=i["text_sha256"],
            word_count=i["word_count"],
            source_name=i["source_name"],
            source_format=i["source_format"],
            imported_by=user(i["imported_by"]),
            consensus_complete=i["consensus_complete"],
            guid=i["guid"],
            created=_time(i["created"], "interviews"),
            updated=_time(i["updated"], "interviews"),
        )
        for i in document["interviews"]
    ]
    insert_keeping_times(Interview, interviews)
    interview = {str(i.guid).lower(): i for i in interviews}
    Turn.objects.bulk_create(
        [
            Turn(
                interview=row,
                index=index,
                speaker=speaker,
                role=role,
                start=start,
                end=end,
                timestamp_ms=timestamp,
            )
            for row, source_interview in zip(interviews, document["interviews"], strict=True)
            for index, speaker, role, start, end, timestamp in source_interview["turns"]
        ],
        batch_size=BATCH,
    )
    report(30, "Importing the codebook")
    source_book = document["codebook"]
    codebook = Codebook(
        study=study,
        title=source_book["title"],
        description=source_book["description"],
        version=source_book["version"],
        origin=source_book["origin"],
        updated=_time(source_book["updated"], "codebook.updated"),
    )
    insert_keeping_times(Codebook, [codebook])
    codes = [
        Code(
            codebook=codebook,
            guid=c["guid"],
            key=c["key"],
            name=c["name"],
            group=c["group"],
            definition=c["definition"],
            inclusion=c["inclusion"],
            exclusion=c["exclusion"],
            example=c["example"],
            color=c["color"],
            order=c["order"],
            is_active=c["is_active"],
            created=_time(c["created"], "codebook.codes"),
            updated=_time(c["updated"], "codebook.codes"),
        )
        for c in source_book["codes"]
    ]
    insert_keeping_times(Code, codes)
    code = {str(c.guid).lower(): c for c in codes}
    with_parent = []
    for row, source_code in zip(codes, source_book["codes"], strict=True):
        if source_code["parent"]:
            row.parent = code[source_code["parent"].lower()]
            with_parent.append(row)
    # bulk_update writes only the parent column: the codes keep their times.
    Code.objects.bulk_update(with_parent, ["parent"], batch_size=BATCH)
    merged = []
    for row, source_code in zip(codes, source_book["codes"], strict=True):
        if source_code.get("merged_into"):
            row.merged_into = code[source_code["merged_into"].lower()]
            merged.append(row)
    Code.objects.bulk_update(merged, ["merged_into"], batch_size=BATCH)
    code_id = {guid: row.pk for guid, row in code.items()}
    insert_keeping_times(
        CodebookVersion,
        [
            CodebookVersion(
                codebook=codebook,
                number=v["number"],
                summary=v["summary"],
                snapshot=_snapshot_in(v["snapshot"], code_id),
                created_by=user(v["created_by"]),
                created=_time(v["created"], "codebook.versions"),
            )
            for v in source_book["versions"]
        ],
    )
    report(40, "Importing codings")
    referenced = {m["coding"].lower() for m in document["memos"] if m["coding"]}
    for case in document["case_studies"]:
        for section in case["sections"]:
            referenced.update(guid.lower() for guid in section["evidence"])
    for decision in document.get("adjudications", []):
        for rows in decision["source"].values():
            referenced.update(row[0].lower() for row in rows if row[0])
        referenced.update(row[0].lower() for row in decision["result"] if row[0])
    coding_pk: dict[str, int] = {}
    source_codings = document["codings"]
    for offset in range(0, len(source_codings), BATCH * 5):
        batch = [
            Coding(
                interview=interview[c["interview"].lower()],
                code=code[c["code"].lower()],
                coder=user(c["coder"]),
                layer=c["layer"],
                start=c["start"],
                end=c["end"],
                quote=c["quote"],
                memo=c["memo"],
                codebook_version=c["codebook_version"],
                guid=c["guid"],
                created=_time(c["created"], "codings"),
                updated=_time(c["updated"], "codings"),
            )
            for c in source_codings[offset : offset + BATCH * 5]
        ]
        insert_keeping_times(Coding, batch)
        for made in batch:
            guid = str(made.guid).lower()
            if guid in referenced:
                coding_pk[guid] = made.pk
        report(
            40 + int(50 * min(offset + BATCH * 5, len(source_codings)) / len(source_codings)),
            f"Imported {min(offset + BATCH * 5, len(source_codings)):,} codings",
        )
    report(90, "Importing memos, case studies and assignments")
    insert_keeping_times(
        Memo,
        [
            Memo(
                study=study,
                dyad=dyad[m["dyad"]] if m["dyad"] else None,
                interview=interview[m["interview"].lower()] if m["interview"] else None,
                code=code[m["code"].lower()] if m["code"] else None,
                coding_id=coding_pk[m["coding"].lower()] if m["coding"] else None,
                author=user(m["author"]),
                title=m["title"],
                body=m["body"],
                guid=m["guid"],
                created=_time(m["created"], "memos"),
                updated=_time(m["updated"], "memos"),
            )
            for m in document["memos"]
        ],
    )
    cases = [
        CaseStudy(
            dyad=dyad[c["dyad"]],
            summary=c["summary"],
            updated_by=user(c["updated_by"]),
            updated=_time(c["updated"], "case_studies"),
        )
        for c in document["case_studies"]
    ]
    insert_keeping_times(CaseStudy, cases)
    sections: list[CaseStudySection] = []
    evidence: list[tuple[CaseStudySection, list[str]]] = []
    for case, source_case in zip(cases, document["case_studies"], strict=True):
        for s in source_case["sections"]:
            section = CaseStudySection(
                case_study=case,
                code=code[s["code"].lower()],
                synthesis=s["synthesis"],
                updated_by=user(s["updated_by"]),
                updated=_time(s["updated"], "case_studies.sections"),
            )
            sections.append(section)
            evidence.append((section, s["evidence"]))
    insert_keeping_times(CaseStudySection, sections)
    through = CaseStudySection.evidence.through
    through.objects.bulk_create(
        [
            through(casestudysection_id=section.pk, coding_id=coding_pk[guid.lower()])
            for section, guids in evidence
            for guid in guids
        ],
        batch_size=BATCH,
    )
    insert_keeping_times(
        Assignment,
        [
            Assignment(
                interview=interview[a["interview"].lower()],
                coder=user(a["coder"]),
                assigned_by=user(a["assigned_by"]),
                done=a["done"],
                created=_time(a["created"], "assignments"),
            )
            for a in document["assignments"]
        ],
    )
    insert_keeping_times(
        Adjudication,
        [
            Adjudication(
                interview=interview[d["interview"].lower()],
                code=code[d["code"].lower()],
                start=d["start"],
                end=d["end"],
                decision=d["decision"],
                coder_a=user(d["coder_a"]),
                coder_b=user(d["coder_b"]),
                accepted=user(d["accepted"]),
                note=d["note"],
                source={
                    side: [
                        [coding_pk.get(row[0].lower()) if row[0] else None, *row[1:]]
                        for row in rows
                    ]
                    for side, rows in d["source"].items()
                },
                result=[
                    [
                        coding_pk.get(row[0].lower()) if row[0] else None,
                        code_id.get(row[1].lower()) if row[1] else None,
                        *row[2:],
                    ]
                    for row in d["result"]
                ],
                decided_by=user(d["decided_by"]),
                created=_time(d["created"], "adjudications"),
            )
            for d in document.get("adjudications", [])
        ],
    )
    if actor is not None and getattr(actor, "is_authenticated", False):
        mine = next((m for m in memberships if m.user_id == actor.pk), None)
        if mine is None:
            Membership.objects.create(study=study, user=actor, role=Role.LEAD)
        elif mine.role != Role.LEAD:
            Membership.objects.filter(pk=mine.pk).update(role=Role.LEAD)
    audit_record(
        study_id=study.pk,
        actor=actor,
        action="import",
        object_type="study",
        object_id=study.slug,
        after={
            "from": document["study"]["slug"],
            "exported_at": document["exported_at"],
            "dyads": len(dyads),
            "interviews": len(interviews),
            "codings": len(source_codings),
        },
        summary=f"Study imported from a whole-study export of {document['study']['slug']!r} "
        f"({len(interviews)} interviews, {len(source_codings)} codings)",
    )
    return study
