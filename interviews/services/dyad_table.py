"""The dyads table's paste box: a block of rows copied from a spreadsheet fills many cells at once.

The block is tab-separated (as every spreadsheet copies), its first row the column headings as the
dyads table shows them ("Dyad", "Clinician", "Patient", "Dyad: Setting", "Clinician: Years in
practice", …; any subset, in any order, "Dyad" first), and each further row starts with an existing
dyad's label. A preview lists every cell that would change and every problem; applying is all or
nothing, through the audited services (dyad_update, participant_create, participant_update).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from interviews.attributes import (
    attribute_value_display,
    attribute_value_problem,
    coerce_attribute_value,
)
from interviews.dyad_table import (
    DYAD_HEADING,
    INTERVIEWS_HEADING,
    Column,
    dyad_table_columns,
    study_attribute_definitions,
)
from interviews.models import Dyad, Entity, Participant, ParticipantRole, Study
from interviews.services.people import (
    KEEP,
    dyad_update,
    participant_create,
    participant_update,
)

MAX_PASTE_ROWS = 2_000
MAX_PASTE_BYTES = 256 * 1024


@dataclass
class PastePreview:
    """What a paste changes (``changes``: row, dyad, column, before, after — as the table shows
    them), what refuses it (``errors``: row, column, message), and whether it was applied."""

    changes: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    applied: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"changes": self.changes, "errors": self.errors, "applied": self.applied}


# A person a pasted row names: ("id", participant id) or ("new", role, pseudonym).
PersonKey = tuple[Any, ...]


@dataclass
class _Plan:
    preview: PastePreview
    dyads: dict[str, Dyad]
    people: dict[int, Participant]
    dyad_attributes: dict[int, dict[str, Any]] = field(default_factory=dict)
    dyad_people: dict[int, dict[str, PersonKey | None]] = field(default_factory=dict)
    # person → attribute key → (value, row it came from)
    person_attributes: dict[PersonKey, dict[str, tuple[Any, int]]] = field(default_factory=dict)

    def error(self, row: int | None, column: str, message: str) -> None:
        where = f"row {row}, {column!r}: " if row and column else (f"row {row}: " if row else "")
        self.preview.errors.append({"row": row, "column": column, "message": where + message})

    def change(self, row: int, dyad: str, column: str, before: Any, after: Any) -> None:
        self.preview.changes.append(
            {
                "row": row,
                "dyad": dyad,
                "column": column,
                "before": attribute_value_display(before),
                "after": attribute_value_display(after),
            }
        )


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _read_block(text: str, plan: _Plan) -> list[tuple[int, list[str]]] | None:
    """The block's non-blank records, numbered from 1 (the heading row), or None if refused."""
    size = len(text.encode("utf-8"))
    if size > MAX_PASTE_BYTES:
        plan.error(
            None, "", f"The block is {size // 1024} KB; paste at most {MAX_PASTE_BYTES // 1024} KB."
        )
        return None
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    records = [
        (number, cells)
        for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter="\t"), start=1)
        if any(cell.strip() for cell in cells)
    ]
    if not records:
        plan.error(None, "", "The block is empty: paste the heading row and at least one row.")
        return None
    if len(records) - 1 > MAX_PASTE_ROWS:
        plan.error(
            None,
            "",
            f"The block has {len(records) - 1} rows; paste at most {MAX_PASTE_ROWS} at a time.",
        )
        return None
    if len(records) == 1:
        plan.error(None, "", "The block has only its heading row: add the rows to fill in.")
        return None
    return records


def _read_headings(cells: list[str], columns: list[Column], plan: _Plan) -> list[Column | None]:
    """The column under each heading (None for a shown-only column), or errors on row 1."""
    by_heading: dict[str, list[Column]] = {}
    for column in columns:
        by_heading.setdefault(column.heading, []).append(column)
    known = ", ".join(repr(c.heading) for c in columns)
    found: list[Column | None] = []
    seen: set[str] = set()
    for index, raw in enumerate(cells):
        heading = raw.strip()
        if index == 0 and heading != DYAD_HEADING:
            plan.error(1, heading, f"the first column must be {DYAD_HEADING!r} (the dyad's label)")
            continue
        if heading in seen:
            plan.error(1, heading, "this heading appears twice")
            continue
        seen.add(heading)
        if heading == INTERVIEWS_HEADING:
            found.append(None)
            continue
        matches = by_heading.get(heading, [])
        if not matches:
            plan.error(1, heading, f"no column has this heading; the table's headings are {known}")
        elif len(matches) > 1:
            plan.error(1, heading, "two attributes have this label: rename one of them first")
        else:
            found.append(matches[0])
    return found


def _person_name(key: PersonKey, plan: _Plan) -> str:
    return key[2] if key[0] == "new" else plan.people[key[1]].pseudonym


def _plan_people(number: int, dyad: Dyad, cells: dict[Column, str], plan: _Plan) -> None:
    for role in (ParticipantRole.CLINICIAN, ParticipantRole.PATIENT):
        column = next((c for c in cells if c.kind == role), None)
        if column is None:
            continue
        name = cells[column].strip()
        current: Participant | None = getattr(dyad, role)
        key: PersonKey | None = None
        if name:
            if len(name) > 120:
                plan.error(number, column.heading, "a pseudonym is at most 120 characters")
                continue
            existing = next(
                (p for p in plan.people.values() if p.role == role and p.pseudonym == name), None
            )
            key = ("id", existing.pk) if existing else ("new", role, name)
        plan.dyad_people.setdefault(dyad.pk, {})[role] = key
        if (key is None and current is not None) or (
            key is not None and (current is None or key != ("id", current.pk))
        ):
            after = name + (f" (new {role})" if key and key[0] == "new" else "") if name else ""
            plan.change(
                number, dyad.label, column.heading, current.pseudonym if current else "", after
            )


