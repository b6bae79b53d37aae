"""A whole study as one JSON document, and the import that rebuilds it on another server.

The document (``"format": "healing-study"``, ``"version": 1``; described in docs/exports.md) has
everything needed to rebuild the study: the people it names (usernames and names, never
passwords or e-mail addresses), members and roles, attribute definitions, participants, dyads,
interviews with their text and speaker turns, the codebook with every version's snapshot (and
merged codes), the codings of every layer, memos, case studies with their evidence, assignments,
and adjudication decisions.

Objects refer to each other by what stays the same across servers — usernames, dyad labels,
participants' (role, pseudonym), and the GUIDs of interviews, codes and codings — never by
database ids. Creation and change times are kept. So exporting a study, importing it into an
empty server and exporting it again gives the same document (bar ``exported_at``).

Not included: the audit trail (it stays on the server that recorded it; the import records one
"import" event), jobs, and API tokens.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from coding.exchange.people import codings_selected, progress_every
from coding.exchange.registry import ExportOptions, register_study_export, write_chunks
from coding.models import (
    Adjudication,
    Assignment,
    CaseStudy,
    CaseStudySection,
    Codebook,
    Coding,
    Memo,
)
from coding.selectors import codebook_all_version_snapshots
from interviews.models import (
    AttributeDefinition,
    Dyad,
    Interview,
    Membership,
    Participant,
    Study,
    Turn,
)

FORMAT = "healing-study"
VERSION = 1
CHUNK = 2000
Progress = Callable[[int, str], None]


class StudyImportError(Exception):
    """The file cannot be imported; the message says where and why. Nothing was stored."""


def _when(value: dt.datetime | dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# --- Export -------------------------------------------------------------------------------------


# Code references inside a codebook version's snapshot.
SNAPSHOT_CODE_REFERENCES = ("parent", "merged_into")


def _snapshot_out(snapshot: list[dict[str, Any]], guid_of: dict[int, str]) -> list[dict[str, Any]]:
    """A codebook version's snapshot with database ids replaced by GUIDs."""
    local = {entry.get("id"): entry.get("guid") for entry in snapshot if isinstance(entry, dict)}
    entries = []
    for entry in snapshot:
        if not isinstance(entry, dict):
            continue
        copy = dict(entry)
        copy.pop("id", None)
        for name in SNAPSHOT_CODE_REFERENCES:
            if name not in entry and f"{name}_guid" not in entry:
                continue
            guid = copy.pop(f"{name}_guid", None)
            if entry.get(name) is not None:
                guid = local.get(entry[name]) or guid_of.get(entry[name]) or guid
            copy[name] = guid
        entries.append(copy)
    return entries


def _adjudication_out(
    adjudication: Adjudication, *, coding_guid: dict[int, str], code_guid: dict[int, str]
) -> tuple[dict[str, Any], list[list[Any]]]:
    """(source, result) of a decision with coding and code ids as GUIDs (None: since deleted)."""
    source = adjudication.source if isinstance(adjudication.source, dict) else {}
    result = adjudication.result if isinstance(adjudication.result, list) else []
    return (
        {
            side: [[coding_guid.get(row[0]), *row[1:]] for row in rows if row]
            for side, rows in source.items()
        },
        [
            [coding_guid.get(row[0]), code_guid.get(row[1]), *row[2:]]
            for row in result
            if len(row) >= 2
        ],
    )


def study_json_chunks(*, study: Study, options: ExportOptions) -> Iterator[bytes]:
    """The document, written piece by piece (codings one by one) so memory stays flat."""
    if options.layer != "all" or options.coder:
        raise ValidationError(
            {"layer": "A whole-study export has every layer and coder; use layer=all."}
        )
    codings = codings_selected(study=study, options=options)
    return _study_json(study=study, codings=codings, options=options)


