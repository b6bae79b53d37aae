"""Writes for studies, members, participants, dyads and interviews (including transcript import)."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from coding.audit import audit_record, snapshot
from interviews.attributes import coerce_attribute_value, infer_attribute_type
from interviews.importing import TranscriptError, guess_speaker_roles, parse_transcript
from interviews.models import (
    AttributeDefinition,
    AttributeType,
    Dyad,
    Entity,
    Interview,
    Membership,
    Participant,
    ParticipantRole,
    Perspective,
    Role,
    Study,
    Turn,
)

MEMBERSHIP_FIELDS = ["study", "user", "role", "adjudicator"]
INTERVIEW_FIELDS = [
    "dyad",
    "perspective",
    "title",
    "conducted_on",
    "interviewer",
    "text_sha256",
    "word_count",
    "source_name",
    "source_format",
]


# --- Studies and members ------------------------------------------------------------------------


def study_create(
    *,
    slug: str,
    title: str,
    created_by: Any,
    description: str = "",
    codebook: str = "healing",
    copy_codebook_from: Study | None = None,
) -> Study:
    """A new study led by ``created_by``, with a codebook.

    ``codebook`` is "healing" (the shipped healing-relationships codebook), "empty", or "copy"
    together with ``copy_codebook_from`` (another study's current codebook).
    """
    from coding.services import codebook_create

    study = Study(slug=slug, title=title, description=description, created_by=created_by)
    study.full_clean(exclude=["created_by"])
    with transaction.atomic():
        study.save()
        if created_by is not None:
            membership_set(study=study, user=created_by, role=Role.LEAD, actor=created_by)
        codebook_create(
            study=study, template=codebook, copy_from=copy_codebook_from, actor=created_by
        )
    return study


def membership_set(
    *, study: Study, user: Any, role: str, actor: Any, adjudicator: bool | None = None
) -> Membership:
    """Add ``user`` to the study or change their role (and whether they adjudicate).

    A study always keeps at least one lead. ``adjudicator=None`` leaves the flag as it is.
    """
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}: use lead, coder or viewer."})
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(study=study, user=user).first()
        before = snapshot(membership, MEMBERSHIP_FIELDS) if membership else None
        if membership is None:
            membership = Membership.objects.create(
                study=study, user=user, role=role, adjudicator=bool(adjudicator)
            )
        else:
            if membership.role == Role.LEAD and role != Role.LEAD:
                _ensure_another_lead(study=study, leaving=membership)
            membership.role = role
            if adjudicator is not None:
                membership.adjudicator = adjudicator
            if snapshot(membership, MEMBERSHIP_FIELDS) == before:
                return membership
            membership.save(update_fields=["role", "adjudicator"])
        after = snapshot(membership, MEMBERSHIP_FIELDS)
        audit_record(
            study_id=study.pk,
            actor=actor,
            action="update" if before else "create",
            object_type="membership",
            object_id=membership.pk,
            before=before,
            after=after,
            summary=f"{user.get_username()} is {role}"
            + (" and adjudicates" if membership.adjudicator else ""),
        )
    return membership


def membership_remove(*, membership: Membership, actor: Any) -> None:
    with transaction.atomic():
        if membership.role == Role.LEAD:
            _ensure_another_lead(study=membership.study, leaving=membership)
        audit_record(
            study_id=membership.study_id,
            actor=actor,
            action="delete",
            object_type="membership",
            object_id=membership.pk,
            before=snapshot(membership, MEMBERSHIP_FIELDS),
            summary=f"{membership.user.get_username()} removed",
        )
        membership.delete()


def _ensure_another_lead(*, study: Study, leaving: Membership) -> None:
    others = Membership.objects.filter(study=study, role=Role.LEAD).exclude(pk=leaving.pk)
    if not others.exists():
        raise ValidationError("A study needs at least one lead: make someone else lead first.")


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
) -> tuple[Dyad, bool]:
    """The dyad with this label, created if missing; given values fill in or update it."""
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
    dyad, created = Dyad.objects.get_or_create(
        study=study,
        label=label,
        defaults={"clinician": clinician, "patient": patient, "attributes": cleaned},
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
    from coding.models import Coding

    coded = Coding.objects.filter(interview__dyad=dyad).count()
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


# --- Transcript import --------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    interview: Interview
    warnings: list[str]
    speaker_roles: dict[str, str]


def interview_import(
    *,
    dyad: Dyad,
    perspective: str,
    filename: str,
    data: bytes,
    imported_by: Any,
    speaker_map: Mapping[str, str] | None = None,
    force: bool = False,
    encoding_fallback: bool = True,
    conducted_on: dt.date | None = None,
    interviewer: str = "",
    title: str = "",
) -> ImportOutcome:
    """Parse a transcript file and store it as an interview of ``dyad`` with its speaker turns.

    Raises TranscriptError (one line a person can act on) and stores nothing when the file is
    empty, binary, too large, undecodable, in a format we do not read, or a duplicate of an
    interview already in the study (same normalised text) unless ``force``.
    """
    if perspective not in Perspective.values:
        raise TranscriptError(
            f"{filename}: perspective must be patient, clinician or other, not {perspective!r}."
        )
    parsed = parse_transcript(
        data,
        filename,
        max_bytes=settings.HEALING_MAX_UPLOAD_BYTES,
        encoding_fallback=encoding_fallback,
        known_speakers=frozenset(name.strip().rstrip(":").strip() for name in (speaker_map or {})),
    )
    sha256 = hashlib.sha256(parsed.text.encode("utf-8")).hexdigest()
    if not force:
        duplicate = (
            Interview.objects.filter(dyad__study_id=dyad.study_id, text_sha256=sha256)
            .select_related("dyad")
            .first()
        )
        if duplicate is not None:
            raise TranscriptError(
                f"{filename}: the same text is already stored as interview {duplicate.pk} "
                f"({duplicate.dyad.label}, {duplicate.perspective}); "
                "import with force to keep both."
            )
    speakers = [turn.speaker for turn in parsed.turns]
    roles = guess_speaker_roles(
        speakers, perspective=perspective, speaker_map=dict(speaker_map or {})
    )
    with transaction.atomic():
        interview = Interview.objects.create(
            dyad=dyad,
            perspective=perspective,
            title=title[:200],
            conducted_on=conducted_on,
            interviewer=interviewer[:120],
            text=parsed.text,
            text_sha256=sha256,
            word_count=parsed.word_count,
            source_name=filename[-255:],
            source_format=parsed.source_format,
            imported_by=imported_by if getattr(imported_by, "is_authenticated", False) else None,
        )
        Turn.objects.bulk_create(
            [
                Turn(
                    interview=interview,
                    index=index,
                    speaker=turn.speaker[:120],
                    role=roles.get(turn.speaker, "other"),
                    start=turn.start,
                    end=turn.end,
                    timestamp_ms=turn.timestamp_ms,
                )
                for index, turn in enumerate(parsed.turns)
            ],
            batch_size=1000,
        )
        audit_record(
            study_id=dyad.study_id,
            actor=imported_by,
            action="import",
            object_type="interview",
            object_id=interview.pk,
            interview_id=interview.pk,
            after=snapshot(interview, INTERVIEW_FIELDS),
            summary=f"{filename} imported into {dyad.label} ({perspective})",
        )
    return ImportOutcome(interview=interview, warnings=list(parsed.warnings), speaker_roles=roles)


def interview_update(
    *,
    interview: Interview,
    actor: Any,
    title: str | None = None,
    conducted_on: dt.date | Keep | None = KEEP,
    interviewer: str | None = None,
    perspective: str | None = None,
) -> Interview:
    """Change an interview's description (its text and turns are what was imported)."""
    before = snapshot(interview, INTERVIEW_FIELDS)
    if title is not None:
        interview.title = title.strip()[:200]
    if interviewer is not None:
        interview.interviewer = interviewer.strip()[:120]
    if conducted_on is not KEEP:
        interview.conducted_on = conducted_on
    if perspective is not None:
        if perspective not in Perspective.values:
            raise ValidationError(
                {"perspective": f"Use patient, clinician or other, not {perspective!r}."}
            )
        interview.perspective = perspective
    after = snapshot(interview, INTERVIEW_FIELDS)
    if after == before:
        return interview
    with transaction.atomic():
        interview.save(
            update_fields=["title", "interviewer", "conducted_on", "perspective", "updated"]
        )
        audit_record(
            study_id=interview.dyad.study_id,
            actor=actor,
            action="update",
            object_type="interview",
            object_id=interview.pk,
            interview_id=interview.pk,
            before=before,
            after=after,
            summary=f"Interview {interview.pk} changed",
        )
    return interview


def interview_delete(*, interview: Interview, actor: Any) -> None:
    """Delete an interview nobody has coded yet (its turns go with it)."""
    from coding.models import Coding

    coded = Coding.objects.filter(interview=interview).count()
    if coded:
        raise ValidationError(
            f"Interview {interview.pk} has {coded} coding(s); delete them first or keep it."
        )
    with transaction.atomic():
        audit_record(
            study_id=interview.dyad.study_id,
            actor=actor,
            action="delete",
            object_type="interview",
            object_id=interview.pk,
            before=snapshot(interview, INTERVIEW_FIELDS),
            summary=f"Interview {interview.pk} ({interview.dyad.label}, "
            f"{interview.perspective}) deleted",
        )
        interview.delete()


@dataclass
class BatchItem:
    """One file of a batch import: its bytes (or a loader) and where it goes."""

    name: str
    dyad: str
    perspective: str
    load: Callable[[], bytes]
    dyad_attributes: dict[str, str] = field(default_factory=dict)
    clinician: str = ""
    clinician_attributes: dict[str, str] = field(default_factory=dict)
    patient: str = ""
    patient_attributes: dict[str, str] = field(default_factory=dict)
    speaker_map: dict[str, str] = field(default_factory=dict)
    conducted_on: str = ""
    interviewer: str = ""


@dataclass
class BatchOutcome:
    name: str
    ok: bool
    message: str
    interview_id: int | None = None
    dyad: str = ""
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "ok": self.ok,
            "message": self.message,
            "interview_id": self.interview_id,
            "dyad": self.dyad,
            "warnings": self.warnings,
        }


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(
                f"{key}: {' '.join(str(m) for m in messages)}"
                for key, messages in exc.message_dict.items()
            )
        return " ".join(exc.messages)
    return str(exc)


