"""The JSON grammar of coding queries (docs/queries.md): parsing with clear messages, the JSON
Schema that describes the same grammar, the query in words, and its normal form.

A query ``Q`` is one of::

    {"code": "VAL", "descendants": true, "role": "patient", "perspective": "patient",
     "coder": "ana"}                                     a term (only "code" required)
    {"all": [Q1, Q2, ...], "within": "overlap" | "turn" | "interview" | "dyad"}
    {"not": [Q1, Q2], "within": ...}
    {"any": [Q1, Q2, ...]}
    {"near": [Q1, Q2], "turns": N, "count": "participant" | "all"}
    {"followed_by": [Q1, Q2], "turns": N, "count": "participant" | "all"}

Parsing checks only the shape (operators, keys, types, ranges, depth, size); which codes and
coders exist is checked when the query is resolved against a study (coding.queries.evaluate).
Every error is a ValidationError under ``query`` whose message starts with the path of the part
that is wrong (``query.all[1].turns: …``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rest_framework.exceptions import ValidationError

from interviews.models import TurnRole

OPERATORS = ("all", "not", "any", "near", "followed_by")
WITHIN = ("overlap", "turn", "interview", "dyad")
COUNTS = ("participant", "all")
PERSPECTIVES = ("patient", "clinician")
ROLES = tuple(TurnRole.values)
TERM_KEYS = ("code", "descendants", "role", "perspective", "coder")
MAX_TURNS = 50
MAX_DEPTH = 5  # operators nested inside one another, the outermost counting as 1
MAX_TERMS = 20  # terms in the whole query
MAX_OPERANDS = 10  # operands of one "all" or "any"
DEFAULT_WITHIN = "overlap"
DEFAULT_TURNS = 1
DEFAULT_COUNT = "participant"


@dataclass(frozen=True)
class Term:
    code: str
    descendants: bool = True
    role: str = ""
    perspective: str = ""
    coder: str = ""
    path: str = "query"


@dataclass(frozen=True)
class Operator:
    """``all``/``not`` (with ``within``), ``any``, ``near``/``followed_by`` (with ``turns`` and
    ``count``)."""

    op: str
    operands: tuple[Node, ...]
    within: str = DEFAULT_WITHIN
    turns: int = DEFAULT_TURNS
    count: str = DEFAULT_COUNT
    path: str = "query"


Node = Term | Operator


def _fail(path: str, message: str) -> ValidationError:
    return ValidationError({"query": [f"{path}: {message}"]})


def parse_query(data: Any) -> Node:
    """The query as nodes, or a ValidationError naming the part that is wrong."""
    counter = {"terms": 0}
    return _parse(data, "query", 1, counter)


def _parse(data: Any, path: str, depth: int, counter: dict[str, int]) -> Node:
    if not isinstance(data, dict):
        return _raise(path, 'a query is a JSON object: a term {"code": …} or an operator.')
    operators = [key for key in data if key in OPERATORS]
    if "code" in data and not operators:
        return _term(data, path, counter)
    if len(operators) != 1:
        unknown = [key for key in data if key not in OPERATORS and key not in TERM_KEYS]
        if not operators and unknown:
            return _raise(
                path,
                f'unknown operator {unknown[0]!r}: use a term {{"code": …}} or one of '
                f"{', '.join(OPERATORS)}.",
            )
        if not operators:
            return _raise(path, 'a term needs a "code".')
        return _raise(path, f"give one operator, not {' and '.join(operators)}.")
    op = operators[0]
    if depth > MAX_DEPTH:
        return _raise(path, f"too deep: operators nest at most {MAX_DEPTH} levels.")
    allowed = {op} | (
        {"within"}
        if op in ("all", "not")
        else {"turns", "count"}
        if op in ("near", "followed_by")
        else set()
    )
    extra = sorted(set(data) - allowed)
    if extra:
        return _raise(
            path, f"{op!r} does not take {extra[0]!r} (it takes {', '.join(sorted(allowed))})."
        )
    raw = data[op]
    if not isinstance(raw, list):
        return _raise(f"{path}.{op}", "give a list of queries.")
    if op in ("not", "near", "followed_by"):
        if len(raw) != 2:
            return _raise(f"{path}.{op}", f"{op!r} takes exactly two queries, [Q1, Q2].")
    elif not 2 <= len(raw) <= MAX_OPERANDS:
        return _raise(f"{path}.{op}", f"{op!r} takes 2 to {MAX_OPERANDS} queries.")
    operands = tuple(
        _parse(item, f"{path}.{op}[{i}]", depth + 1, counter) for i, item in enumerate(raw)
    )
    within, turns, count = DEFAULT_WITHIN, DEFAULT_TURNS, DEFAULT_COUNT
    if op in ("all", "not"):
        within = data.get("within", DEFAULT_WITHIN)
        if within not in WITHIN:
            return _raise(f"{path}.within", f"use one of {', '.join(WITHIN)}.")
    if op in ("near", "followed_by"):
        given: Any = data.get("turns", DEFAULT_TURNS)
        if isinstance(given, float) and given.is_integer():
            given = int(given)  # 2.0 is a whole number, as JSON Schema counts them
        if not isinstance(given, int) or isinstance(given, bool) or not 0 <= given <= MAX_TURNS:
            return _raise(f"{path}.turns", f"give a whole number from 0 to {MAX_TURNS}.")
        turns = given
        count = data.get("count", DEFAULT_COUNT)
        if count not in COUNTS:
            return _raise(f"{path}.count", f"use one of {', '.join(COUNTS)}.")
    return Operator(op=op, operands=operands, within=within, turns=turns, count=count, path=path)


def _term(data: dict[str, Any], path: str, counter: dict[str, int]) -> Term:
    extra = sorted(set(data) - set(TERM_KEYS))
    if extra:
        return _raise(path, f"a term does not take {extra[0]!r} (it takes {', '.join(TERM_KEYS)}).")
    counter["terms"] += 1
    if counter["terms"] > MAX_TERMS:
        return _raise(path, f"too many terms: a query holds at most {MAX_TERMS}.")
    code = data["code"]
    if not isinstance(code, str) or not code.strip() or len(code) > 40:
        return _raise(f"{path}.code", 'give a code\'s key, like "VAL".')
    descendants = data.get("descendants", True)
    if not isinstance(descendants, bool):
        return _raise(f"{path}.descendants", "use true or false.")
    role = data.get("role", "")
    if "role" in data and role not in ROLES:
        return _raise(f"{path}.role", f"use one of {', '.join(ROLES)}.")
    perspective = data.get("perspective", "")
    if "perspective" in data and perspective not in PERSPECTIVES:
        return _raise(f"{path}.perspective", f"use one of {', '.join(PERSPECTIVES)}.")
    coder = data.get("coder", "")
    if not isinstance(coder, str) or len(coder) > 150 or ("coder" in data and not coder.strip()):
        return _raise(f"{path}.coder", "give a coder's username.")
    return Term(
        code=code.strip(),
        descendants=descendants,
        role=role,
        perspective=perspective,
        coder=coder.strip(),
        path=path,
    )


def _raise(path: str, message: str) -> Any:
    raise _fail(path, message)


def query_json(node: Node) -> dict[str, Any]:
    """The normal form: every default written out, keys in a fixed order."""
    if isinstance(node, Term):
        term: dict[str, Any] = {"code": node.code, "descendants": node.descendants}
        for key in ("role", "perspective", "coder"):
            if getattr(node, key):
                term[key] = getattr(node, key)
        return term
    out: dict[str, Any] = {node.op: [query_json(child) for child in node.operands]}
    if node.op in ("all", "not"):
        out["within"] = node.within
    if node.op in ("near", "followed_by"):
        out["turns"] = node.turns
        out["count"] = node.count
    return out


def terms_of(node: Node) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    return [term for child in node.operands for term in terms_of(child)]


def needs_turns(node: Node) -> bool:
    """Whether evaluating the query needs each segment's turn."""
    if isinstance(node, Term):
        return False
    if node.op in ("near", "followed_by") or (node.op in ("all", "not") and node.within == "turn"):
        return True
    return any(needs_turns(child) for child in node.operands)


