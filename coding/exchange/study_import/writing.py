"""Writing the rows: every table of the study in bulk. Every row is created now, by placeholders
for the file's people; what the file claims (who, when, which members) goes into the import's
audit event as imported metadata."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections as db_connections
from django.db import models, router
from django.utils import timezone

from coding.exchange.study_import.people import accounts_for
from coding.exchange.study_import.references import parse_date, parse_time
from coding.exchange.study_json import SNAPSHOT_CODE_REFERENCES
from coding.models import (
    Adjudication,
    Assignment,
    CaseStudy,
    CaseStudySection,
    Code,
    Codebook,
    CodebookVersion,
    Coding,
    Memo,
    MemoType,
)
from healing.audit.services import audit_record
from interviews.models import (
    AttributeDefinition,
    Dyad,
    Interview,
    Membership,
    Participant,
    Role,
    Study,
    Turn,
)
from interviews.search_index import search_index_update

Progress = Callable[[int, str], None]
BATCH = 1000


def insert_keeping_times(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert rows as they are, auto_now and auto_now_add values included (a raw insert, as
    ``loaddata`` does), in batches; sets each object's primary key."""
    if not objects:
        return
    db = router.db_for_write(model)
    connection = db_connections[db]
    # Generated columns (Interview.text_length) are computed by the database, never inserted.
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not getattr(f, "generated", False)
    ]
    batch = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, list(objects))))
    manager = model._base_manager.using(db)
    for offset in range(0, len(objects), batch):
        chunk = list(objects[offset : offset + batch])
        rows = manager._insert(  # type: ignore[attr-defined]
            chunk, fields=fields, returning_fields=[model._meta.pk], raw=True, using=db
        )
        for obj, row in zip(chunk, rows, strict=True):
            obj.pk = row[0]
            obj._state.adding = False
            obj._state.db = db


def _snapshot_in(snapshot: list[dict[str, Any]], code_id: dict[str, int]) -> list[dict[str, Any]]:
    """A version's snapshot with GUIDs turned back into this server's code ids."""
    entries = []
    for entry in snapshot:
        guid = str(entry.get("guid") or "").lower()
        rebuilt = {"id": code_id.get(guid), **entry}
        for name in SNAPSHOT_CODE_REFERENCES:
            if name not in entry:
                continue
            target = entry[name]
            target_id = code_id.get(str(target).lower()) if target else None
            rebuilt[name] = target_id
            if target and target_id is None:
                rebuilt[f"{name}_guid"] = target  # a code that no longer exists
        entries.append(rebuilt)
    return entries


