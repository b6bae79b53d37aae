"""Writes for the people of a study: attribute definitions, participants and dyads."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from healing.audit.services import audit_record, snapshot
from interviews.attributes import (
    attribute_value_problem,
    coerce_attribute_value,
    infer_attribute_type,
)
from interviews.hooks import coded_count
from interviews.models import (
    AttributeDefinition,
    AttributeType,
    Dyad,
    Entity,
    Interview,
    Participant,
    ParticipantRole,
    Study,
)
from interviews.services.fields import INTERVIEW_FIELDS

# --- Attributes, participants, dyads ----------------------------------------------------------


def attribute_define(
    *,
    study: Study,
    entity: str,
    key: str,
    type: str,
    label: str = "",
    choices: Sequence[str] = (),
    actor: Any = None,
) -> AttributeDefinition:
    """Declare a typed attribute; with an ``actor`` (a person defining it) it is audited."""
    definition = AttributeDefinition(
        study=study,
        entity=entity,
        key=key,
        label=label or key.replace("_", " ").capitalize(),
        type=type,
        choices=list(choices),
        order=AttributeDefinition.objects.filter(study=study, entity=entity).count(),
    )
    definition.full_clean()
    if type == AttributeType.CHOICE and not choices:
        raise ValidationError({"choices": "A choice attribute needs its list of choices."})
    if type != AttributeType.CHOICE and choices:
        raise ValidationError({"choices": "Only a choice attribute has choices."})
    with transaction.atomic():
        definition.save()
        if actor is not None:
            audit_record(
                study_id=study.pk,
                actor=actor,
                action="create",
                object_type="attribute",
                object_id=definition.pk,
                after=snapshot(definition, ATTRIBUTE_FIELDS),
                summary=f"Attribute {entity}.{key} defined",
            )
    return definition


ATTRIBUTE_FIELDS = ["entity", "key", "label", "type", "choices", "order"]


def _attribute_holders(definition: AttributeDefinition) -> Any:
    """The participants or dyads that can carry a value of this attribute."""
    if definition.entity == Entity.DYAD:
        return Dyad.objects.filter(study_id=definition.study_id)
    return Participant.objects.filter(study_id=definition.study_id, role=definition.entity)


def attribute_update(
    *,
    definition: AttributeDefinition,
    actor: Any,
    label: str | None = None,
    choices: Sequence[str] | None = None,
    order: int | None = None,
) -> AttributeDefinition:
    """Relabel, reorder, or change the choices of an attribute (its key and type stay).

    New choices must still include every value already given.
    """
    before = snapshot(definition, ATTRIBUTE_FIELDS)
    if label is not None:
        definition.label = label.strip() or definition.key.replace("_", " ").capitalize()
    if order is not None:
        definition.order = order
    if choices is not None:
        if definition.type != AttributeType.CHOICE:
            raise ValidationError({"choices": "Only a choice attribute has choices."})
        choices = [str(c).strip() for c in choices if str(c).strip()]
        if not choices:
            raise ValidationError({"choices": "A choice attribute needs its list of choices."})
        in_use = set(
            _attribute_holders(definition)
            .filter(attributes__has_key=definition.key)
            .values_list(f"attributes__{definition.key}", flat=True)
        )
        missing = sorted(str(v) for v in in_use if v not in choices)
        if missing:
            raise ValidationError(
                {"choices": f"Values in use would no longer be a choice: {', '.join(missing)}."}
            )
        definition.choices = choices
    definition.full_clean()
    after = snapshot(definition, ATTRIBUTE_FIELDS)
    if after == before:
        return definition
    with transaction.atomic():
        definition.save()
        audit_record(
            study_id=definition.study_id,
            actor=actor,
            action="update",
            object_type="attribute",
            object_id=definition.pk,
            before=before,
            after=after,
            summary=f"Attribute {definition.entity}.{definition.key} changed",
        )
    return definition


def _retype_raw(value: Any, type: str) -> Any:
    """An old value as the input for its new type: yes/no as words (so it can become text or a
    choice), a whole decimal as an int (3.0 becomes 3)."""
    if isinstance(value, bool) and type != AttributeType.BOOLEAN:
        return "yes" if value else "no"
    if isinstance(value, float) and type == AttributeType.INTEGER and value.is_integer():
        return int(value)
    return value


def _holder_name(holder: Dyad | Participant) -> str:
    return holder.label if isinstance(holder, Dyad) else holder.pseudonym


def attribute_retype(
    *,
    definition: AttributeDefinition,
    type: str,
    actor: Any,
    choices: Sequence[str] | None = None,
) -> AttributeDefinition:
    """Change an attribute's type (and, for a choice, its list), converting every value given.

    All or nothing: when any value does not convert, a ValidationError under ``type`` names each
    holder and value that fails ("D03: 'about ten' is not a whole number") and nothing changes.
    Otherwise the definition and every value change in one transaction, audited with the values
    before and after.
    """
    if type not in AttributeType.values:
        raise ValidationError({"type": f"Unknown attribute type {type!r}."})
    cleaned = [str(c).strip() for c in (choices or ()) if str(c).strip()]
    if type == AttributeType.CHOICE and not cleaned:
        raise ValidationError({"choices": "A choice attribute needs its list of choices."})
    if type != AttributeType.CHOICE and cleaned:
        raise ValidationError({"choices": "Only a choice attribute has choices."})
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError({"choices": "Each choice is listed once."})
    target = AttributeDefinition(
        study_id=definition.study_id,
        entity=definition.entity,
        key=definition.key,
        label=definition.label,
        type=type,
        choices=cleaned,
    )
    key = definition.key
    name_field = "label" if definition.entity == Entity.DYAD else "pseudonym"
    with transaction.atomic():
        holders = sorted(
            _attribute_holders(definition)
            .select_for_update()
            .filter(attributes__has_key=key)
            .only("id", "attributes", name_field),
            key=_holder_name,
        )
        failures: list[str] = []
        before_values: dict[str, Any] = {}
        after_values: dict[str, Any] = {}
        for holder in holders:
            old = holder.attributes.get(key)
            raw = _retype_raw(old, type)
            problem = attribute_value_problem(definition=target, raw=raw)
            if problem is not None:
                failures.append(f"{_holder_name(holder)}: {problem}")
                continue
            new = coerce_attribute_value(definition=target, raw=raw)
            before_values[_holder_name(holder)] = old
            after_values[_holder_name(holder)] = new
            if new is None:
                del holder.attributes[key]
            else:
                holder.attributes[key] = new
        if failures:
            raise ValidationError({"type": failures})
        before = snapshot(definition, ATTRIBUTE_FIELDS)
        definition.type = type
        definition.choices = cleaned
        definition.full_clean()
        after = snapshot(definition, ATTRIBUTE_FIELDS)
        if after == before:
            return definition
        definition.save(update_fields=["type", "choices"])
        model = Dyad if definition.entity == Entity.DYAD else Participant
        model.objects.bulk_update(holders, ["attributes"], batch_size=500)
        audit_record(
            study_id=definition.study_id,
            actor=actor,
            action="update",
            object_type="attribute",
            object_id=definition.pk,
            before={**before, "values": before_values},
            after={**after, "values": after_values},
            summary=(
                f"Attribute {definition.entity}.{key} retyped to {type} "
                f"({len(holders)} values converted)"
            ),
        )
    return definition


def attribute_delete(*, definition: AttributeDefinition, actor: Any) -> int:
    """Delete an attribute and its value on every clinician, patient or dyad; returns how many
    values were removed (they stay in the audit trail)."""
    key = definition.key
    with transaction.atomic():
        holders = list(
            _attribute_holders(definition)
            .select_for_update()
            .filter(attributes__has_key=key)
            .only("id", "attributes")
        )
        removed = {str(holder.pk): holder.attributes.get(key) for holder in holders}
        for holder in holders:
            del holder.attributes[key]
        model = Dyad if definition.entity == Entity.DYAD else Participant
        model.objects.bulk_update(holders, ["attributes"], batch_size=500)
        audit_record(
            study_id=definition.study_id,
            actor=actor,
            action="delete",
            object_type="attribute",
            object_id=definition.pk,
            before={**snapshot(definition, ATTRIBUTE_FIELDS), "values": removed},
            summary=f"Attribute {definition.entity}.{key} deleted ({len(removed)} values)",
        )
        definition.delete()
    return len(removed)


def attributes_clean(
    *,
    study: Study,
    entity: str,
    values: Mapping[str, Any],
    define_missing: bool = False,
) -> dict[str, Any]:
    """Values checked and converted against the study's definitions for ``entity``.

    With ``define_missing`` an unknown key is declared, typed by its value (as the manifest import
    does); otherwise an unknown key is an error.
    """
    definitions = {d.key: d for d in AttributeDefinition.objects.filter(study=study, entity=entity)}
    cleaned: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for key, raw in values.items():
        definition = definitions.get(key)
        if definition is None:
            if not define_missing:
                errors[key] = f"No {entity} attribute {key!r} is defined in this study."
                continue
            raw_text = "" if raw is None else str(raw)
            definition = attribute_define(
                study=study, entity=entity, key=key, type=infer_attribute_type([raw_text])
            )
            definitions[key] = definition
        try:
            value = coerce_attribute_value(definition=definition, raw=raw)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if value is not None:
            cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def participant_get_or_create(
    *, study: Study, role: str, pseudonym: str, attributes: Mapping[str, Any] | None = None
) -> Participant:
    """The participant with this pseudonym; given attributes are merged into theirs."""
    if role not in ParticipantRole.values:
        raise ValidationError({"role": f"Unknown participant role {role!r}."})
    pseudonym = pseudonym.strip()
    if not pseudonym:
        raise ValidationError({"pseudonym": "A participant needs a pseudonym."})
    cleaned = attributes_clean(
        study=study, entity=role, values=attributes or {}, define_missing=True
    )
    participant, created = Participant.objects.get_or_create(
        study=study, role=role, pseudonym=pseudonym, defaults={"attributes": cleaned}
    )
    if not created and cleaned and {**participant.attributes, **cleaned} != participant.attributes:
        participant.attributes = {**participant.attributes, **cleaned}
        participant.save(update_fields=["attributes"])
    return participant


PARTICIPANT_FIELDS = ["role", "pseudonym", "attributes"]


def participant_create(
    *,
    study: Study,
    role: str,
    pseudonym: str,
    actor: Any,
    attributes: Mapping[str, Any] | None = None,
) -> Participant:
    """A new clinician or patient; attributes must be defined in the study (checked and typed)."""
    if role not in ParticipantRole.values:
        raise ValidationError({"role": f"Unknown participant role {role!r}: clinician or patient."})
    pseudonym = pseudonym.strip()
    if not pseudonym or len(pseudonym) > 120:
        raise ValidationError({"pseudonym": "A pseudonym is 1 to 120 characters."})
    if Participant.objects.filter(study=study, role=role, pseudonym=pseudonym).exists():
        raise ValidationError({"pseudonym": f"This study already has a {role} {pseudonym!r}."})
    cleaned = attributes_clean(study=study, entity=role, values=attributes or {})
    with transaction.atomic():
        participant = Participant.objects.create(
            study=study, role=role, pseudonym=pseudonym, attributes=cleaned
        )
        audit_record(
            study_id=study.pk,
            actor=actor,
            action="create",
            object_type="participant",
            object_id=participant.pk,
            after=snapshot(participant, PARTICIPANT_FIELDS),
            summary=f"{role.capitalize()} {pseudonym} added",
        )
    return participant


def participant_update(
    *,
    participant: Participant,
    actor: Any,
    pseudonym: str | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> Participant:
    """Rename a participant or change their attributes; a value set to null or "" is removed."""
    before = snapshot(participant, PARTICIPANT_FIELDS)
    if pseudonym is not None:
        pseudonym = pseudonym.strip()
        if not pseudonym or len(pseudonym) > 120:
            raise ValidationError({"pseudonym": "A pseudonym is 1 to 120 characters."})
        taken = (
            Participant.objects.filter(
                study_id=participant.study_id, role=participant.role, pseudonym=pseudonym
            )
            .exclude(pk=participant.pk)
            .exists()
        )
        if taken:
            raise ValidationError(
                {"pseudonym": f"This study already has a {participant.role} {pseudonym!r}."}
            )
        participant.pseudonym = pseudonym
    if attributes is not None:
        participant.attributes = _merged_attributes(
            study=participant.study,
            entity=participant.role,
            current=participant.attributes,
            changes=attributes,
        )
    after = snapshot(participant, PARTICIPANT_FIELDS)
    if after == before:
        return participant
    with transaction.atomic():
        participant.save(update_fields=["pseudonym", "attributes"])
        audit_record(
            study_id=participant.study_id,
            actor=actor,
            action="update",
            object_type="participant",
            object_id=participant.pk,
            before=before,
            after=after,
            summary=f"{participant.role.capitalize()} {participant.pseudonym} changed",
        )
    return participant


def participant_delete(*, participant: Participant, actor: Any) -> None:
    """Delete a participant who is in no dyad (take them out of their dyads first)."""
    labels = sorted(
        Dyad.objects.filter(Q(clinician=participant) | Q(patient=participant)).values_list(
            "label", flat=True
        )
    )
    if labels:
        raise ValidationError(
            f"{participant.pseudonym} is in dyad(s) {', '.join(labels)}; "
            "take them out of those dyads first."
        )
    with transaction.atomic():
        audit_record(
            study_id=participant.study_id,
            actor=actor,
            action="delete",
            object_type="participant",
            object_id=participant.pk,
            before=snapshot(participant, PARTICIPANT_FIELDS),
            summary=f"{participant.role.capitalize()} {participant.pseudonym} deleted",
        )
        participant.delete()


def _merged_attributes(
    *, study: Study, entity: str, current: Mapping[str, Any], changes: Mapping[str, Any]
) -> dict[str, Any]:
    """``current`` with ``changes`` applied: checked and typed; null or "" removes a value."""
    removed = {k for k, v in changes.items() if v is None or v == ""}
    cleaned = attributes_clean(
        study=study,
        entity=entity,
        values={k: v for k, v in changes.items() if k not in removed},
    )
    return {**{k: v for k, v in current.items() if k not in removed}, **cleaned}


def dyad_get_or_create(
    *,
    study: Study,
    label: str,
    clinician: Participant | None = None,
    patient: Participant | None = None,
    attributes: Mapping[str, Any] | None = None,
    actor: Any = None,
) -> tuple[Dyad, bool]:
    """The dyad with this label, created if missing (audited, by ``actor``); given values fill
    in or update it."""
    label = label.strip()
    if not label:
        raise ValidationError({"dyad": "A dyad needs a label."})
    if len(label) > 60:
        raise ValidationError({"dyad": "Keep dyad labels to 60 characters."})
    for person, role in (
        (clinician, ParticipantRole.CLINICIAN),
        (patient, ParticipantRole.PATIENT),
    ):
        if person is not None and (person.study_id != study.pk or person.role != role):
            raise ValidationError({role: f"{person} is not a {role} of this study."})
    cleaned = attributes_clean(
        study=study, entity=Entity.DYAD, values=attributes or {}, define_missing=True
    )
    with transaction.atomic():
        dyad, created = Dyad.objects.get_or_create(
            study=study,
            label=label,
            defaults={"clinician": clinician, "patient": patient, "attributes": cleaned},
        )
        if created:
            audit_record(
                study_id=study.pk,
                actor=actor,
                action="create",
                object_type="dyad",
                object_id=dyad.pk,
                after=snapshot(dyad, DYAD_FIELDS),
                summary=f"Dyad {label} added",
            )
    if not created:
        changed: list[str] = []
        if clinician is not None and dyad.clinician_id != clinician.pk:
            dyad.clinician = clinician
            changed.append("clinician")
        if patient is not None and dyad.patient_id != patient.pk:
            dyad.patient = patient
            changed.append("patient")
        if cleaned and {**dyad.attributes, **cleaned} != dyad.attributes:
            dyad.attributes = {**dyad.attributes, **cleaned}
            changed.append("attributes")
        if changed:
            dyad.save(update_fields=changed)
    return dyad, created


class Keep(enum.Enum):
    """Marks an optional argument that leaves the value as it is (None would clear it)."""

    KEEP = "keep"


KEEP = Keep.KEEP
DYAD_FIELDS = ["label", "clinician", "patient", "attributes"]


def dyad_update(
    *,
    dyad: Dyad,
    actor: Any,
    label: str | None = None,
    attributes: Mapping[str, Any] | None = None,
    clinician: Participant | Keep | None = KEEP,
    patient: Participant | Keep | None = KEEP,
) -> Dyad:
    """Rename a dyad, change its attributes (null or "" removes one), or set or clear
    (``None``) its clinician or patient."""
    before = snapshot(dyad, DYAD_FIELDS)
    if label is not None:
        label = label.strip()
        if not label or len(label) > 60:
            raise ValidationError({"label": "A dyad label is 1 to 60 characters."})
        if Dyad.objects.filter(study_id=dyad.study_id, label=label).exclude(pk=dyad.pk).exists():
            raise ValidationError({"label": "This study already has a dyad with this label."})
        dyad.label = label
    for person, role in (
        (clinician, ParticipantRole.CLINICIAN),
        (patient, ParticipantRole.PATIENT),
    ):
        if person is KEEP:
            continue
        if person is not None and (person.study_id != dyad.study_id or person.role != role):
            raise ValidationError({role: f"{person} is not a {role} of this study."})
        setattr(dyad, role, person)
    if attributes is not None:
        dyad.attributes = _merged_attributes(
            study=dyad.study, entity=Entity.DYAD, current=dyad.attributes, changes=attributes
        )
    after = snapshot(dyad, DYAD_FIELDS)
    if after == before:
        return dyad
    with transaction.atomic():
        dyad.save(update_fields=DYAD_FIELDS)
        audit_record(
            study_id=dyad.study_id,
            actor=actor,
            action="update",
            object_type="dyad",
            object_id=dyad.pk,
            before=before,
            after=after,
            summary=f"Dyad {dyad.label} changed",
        )
    return dyad


def dyad_delete(*, dyad: Dyad, actor: Any) -> None:
    """Delete a dyad with its interviews, as long as nobody has coded them yet.

    Coded work is never deleted in passing: delete the codings first (they stay in the audit
    trail), or keep the dyad.
    """
    coded = coded_count(interviews=Interview.objects.filter(dyad=dyad))
    if coded:
        raise ValidationError(
            f"Dyad {dyad.label} has {coded} coding(s); delete them first or keep the dyad."
        )
    with transaction.atomic():
        interviews = list(dyad.interviews.defer("text"))
        for interview in interviews:
            audit_record(
                study_id=dyad.study_id,
                actor=actor,
                action="delete",
                object_type="interview",
                object_id=interview.pk,
                before=snapshot(interview, INTERVIEW_FIELDS),
                summary=f"Interview {interview.pk} deleted with dyad {dyad.label}",
            )
        audit_record(
            study_id=dyad.study_id,
            actor=actor,
            action="delete",
            object_type="dyad",
            object_id=dyad.pk,
            before=snapshot(dyad, DYAD_FIELDS),
            summary=f"Dyad {dyad.label} deleted",
        )
        dyad.delete()