def interviews_import_batch(
    *,
    study: Study,
    items: Sequence[BatchItem],
    imported_by: Any,
    force: bool = False,
    encoding_fallback: bool = True,
    progress: Callable[[int, str], None] | None = None,
) -> list[BatchOutcome]:
    """Import several files; each file is all-or-nothing (its dyad, people, interview and turns).

    A failing file is reported and the batch goes on with the next one.
    """
    outcomes: list[BatchOutcome] = []
    for position, item in enumerate(items):
        if progress is not None:
            progress(int(100 * position / max(len(items), 1)), f"Importing {item.name}")
        try:
            conducted_on = dt.date.fromisoformat(item.conducted_on) if item.conducted_on else None
        except ValueError:
            outcomes.append(
                BatchOutcome(
                    item.name,
                    False,
                    f"{item.name}: conducted_on {item.conducted_on!r} is not a date (YYYY-MM-DD).",
                    dyad=item.dyad,
                )
            )
            continue
        try:
            with transaction.atomic():
                clinician = (
                    participant_get_or_create(
                        study=study,
                        role=ParticipantRole.CLINICIAN,
                        pseudonym=item.clinician,
                        attributes=item.clinician_attributes,
                    )
                    if item.clinician
                    else None
                )
                patient = (
                    participant_get_or_create(
                        study=study,
                        role=ParticipantRole.PATIENT,
                        pseudonym=item.patient,
                        attributes=item.patient_attributes,
                    )
                    if item.patient
                    else None
                )
                dyad, _ = dyad_get_or_create(
                    study=study,
                    label=item.dyad,
                    clinician=clinician,
                    patient=patient,
                    attributes=item.dyad_attributes,
                )
                outcome = interview_import(
                    dyad=dyad,
                    perspective=item.perspective,
                    filename=item.name,
                    data=item.load(),
                    imported_by=imported_by,
                    speaker_map=item.speaker_map,
                    force=force,
                    encoding_fallback=encoding_fallback,
                    conducted_on=conducted_on,
                    interviewer=item.interviewer,
                )
        except (TranscriptError, ValidationError, OSError) as exc:
            message = _error_text(exc)
            if not message.startswith(item.name):
                message = f"{item.name}: {message}"
            outcomes.append(BatchOutcome(item.name, False, message, dyad=item.dyad))
            continue
        interview = outcome.interview
        outcomes.append(
            BatchOutcome(
                item.name,
                True,
                f"{item.name}: imported as interview {interview.pk} "
                f"({dyad.label}, {interview.perspective}, {interview.word_count} words, "
                f"{len(outcome.speaker_roles)} speakers)",
                interview_id=interview.pk,
                dyad=dyad.label,
                warnings=outcome.warnings,
            )
        )
    if progress is not None:
        progress(100, f"Imported {sum(o.ok for o in outcomes)} of {len(items)} files")
    return outcomes


