"""Typed attributes of clinicians, patients and dyads.

Values are stored as JSON (int, float, bool, ISO date string or text) in the ``attributes`` of
Participant and Dyad; each key is declared once per study by an AttributeDefinition.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from interviews.models import AttributeDefinition, AttributeType

JSONValue = str | int | float | bool | None

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
_INTEGER = re.compile(r"^[+-]?\d+$")


def _parse_decimal(raw: str) -> float:
    try:
        number = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return float(number)


def coerce_attribute_value(*, definition: AttributeDefinition, raw: Any) -> JSONValue:
    """Check a value against its definition and return what is stored; "" or None clears it."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = definition.type
    label = definition.label or definition.key
    text = raw.strip() if isinstance(raw, str) else raw
    try:
        if kind == AttributeType.INTEGER:
            if isinstance(text, bool):
                raise ValueError
            if isinstance(text, int):
                return text
            if isinstance(text, str) and _INTEGER.match(text):
                return int(text)
            raise ValueError
        if kind == AttributeType.DECIMAL:
            if isinstance(text, bool):
                raise ValueError
            if isinstance(text, int | float):
                return float(text)
            return _parse_decimal(str(text))
        if kind == AttributeType.BOOLEAN:
            if isinstance(text, bool):
                return text
            lowered = str(text).lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
            raise ValueError
        if kind == AttributeType.DATE:
            return dt.date.fromisoformat(str(text)).isoformat()
        value = str(text)
        if kind == AttributeType.CHOICE and value not in definition.choices:
            allowed = ", ".join(map(str, definition.choices))
            raise ValidationError(
                {definition.key: f"{label}: {value!r} is not one of the choices ({allowed})."}
            )
        if len(value) > 500:
            raise ValidationError({definition.key: f"{label}: keep values under 500 characters."})
        return value
    except ValueError:
        raise ValidationError(
            {
                definition.key: (
                    f"{label}: {raw!r} is not a valid {definition.get_type_display().lower()}."
                )
            }
        ) from None


def infer_attribute_type(values: Iterable[str]) -> str:
    """The narrowest type every non-blank value fits, for attributes first seen in a manifest."""
    present = [v.strip() for v in values if v and v.strip()]
    if not present:
        return AttributeType.TEXT
    if all(_INTEGER.match(v) for v in present):
        return AttributeType.INTEGER
    try:
        for v in present:
            _parse_decimal(v)
        return AttributeType.DECIMAL
    except ValueError:
        pass
    if all(v.lower() in _TRUE | _FALSE for v in present) and any(v.isalpha() for v in present):
        return AttributeType.BOOLEAN
    try:
        for v in present:
            dt.date.fromisoformat(v)
        return AttributeType.DATE
    except ValueError:
        pass
    return AttributeType.TEXT


_EXPECTED = {
    AttributeType.INTEGER: "a whole number",
    AttributeType.DECIMAL: "a number",
    AttributeType.BOOLEAN: "yes or no",
    AttributeType.DATE: "a date (YYYY-MM-DD)",
}


def attribute_value_display(value: Any) -> str:
    """A stored value as the dyads table shows it (and as a pasted cell writes it)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return str(value)


def attribute_value_problem(*, definition: AttributeDefinition, raw: Any) -> str | None:
    """Why ``raw`` is not a value of ``definition`` ("'ten' is not a whole number"), or None."""
    try:
        coerce_attribute_value(definition=definition, raw=raw)
    except ValidationError:
        shown = attribute_value_display(raw) if not isinstance(raw, str) else raw.strip()
        if definition.type in _EXPECTED:
            return f"{shown!r} is not {_EXPECTED[AttributeType(definition.type)]}"
        if definition.type == AttributeType.CHOICE:
            allowed = ", ".join(map(str, definition.choices))
            return f"{shown!r} is not one of the choices ({allowed})"
        return "a value is at most 500 characters"
    return None