def counts_participant_turns(node: Node) -> bool:
    if isinstance(node, Term):
        return False
    if node.op in ("near", "followed_by") and node.count == "participant":
        return True
    return any(counts_participant_turns(child) for child in node.operands)


WITHIN_WORDS = {
    "overlap": "overlapping",
    "turn": "in the same turn as",
    "interview": "in the same interview as",
    "dyad": "in the same dyad as",
}


def describe(node: Node) -> str:
    """The query in words: "VAL (patient turns) followed within 2 participant turns by ABI"."""
    if isinstance(node, Term):
        parts = [node.code + ("" if node.descendants else " (without sub-codes)")]
        if node.role:
            parts.append(f"said by the {node.role}")
        if node.perspective:
            parts.append(f"in {node.perspective} interviews")
        if node.coder:
            parts.append(f"coded by {node.coder}")
        return ", ".join(parts)
    inner = [_wrapped(child) for child in node.operands]
    if node.op == "any":
        return " or ".join(inner)
    if node.op == "all":
        return f"{inner[0]} {WITHIN_WORDS[node.within]} " + " and ".join(inner[1:])
    if node.op == "not":
        return f"{inner[0]} not {WITHIN_WORDS[node.within]} {inner[1]}"
    unit = "participant turns" if node.count == "participant" else "turns"
    if node.turns == 1:
        unit = unit[:-1]
    if node.op == "near":
        return f"{inner[0]} within {node.turns} {unit} of {inner[1]}"
    if node.turns == 0:
        return f"{inner[0]} followed in the same turn by {inner[1]}"
    return f"{inner[0]} followed within {node.turns} {unit} by {inner[1]}"