def write_study(document: dict[str, Any], *, slug: str, actor: Any, report: Progress) -> Study:
    source_slug = document["study"]["slug"]
    users = accounts_for(document, source=f"whole-study file of {source_slug!r}")
    importer = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    claimed_times: dict[str, list[str]] = {}

    def user(name: str | None) -> Any:
        return users[name] if name else None

    def when(value: str, where: str) -> Any:
        """The file's time, checked and kept as a claim; the row's own time is now."""
        moment = parse_time(value, where).isoformat()
        span = claimed_times.setdefault(where, [moment, moment])
        span[0], span[1] = min(span[0], moment), max(span[1], moment)
        return now

    source = document["study"]
    study = Study(
        slug=slug,
        title=source["title"],
        description=source["description"],
        blind_coding=source["blind_coding"],
        created_by=importer,
        created=when(source["created"], "study.created"),
    )
    insert_keeping_times(Study, [study])
    AttributeDefinition.objects.bulk_create(
        [AttributeDefinition(study=study, **a) for a in document["attributes"]]
    )
    participants = [
        Participant(
            study=study,
            role=p["role"],
            pseudonym=p["pseudonym"],
            attributes=p["attributes"],
            created=when(p["created"], "participants"),
        )
        for p in document["participants"]
    ]
    insert_keeping_times(Participant, participants)
    person = {(p.role, p.pseudonym): p for p in participants}
    dyads = [
        Dyad(
            study=study,
            label=d["label"],
            clinician=person.get(("clinician", d["clinician"])) if d["clinician"] else None,
            patient=person.get(("patient", d["patient"])) if d["patient"] else None,
            attributes=d["attributes"],
            guid=d["guid"],
            created=when(d["created"], "dyads"),
        )
        for d in document["dyads"]
    ]
    insert_keeping_times(Dyad, dyads)
    dyad = {d.label: d for d in dyads}
    report(10, "Importing interviews")
    interviews = [
        Interview(
            dyad=dyad[i["dyad"]],
            perspective=i["perspective"],
            title=i["title"],
            conducted_on=parse_date(i["conducted_on"], "interviews"),
            interviewer=i["interviewer"],
            text=i["text"],
            text_sha256=i["text_sha256"],
            word_count=i["word_count"],
            source_name=i["source_name"],
            source_format=i["source_format"],
            imported_by=importer,
            consensus_complete=i["consensus_complete"],
            guid=i["guid"],
            created=when(i["created"], "interviews"),
            updated=when(i["updated"], "interviews"),
        )
        for i in document["interviews"]
    ]
    insert_keeping_times(Interview, interviews)
    search_index_update(interview_ids=[row.pk for row in interviews])
    interview = {str(i.guid).lower(): i for i in interviews}
    Turn.objects.bulk_create(
        [
            Turn(
                interview=row,
                index=index,
                speaker=speaker,
                role=role,
                start=start,
                end=end,
                timestamp_ms=timestamp,
            )
            for row, source_interview in zip(interviews, document["interviews"], strict=True)
            for index, speaker, role, start, end, timestamp in source_interview["turns"]
        ],
        batch_size=BATCH,
    )
    report(30, "Importing the codebook")
    source_book = document["codebook"]
    codebook = Codebook(
        study=study,
        title=source_book["title"],
        description=source_book["description"],
        version=source_book["version"],
        origin=source_book["origin"],
        updated=when(source_book["updated"], "codebook.updated"),
    )
    insert_keeping_times(Codebook, [codebook])
    codes = [
        Code(
            codebook=codebook,
            guid=c["guid"],
            key=c["key"],
            name=c["name"],
            group=c["group"],
            definition=c["definition"],
            inclusion=c["inclusion"],
            exclusion=c["exclusion"],
            example=c["example"],
            color=c["color"],
            order=c["order"],
            is_active=c["is_active"],
            created=when(c["created"], "codebook.codes"),
            updated=when(c["updated"], "codebook.codes"),
        )
        for c in source_book["codes"]
    ]
    insert_keeping_times(Code, codes)
    code = {str(c.guid).lower(): c for c in codes}
    with_parent = []
    for row, source_code in zip(codes, source_book["codes"], strict=True):
        if source_code["parent"]:
            row.parent = code[source_code["parent"].lower()]
            with_parent.append(row)
    # bulk_update writes only the parent column: the codes keep their times.
    Code.objects.bulk_update(with_parent, ["parent"], batch_size=BATCH)
    merged = []
    for row, source_code in zip(codes, source_book["codes"], strict=True):
        if source_code.get("merged_into"):
            row.merged_into = code[source_code["merged_into"].lower()]
            merged.append(row)
    Code.objects.bulk_update(merged, ["merged_into"], batch_size=BATCH)
    code_id = {guid: row.pk for guid, row in code.items()}
    insert_keeping_times(
        CodebookVersion,
        [
            CodebookVersion(
                codebook=codebook,
                number=v["number"],
                summary=v["summary"],
                snapshot=_snapshot_in(v["snapshot"], code_id),
                created_by=user(v["created_by"]),
                created=when(v["created"], "codebook.versions"),
            )
            for v in source_book["versions"]
        ],
    )
    report(40, "Importing codings")
    referenced = {m["coding"].lower() for m in document["memos"] if m["coding"]}
    for case in document["case_studies"]:
        for section in case["sections"]:
            referenced.update(guid.lower() for guid in section["evidence"])
    for decision in document.get("adjudications", []):
        for rows in decision["source"].values():
            referenced.update(row[0].lower() for row in rows if row[0])
        referenced.update(row[0].lower() for row in decision["result"] if row[0])
    coding_pk: dict[str, int] = {}
    source_codings = document["codings"]
    for offset in range(0, len(source_codings), BATCH * 5):
        batch = [
            Coding(
                interview=interview[c["interview"].lower()],
                code=code[c["code"].lower()],
                coder=user(c["coder"]),
                layer=c["layer"],
                start=c["start"],
                end=c["end"],
                quote=c["quote"],
                memo=c["memo"],
                codebook_version=c["codebook_version"],
                guid=c["guid"],
                created=when(c["created"], "codings"),
                updated=when(c["updated"], "codings"),
            )
            for c in source_codings[offset : offset + BATCH * 5]
        ]
        insert_keeping_times(Coding, batch)
        for made in batch:
            guid = str(made.guid).lower()
            if guid in referenced:
                coding_pk[guid] = made.pk
        report(
            40 + int(50 * min(offset + BATCH * 5, len(source_codings)) / len(source_codings)),
            f"Imported {min(offset + BATCH * 5, len(source_codings)):,} codings",
        )
    report(90, "Importing memos, case studies and assignments")
    insert_keeping_times(
        Memo,
        [
            Memo(
                study=study,
                dyad=dyad[m["dyad"]] if m["dyad"] else None,
                interview=interview[m["interview"].lower()] if m["interview"] else None,
                code=code[m["code"].lower()] if m["code"] else None,
                coding_id=coding_pk[m["coding"].lower()] if m["coding"] else None,
                author=user(m["author"]),
                type=m.get("type", MemoType.ANALYTIC),
                title=m["title"],
                body=m["body"],
                guid=m["guid"],
                created=when(m["created"], "memos"),
                updated=when(m["updated"], "memos"),
            )
            for m in document["memos"]
        ],
    )
    cases = [
        CaseStudy(
            dyad=dyad[c["dyad"]],
            summary=c["summary"],
            updated_by=user(c["updated_by"]),
            updated=when(c["updated"], "case_studies"),
        )
        for c in document["case_studies"]
    ]
    insert_keeping_times(CaseStudy, cases)
    sections: list[CaseStudySection] = []
    evidence: list[tuple[CaseStudySection, list[str]]] = []
    for case, source_case in zip(cases, document["case_studies"], strict=True):
        for s in source_case["sections"]:
            section = CaseStudySection(
                case_study=case,
                code=code[s["code"].lower()],
                synthesis=s["synthesis"],
                updated_by=user(s["updated_by"]),
                updated=when(s["updated"], "case_studies.sections"),
            )
            sections.append(section)
            evidence.append((section, s["evidence"]))
    insert_keeping_times(CaseStudySection, sections)
    through = CaseStudySection.evidence.through
    through.objects.bulk_create(
        [
            through(casestudysection_id=section.pk, coding_id=coding_pk[guid.lower()])
            for section, guids in evidence
            for guid in guids
        ],
        batch_size=BATCH,
    )
    insert_keeping_times(
        Assignment,
        [
            Assignment(
                interview=interview[a["interview"].lower()],
                coder=user(a["coder"]),
                assigned_by=user(a["assigned_by"]),
                done=a["done"],
                created=when(a["created"], "assignments"),
            )
            for a in document["assignments"]
        ],
    )
    insert_keeping_times(
        Adjudication,
        [
            Adjudication(
                interview=interview[d["interview"].lower()],
                code=code[d["code"].lower()],
                start=d["start"],
                end=d["end"],
                decision=d["decision"],
                coder_a=user(d["coder_a"]),
                coder_b=user(d["coder_b"]),
                accepted=user(d["accepted"]),
                note=d["note"],
                source={
                    side: [
                        [coding_pk.get(row[0].lower()) if row[0] else None, *row[1:]]
                        for row in rows
                    ]
                    for side, rows in d["source"].items()
                },
                result=[
                    [
                        coding_pk.get(row[0].lower()) if row[0] else None,
                        code_id.get(row[1].lower()) if row[1] else None,
                        *row[2:],
                    ]
                    for row in d["result"]
                ],
                decided_by=user(d["decided_by"]),
                created=when(d["created"], "adjudications"),
            )
            for d in document.get("adjudications", [])
        ],
    )
    if importer is not None:
        Membership.objects.create(study=study, user=importer, role=Role.LEAD)
    audit_record(
        study_id=study.pk,
        actor=actor,
        action="import",
        object_type="study",
        object_id=study.slug,
        after={
            "from": source_slug,
            "exported_at": document["exported_at"],
            "dyads": len(dyads),
            "interviews": len(interviews),
            "codings": len(source_codings),
            "memos": len(document["memos"]),
            # What the file claims, kept as imported metadata and never written as fact.
            "imported": {
                "authors": claimed_authors(document, users),
                "members": [
                    {"user": m["user"], "role": m["role"], "adjudicator": m["adjudicator"]}
                    for m in document["members"]
                ],
                "times": claimed_times,
                "study_created_by": source["created_by"],
            },
        },
        summary=f"Study imported from a whole-study file of {source_slug!r} "
        f"({len(interviews)} interviews, {len(source_codings)} codings, "
        f"{len(users)} people as placeholders)",
    )
    return study


AUTHOR_FIELDS = {
    "codings": ("coder",),
    "memos": ("author",),
    "assignments": ("coder", "assigned_by"),
    "adjudications": ("decided_by", "coder_a", "coder_b", "accepted"),
}


def claimed_authors(document: dict[str, Any], users: dict[str, Any]) -> list[dict[str, Any]]:
    """Each person of the file: their claimed name, the placeholder holding their work, and
    how many rows the file credits to them."""
    counts: dict[str, dict[str, int]] = {}
    for section, fields in AUTHOR_FIELDS.items():
        for row in document.get(section, []):
            for name in fields:
                if row.get(name):
                    per = counts.setdefault(row[name], {})
                    per[section] = per.get(section, 0) + 1
    return [
        {
            "username": person["username"],
            "name": " ".join(p for p in (person["first_name"], person["last_name"]) if p),
            "placeholder": users[person["username"]].get_username(),
            "credited": counts.get(person["username"], {}),
        }
        for person in document["users"]
    ]