def parse_speaker_map(text: str) -> dict[str, str]:
    """``"Jane=patient; Int=interviewer"`` as a dict; roles are checked on import."""
    mapping: dict[str, str] = {}
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        name, sep, role = part.partition("=")
        if not sep or not name.strip() or not role.strip():
            raise ValidationError(
                {"speakers": f"{part.strip()!r} is not NAME=ROLE (e.g. 'Jane=patient')."}
            )
        mapping[name.strip()] = role.strip().lower()
    return mapping


def manifest_columns(header: Iterable[str]) -> dict[str, str]:
    """How each manifest column is read: a fixed column, or an attribute of whom."""
    fixed = {
        "file",
        "dyad",
        "perspective",
        "clinician",
        "patient",
        "speakers",
        "conducted_on",
        "interviewer",
    }
    kinds: dict[str, str] = {}
    for column in header:
        name = column.strip()
        if name in fixed:
            kinds[column] = name
        elif name.startswith(("clinician.", "patient.", "dyad.")):
            kinds[column] = name.split(".", 1)[0] + "_attribute"
        elif name:
            kinds[column] = "dyad_attribute"
    return kinds


# --- API tokens ---------------------------------------------------------------------------------


def api_token_create(*, user: Any, name: str) -> tuple[Any, str]:
    """A new personal API token; returns the stored row and the token, which is shown only once."""
    from healing.api.auth import token_generate, token_hash
    from interviews.models import ApiToken

    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": "Name the token (1 to 100 characters), e.g. 'R scripts'."})
    if ApiToken.objects.filter(user=user, name=name, revoked__isnull=True).exists():
        raise ValidationError({"name": "You already have an active token with this name."})
    token = token_generate()
    row = ApiToken.objects.create(
        user=user, name=name, prefix=token[:10], key_hash=token_hash(token)
    )
    return row, token