def _wrapped(node: Node) -> str:
    text = describe(node)
    return text if isinstance(node, Term) else f"({text})"


def _operand_list(minimum: int, maximum: int) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"$ref": "#/$defs/query"},
        "minItems": minimum,
        "maxItems": maximum,
    }


def _operator_schema(op: str, extra: dict[str, Any], minimum: int, maximum: int) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [op],
        "properties": {op: _operand_list(minimum, maximum), **extra},
        "additionalProperties": False,
    }


WITHIN_SCHEMA = {"enum": list(WITHIN), "default": DEFAULT_WITHIN}
PROXIMITY_SCHEMA = {
    "turns": {"type": "integer", "minimum": 0, "maximum": MAX_TURNS, "default": DEFAULT_TURNS},
    "count": {"enum": list(COUNTS), "default": DEFAULT_COUNT},
}

# The grammar as a JSON Schema (served at /api/v1/queries/schema/). What a schema cannot say is
# checked by the parser alone: at most MAX_DEPTH nested operators and MAX_TERMS terms, and that
# the codes and coders exist in the study.
QUERY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://healing.example.org/schemas/coding-query.json",
    "title": "Healing coding query",
    "description": "A coding query (docs/queries.md).",
    "$ref": "#/$defs/query",
    "$defs": {
        "query": {
            "oneOf": [
                {"$ref": "#/$defs/term"},
                {"$ref": "#/$defs/all"},
                {"$ref": "#/$defs/not"},
                {"$ref": "#/$defs/any"},
                {"$ref": "#/$defs/near"},
                {"$ref": "#/$defs/followed_by"},
            ]
        },
        "term": {
            "type": "object",
            "required": ["code"],
            "properties": {
                "code": {"type": "string", "minLength": 1, "maxLength": 40},
                "descendants": {"type": "boolean", "default": True},
                "role": {"enum": list(ROLES)},
                "perspective": {"enum": list(PERSPECTIVES)},
                "coder": {"type": "string", "minLength": 1, "maxLength": 150},
            },
            "additionalProperties": False,
        },
        "all": _operator_schema("all", {"within": WITHIN_SCHEMA}, 2, MAX_OPERANDS),
        "not": _operator_schema("not", {"within": WITHIN_SCHEMA}, 2, 2),
        "any": _operator_schema("any", {}, 2, MAX_OPERANDS),
        "near": _operator_schema("near", PROXIMITY_SCHEMA, 2, 2),
        "followed_by": _operator_schema("followed_by", PROXIMITY_SCHEMA, 2, 2),
    },
}
