"""The shape of a whole-study file: its JSON Schema (``STUDY_SCHEMA``) and the check against it."""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

from coding.exchange.study_import.errors import StudyImportError
from coding.exchange.study_json import FORMAT, VERSION
from coding.models import MemoType

INT32 = 2**31 - 1


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
                    # Since issue 13; a document without it imports its memos as analytic.
                    "type": {"enum": list(MemoType.values)},
                    "title": _text(200),
                    "body": _text(minLength=1),
                    "created": TIME,
                    "updated": TIME,
                },
                optional=["type"],
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


def check_shape(document: Any) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    validator = Draft202012Validator(_outline_schema())
    error = best_match(validator.iter_errors(document))
    if error is not None:
        raise StudyImportError(f"At {_path(list(error.absolute_path))}: {error.message}")
    _check_flat(document["codings"], CODING_SCHEMA, "codings")
    for index, interview in enumerate(document["interviews"]):
        _check_flat(interview["turns"], TURN_SCHEMA, f"interviews[{index}].turns")