def api_token_revoke(*, token: Any) -> None:
    from django.utils import timezone

    if token.revoked is None:
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])


def transcripts_import_start(
    *, study: Study, user: Any, uploads: Sequence[Any], items: list[dict[str, Any]], force: bool
) -> Any:
    """Import uploaded transcripts as a job: ``items`` (from a manifest or a form) give each
    file's dyad and perspective. Files are checked against the size limit first; each file is
    then imported all-or-nothing by the job, which reports every file."""
    from coding.jobs import JobInput, job_create
    from coding.models import JobKind

    limit = settings.HEALING_MAX_UPLOAD_BYTES
    for upload in uploads:
        if upload.size > limit:
            raise ValidationError(
                {
                    "files": f"{upload.name} is {upload.size / 1_000_000:.1f} MB; the limit is "
                    f"{limit / 1_000_000:.1f} MB (HEALING_MAX_UPLOAD_BYTES)."
                }
            )
    names = [upload.name for upload in uploads]
    if len(set(names)) != len(names):
        raise ValidationError({"files": "Two uploaded files have the same name."})
    # A manifest may name files with a folder ("patients/d01.txt"): match by the file's name.
    by_basename = {name.rsplit("/", 1)[-1]: name for name in names}
    listed: set[str] = set()
    missing: list[str] = []
    for item in items:
        name = str(item["file"])
        uploaded = name if name in names else by_basename.get(name.rsplit("/", 1)[-1])
        if uploaded is None:
            missing.append(name)
            continue
        item["file"] = uploaded
        listed.add(uploaded)
    if missing:
        raise ValidationError({"files": f"Listed but not uploaded: {', '.join(missing)}."})
    unlisted = sorted(set(names) - listed)
    if unlisted:
        raise ValidationError({"files": f"Uploaded but not listed: {', '.join(unlisted)}."})
    return job_create(
        kind=JobKind.IMPORT_TRANSCRIPTS,
        user=user,
        study=study,
        params={"items": items, "force": force},
        inputs=[
            JobInput(upload.name, upload.read(), upload.content_type or "application/octet-stream")
            for upload in uploads
        ],
    )