def _study_json(
    *, study: Study, codings: models.QuerySet[Coding], options: ExportOptions
) -> Iterator[bytes]:
    user_model = get_user_model()
    codebook = Codebook.objects.get(study=study)
    code_rows = list(codebook.codes.order_by("id"))
    guid_of_code = {code.pk: str(code.guid) for code in code_rows}
    dyads = list(
        Dyad.objects.filter(study=study).select_related("clinician", "patient").order_by("id")
    )
    label_of_dyad = {dyad.pk: dyad.label for dyad in dyads}
    interview_guid = dict(Interview.objects.filter(dyad__study=study).values_list("id", "guid"))
    memberships = list(Membership.objects.filter(study=study).order_by("id"))
    memos = list(Memo.objects.filter(study=study).order_by("id"))
    versions = list(codebook.versions.order_by("number").defer("snapshot", "changes"))
    version_codes = codebook_all_version_snapshots(codebook=codebook)
    case_studies = list(
        CaseStudy.objects.filter(dyad__study=study).order_by("id").prefetch_related("sections")
    )
    sections = list(
        CaseStudySection.objects.filter(case_study__dyad__study=study)
        .order_by("id")
        .prefetch_related("evidence")
    )
    assignments = list(Assignment.objects.filter(interview__dyad__study=study).order_by("id"))
    adjudications = list(Adjudication.objects.filter(interview__dyad__study=study).order_by("id"))

    # Everyone the study names, by username.
    user_ids: set[int] = {m.user_id for m in memberships}
    user_ids.update(codings.order_by().values_list("coder_id", flat=True).distinct())
    user_ids.update(m.author_id for m in memos)
    user_ids.update(a.coder_id for a in assignments)
    user_ids.update(a.assigned_by_id for a in assignments if a.assigned_by_id)
    user_ids.update(v.created_by_id for v in versions if v.created_by_id)
    user_ids.update(c.updated_by_id for c in case_studies if c.updated_by_id)
    user_ids.update(s.updated_by_id for s in sections if s.updated_by_id)
    for decision in adjudications:
        user_ids.update(
            user_id
            for user_id in (
                decision.coder_a_id,
                decision.coder_b_id,
                decision.accepted_id,
                decision.decided_by_id,
            )
            if user_id
        )
    user_ids.update(
        Interview.objects.filter(dyad__study=study, imported_by__isnull=False).values_list(
            "imported_by_id", flat=True
        )
    )
    if study.created_by_id:
        user_ids.add(study.created_by_id)
    users = list(
        user_model.objects.filter(pk__in=user_ids)
        .order_by("username")
        .values_list("id", "username", "first_name", "last_name")
    )
    username = {row[0]: row[1] for row in users}

    def name(user_id: int | None) -> str | None:
        return username.get(user_id) if user_id else None

    coding_guids: dict[int, str] = {}
    referenced = {m.coding_id for m in memos if m.coding_id}
    for section in sections:
        referenced.update(c.pk for c in section.evidence.all())
    for decision in adjudications:
        referenced.update(
            row[0]
            for rows in (decision.source or {}).values()
            if isinstance(rows, list)
            for row in rows
            if row and isinstance(row[0], int)
        )
        referenced.update(
            row[0] for row in decision.result or [] if row and isinstance(row[0], int)
        )
    if referenced:
        coding_guids = {
            pk: str(guid)
            for pk, guid in Coding.objects.filter(pk__in=referenced).values_list("id", "guid")
        }

    yield (
        "{"
        f'"format": {_dumps(FORMAT)}, "version": {VERSION}, '
        f'"exported_at": {_dumps(timezone.now().isoformat())}, '
        f'"exported_by": {_dumps(getattr(options.actor, "username", None))}, '
        f'"layer": "all", "codebook_version": {codebook.version},\n'
    ).encode()
    study_doc = {
        "slug": study.slug,
        "title": study.title,
        "description": study.description,
        "blind_coding": study.blind_coding,
        "created": _when(study.created),
        "created_by": name(study.created_by_id),
    }
    yield f'"study": {_dumps(study_doc)},\n'.encode()
    users_doc = [{"username": u, "first_name": f, "last_name": la} for _, u, f, la in users]
    yield f'"users": {_dumps(users_doc)},\n'.encode()
    members_doc = [
        {
            "user": name(m.user_id),
            "role": m.role,
            "adjudicator": m.adjudicator,
            "created": _when(m.created),
        }
        for m in memberships
    ]
    yield f'"members": {_dumps(members_doc)},\n'.encode()
    attributes_doc = [
        {
            "entity": a.entity,
            "key": a.key,
            "label": a.label,
            "type": a.type,
            "choices": a.choices,
            "order": a.order,
        }
        for a in AttributeDefinition.objects.filter(study=study).order_by("id")
    ]
    yield f'"attributes": {_dumps(attributes_doc)},\n'.encode()
    participants_doc = [
        {
            "role": p.role,
            "pseudonym": p.pseudonym,
            "attributes": p.attributes,
            "created": _when(p.created),
        }
        for p in Participant.objects.filter(study=study).order_by("id")
    ]
    yield f'"participants": {_dumps(participants_doc)},\n'.encode()
    dyads_doc = [
        {
            "label": d.label,
            "clinician": d.clinician.pseudonym if d.clinician else None,
            "patient": d.patient.pseudonym if d.patient else None,
            "attributes": d.attributes,
            "guid": str(d.guid),
            "created": _when(d.created),
        }
        for d in dyads
    ]
    yield f'"dyads": {_dumps(dyads_doc)},\n'.encode()

    total_interviews = len(interview_guid)
    every, report = progress_every(options, total_interviews, "Exporting interviews", steps=10)
    yield b'"interviews": ['
    turns = iter(
        Turn.objects.filter(interview__dyad__study=study)
        .order_by("interview_id", "index")
        .values_list("interview_id", "index", "speaker", "role", "start", "end", "timestamp_ms")
        .iterator(chunk_size=CHUNK)
    )
    turn = next(turns, None)
    for position, interview in enumerate(
        Interview.objects.filter(dyad__study=study).order_by("id").iterator(chunk_size=50)
    ):
        own: list[list[Any]] = []
        while turn is not None and turn[0] < interview.pk:
            turn = next(turns, None)
        while turn is not None and turn[0] == interview.pk:
            own.append(list(turn[1:]))
            turn = next(turns, None)
        doc = {
            "guid": str(interview.guid),
            "dyad": label_of_dyad[interview.dyad_id],
            "perspective": interview.perspective,
            "title": interview.title,
            "conducted_on": _when(interview.conducted_on),
            "interviewer": interview.interviewer,
            "text": interview.text,
            "text_sha256": interview.text_sha256,
            "word_count": interview.word_count,
            "source_name": interview.source_name,
            "source_format": interview.source_format,
            "imported_by": name(interview.imported_by_id),
            "consensus_complete": interview.consensus_complete,
            "created": _when(interview.created),
            "updated": _when(interview.updated),
            "turns": own,
        }
        yield (("" if position == 0 else ",\n") + _dumps(doc)).encode()
        if report is not None and (position + 1) % every == 0:
            report(position + 1)
    yield b"],\n"

    codebook_doc = {
        "title": codebook.title,
        "description": codebook.description,
        "version": codebook.version,
        "origin": codebook.origin,
        "updated": _when(codebook.updated),
        "codes": [
            {
                "guid": str(code.guid),
                "parent": guid_of_code.get(code.parent_id) if code.parent_id else None,
                "key": code.key,
                "name": code.name,
                "group": code.group,
                "definition": code.definition,
                "inclusion": code.inclusion,
                "exclusion": code.exclusion,
                "example": code.example,
                "color": code.color,
                "order": code.order,
                "is_active": code.is_active,
                "merged_into": guid_of_code.get(code.merged_into_id)
                if code.merged_into_id
                else None,
                "created": _when(code.created),
                "updated": _when(code.updated),
            }
            for code in code_rows
        ],
        "versions": [
            {
                "number": v.number,
                "summary": v.summary,
                "snapshot": _snapshot_out(version_codes.get(v.number, []), guid_of_code),
                "created_by": name(v.created_by_id),
                "created": _when(v.created),
            }
            for v in versions
        ],
    }
    yield f'"codebook": {_dumps(codebook_doc)},\n'.encode()

    total = codings.count() if options.progress else 0
    every, report = progress_every(options, total, "Exporting codings")
    yield b'"codings": ['
    rows = (
        codings.order_by("id")
        .values_list(
            "guid",
            "interview_id",
            "code_id",
            "coder_id",
            "layer",
            "start",
            "end",
            "quote",
            "memo",
            "codebook_version",
            "created",
            "updated",
        )
        .iterator(chunk_size=CHUNK)
    )
    encode = json.JSONEncoder(ensure_ascii=False).encode
    pending: list[str] = []
    separator = ""
    for count, row in enumerate(rows, start=1):
        (guid, interview_id, code_id, coder_id, layer, start, end, quote, memo, version, made,
         changed) = row  # fmt: skip
        pending.append(
            encode(
                {
                    "guid": str(guid),
                    "interview": str(interview_guid[interview_id]),
                    "code": guid_of_code[code_id],
                    "coder": name(coder_id),
                    "layer": layer,
                    "start": start,
                    "end": end,
                    "quote": quote,
                    "memo": memo,
                    "codebook_version": version,
                    "created": made.isoformat(),
                    "updated": changed.isoformat(),
                }
            )
        )
        if len(pending) == 500:
            yield (separator + ",\n".join(pending)).encode()
            separator, pending = ",\n", []
        if report is not None and count % every == 0:
            report(count)
    if pending:
        yield (separator + ",\n".join(pending)).encode()
    yield b"],\n"

    memos_doc = [
        {
            "guid": str(m.guid),
            "dyad": label_of_dyad.get(m.dyad_id) if m.dyad_id else None,
            "interview": str(interview_guid[m.interview_id]) if m.interview_id else None,
            "code": guid_of_code.get(m.code_id) if m.code_id else None,
            "coding": coding_guids.get(m.coding_id) if m.coding_id else None,
            "author": name(m.author_id),
            "type": m.type,
            "title": m.title,
            "body": m.body,
            "created": _when(m.created),
            "updated": _when(m.updated),
        }
        for m in memos
    ]
    yield f'"memos": {_dumps(memos_doc)},\n'.encode()
    sections_of: dict[int, list[CaseStudySection]] = {}
    for section in sections:
        sections_of.setdefault(section.case_study_id, []).append(section)
    case_doc = [
        {
            "dyad": label_of_dyad[c.dyad_id],
            "summary": c.summary,
            "updated_by": name(c.updated_by_id),
            "updated": _when(c.updated),
            "sections": [
                {
                    "code": guid_of_code[s.code_id],
                    "synthesis": s.synthesis,
                    "evidence": sorted(coding_guids[e.pk] for e in s.evidence.all()),
                    "updated_by": name(s.updated_by_id),
                    "updated": _when(s.updated),
                }
                for s in sections_of.get(c.pk, [])
            ],
        }
        for c in case_studies
    ]
    yield f'"case_studies": {_dumps(case_doc)},\n'.encode()
    assignments_doc = [
        {
            "interview": str(interview_guid[a.interview_id]),
            "coder": name(a.coder_id),
            "assigned_by": name(a.assigned_by_id),
            "done": a.done,
            "created": _when(a.created),
        }
        for a in assignments
    ]
    yield f'"assignments": {_dumps(assignments_doc)},\n'.encode()
    adjudications_doc = []
    for decision in adjudications:
        source, result = _adjudication_out(
            decision, coding_guid=coding_guids, code_guid=guid_of_code
        )
        adjudications_doc.append(
            {
                "interview": str(interview_guid[decision.interview_id]),
                "code": guid_of_code[decision.code_id],
                "start": decision.start,
                "end": decision.end,
                "decision": decision.decision,
                "coder_a": name(decision.coder_a_id),
                "coder_b": name(decision.coder_b_id),
                "accepted": name(decision.accepted_id),
                "note": decision.note,
                "source": source,
                "result": result,
                "decided_by": name(decision.decided_by_id),
                "created": _when(decision.created),
            }
        )
    yield f'"adjudications": {_dumps(adjudications_doc)}\n}}\n'.encode()


@register_study_export(
    "json",
    extension="json",
    content_type="application/json",
    description="the whole study as JSON, to move it to another server (import_study)",
)
def export_study_json(*, study: Study, out: BinaryIO, options: ExportOptions) -> None:
    write_chunks(out, study_json_chunks(study=study, options=options))