def _plan_attributes(number: int, dyad: Dyad, cells: dict[Column, str], plan: _Plan) -> None:
    for column, raw in cells.items():
        definition = column.definition
        if column.kind != "attribute" or definition is None:
            continue
        problem = attribute_value_problem(definition=definition, raw=raw)
        if problem is not None:
            plan.error(number, column.heading, problem)
            continue
        value = coerce_attribute_value(definition=definition, raw=raw)
        key = definition.key
        if definition.entity == Entity.DYAD:
            old = dyad.attributes.get(key)
            if not _same(old, value):
                plan.dyad_attributes.setdefault(dyad.pk, {})[key] = value
                plan.change(number, dyad.label, column.heading, old, value)
            continue
        role = definition.entity
        pasted = plan.dyad_people.get(dyad.pk, {})
        current: Participant | None = getattr(dyad, role)
        person: PersonKey | None = pasted.get(role, ("id", current.pk) if current else None)
        if person is None:
            if value is not None:
                plan.error(number, column.heading, f"dyad {dyad.label} has no {role}")
            continue
        given = plan.person_attributes.setdefault(person, {})
        if key in given:
            earlier, row = given[key]
            if not _same(earlier, value):
                plan.error(
                    number,
                    column.heading,
                    f"rows {row} and {number} give {role} {_person_name(person, plan)} different "
                    f"values ({attribute_value_display(earlier)!r} and "
                    f"{attribute_value_display(value)!r})",
                )
            continue
        given[key] = (value, number)
        old = plan.people[person[1]].attributes.get(key) if person[0] == "id" else None
        if not _same(old, value):
            plan.change(number, dyad.label, column.heading, old, value)


def _apply(plan: _Plan, study: Study, actor: Any) -> None:
    created: dict[PersonKey, Participant] = {}
    for person, given in plan.person_attributes.items():
        changes = {key: value for key, (value, _) in given.items()}
        if person[0] == "new":
            created[person] = participant_create(
                study=study,
                role=person[1],
                pseudonym=person[2],
                actor=actor,
                attributes={k: v for k, v in changes.items() if v is not None},
            )
            continue
        participant = plan.people[person[1]]
        current = participant.attributes
        if any(not _same(current.get(k), v) for k, v in changes.items()):
            participant_update(participant=participant, actor=actor, attributes=changes)
    for named in plan.dyad_people.values():
        for newcomer in named.values():
            if newcomer is not None and newcomer[0] == "new" and newcomer not in created:
                created[newcomer] = participant_create(
                    study=study, role=newcomer[1], pseudonym=newcomer[2], actor=actor
                )

    def resolve(person: PersonKey | None) -> Participant | None:
        if person is None:
            return None
        return created[person] if person[0] == "new" else plan.people[person[1]]

    for dyad in plan.dyads.values():
        people = plan.dyad_people.get(dyad.pk, {})
        dyad.study = study
        dyad_update(
            dyad=dyad,
            actor=actor,
            attributes=plan.dyad_attributes.get(dyad.pk),
            clinician=resolve(people["clinician"]) if "clinician" in people else KEEP,
            patient=resolve(people["patient"]) if "patient" in people else KEEP,
        )


def dyad_table_paste(*, study: Study, text: str, actor: Any, apply: bool) -> PastePreview:
    """Preview (``apply=False``) or apply a pasted block; see the module's docstring.

    Refused, with each problem named by row and heading and nothing stored: a block over
    MAX_PASTE_BYTES or MAX_PASTE_ROWS, an unknown or repeated heading, a row whose number of
    cells differs from the heading row's, an unknown or repeated dyad label, a value of the wrong
    type or not in a choice's list, a clinician or patient value for a dyad without one, and rows
    giving the same clinician (or patient) different values. An empty cell clears the value (or
    takes the clinician or patient out of the dyad); an unknown clinician or patient pseudonym
    adds that person.
    """
    plan = _Plan(
        preview=PastePreview(),
        dyads={
            d.label: d
            for d in Dyad.objects.filter(study=study).select_related("clinician", "patient")
        },
        people={p.pk: p for p in Participant.objects.filter(study=study)},
    )
    records = _read_block(text, plan)
    if records is None:
        return plan.preview
    columns = dyad_table_columns(definitions=study_attribute_definitions(study=study))
    headings = _read_headings(records[0][1], columns, plan)
    if plan.preview.errors:
        return plan.preview
    width = len(records[0][1])
    rows_of: dict[str, int] = {}
    pasted: dict[str, Dyad] = {}
    for number, cells in records[1:]:
        if len(cells) != width:
            plan.error(number, "", f"{len(cells)} cells, but the heading row has {width}")
            continue
        label = cells[0].strip()
        dyad = plan.dyads.get(label)
        if dyad is None:
            plan.error(number, DYAD_HEADING, f"no dyad {label!r} in this study")
            continue
        if label in rows_of:
            plan.error(number, DYAD_HEADING, f"dyad {label} is also on row {rows_of[label]}")
            continue
        rows_of[label] = number
        pasted[label] = dyad
        by_column = {
            column: cell
            for column, cell in zip(headings[1:], cells[1:], strict=True)
            if column is not None
        }
        _plan_people(number, dyad, by_column, plan)
        _plan_attributes(number, dyad, by_column, plan)
    plan.dyads = pasted
    if apply and not plan.preview.errors:
        with transaction.atomic():
            _apply(plan, study, actor)
        plan.preview.applied = True
    return plan.preview
