"""How our codes and attributes are written into REFI-QDA fields, and read back.

A REFI-QDA code has a name, a colour, ``isCodable`` and one free-text Description; ours also has
a key, a group, a definition, inclusion and exclusion criteria and an example. The Description
carries them as readable text that other tools show as is::

    The clinician listens actively and without distraction to the patient's story.

    Inclusion criteria: Not rushed or interrupted; eye contact; …

    Exclusion criteria: Explaining or teaching: use Education.

    Example: "He turned away from the computer and let me talk until I was finished."

    [Healing: key VAL.PRES.ATT, group process]

The last line lets a Healing import restore key and group; a description from another tool
without these headings is all definition. A switched-off code (``is_active=False``) is written
codable all the same, because QualCoder turns ``isCodable="false"`` into a category and drops its
codings; the last line then ends ``, switched off]`` (``SWITCHED_OFF``) and our import switches
the code off again. ``isCodable="false"`` from another tool still means switched off.

Notes (memos) need distinct names in QualCoder (its import stops at a second note of the same
name): ``note_name`` adds `` (<first 8 hex digits of the note's GUID>)`` to a name already
taken, and ``note_title`` removes exactly that suffix again on import.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from coding.models import CodeGroup, code_key_validator

SECTIONS = (
    ("inclusion", "Inclusion criteria"),
    ("exclusion", "Exclusion criteria"),
    ("example", "Example"),
)
_HEADING = re.compile(r"(?m)^(Inclusion criteria|Exclusion criteria|Example):[ \t]*")
SWITCHED_OFF = "switched off"
_META = re.compile(
    r"\s*\[Healing: key (?P<key>[A-Za-z0-9][A-Za-z0-9._-]{0,39}), group (?P<group>[a-z]+)"
    rf"(?P<off>, {SWITCHED_OFF})?\]\s*\Z"
)
_HEX = re.compile(r"^#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3}|[0-9A-Fa-f]{8})$")
_RGB = re.compile(r"^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*[\d.]+\s*)?\)$")

# Colours for codes that arrive without one (NVivo for Windows and ATLAS.ti often omit them).
PALETTE = (
    "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B",
    "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF", "#393B79", "#637939",
)  # fmt: skip

GROUP_LABELS = {group.value: group.label for group in CodeGroup}


@dataclass
class CodeFields:
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    key: str = ""
    group: str = ""
    switched_off: bool = False


def describe_code(
    *,
    definition: str,
    inclusion: str,
    exclusion: str,
    example: str,
    key: str,
    group: str,
    is_active: bool = True,
) -> str:
    parts = [definition.strip()] if definition.strip() else []
    values = {"inclusion": inclusion, "exclusion": exclusion, "example": example}
    for field, heading in SECTIONS:
        if values[field].strip():
            parts.append(f"{heading}: {values[field].strip()}")
    off = "" if is_active else f", {SWITCHED_OFF}"
    parts.append(f"[Healing: key {key}, group {group}{off}]")
    return "\n\n".join(parts)


def read_description(text: str) -> CodeFields:
    """Split a code's Description into our fields (all definition if it has no headings)."""
    fields = CodeFields()
    text = text or ""
    meta = _META.search(text)
    if meta:
        fields.key, fields.group = meta["key"], meta["group"]
        fields.switched_off = bool(meta["off"])
        if fields.group not in GROUP_LABELS:
            fields.group = ""
        text = text[: meta.start()]
    headings = list(_HEADING.finditer(text))
    fields.definition = (text[: headings[0].start()] if headings else text).strip()
    for number, heading in enumerate(headings):
        end = headings[number + 1].start() if number + 1 < len(headings) else len(text)
        value = text[heading.end() : end].strip()
        name = {label: field for field, label in SECTIONS}[heading[1]]
        setattr(fields, name, value)
    return fields


def switched_off(description: str) -> bool:
    """Whether a code's Description carries our switched-off marker (see the module docstring)."""
    return read_description(description).switched_off


def note_name(*, title: str, guid: str, taken: set[str]) -> str:
    """``title``, or ``title (1a2b3c4d)`` if a note already has that name (case-insensitively);
    the chosen name is added to ``taken``."""
    name = title
    if name.casefold() in taken:
        name = f"{title} ({guid.replace('-', '')[:8]})"
    taken.add(name.casefold())
    return name


def note_title(*, name: str, guid: str) -> str:
    """A note's name without the suffix ``note_name`` may have added (only that exact one)."""
    suffix = f" ({guid.replace('-', '')[:8]})"
    if guid and name.lower().endswith(suffix.lower()) and len(name) > len(suffix):
        return name[: -len(suffix)]
    return name


def color_from_file(value: str | None) -> str | None:
    """A colour as ``#RRGGBB`` from ``#RGB``, ``#RRGGBB``, ``#RRGGBBAA`` (alpha dropped) or
    ``rgb(r, g, b)``; None if missing or unreadable."""
    if not value:
        return None
    value = value.strip()
    match = _HEX.match(value)
    if match:
        digits = match[1]
        if len(digits) == 3:
            digits = "".join(char * 2 for char in digits)
        return "#" + digits[:6].upper()
    match = _RGB.match(value)
    if match:
        channels = [int(channel) for channel in match.groups()]
        if all(0 <= channel <= 255 for channel in channels):
            return "#" + "".join(f"{channel:02X}" for channel in channels)
    return None


def key_from_name(name: str) -> str:
    """A code key (letters, digits, ``._-``, at most 40) made from a code's name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    key = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_name).strip("-._")
    key = re.sub(r"-{2,}", "-", key)[:40].strip("-._")
    return key or "CODE"


def valid_key(key: str) -> bool:
    try:
        code_key_validator(key)
    except ValidationError:
        return False
    return True


def unique_key(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is free (case-insensitively)."""
    lowered = {key.lower() for key in taken}
    if base.lower() not in lowered:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: 40 - len(suffix)] + suffix
        if candidate.lower() not in lowered:
            return candidate
        number += 1


# --- Attributes as variables ---------------------------------------------------------------------

VARIABLE_TYPES = {
    "text": "Text",
    "choice": "Text",
    "integer": "Integer",
    "decimal": "Float",
    "boolean": "Boolean",
    "date": "Date",
}
ATTRIBUTE_TYPES = {
    "Text": "text",
    "Integer": "integer",
    "Float": "decimal",
    "Boolean": "boolean",
    "Date": "date",
    "DateTime": "text",
}
VALUE_ELEMENTS = {
    "Text": "TextValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Boolean": "BooleanValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}
_CHOICES = re.compile(r"(?m)^Choices: (?P<choices>.+)$")


def describe_variable(*, label: str, choices: list[str]) -> str:
    text = label
    if choices:
        text += "\nChoices: " + " | ".join(choices)
    return text


def read_variable_description(text: str) -> tuple[str, list[str]]:
    """The label (first line) and the choices of a variable we wrote."""
    text = (text or "").strip()
    match = _CHOICES.search(text)
    choices = [c.strip() for c in match["choices"].split("|") if c.strip()] if match else []
    label = text.splitlines()[0].strip() if text and not text.startswith("Choices:") else ""
    return label, choices


def attribute_key(name: str) -> str:
    """An attribute key (``^[a-z][a-z0-9_]{0,39}$``) from a variable name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    key = re.sub(r"[^a-z0-9]+", "_", ascii_name).strip("_")
    if not key or not key[0].isalpha():
        key = "v_" + key
    return key[:40].rstrip("_") or "variable"
