"""The dyads table of a study: its columns (headed as the page shows them) and its rows.

One row per dyad: its label, clinician, patient, then every dyad, clinician and patient
attribute. Clinician and patient attributes live on the person, so a clinician in several dyads
shows the same values in each row. The paste box (interviews/services/dyad_table.py) reads the
same headings, so a block copied from a spreadsheet laid out like the table fills it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from interviews.attributes import attribute_value_display
from interviews.models import (
    AttributeDefinition,
    AttributeType,
    Dyad,
    Entity,
    Participant,
    ParticipantRole,
    Study,
)
from interviews.selectors import dyads_for_study

DYAD_HEADING = "Dyad"
CLINICIAN_HEADING = "Clinician"
PATIENT_HEADING = "Patient"
# Shown on the page, never written: a pasted block may carry it and it is ignored.
INTERVIEWS_HEADING = "Interviews"

ENTITY_PREFIX = {Entity.DYAD: "Dyad", Entity.CLINICIAN: "Clinician", Entity.PATIENT: "Patient"}
ENTITY_ORDER = (Entity.DYAD, Entity.CLINICIAN, Entity.PATIENT)


@dataclass(frozen=True)
class Column:
    """One column: ``kind`` is "label" (the dyad's), "clinician", "patient" (who is in the dyad)
    or "attribute" (of ``definition``, on the dyad or its clinician or patient)."""

    heading: str
    kind: str
    definition: AttributeDefinition | None = None

    @property
    def entity(self) -> str:
        return self.definition.entity if self.definition is not None else ""


def attribute_heading(definition: AttributeDefinition) -> str:
    """ "Clinician: Years in practice" — the entity, then the attribute's label."""
    return f"{ENTITY_PREFIX[Entity(definition.entity)]}: {definition.label}"


def dyad_table_columns(*, definitions: list[AttributeDefinition]) -> list[Column]:
    """The table's columns for these definitions (in the order dyad, clinician, patient)."""
    columns = [
        Column(DYAD_HEADING, "label"),
        Column(CLINICIAN_HEADING, "clinician"),
        Column(PATIENT_HEADING, "patient"),
    ]
    for entity in ENTITY_ORDER:
        columns += [
            Column(attribute_heading(d), "attribute", d)
            for d in sorted(definitions, key=lambda d: (d.order, d.key))
            if d.entity == entity
        ]
    return columns


def study_attribute_definitions(*, study: Study) -> list[AttributeDefinition]:
    return list(AttributeDefinition.objects.filter(study=study).order_by("entity", "order", "key"))


@dataclass(frozen=True)
class Cell:
    """A cell of a row: the text shown, and for an attribute the holder the value lives on."""

    column: Column
    text: str
    holder: str = ""  # "dyad", "clinician" or "patient"
    holder_id: int | None = None
    value: Any = None

    @property
    def input_value(self) -> str:
        """The value as a form control holds it (yes/no for a boolean, ISO for a date)."""
        return attribute_value_display(self.value)

    @property
    def type(self) -> str:
        return self.column.definition.type if self.column.definition else AttributeType.TEXT

    @property
    def choices(self) -> list[str]:
        return list(self.column.definition.choices) if self.column.definition else []


@dataclass
class Row:
    dyad: Dyad
    cells: list[Cell] = field(default_factory=list)


@dataclass
class DyadTable:
    columns: list[Column]
    rows: list[Row]
    definitions: list[AttributeDefinition]
    clinicians: list[Participant]
    patients: list[Participant]


def _attribute_cell(column: Column, dyad: Dyad) -> Cell:
    definition = column.definition
    assert definition is not None
    holder: Dyad | Participant | None
    if definition.entity == Entity.DYAD:
        holder = dyad
    elif definition.entity == Entity.CLINICIAN:
        holder = dyad.clinician
    else:
        holder = dyad.patient
    if holder is None:
        return Cell(column, "")
    value = holder.attributes.get(definition.key)
    return Cell(
        column,
        attribute_value_display(value),
        holder=definition.entity,
        holder_id=holder.pk,
        value=value,
    )


def dyad_table(*, study: Study) -> DyadTable:
    """The whole table in four queries, whatever the number of dyads: definitions, dyads with
    their clinician and patient, their interviews (without texts), and the study's people."""
    definitions = study_attribute_definitions(study=study)
    columns = dyad_table_columns(definitions=definitions)
    dyads = dyads_for_study(study=study)
    rows: list[Row] = []
    for dyad in dyads:
        cells = [Cell(columns[0], dyad.label, holder="dyad", holder_id=dyad.pk, value=dyad.label)]
        for person, column in ((dyad.clinician, columns[1]), (dyad.patient, columns[2])):
            cells.append(
                Cell(
                    column,
                    person.pseudonym if person else "",
                    holder=column.kind,
                    holder_id=person.pk if person else None,
                    value=person.pseudonym if person else None,
                )
            )
        cells += [_attribute_cell(column, dyad) for column in columns[3:]]
        rows.append(Row(dyad=dyad, cells=cells))
    people = list(Participant.objects.filter(study=study).order_by("role", "pseudonym"))
    return DyadTable(
        columns=columns,
        rows=rows,
        definitions=definitions,
        clinicians=[p for p in people if p.role == ParticipantRole.CLINICIAN],
        patients=[p for p in people if p.role == ParticipantRole.PATIENT],
    )
