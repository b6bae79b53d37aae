"""Import REFI-QDA files: a project (.qdpx) into a new or existing study, a codebook (.qdc) into
a study's codebook. Each import is one transaction, so a failure changes nothing, and ends with
an ``ImportReport``.

Everything is written through the services (study_create, membership_set, attribute_define,
participant_get_or_create, dyad_get_or_create, interview_import with its turn detection,
code_create, codings_bulk_create, memo_create), so invariants and the audit trail hold as for
any other write.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coding.exchange.refi.archive import Limits, open_project
from coding.exchange.refi.codebook import (
    code_groups,
    codebook_merge,
    finish_codebook,
)
from coding.exchange.refi.codes import (
    ATTRIBUTE_TYPES,
    attribute_key,
    read_variable_description,
)
from coding.exchange.refi.errors import RefiError
from coding.exchange.refi.export import CODING_MEMO_NAME, memo_type_of_description
from coding.exchange.refi.loading import LoadedProject, SourceText, check_path, load_project
from coding.exchange.refi.model import (
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    is_guid,
)
from coding.exchange.refi.offsets import (
    CRLF_AS_TWO,
    UTF16,
    decode_source,
    describe_unit,
    unit_for_origin,
)
from coding.exchange.refi.parse import parse_codebook
from coding.exchange.refi.plan import (
    NO_USER,
    build_plan,
    hint_sets,
    mapping_clean,
)
from coding.exchange.refi.report import ImportReport
from coding.exchange.refi.safexml import parse_xml
from coding.models import Code, Codebook, Coding, Layer, Memo, MemoType
from coding.services import (
    CodingInput,
    codebook_bump_version,
    codings_bulk_create,
    memo_create,
)
from healing.audit.services import audit_record
from interviews.attributes import coerce_attribute_value
from interviews.importing import TranscriptError
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
from interviews.services import (
    attribute_define,
    dyad_get_or_create,
    interview_import,
    participant_get_or_create,
    study_create,
)
from interviews.services.placeholders import placeholder_person_create

Progress = Callable[[int, str], None]


def _quiet(percent: int, message: str) -> None:
    """No progress reporting."""


# --- .qdc ---------------------------------------------------------------------------------------


def read_codebook_file(
    data: bytes, *, name: str, limits: Limits | None = None
) -> tuple[list[RefiCode], list[RefiSet], str, str, list[str]]:
    """Codes, sets, origin, namespace and problems of a .qdc (or a .qdpx's codebook)."""
    project_file = open_project(data, name=name, limits=limits)
    root, namespace = parse_xml(project_file.qde, name=project_file.qde_name)
    codes, sets, origin, problems = parse_codebook(root)
    if not codes:
        raise RefiError(f"{name} holds no codes.")
    return codes, sets, origin, namespace, problems


def qdc_import(
    *,
    study: Study,
    data: bytes,
    filename: str,
    actor: Any,
    update_matched: bool = False,
    progress: Progress = _quiet,
    limits: Limits | None = None,
) -> ImportReport:
    """Merge a codebook file into the study's codebook as a new codebook version."""
    codes, sets, origin, namespace, problems = read_codebook_file(
        data, name=filename, limits=limits
    )
    report = ImportReport(file=filename, origin=origin, namespace=namespace, study=study.slug)
    for problem in problems:
        report.convert("file", filename, problem)
    groups = code_groups(sets)
    for refi_set in sets:
        if not any(guid in groups for guid in refi_set.member_codes):
            report.skip("set", refi_set.name, "sets have no equivalent here")
    progress(20, "Read the codebook")
    with transaction.atomic():
        codebook = Codebook.objects.select_for_update().get(study=study)
        merged = codebook_merge(
            codebook=codebook,
            codes=codes,
            actor=actor,
            report=report,
            update_matched=update_matched,
            groups=groups,
        )
        if merged.not_codable:
            Code.objects.filter(pk__in=[code.pk for code in merged.not_codable]).update(
                is_active=False
            )
        if merged.created or merged.updated or merged.not_codable:
            codebook_bump_version(
                codebook=codebook,
                summary=(
                    f"Imported {filename}: {len(merged.created)} new codes, "
                    f"{merged.updated} updated"
                ),
                actor=actor,
            )
        audit_record(
            study_id=study.pk,
            actor=actor,
            action="import",
            object_type="codebook",
            object_id=codebook.pk,
            summary=f"{filename} ({origin or 'unknown tool'}): {len(merged.created)} codes added",
        )
    progress(100, "Done")
    return report


# --- .qdpx --------------------------------------------------------------------------------------


def qdpx_inspect(
    *,
    data: bytes,
    filename: str,
    user: Any,
    study: Study | None = None,
    new_study: dict[str, str] | None = None,
    limits: Limits | None = None,
) -> dict[str, Any]:
    """Read a .qdpx and propose how it maps into ``study`` (or a new study); writes nothing."""
    loaded = load_project(data, name=filename, limits=limits)
    return build_plan(loaded=loaded, user=user, study=study, new_study=new_study)


def new_study_check(*, slug: str, title: str) -> dict[str, str]:
    """The slug and title for a study to be created by an import, checked."""
    slug, title = (slug or "").strip(), " ".join((title or "").split())
    errors = {}
    study = Study(slug=slug, title=title)
    try:
        study.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return {"slug": slug, "title": title}


@dataclass
class _Context:
    study: Study
    user: Any
    loaded: LoadedProject
    report: ImportReport
    codes: dict[str, Code] = field(default_factory=dict)
    users: dict[str, tuple[Any, str] | None] = field(default_factory=dict)  # guid -> (user, layer)
    interviews: dict[str, Interview] = field(default_factory=dict)  # source guid -> interview
    codings: dict[str, Coding] = field(default_factory=dict)  # file coding guid -> coding
    selection_first_coding: dict[str, Coding] = field(default_factory=dict)
    coding_memos: dict[str, list[str]] | None = None

    @property
    def project(self) -> RefiProject:
        return self.loaded.project


def qdpx_import(
    *,
    data: bytes,
    filename: str,
    user: Any,
    mapping: dict[str, Any] | None = None,
    study: Study | None = None,
    new_study: dict[str, str] | None = None,
    progress: Progress = _quiet,
    limits: Limits | None = None,
) -> ImportReport:
    """Import a .qdpx into ``study`` (an existing one the user leads) or a new study
    (``new_study`` = {"slug", "title"}), following ``mapping`` (see plan.mapping_clean; what
    it leaves out takes the proposal). All or nothing: RefiError or ValidationError, and
    nothing is stored, for a file or mapping that cannot be used."""
    if (study is None) == (new_study is None):
        raise ValueError("Give either study or new_study.")
    loaded = load_project(data, name=filename, limits=limits)
    project = loaded.project
    plan = build_plan(loaded=loaded, user=user, study=study, new_study=new_study)
    cleaned = mapping_clean(plan=plan, mapping=mapping)
    progress(10, "Read the file")
    report = ImportReport(file=filename, origin=project.origin, namespace=project.namespace)
    try:
        with transaction.atomic():
            if study is None:
                assert new_study is not None
                checked = new_study_check(**new_study)
                if Study.objects.filter(slug=checked["slug"]).exists():
                    raise ValidationError({"slug": "A study with this slug already exists."})
                study = study_create(
                    slug=checked["slug"],
                    title=checked["title"],
                    description=project.description.strip(),
                    created_by=user,
                    codebook="empty",
                )
                new = True
            else:
                new = False
            report.study = study.slug
            context = _Context(study=study, user=user, loaded=loaded, report=report)
            _import(context, cleaned=cleaned, new=new, progress=progress)
    except IntegrityError as exc:
        raise ValidationError(
            f"The import could not be stored ({exc}); nothing was changed."
        ) from None
    progress(100, "Done")
    return report


def _import(context: _Context, *, cleaned: dict[str, Any], new: bool, progress: Progress) -> None:
    study, project, report = context.study, context.project, context.report
    _report_file(context)
    _map_users(context, cleaned["users"])
    codebook = Codebook.objects.select_for_update().get(study=study)
    if new:
        Codebook.objects.filter(pk=codebook.pk).update(
            title=(project.name or study.title)[:200],
            origin=f"Imported from {context.report.file} ({project.origin or 'unknown tool'})"[
                :200
            ],
        )
        codebook.refresh_from_db()
    merged = codebook_merge(
        codebook=codebook,
        codes=project.codes,
        actor=context.user,
        report=report,
        update_matched=cleaned["update_codes"],
        groups=code_groups(project.sets),
    )
    context.codes = merged.by_guid
    if not new and (merged.created or merged.updated):
        codebook_bump_version(
            codebook=codebook,
            summary=f"Imported {report.file}: {len(merged.created)} new codes",
            actor=context.user,
        )
    progress(20, "Codebook merged")
    dyads = _map_cases(context, cleaned["cases"])
    sources = [entry for entry in cleaned["sources"] if entry["action"] != "skip"]
    for entry in cleaned["sources"]:
        if entry["action"] == "skip":
            _skip_source(context, entry["guid"])
    for position, entry in enumerate(sources):
        item = context.loaded.text_of(entry["guid"])
        assert item is not None
        _import_source(context, item, entry, dyads)
        progress(
            20 + int(70 * (position + 1) / max(len(sources), 1)), f"Imported {item.source.label}"
        )
    _import_notes(context)
    for other in project.other_sources:
        report.skip(
            "non-text source",
            other.name or other.kind,
            f"a {other.kind} is not a text: not imported"
            + (
                f" ({other.selections} selections, {other.codings} codings)"
                if other.selections
                else ""
            ),
        )
    hints = hint_sets(project)
    for refi_set in project.sets:
        if refi_set.guid not in hints:
            report.skip("set", refi_set.name, "sets have no equivalent here")
    if project.graphs:
        report.skip("graph", f"{project.graphs} graphs", "graphs have no equivalent here")
    finish_codebook(
        codebook=codebook,
        merged=merged,
        summary=f"Imported from {report.file}",
        actor=context.user,
        new=new,
    )
    audit_record(
        study_id=study.pk,
        actor=context.user,
        action="import",
        object_type="study",
        object_id=study.pk,
        summary=(
            f"{report.file} ({project.origin or 'unknown tool'}): "
            f"{report.imported.get('interviews', 0)} interviews, "
            f"{report.imported.get('codings', 0)} codings"
        )[:300],
    )


def _report_file(context: _Context) -> None:
    project, report = context.project, context.report
    for problem in project.problems + context.loaded.file.notes:
        report.convert("file", context.report.file, problem)
    unit, crlf = unit_for_origin(project.origin)
    for item in context.loaded.texts:
        if item.positions is not None and (item.positions.unit, item.positions.crlf) != (
            unit,
            crlf,
        ):
            report.convert(
                "positions",
                item.source.label,
                "read as "
                + describe_unit(item.positions.unit, item.positions.crlf)
                + " (the selection names fit that way)",
            )


def _map_users(context: _Context, users: list[dict[str, Any]]) -> None:
    report = context.report
    user_model = get_user_model()
    names = {user.guid: user.label for user in context.project.users}
    for entry in users:
        guid = entry["guid"]
        label = names.get(guid) or (f"Unknown user {guid[:8]}" if guid else "Unnamed coder")
        action = entry["action"]
        if action == "skip":
            context.users[entry["guid"]] = None
            continue
        if action == "consensus":
            context.users[entry["guid"]] = (context.user, Layer.CONSENSUS)
            report.convert("layer", label, "codings go to the consensus layer")
            continue
        if action == "member":
            member = user_model.objects.get(username=entry["username"])
            context.users[entry["guid"]] = (member, Layer.INDIVIDUAL)
            continue
        # The file's coder is no one here: a placeholder (no sign-in, no membership) holds
        # their codings, and keeps the name the file gave as the file's claim.
        placeholder = placeholder_person_create(
            claimed_username=names.get(guid) or "", claimed_name=label, source=report.file
        )
        context.users[entry["guid"]] = (placeholder, Layer.INDIVIDUAL)
        report.count("placeholder accounts")
        report.convert(
            "placeholder",
            label,
            f"placeholder {placeholder.get_username()} (cannot sign in, no member) holds this "
            "coder's codings",
        )


# --- Cases, attributes, dyads --------------------------------------------------------------------


@dataclass
class _Variable:
    entity: str  # clinician, patient, dyad; "person:clinician" for the pseudonyms; "interview"
    key: str
    definition: AttributeDefinition | None = None


def _variables(context: _Context) -> dict[str, _Variable]:
    """Each file variable as what it sets here, attribute definitions made as needed."""
    study, report = context.study, context.report
    definitions = {(d.entity, d.key): d for d in AttributeDefinition.objects.filter(study=study)}
    result: dict[str, _Variable] = {}
    for variable in context.project.variables:
        name = variable.name.strip()
        lowered = name.lower()
        if lowered in {"clinician", "patient"}:
            result[variable.guid] = _Variable(f"person:{lowered}", "pseudonym")
            continue
        if lowered.startswith("interview."):
            result[variable.guid] = _Variable("interview", lowered.removeprefix("interview."))
            continue
        entity, _, rest = name.partition(".")
        if entity.lower() in {"clinician", "patient", "dyad"} and rest:
            entity, key = entity.lower(), attribute_key(rest)
        else:
            entity, key = Entity.DYAD, attribute_key(name)
        label, choices = read_variable_description(variable.description)
        definition = definitions.get((entity, key))
        if definition is None:
            kind = ATTRIBUTE_TYPES.get(variable.type, AttributeType.TEXT)
            if choices and kind == AttributeType.TEXT:
                kind = AttributeType.CHOICE
            definition = attribute_define(
                study=study,
                entity=entity,
                key=key,
                type=kind,
                label=(label or name)[:120],
                choices=choices,
            )
            definitions[(entity, key)] = definition
            report.count("attributes")
            if name not in {key, f"{entity}.{key}"}:
                report.convert("attribute", name, f"{entity} attribute {key}")
        result[variable.guid] = _Variable(entity, key, definition)
    return result


def _clean_value(context: _Context, variable: _Variable, raw: str, where: str) -> Any:
    assert variable.definition is not None
    try:
        return coerce_attribute_value(definition=variable.definition, raw=raw)
    except ValidationError as exc:
        context.report.skip("attribute value", where, " ".join(exc.messages))
        return None


def _map_cases(context: _Context, cases: list[dict[str, Any]]) -> dict[str, Dyad]:
    """Dyads for the cases (by label), with their people and attributes."""
    study, report = context.study, context.report
    variables = _variables(context)
    labels = {entry["guid"]: entry["dyad"] for entry in cases}
    dyads: dict[str, Dyad] = {}
    for case in context.project.cases:
        label = labels.get(case.guid, "")
        what = case.name or label or case.guid
        if not label:
            report.skip("case", what, "skipped in the mapping")
            continue
        people: dict[str, dict[str, Any]] = {"clinician": {}, "patient": {}}
        pseudonyms: dict[str, str] = {}
        dyad_values: dict[str, Any] = {}
        for value in case.values:
            variable = variables.get(value.variable_guid)
            if variable is None:
                report.skip(
                    "attribute value", what, f"refers to an unknown variable {value.variable_guid}"
                )
                continue
            if variable.entity.startswith("person:"):
                pseudonyms[variable.entity.removeprefix("person:")] = value.value
                continue
            if variable.entity == "interview":
                continue
            cleaned = _clean_value(context, variable, value.value, f"{what}: {variable.key}")
            if cleaned is None:
                continue
            if variable.entity == Entity.DYAD:
                dyad_values[variable.key] = cleaned
            else:
                people[variable.entity][variable.key] = cleaned
        participants: dict[str, Participant | None] = {}
        for role in (ParticipantRole.CLINICIAN, ParticipantRole.PATIENT):
            pseudonym = " ".join(pseudonyms.get(role, "").split())[:120]
            if pseudonym:
                participants[role] = participant_get_or_create(
                    study=study, role=role, pseudonym=pseudonym, attributes=people[role]
                )
            elif people[role]:
                report.skip(
                    "attribute value", what, f"{role} attributes without a {role} pseudonym"
                )
        existed = Dyad.objects.filter(study=study, label=label).exists()
        dyad, _ = dyad_get_or_create(
            study=study,
            label=label,
            clinician=participants.get(ParticipantRole.CLINICIAN),
            patient=participants.get(ParticipantRole.PATIENT),
            attributes=dyad_values,
            actor=context.user,
        )
        if not existed:
            _keep_guid(Dyad, dyad, case.guid, study=study)
            report.count("dyads")
        dyads[case.guid] = dyad
        if case.name and label != case.name:
            report.convert("renamed duplicate", case.name, f"dyad label {label}")
        if case.description.strip():
            report.convert("case description", what, "kept as a memo on the dyad")
            memo_create(
                study=study,
                author=context.user,
                dyad=dyad,
                title="Case description",
                body=case.description.strip(),
            )
            report.count("memos")
    return dyads


def _keep_guid(model: Any, obj: Any, guid: str, *, study: Study) -> None:
    """Keep the file's GUID on a new row, unless it is malformed or already used in the study."""
    if not is_guid(guid):
        return
    scope = {
        Dyad: {"study": study},
        Interview: {"dyad__study": study},
        Memo: {"study": study},
    }[model]
    if not model.objects.filter(guid=guid, **scope).exists():
        model.objects.filter(pk=obj.pk).update(guid=guid)
        obj.guid = uuid.UUID(guid)


# --- Sources and codings -------------------------------------------------------------------------


def _skip_source(context: _Context, guid: str) -> None:
    item = context.loaded.text_of(guid)
    if item is None:
        return
    source = item.source
    reason = (
        item.problem
        or (f"the same text as source {item.duplicate_of}" if item.duplicate_of else "")
        or "skipped in the mapping"
    )
    context.report.skip("source", source.label, reason)
    selections = len(source.selections) + len(source.codings)
    if selections:
        context.report.skip(
            "selection of a skipped source",
            source.label,
            f"{selections} selections not imported with their source",
        )


def _import_source(
    context: _Context, item: SourceText, entry: dict[str, Any], dyads: dict[str, Dyad]
) -> None:
    study, report, source = context.study, context.report, item.source
    assert item.positions is not None
    text = item.positions.text
    if entry["action"] == "existing":
        interview = Interview.objects.select_related("dyad").get(
            pk=entry["interview"], dyad__study=study
        )
        report.convert("source", source.label, f"codings added to interview {interview.pk}")
    else:
        dyad = _dyad_for(context, entry["dyad"], dyads)
        values = _interview_fields(context, source)
        stem = re.sub(r"\.(txt|docx?|rtf|pdf|md)$", "", source.label, flags=re.I)
        stem = re.sub(r"[\\/]+", "-", stem).strip() or "source"
        try:
            with transaction.atomic():
                outcome = interview_import(
                    dyad=dyad,
                    perspective=entry["perspective"],
                    filename=f"{stem[:200]}.txt",
                    data=text.encode("utf-8"),
                    imported_by=context.user,
                    force=True,
                    title=source.label[:200],
                    **values,
                )
        except TranscriptError as exc:
            report.skip("source", source.label, str(exc))
            if source.selections:
                report.skip(
                    "selection of a skipped source",
                    source.label,
                    f"{len(source.selections)} selections not imported with their source",
                )
            return
        interview = outcome.interview
        if interview.text != text:
            raise RefiError(
                f"{source.label}: the stored text differs from the file's; nothing was imported."
            )
        _keep_guid(Interview, interview, source.guid, study=study)
        report.count("interviews")
        for note in item.notes:
            report.convert("text", source.label, note)
        if item.positions.had_astral and item.positions.unit == UTF16:
            report.convert(
                "positions",
                source.label,
                "positions counted in UTF-16 units (NVivo) converted to code points: the text "
                "has characters outside the Basic Multilingual Plane, such as emoji",
            )
        if item.positions.had_crlf:
            report.convert(
                "line ends",
                source.label,
                "CRLF line ends turned into LF; positions counted "
                + (
                    "with CRLF as two characters"
                    if item.positions.crlf == CRLF_AS_TWO
                    else "with CRLF as one"
                )
                + " converted",
            )
        if item.positions.nfc_changed:
            report.convert("text", source.label, "Unicode normalised (NFC); positions follow")
    context.interviews[source.guid] = interview
    _import_codings(context, item, interview, new=entry["action"] != "existing")


def _dyad_for(context: _Context, label: str, dyads: dict[str, Dyad]) -> Dyad:
    for dyad in dyads.values():
        if dyad.label.casefold() == label.casefold():
            return dyad
    dyad, created = dyad_get_or_create(study=context.study, label=label, actor=context.user)
    if created:
        context.report.count("dyads")
    dyads[f"label:{label}"] = dyad
    return dyad


def _interview_fields(context: _Context, source: Any) -> dict[str, Any]:
    names = {v.guid: v.name.lower() for v in context.project.variables}
    values: dict[str, Any] = {}
    for value in source.values:
        name = names.get(value.variable_guid, "")
        if name == "interview.conducted_on":
            try:
                values["conducted_on"] = dt.date.fromisoformat(value.value[:10])
            except ValueError:
                context.report.skip(
                    "attribute value", source.label, f"conducted_on {value.value!r}"
                )
        elif name == "interview.interviewer":
            values["interviewer"] = value.value[:120]
        elif name and name != "interview.perspective":
            context.report.skip(
                "source variable",
                source.label,
                f"variable {name} on a source is not imported (put it on a case)",
            )
    return values


@dataclass
class _Pending:
    items: list[CodingInput] = field(default_factory=list)
    guids: list[tuple[str, str]] = field(default_factory=list)  # (coding guid, selection guid)
    seen: set[tuple[int, int, int]] = field(default_factory=set)


def _import_codings(
    context: _Context, item: SourceText, interview: Interview, *, new: bool
) -> None:
    report, source = context.report, item.source
    assert item.positions is not None
    positions = item.positions
    text = positions.text
    label = source.label
    existing: set[tuple[Any, ...]] = (
        set()
        if new
        else set(
            Coding.objects.filter(interview=interview).values_list(
                "coder_id", "layer", "code_id", "start", "end"
            )
        )
    )
    consensus = {
        (code, start, end) for _, layer, code, start, end in existing if layer == Layer.CONSENSUS
    }
    coding_memos = _coding_memos(context)
    groups: dict[tuple[int, str], _Pending] = defaultdict(_Pending)
    coder_of: dict[tuple[int, str], Any] = {}
    moved = 0
    whole: list[tuple[RefiCoding, RefiSelection | None, int, int]] = [
        (coding, None, 0, len(text)) for coding in source.codings
    ]
    if source.codings:
        report.convert(
            "whole-source coding",
            label,
            f"{len(source.codings)} codings of the whole source span its text",
        )
    spans: list[tuple[RefiCoding, RefiSelection | None, int, int]] = list(whole)
    for selection in source.selections:
        what = f"{label} [{selection.raw_start}, {selection.raw_end})"
        if selection.start is None or selection.end is None:
            report.skip("selection", what, "its positions are not whole numbers")
            continue
        if not positions.reliable:
            report.skip("selection", what, "the text changes under Unicode normalisation")
            continue
        if item.from_rich_text:
            report.skip(
                "selection", what, "positions refer to a plain text the file does not include"
            )
            continue
        converted = positions.convert(selection.start, selection.end)
        if converted is None:
            report.skip(
                "selection outside its text",
                what,
                f"outside its text ({positions.total_units} positions)",
            )
            continue
        start, end, was_moved = converted
        if end <= start:
            report.skip("empty selection", what, "it selects nothing (end is not after start)")
            continue
        moved += int(was_moved)
        if not selection.codings:
            report.skip("selection without coding", what, "no code is applied to it")
        for coding in selection.codings:
            spans.append((coding, selection, start, end))
    if moved:
        report.convert(
            "positions", label, f"{moved} selections moved to the nearest character boundary"
        )
    for coding, owner, start, end in spans:
        what = f"{label} [{start}, {end})"
        user_guid = coding.user_guid or (owner.user_guid if owner else "") or NO_USER
        if user_guid not in context.users:
            user_guid = NO_USER if NO_USER in context.users else user_guid
        target = context.users.get(user_guid)
        if target is None:
            report.skip("coding", what, "its coder is skipped in the mapping")
            continue
        coder, layer = target
        code = context.codes.get(coding.code_guid)
        if code is None:
            report.skip("coding", what, f"refers to an unknown code {coding.code_guid or '(none)'}")
            continue
        if not code.is_active:
            report.skip(
                "coding of an inactive code",
                what,
                f"code {code.key} is switched off in this study; switch it on and import again",
            )
            continue
        identity = (code.pk, start, end)
        if layer == Layer.CONSENSUS:
            if identity in consensus:
                report.skip("duplicate coding", what, "the consensus already has it")
                continue
            consensus.add(identity)
        elif (coder.pk, layer, *identity) in existing:
            report.skip("duplicate coding", what, "this coder already has it")
            continue
        group = groups[(coder.pk, layer)]
        coder_of[(coder.pk, layer)] = coder
        if identity in group.seen:
            report.skip("duplicate coding", what, "the same code on the same span twice")
            continue
        group.seen.add(identity)
        memo = "\n\n".join(coding_memos.get(coding.guid, []))[:10_000]
        group.items.append(CodingInput(code_id=code.pk, start=start, end=end, memo=memo))
        group.guids.append((coding.guid, owner.guid if owner else ""))
    for (coder_id, layer), group in groups.items():
        created = codings_bulk_create(
            interview=interview, coder=coder_of[(coder_id, layer)], items=group.items, layer=layer
        )
        for made, (coding_guid, selection_guid) in zip(created, group.guids, strict=True):
            if coding_guid:
                context.codings.setdefault(coding_guid, made)
            if selection_guid:
                context.selection_first_coding.setdefault(selection_guid, made)
        report.count("codings", len(created))
        if layer == Layer.CONSENSUS:
            report.count("consensus codings", len(created))
    _selection_notes(context, item, interview)


def _coding_memos(context: _Context) -> dict[str, list[str]]:
    """Coding GUID -> texts of the notes written as a coding's own memo ("Coding memo")."""
    if context.coding_memos is not None:
        return context.coding_memos
    notes = {note.guid: note for note in context.project.notes}
    memos: dict[str, list[str]] = defaultdict(list)
    for source in context.project.text_sources:
        for selection in source.selections:
            for coding in selection.codings:
                for guid in coding.note_refs:
                    note = notes.get(guid)
                    if note is not None and note.name == CODING_MEMO_NAME:
                        text = _note_text(context, note)
                        if text:
                            memos[coding.guid].append(text)
    context.coding_memos = memos
    return memos


def _selection_notes(context: _Context, item: SourceText, interview: Interview) -> None:
    """A selection's Description (MAXQDA, ATLAS.ti comments) becomes a memo on its coding."""
    for selection in item.source.selections:
        if not selection.description.strip():
            continue
        coding = context.selection_first_coding.get(selection.guid)
        label = " ".join((selection.name or (coding.quote if coding else "")).split())
        if len(label) > 60:
            label = label[:59].rstrip() + "…"
        title = f"Comment on “{label}”" if label else "Comment on a selection"
        if coding is not None:
            memo_create(
                study=context.study,
                author=context.user,
                coding=coding,
                title=title,
                body=selection.description.strip(),
            )
        else:
            memo_create(
                study=context.study,
                author=context.user,
                interview=interview,
                title=title,
                body=selection.description.strip(),
            )
        context.report.count("memos")
        context.report.convert(
            "comment", item.source.label, "a selection's description kept as a memo"
        )


# --- Notes --------------------------------------------------------------------------------------


def _note_text(context: _Context, note: RefiNote) -> str:
    if note.content is not None and note.content.strip():
        return note.content.strip()
    if note.path and not context.loaded.file.is_bare:
        info = context.loaded.file.find(check_path(note.path, name=context.report.file))
        if info is not None:
            try:
                return (
                    decode_source(context.loaded.file.read(info)).raw.replace("\r\n", "\n").strip()
                )
            except UnicodeDecodeError:
                return ""
    return note.description.strip()


def _import_notes(context: _Context) -> None:
    """Notes become memos on what refers to them (or is linked from them); the rest are study
    memos. Coding memos we wrote ("Coding memo") went into the codings themselves."""
    project, report, study = context.project, context.report, context.study
    targets: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for guid in project.project_note_refs:
        targets[guid].append(("study", ""))
    for code in project.all_codes():
        for guid in code.note_refs:
            targets[guid].append(("code", code.guid))
    for source in project.text_sources:
        for guid in source.note_refs:
            targets[guid].append(("source", source.guid))
        for selection in source.selections:
            for guid in selection.note_refs:
                targets[guid].append(("selection", selection.guid))
            for coding in selection.codings:
                for guid in coding.note_refs:
                    targets[guid].append(("coding", coding.guid))
    cases = {case.guid: case for case in project.cases}
    sources = {source.guid for source in project.text_sources}
    selections = {s.guid for source in project.text_sources for s in source.selections}
    codes = {code.guid for code in project.all_codes()}
    note_guids = {note.guid for note in project.notes}
    for link in project.links:
        for note_end, other in ((link.origin, link.target), (link.target, link.origin)):
            if note_end not in note_guids:
                continue
            if other in cases:
                targets[note_end].append(("case", other))
            elif other in sources:
                targets[note_end].append(("source", other))
            elif other in codes:
                targets[note_end].append(("code", other))
            elif other in selections:
                targets[note_end].append(("selection", other))
            else:
                targets[note_end].append(("other", other))
    case_dyads = {guid: Dyad.objects.filter(study=study, guid=guid).first() for guid in cases}
    for note in project.notes:
        text = _note_text(context, note)
        name = note.name or "Note"
        where = targets.get(note.guid, [])
        if where and all(kind == "coding" for kind, _ in where) and note.name == CODING_MEMO_NAME:
            continue  # written into the coding's own memo
        if not text:
            report.skip("note", name, "it has no text")
            continue
        author = context.users.get(note.user_guid or NO_USER) or context.users.get(NO_USER)
        author_user = author[0] if author else context.user
        target: dict[str, Any] = {}
        for kind, guid in where:
            if kind == "study":
                break
            if kind == "code" and guid in context.codes:
                target = {"code": context.codes[guid]}
            elif kind == "source" and guid in context.interviews:
                target = {"interview": context.interviews[guid]}
            elif kind == "coding" and guid in context.codings:
                target = {"coding": context.codings[guid]}
            elif kind == "selection" and guid in context.selection_first_coding:
                target = {"coding": context.selection_first_coding[guid]}
            elif kind == "case" and case_dyads.get(guid) is not None:
                target = {"dyad": case_dyads[guid]}
            if target:
                break
        if where and not target and where[0][0] != "study":
            report.convert("note", name, "what it was attached to was not imported: a study memo")
        if len(where) > 1:
            report.convert("note", name, f"attached to {len(where)} places; kept on the first")
        memo = memo_create(
            study=study,
            author=author_user,
            title=name[:200],
            body=text[:50_000],
            type=memo_type_of_description(note.description) or MemoType.ANALYTIC,
            **target,
        )
        _keep_guid(Memo, memo, note.guid, study=study)
        report.count("memos")
