"""Writes for codebooks, codes, codings and memos. Every write leaves an audit record."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max

from coding.codebooks import healing
from coding.models import Code, Codebook, CodebookVersion, Coding, Layer, Memo, MemoType
from coding.selectors import CodingTarget, interview_text_length
from healing.audit.models import AuditEvent
from healing.audit.services import audit_record, audit_records_bulk, snapshot
from interviews.models import DeidStatus, Dyad, Interview, Study

CODE_FIELDS = [
    "parent",
    "key",
    "name",
    "group",
    "definition",
    "inclusion",
    "exclusion",
    "example",
    "color",
    "order",
    "is_active",
]
CODING_FIELDS = [
    "interview",
    "code",
    "coder",
    "layer",
    "start",
    "end",
    "quote",
    "memo",
    "codebook_version",
]
MEMO_FIELDS = ["dyad", "interview", "code", "coding", "author", "type", "title", "body"]


# --- Codebooks ----------------------------------------------------------------------------------


def codebook_create(
    *, study: Study, template: str = "healing", copy_from: Study | None = None, actor: Any = None
) -> Codebook:
    """The study's codebook: the shipped healing codebook, an empty one, or a copy of another's."""
    with transaction.atomic():
        if template == "healing":
            codebook = Codebook.objects.create(
                study=study,
                title=healing.TITLE,
                description=healing.DESCRIPTION,
                origin="Healing default codebook (Scott et al. 2008)",
            )
            by_key: dict[str, Code] = {}
            for order, spec in enumerate(healing.CODES):
                code = Code(
                    codebook=codebook,
                    parent=by_key[spec["parent"]] if spec["parent"] else None,
                    key=spec["key"],
                    name=spec["name"],
                    group=spec["group"],
                    definition=spec["definition"],
                    inclusion=spec["inclusion"],
                    exclusion=spec["exclusion"],
                    example=spec["example"],
                    color=spec["color"],
                    order=order,
                    is_active=spec["is_active"],
                )
                code.save()
                by_key[code.key] = code
        elif template == "empty":
            codebook = Codebook.objects.create(study=study, title=f"{study.title} codebook")
        elif template == "copy":
            if copy_from is None:
                raise ValidationError({"codebook": "Choose the study whose codebook to copy."})
            source = Codebook.objects.get(study=copy_from)
            codebook = Codebook.objects.create(
                study=study,
                title=source.title,
                description=source.description,
                origin=f"Copied from {copy_from.title} (v{source.version})",
            )
            _copy_codes(source=source, target=codebook)
        else:
            raise ValidationError(
                {"codebook": f"Unknown codebook template {template!r}: use healing, empty or copy."}
            )
        codebook_version_record(
            codebook=codebook, summary="Created: " + (codebook.origin or "empty"), actor=actor
        )
    return codebook


def _copy_codes(*, source: Codebook, target: Codebook) -> None:
    copies: dict[int, Code] = {}
    # Parents before children: a code's parent has a smaller depth.
    pending = list(source.codes.order_by("order", "id"))
    while pending:
        remaining = []
        for code in pending:
            if code.parent_id is not None and code.parent_id not in copies:
                remaining.append(code)
                continue
            copy = Code(
                codebook=target,
                parent=copies.get(code.parent_id) if code.parent_id else None,
                guid=code.guid,
                **{f: getattr(code, f) for f in CODE_FIELDS if f != "parent"},
            )
            copy.save()
            copies[code.pk] = copy
        if len(remaining) == len(pending):
            raise ValidationError("The source codebook's hierarchy has a cycle.")
        pending = remaining


def code_entry(code: Code) -> dict[str, Any]:
    """One code as a codebook version lists it."""
    return {
        "id": code.pk,
        "guid": str(code.guid),
        **snapshot(code, CODE_FIELDS),
        "merged_into": code.merged_into_id,
    }


def codebook_snapshot(*, codebook: Codebook) -> list[dict[str, Any]]:
    return [code_entry(code) for code in codebook.codes.order_by("order", "id")]


def codebook_version_record(*, codebook: Codebook, summary: str, actor: Any) -> CodebookVersion:
    """Store the codebook's current codes as the (whole) snapshot of its current version."""
    return CodebookVersion.objects.update_or_create(
        codebook=codebook,
        number=codebook.version,
        defaults={
            "summary": summary[:300],
            "snapshot": codebook_snapshot(codebook=codebook),
            "changes": None,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )[0]


def codebook_bump_version(
    *, codebook: Codebook, summary: str, actor: Any, changed: Sequence[Code] | None = None
) -> int:
    """A new codebook version after codes were added, renamed, merged or split.

    With ``changed`` (every code the version added or changed, and nothing removed) the version
    stores only those codes' entries: a constant amount of work whatever the codebook's size.
    Without it, the version stores a whole snapshot of the codes.
    """
    # No savepoint of its own: a failure here fails the caller's transaction as a whole anyway.
    with transaction.atomic(savepoint=False):
        locked = Codebook.objects.select_for_update().only("pk", "version").get(pk=codebook.pk)
        locked.version += 1
        locked.save(update_fields=["version", "updated"])
        codebook.version = locked.version
        CodebookVersion.objects.create(
            codebook=codebook,
            number=locked.version,
            summary=summary[:300],
            snapshot=None if changed is not None else codebook_snapshot(codebook=codebook),
            changes=[code_entry(code) for code in changed] if changed is not None else None,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    return codebook.version


def _code_clean(code: Code) -> None:
    """Field validation without database round trips: the caller has checked the codebook and
    the parent, and the database enforces uniqueness and the check constraints on save."""
    code.full_clean(
        exclude=["codebook", "parent", "merged_into"],
        validate_unique=False,
        validate_constraints=False,
    )


def code_create(
    *,
    codebook: Codebook,
    key: str,
    name: str,
    actor: Any,
    parent: Code | None = None,
    bump_version: bool = True,
    **fields: Any,
) -> Code:
    """Add a code (and, unless ``bump_version`` is off, a codebook version that stores just it).

    A constant number of statements whatever the codebook's size (pinned by a test).
    """
    if parent is not None and parent.codebook_id != codebook.pk:
        raise ValidationError({"parent": "The parent code belongs to another codebook."})
    unknown = set(fields) - set(CODE_FIELDS) - {"guid"}
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    if "order" not in fields:
        top = Code.objects.filter(codebook=codebook).aggregate(top=Max("order"))["top"]
        fields["order"] = 0 if top is None else top + 1
    code = Code(codebook=codebook, key=key.strip(), name=name.strip(), parent=parent, **fields)
    _code_clean(code)
    try:
        with transaction.atomic():
            code.save(force_insert=True)
            audit_record(
                study_id=codebook.study_id,
                actor=actor,
                action="create",
                object_type="code",
                object_id=code.pk,
                after=snapshot(code, CODE_FIELDS),
                summary=f"Code {code.key} {code.name} added",
            )
            if bump_version:
                codebook_bump_version(
                    codebook=codebook,
                    summary=f"Added {code.key} {code.name}",
                    actor=actor,
                    changed=[code],
                )
    except IntegrityError:
        code.pk = None
        if Code.objects.filter(codebook=codebook, key=code.key).exists():
            raise ValidationError(
                {"key": f"A code with key {code.key!r} already exists in this codebook."}
            ) from None
        if Code.objects.filter(codebook=codebook, guid=code.guid).exists():
            raise ValidationError(
                {"guid": f"A code with GUID {code.guid} already exists in this codebook."}
            ) from None
        raise
    return code


def code_update(*, code: Code, actor: Any, bump_version: bool = True, **changes: Any) -> Code:
    unknown = set(changes) - set(CODE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    parent = changes.get("parent", code.parent)
    if parent is not None:
        if parent.codebook_id != code.codebook_id:
            raise ValidationError({"parent": "The parent code belongs to another codebook."})
        ancestor: Code | None = parent
        while ancestor is not None:
            if ancestor.pk == code.pk:
                raise ValidationError(
                    {"parent": "A code cannot sit under itself or its own child."}
                )
            ancestor = ancestor.parent
    before = snapshot(code, CODE_FIELDS)
    for name, value in changes.items():
        setattr(
            code,
            name,
            value.strip() if isinstance(value, str) and name in {"key", "name"} else value,
        )
    _code_clean(code)
    after = snapshot(code, CODE_FIELDS)
    if after == before:
        return code
    with transaction.atomic():
        _save_unique(code, "key", f"A code with key {code.key!r} already exists in this codebook.")
        audit_record(
            study_id=code.codebook.study_id,
            actor=actor,
            action="update",
            object_type="code",
            object_id=code.pk,
            before=before,
            after=after,
            summary=f"Code {code.key} changed",
        )
        if bump_version:
            changed = ", ".join(k for k in after if after[k] != before[k])
            codebook_bump_version(
                codebook=code.codebook,
                summary=f"Changed {code.key}: {changed}",
                actor=actor,
                changed=[code],
            )
    return code


def _save_unique(instance: Any, field: str, message: str) -> None:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError({field: message}) from None


# --- Codings ------------------------------------------------------------------------------------


AWAITS_DEID = (
    "This study codes only de-identified interviews: this interview's de-identification review "
    "is not complete yet."
)


@dataclass(frozen=True)
class CodingInput:
    code_id: int
    start: int
    end: int
    memo: str = ""


def _check_span(*, text_length: int, start: Any, end: Any) -> None:
    if (
        isinstance(start, bool)
        or isinstance(end, bool)
        or not isinstance(start, int)
        or not isinstance(end, int)
    ):
        raise ValidationError({"start": "start and end must be whole numbers."})
    if start < 0:
        raise ValidationError({"start": f"start {start} is before the beginning of the text."})
    if end <= start:
        raise ValidationError({"end": f"end {end} must be after start {start}."})
    if end > text_length:
        raise ValidationError(
            {"end": f"end {end} is past the end of the text ({text_length} characters)."}
        )


def _codes_of_study(*, study_id: int, code_ids: Iterable[int]) -> dict[int, Code]:
    return {
        code.pk: code
        for code in Code.objects.filter(pk__in=set(code_ids), codebook__study_id=study_id)
        .select_related("codebook")
        .only("id", "key", "is_active", "codebook__id", "codebook__version", "codebook__study_id")
    }


def _clean_memo(memo: str) -> str:
    memo = (memo or "").strip()
    if len(memo) > 10_000:
        raise ValidationError({"memo": "Keep a coding's memo under 10,000 characters."})
    return memo


def coding_create(
    *,
    interview: Interview,
    code: Code | int,
    coder: Any,
    start: int,
    end: int,
    layer: str = Layer.INDIVIDUAL,
    memo: str = "",
) -> Coding:
    """Code ``[start, end)`` of the interview's text; the quote is cut from the stored text."""
    created = codings_bulk_create(
        interview=interview,
        coder=coder,
        layer=layer,
        items=[
            CodingInput(
                code_id=code if isinstance(code, int) else code.pk, start=start, end=end, memo=memo
            )
        ],
    )
    return created[0]


def codings_bulk_create(
    *,
    interview: Interview,
    coder: Any,
    items: Sequence[CodingInput],
    layer: str = Layer.INDIVIDUAL,
    audit: bool = True,
) -> list[Coding]:
    """Create many codings at once, all or nothing; errors name the item (``items[3].end``)."""
    if layer not in Layer.values:
        raise ValidationError({"layer": f"Unknown layer {layer!r}: use individual or consensus."})
    if not items:
        return []
    study_id = interview.dyad.study_id
    if interview.deid_status != DeidStatus.COMPLETE and interview.dyad.study.deid_required:
        raise ValidationError({"interview": AWAITS_DEID})
    codes = _codes_of_study(study_id=study_id, code_ids=(item.code_id for item in items))
    text = interview.text
    text_length = len(text)
    errors: dict[str, Any] = {}
    codings: list[Coding] = []
    seen: set[tuple[int, int, int]] = set()
    for index, item in enumerate(items):
        prefix = f"items[{index}]." if len(items) > 1 else ""
        try:
            code = codes.get(item.code_id)
            if code is None:
                raise ValidationError(
                    {"code": f"Code {item.code_id} is not in this study's codebook."}
                )
            if not code.is_active:
                raise ValidationError({"code": f"Code {code.key} is inactive; switch it on first."})
            _check_span(text_length=text_length, start=item.start, end=item.end)
            identity = (item.code_id, item.start, item.end)
            if identity in seen:
                raise ValidationError({"start": "The same code on the same span appears twice."})
            seen.add(identity)
            codings.append(
                Coding(
                    interview=interview,
                    code=code,
                    coder=coder,
                    layer=layer,
                    start=item.start,
                    end=item.end,
                    quote=text[item.start : item.end],
                    memo=_clean_memo(item.memo),
                    codebook_version=code.codebook.version,
                )
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[prefix + field] = messages
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            created = Coding.objects.bulk_create(codings, batch_size=1000)
            if audit:
                audit_records_bulk(
                    [
                        AuditEvent(
                            study_id=study_id,
                            interview_id=interview.pk,
                            actor_id=coder.pk,
                            action=AuditEvent.Action.CREATE,
                            object_type="coding",
                            object_id=str(coding.pk or ""),
                            after=snapshot(coding, CODING_FIELDS),
                            summary=f"{coding.code.key} [{coding.start}, {coding.end})",
                        )
                        for coding in created
                    ]
                )
    except IntegrityError:
        raise ValidationError(
            {"start": "This coder already has this code on exactly this span in this layer."}
        ) from None
    return created


def coding_create_at_target(
    *,
    target: CodingTarget,
    coder: Any,
    start: int,
    end: int,
    layer: str = Layer.INDIVIDUAL,
    memo: str = "",
    code_key_given: bool = False,
) -> Coding:
    """Create one coding where ``coding_target_for_user`` read its interview, code and quote.

    The same checks and audit record as ``codings_bulk_create``, in two statements (the coding
    and its audit event) inside one transaction. The caller checked the user's role.
    """
    if layer not in Layer.values:
        raise ValidationError({"layer": f"Unknown layer {layer!r}: use individual or consensus."})
    if target.code_id is None:
        if code_key_given:
            raise ValidationError(
                {"code_key": [f"No code {target.requested_code!r} in this study's codebook."]}
            )
        if target.requested_code is None:
            raise ValidationError({"code": ["Give code (an id) or code_key."]})
        raise ValidationError(
            {"code": f"Code {target.requested_code} is not in this study's codebook."}
        )
    if not target.code_active:
        raise ValidationError({"code": f"Code {target.code_key} is inactive; switch it on first."})
    if target.awaits_deid:
        raise ValidationError({"interview": AWAITS_DEID})
    if (
        isinstance(start, bool)
        or isinstance(end, bool)
        or start < 0
        or end <= start
        or len(target.quote) != end - start
    ):
        # The span is outside the text: find out how, with the same messages as everywhere.
        _check_span(
            text_length=interview_text_length(interview_id=target.interview_id),
            start=start,
            end=end,
        )
    coding = Coding(
        interview_id=target.interview_id,
        code_id=target.code_id,
        coder=coder,
        layer=layer,
        start=start,
        end=end,
        quote=target.quote,
        memo=_clean_memo(memo),
        codebook_version=target.codebook_version or 1,
    )
    event = AuditEvent(
        study_id=target.study_id,
        interview_id=target.interview_id,
        actor_id=coder.pk,
        action=AuditEvent.Action.CREATE,
        object_type="coding",
        after=snapshot(coding, CODING_FIELDS),
        summary=f"{target.code_key} [{start}, {end})",
    )
    try:
        if connection.vendor == "postgresql":
            _insert_with_event_postgresql(coding, event)
        else:
            with transaction.atomic():
                coding.save(force_insert=True)
                event.object_id = str(coding.pk)
                event.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(
            {"start": "This coder already has this code on exactly this span in this layer."}
        ) from None
    return coding


def _insert_values(instance: Any, *, leave_out: set[str]) -> tuple[list[str], list[Any]]:
    """Quoted columns and database values of an unsaved model instance (as Django's insert)."""
    fields = [
        field
        for field in instance._meta.concrete_fields
        if not field.primary_key
        and field.name not in leave_out
        and not getattr(field, "generated", False)
    ]
    columns = [connection.ops.quote_name(field.column) for field in fields]
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    return columns, values


def _insert_with_event_postgresql(coding: Coding, event: AuditEvent) -> None:
    """Insert a coding and its audit event in one statement (a data-modifying CTE): atomic by
    itself, one round trip and no transaction to open and commit. The event's object id is
    the new coding's id."""
    q = connection.ops.quote_name
    coding_columns, coding_values = _insert_values(coding, leave_out=set())
    event_columns, event_values = _insert_values(event, leave_out={"object_id"})
    # Only table and column names (from the models) are written into the SQL; every value is
    # a parameter.
    insert_coding = " ".join(
        [
            "INSERT INTO",
            q(Coding._meta.db_table),
            f"({', '.join(coding_columns)})",
            f"VALUES ({', '.join(['%s'] * len(coding_values))})",
            "RETURNING id",
        ]
    )
    insert_event = " ".join(
        [
            "INSERT INTO",
            q(AuditEvent._meta.db_table),
            f"({', '.join([*event_columns, q('object_id')])})",
            "SELECT",
            ", ".join([*["%s"] * len(event_values), "new.id::text"]),
            "FROM new",
        ]
    )
    sql = " ".join(["WITH new AS (", insert_coding, "), event AS (", insert_event, ")"])
    sql += " SELECT id FROM new"
    # Inside a request's or a test's transaction, a savepoint keeps a refused insert (the same
    # coding twice) from spoiling the rest of it.
    savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with savepoint, connection.cursor() as cursor:
        cursor.execute(sql, [*coding_values, *event_values])
        coding.pk = cursor.fetchone()[0]
    coding._state.adding = False
    coding._state.db = connection.alias
    event.object_id = str(coding.pk)


def coding_update(
    *,
    coding: Coding,
    actor: Any,
    code: Code | int | None = None,
    start: int | None = None,
    end: int | None = None,
    memo: str | None = None,
) -> Coding:
    """Change a coding's span, code or memo; the quote follows the span."""
    interview = coding.interview
    before = snapshot(coding, CODING_FIELDS)
    if code is not None:
        code_id = code if isinstance(code, int) else code.pk
        found = _codes_of_study(study_id=interview.dyad.study_id, code_ids=[code_id]).get(code_id)
        if found is None:
            raise ValidationError({"code": f"Code {code_id} is not in this study's codebook."})
        if not found.is_active and found.pk != coding.code_id:
            raise ValidationError({"code": f"Code {found.key} is inactive; switch it on first."})
        coding.code = found
        coding.codebook_version = found.codebook.version
    new_start = coding.start if start is None else start
    new_end = coding.end if end is None else end
    if (new_start, new_end) != (coding.start, coding.end):
        _check_span(text_length=len(interview.text), start=new_start, end=new_end)
        coding.start, coding.end = new_start, new_end
        coding.quote = interview.text[new_start:new_end]
    if memo is not None:
        coding.memo = _clean_memo(memo)
    after = snapshot(coding, CODING_FIELDS)
    if after == before:
        return coding
    try:
        with transaction.atomic():
            coding.save()
            audit_record(
                study_id=interview.dyad.study_id,
                interview_id=interview.pk,
                actor=actor,
                action="update",
                object_type="coding",
                object_id=coding.pk,
                before=before,
                after=after,
                summary=f"{coding.code.key} [{coding.start}, {coding.end})",
            )
    except IntegrityError:
        raise ValidationError(
            {"start": "This coder already has this code on exactly this span in this layer."}
        ) from None
    return coding


def coding_delete(*, coding: Coding, actor: Any) -> dict[str, Any]:
    """Delete a coding; its last state stays in the audit trail (and is returned, for undo)."""
    before = {"id": coding.pk, "guid": str(coding.guid), **snapshot(coding, CODING_FIELDS)}
    with transaction.atomic():
        audit_record(
            study_id=coding.interview.dyad.study_id,
            interview_id=coding.interview_id,
            actor=actor,
            action="delete",
            object_type="coding",
            object_id=coding.pk,
            before=before,
            summary=f"{coding.code.key} [{coding.start}, {coding.end})",
        )
        coding.delete()
    return before


# --- Memos --------------------------------------------------------------------------------------


def memo_create(
    *,
    study: Study,
    author: Any,
    body: str,
    title: str = "",
    type: str = MemoType.ANALYTIC,
    dyad: Dyad | None = None,
    interview: Interview | None = None,
    code: Code | None = None,
    coding: Coding | None = None,
) -> Memo:
    """A memo by ``author`` on the study or on one of its dyads, interviews, codes or codings;
    ``type`` is one of :class:`MemoType` (else a ValidationError naming it)."""
    _memo_type_check(type)
    targets = [t for t in (dyad, interview, code, coding) if t is not None]
    if len(targets) > 1:
        raise ValidationError(
            "A memo belongs to the study or to one dyad, interview, code or coding."
        )
    owner_study = {
        Dyad: lambda d: d.study_id,
        Interview: lambda i: i.dyad.study_id,
        Code: lambda c: c.codebook.study_id,
        Coding: lambda c: c.interview.dyad.study_id,
    }
    for target in targets:
        if owner_study[target.__class__](target) != study.pk:
            raise ValidationError("That item belongs to another study.")
    memo = Memo(
        study=study,
        author=author,
        type=type,
        title=title.strip(),
        body=body.strip(),
        dyad=dyad,
        interview=interview,
        code=code,
        coding=coding,
    )
    memo.full_clean()
    with transaction.atomic():
        memo.save()
        audit_record(
            study_id=study.pk,
            interview_id=interview.pk if interview else (coding.interview_id if coding else None),
            actor=author,
            action="create",
            object_type="memo",
            object_id=memo.pk,
            after=snapshot(memo, MEMO_FIELDS),
            summary=memo.title or memo.body[:80],
        )
    return memo


def _memo_type_check(value: str) -> None:
    if value not in MemoType.values:
        raise ValidationError(
            {"type": [f"{value!r} is not a memo type; use one of {', '.join(MemoType.values)}."]}
        )


def memo_update(
    *,
    memo: Memo,
    actor: Any,
    body: str | None = None,
    title: str | None = None,
    type: str | None = None,
) -> Memo:
    before = snapshot(memo, MEMO_FIELDS)
    if type is not None:
        _memo_type_check(type)
        memo.type = type
    if body is not None:
        memo.body = body.strip()
    if title is not None:
        memo.title = title.strip()
    memo.full_clean()
    with transaction.atomic():
        memo.save()
        audit_record(
            study_id=memo.study_id,
            interview_id=memo.interview_id,
            actor=actor,
            action="update",
            object_type="memo",
            object_id=memo.pk,
            before=before,
            after=snapshot(memo, MEMO_FIELDS),
            summary=memo.title or memo.body[:80],
        )
    return memo


def memo_delete(*, memo: Memo, actor: Any) -> None:
    with transaction.atomic():
        audit_record(
            study_id=memo.study_id,
            interview_id=memo.interview_id,
            actor=actor,
            action="delete",
            object_type="memo",
            object_id=memo.pk,
            before=snapshot(memo, MEMO_FIELDS),
            summary=memo.title or memo.body[:80],
        )
        memo.delete()
