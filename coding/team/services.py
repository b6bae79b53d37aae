"""Writes for teamwork: members, assignments, blind coding, adjudication, codebook changes.

Every function runs in one transaction and leaves audit records (``healing.audit``), so a change
and its record land together; nothing is deleted without its last state in the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coding.analysis.agreement_report import merge_intervals
from coding.models import Adjudication, Assignment, CaseStudySection, Code, Coding, Layer, Memo
from coding.services import (
    CODING_FIELDS,
    MEMO_FIELDS,
    CodingInput,
    code_create,
    code_update,
    codebook_bump_version,
    coding_delete,
    codings_bulk_create,
)
from coding.team.selectors import compared_coder_ids, open_disagreement_count
from healing.audit.models import AuditEvent
from healing.audit.services import audit_record, audit_records_bulk, snapshot
from interviews.models import Interview, Invitation, Membership, Role, Study
from interviews.services import (
    INTERVIEW_FIELDS,
    invitation_create,
    invitation_withdraw,
    membership_remove,
    membership_set,
)
from interviews.services import (
    study_update as study_update,  # where the study pages and API of teamwork call it
)

ASSIGNMENT_FIELDS = ["interview", "coder", "assigned_by", "done"]
ADJUDICATION_FIELDS = [
    "interview",
    "code",
    "start",
    "end",
    "decision",
    "coder_a",
    "coder_b",
    "accepted",
    "note",
    "source",
    "result",
    "decided_by",
]
MAX_NOTE = 10_000
MAX_ASSIGN = 20_000


# --- Studies: blind coding and reveal -----------------------------------------------------------


def study_reveal(*, study: Study, actor: Any) -> Study:
    """End the blind phase: every coder sees every layer from now on.

    Reveal switches blind coding off for the whole study and records who revealed, when, and how
    many assignments were still open. Turning blind coding on again starts a new blind round.
    """
    if not study.blind_coding:
        raise ValidationError("Coding is not blind in this study: there is nothing to reveal.")
    open_assignments = Assignment.objects.filter(interview__dyad__study=study, done=False).count()
    with transaction.atomic():
        study.blind_coding = False
        study.save(update_fields=["blind_coding"])
        audit_record(
            study_id=study.pk,
            actor=actor,
            action="update",
            object_type="study",
            object_id=study.pk,
            before={"blind_coding": True},
            after={"blind_coding": False, "revealed": True, "open_assignments": open_assignments},
            summary="Revealed every coder's layer (blind coding ended)"
            + (f" with {open_assignments} assignments not done" if open_assignments else ""),
        )
    return study


# --- Members ------------------------------------------------------------------------------------


def member_add(
    *, study: Study, username: str, role: str, actor: Any, adjudicator: bool = False
) -> Invitation:
    """Invite the account called ``username``: it joins only when its owner accepts.

    The answer is the same whether or not the account exists (see ``invitation_create``).
    """
    return invitation_create(
        study=study, username=username, role=role, actor=actor, adjudicator=adjudicator
    )


def member_invitation_withdraw(*, study: Study, invitation_id: int, actor: Any) -> None:
    """A lead takes back one of the study's pending invitations."""
    invitation = Invitation.objects.filter(
        study=study, pk=invitation_id, state=Invitation.State.PENDING
    ).first()
    if invitation is None:
        raise ValidationError("No such pending invitation.")
    invitation_withdraw(invitation=invitation, actor=actor)


def membership_change(
    *, membership: Membership, actor: Any, role: str | None = None, adjudicator: bool | None = None
) -> Membership:
    """Change a member's role or adjudicator flag (a study keeps at least one lead)."""
    return membership_set(
        study=membership.study,
        user=membership.user,
        role=role or membership.role,
        actor=actor,
        adjudicator=adjudicator,
    )


def member_remove(*, membership: Membership, actor: Any) -> None:
    """Remove a member and their open assignments. Their codings stay, under their name."""
    with transaction.atomic():
        assignments = Assignment.objects.filter(
            interview__dyad__study_id=membership.study_id, coder_id=membership.user_id
        )
        _assignments_delete(list(assignments), study_id=membership.study_id, actor=actor)
        membership_remove(membership=membership, actor=actor)


# --- Assignments --------------------------------------------------------------------------------


def _study_interview_ids(*, study: Study, interview_ids: Iterable[int]) -> list[int]:
    wanted = {int(i) for i in interview_ids}
    found = set(
        Interview.objects.filter(dyad__study=study, pk__in=wanted).values_list("pk", flat=True)
    )
    missing = sorted(wanted - found)
    if missing:
        listed = ", ".join(str(i) for i in missing[:10])
        raise ValidationError({"interviews": f"Not interviews of this study: {listed}."})
    return sorted(found)


def _study_coder_ids(*, study: Study, coder_ids: Iterable[int]) -> list[int]:
    wanted = {int(i) for i in coder_ids}
    found = set(
        Membership.objects.filter(
            study=study, user_id__in=wanted, role__in=[Role.CODER, Role.LEAD]
        ).values_list("user_id", flat=True)
    )
    missing = sorted(wanted - found)
    if missing:
        listed = ", ".join(str(i) for i in missing[:10])
        raise ValidationError(
            {"coders": f"Not coders of this study (viewers do not code): user {listed}."}
        )
    return sorted(found)


def assignments_create(
    *, study: Study, interview_ids: Iterable[int], coder_ids: Iterable[int], actor: Any
) -> list[Assignment]:
    """Assign every given interview to every given coder; existing assignments stay as they are.

    Returns the assignments created.
    """
    interviews = _study_interview_ids(study=study, interview_ids=interview_ids)
    coders = _study_coder_ids(study=study, coder_ids=coder_ids)
    if not interviews or not coders:
        raise ValidationError("Choose at least one interview and one coder.")
    if len(interviews) * len(coders) > MAX_ASSIGN:
        raise ValidationError(f"Assign at most {MAX_ASSIGN:,} interview-coder pairs at once.")
    existing = set(
        Assignment.objects.filter(interview_id__in=interviews, coder_id__in=coders).values_list(
            "interview_id", "coder_id"
        )
    )
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    new = [
        Assignment(interview_id=interview, coder_id=coder, assigned_by_id=actor_id)
        for interview in interviews
        for coder in coders
        if (interview, coder) not in existing
    ]
    with transaction.atomic():
        created = Assignment.objects.bulk_create(new, batch_size=1000)
        audit_records_bulk(
            [
                AuditEvent(
                    study_id=study.pk,
                    interview_id=assignment.interview_id,
                    actor_id=actor_id,
                    action=AuditEvent.Action.CREATE,
                    object_type="assignment",
                    object_id=str(assignment.pk or ""),
                    after=snapshot(assignment, ASSIGNMENT_FIELDS),
                    summary=f"Interview {assignment.interview_id} assigned to user "
                    f"{assignment.coder_id}",
                )
                for assignment in created
            ]
        )
    return created


def _assignments_delete(assignments: Sequence[Assignment], *, study_id: int, actor: Any) -> int:
    if not assignments:
        return 0
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    audit_records_bulk(
        [
            AuditEvent(
                study_id=study_id,
                interview_id=assignment.interview_id,
                actor_id=actor_id,
                action=AuditEvent.Action.DELETE,
                object_type="assignment",
                object_id=str(assignment.pk),
                before=snapshot(assignment, ASSIGNMENT_FIELDS),
                summary=f"Interview {assignment.interview_id} no longer assigned to user "
                f"{assignment.coder_id}",
            )
            for assignment in assignments
        ]
    )
    Assignment.objects.filter(pk__in=[a.pk for a in assignments]).delete()
    return len(assignments)


def assignments_remove(
    *, study: Study, interview_ids: Iterable[int], coder_ids: Iterable[int], actor: Any
) -> int:
    """Withdraw the given interviews from the given coders; returns how many were withdrawn."""
    interviews = _study_interview_ids(study=study, interview_ids=interview_ids)
    coders = {int(i) for i in coder_ids}
    # A coder is the study's member, or someone (since removed) who still has its interviews.
    known = set(
        Membership.objects.filter(study=study, user_id__in=coders).values_list("user_id", flat=True)
    ) | set(
        Assignment.objects.filter(interview__dyad__study=study, coder_id__in=coders).values_list(
            "coder_id", flat=True
        )
    )
    if coders - known:
        listed = ", ".join(str(i) for i in sorted(coders - known)[:10])
        raise ValidationError({"coders": f"Not coders of this study: user {listed}."})
    with transaction.atomic():
        found = list(
            Assignment.objects.select_for_update().filter(
                interview_id__in=interviews, coder_id__in=coders
            )
        )
        return _assignments_delete(found, study_id=study.pk, actor=actor)


def assignment_set_done(*, assignment: Assignment, done: bool, actor: Any) -> Assignment:
    """The coder (or a lead) marks an assignment done, or not done again."""
    if assignment.done == done:
        return assignment
    before = snapshot(assignment, ASSIGNMENT_FIELDS)
    assignment.done = done
    with transaction.atomic():
        assignment.save(update_fields=["done"])
        audit_record(
            study_id=assignment.interview.dyad.study_id,
            interview_id=assignment.interview_id,
            actor=actor,
            action="update",
            object_type="assignment",
            object_id=assignment.pk,
            before=before,
            after=snapshot(assignment, ASSIGNMENT_FIELDS),
            summary=f"Assignment {'done' if done else 'reopened'}",
        )
    return assignment


# --- Consensus ----------------------------------------------------------------------------------


def consensus_take_agreed(
    *, interview: Interview, actor: Any, coder_ids: Sequence[int] | None = None
) -> list[Adjudication]:
    """Put what the coders agreed on into the consensus: every passage that each compared coder
    coded with the same code on exactly the same characters becomes a consensus coding, recorded
    as an "agreed" decision (audited, and changed like any decision by deciding again).

    ``coder_ids``: the coders compared (default: the interview's coders — assigned to it or
    with codings in it). Passages already in the consensus, or touched by an earlier decision on
    that code, are left as they are, so a lead's reversal sticks. Idempotent.
    """
    ids = (
        sorted(set(coder_ids)) if coder_ids is not None else compared_coder_ids(interview=interview)
    )
    if len(ids) < 2:
        return []
    by_span: dict[tuple[int, int, int], dict[int, int]] = {}
    for pk, code_id, coder_id, start, end in Coding.objects.filter(
        interview=interview, layer=Layer.INDIVIDUAL, coder_id__in=ids
    ).values_list("id", "code_id", "coder_id", "start", "end"):
        by_span.setdefault((code_id, start, end), {})[coder_id] = pk
    agreed = sorted(
        (key for key, coders in by_span.items() if len(coders) == len(ids)),
        key=lambda k: (k[1], k[2], k[0]),
    )
    if not agreed:
        return []
    in_consensus = set(
        Coding.objects.filter(interview=interview, layer=Layer.CONSENSUS).values_list(
            "code_id", "start", "end"
        )
    )
    decided = list(
        Adjudication.objects.filter(interview=interview).values_list("code_id", "start", "end")
    )
    todo = [
        (code_id, start, end)
        for code_id, start, end in agreed
        if (code_id, start, end) not in in_consensus
        and not any(c == code_id and s < end and e > start for c, s, e in decided)
    ]
    if not todo:
        return []
    study_id = interview.dyad.study_id
    keys = dict(Code.objects.filter(pk__in={c for c, _, _ in todo}).values_list("id", "key"))
    decider = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        created = codings_bulk_create(
            interview=interview,
            coder=actor,
            items=[CodingInput(code_id=c, start=s, end=e) for c, s, e in todo],
            layer=Layer.CONSENSUS,
        )
        made = {(c.code_id, c.start, c.end): c for c in created}
        adjudications = Adjudication.objects.bulk_create(
            [
                Adjudication(
                    interview=interview,
                    code_id=code_id,
                    start=start,
                    end=end,
                    decision=Adjudication.Decision.AGREED,
                    coder_a_id=ids[0],
                    coder_b_id=ids[1],
                    source={
                        "a": [[by_span[(code_id, start, end)][ids[0]], start, end]],
                        "b": [[by_span[(code_id, start, end)][ids[1]], start, end]],
                        "coders": ids,
                    },
                    result=[[made[(code_id, start, end)].pk, code_id, start, end]],
                    decided_by=decider,
                )
                for code_id, start, end in todo
            ]
        )
        audit_records_bulk(
            [
                AuditEvent(
                    study_id=study_id,
                    interview_id=interview.pk,
                    actor=decider,
                    action="create",
                    object_type="adjudication",
                    object_id=str(adjudication.pk),
                    after=snapshot(adjudication, ADJUDICATION_FIELDS),
                    summary=f"{keys.get(adjudication.code_id, adjudication.code_id)} "
                    f"[{adjudication.start}, {adjudication.end}): agreed by the coders",
                )
                for adjudication in adjudications
            ]
        )
    return adjudications


def interview_set_consensus_complete(
    *,
    interview: Interview,
    complete: bool,
    actor: Any,
    reason: str = "",
    confirm_open: bool = False,
) -> Interview:
    """Mark an interview's consensus layer complete (or reopen it).

    Marking it complete first takes the passages the coders agreed on into the consensus. While
    disagreements stay open it needs ``confirm_open`` and a ``reason`` (kept in the audit
    trail); otherwise it is refused with the number still open.
    """
    if interview.consensus_complete == complete:
        return interview
    reason = (reason or "").strip()
    if len(reason) > MAX_NOTE:
        raise ValidationError({"reason": f"Keep the reason under {MAX_NOTE:,} characters."})
    with transaction.atomic():
        still_open = 0
        if complete:
            consensus_take_agreed(interview=interview, actor=actor)
            still_open = open_disagreement_count(interview=interview)
            if still_open and not (confirm_open and reason):
                raise ValidationError(
                    {
                        "confirm_open": f"{still_open} disagreement"
                        f"{'s are' if still_open != 1 else ' is'} still open: settle "
                        f"{'them' if still_open != 1 else 'it'}, or confirm and give a reason "
                        "to mark the consensus complete anyway."
                    }
                )
        Interview.objects.filter(pk=interview.pk).update(
            consensus_complete=complete, updated=timezone.now()
        )
        interview.consensus_complete = complete
        after: dict[str, Any] = {"consensus_complete": complete}
        if still_open:
            after.update(open_disagreements=still_open, reason=reason)
        audit_record(
            study_id=interview.dyad.study_id,
            interview_id=interview.pk,
            actor=actor,
            action="update",
            object_type="interview",
            object_id=interview.pk,
            before={"consensus_complete": not complete},
            after=after,
            summary=(
                "Consensus marked complete"
                + (f" with {still_open} open disagreement(s): {reason[:150]}" if still_open else "")
                if complete
                else "Consensus reopened"
            ),
        )
    return interview


def _check_region(*, interview: Interview, start: Any, end: Any, field: str = "start") -> None:
    length = len(interview.text)
    if isinstance(start, bool) or isinstance(end, bool):
        raise ValidationError({field: "start and end must be whole numbers."})
    if not isinstance(start, int) or not isinstance(end, int):
        raise ValidationError({field: "start and end must be whole numbers."})
    if start < 0 or end <= start or end > length:
        raise ValidationError(
            {field: f"[{start}, {end}) is not a span of this text ({length} characters)."}
        )


def adjudication_decide(
    *,
    interview: Interview,
    code: Code,
    start: int,
    end: int,
    decision: str,
    actor: Any,
    coder_a: Any,
    coder_b: Any,
    accepted: Any = None,
    spans: Sequence[tuple[int, int]] | None = None,
    new_code: Code | None = None,
    note: str = "",
) -> Adjudication:
    """Settle the passage ``[start, end)`` where coders a and b differ on ``code``.

    ``accept``: the consensus gets the ``accepted`` coder's codings of the code in the passage
    as they are (none, if that coder did not code it). ``merge``: one consensus coding per
    stretch covered by either coder (the union of their spans). ``new``: the consensus gets
    ``spans`` (code-point offsets into the text) with ``new_code`` (default: the same code).

    Consensus codings of ``code`` already in the passage that the decision does not keep are
    deleted, so deciding again replaces the earlier decision. The note goes on the decision and
    on the consensus codings it creates. Everything is audited.
    """
    study_id = interview.dyad.study_id
    if code.codebook.study_id != study_id:
        raise ValidationError({"code": "That code belongs to another study's codebook."})
    if coder_a is None or coder_b is None or coder_a.pk == coder_b.pk:
        raise ValidationError({"b": "Compare two different coders."})
    pair = {coder_a.pk, coder_b.pk}
    known = set(
        Membership.objects.filter(study_id=study_id, user_id__in=pair).values_list(
            "user_id", flat=True
        )
    ) | set(
        Coding.objects.filter(interview=interview, coder_id__in=pair)
        .values_list("coder_id", flat=True)
        .distinct()
    )
    if pair - known:
        raise ValidationError({"b": "Compare two coders of this study."})
    _check_region(interview=interview, start=start, end=end)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": f"Keep the note under {MAX_NOTE:,} characters."})
    if decision not in Adjudication.Decision.values or decision == Adjudication.Decision.AGREED:
        raise ValidationError({"decision": "Choose accept, merge or new."})

    def side(coder: Any) -> list[tuple[int, int, int]]:
        return list(
            Coding.objects.filter(
                interview=interview,
                layer=Layer.INDIVIDUAL,
                coder=coder,
                code=code,
                start__lt=end,
                end__gt=start,
            )
            .order_by("start", "end", "id")
            .values_list("id", "start", "end")
        )

    source_a, source_b = side(coder_a), side(coder_b)
    target = code
    if decision == Adjudication.Decision.ACCEPT:
        if accepted is None or accepted.pk not in (coder_a.pk, coder_b.pk):
            raise ValidationError({"accepted": "Accept the coding of one of the two coders."})
        chosen = source_a if accepted.pk == coder_a.pk else source_b
        desired = sorted({(s, e) for _, s, e in chosen})
    elif decision == Adjudication.Decision.MERGE:
        desired = merge_intervals((s, e) for _, s, e in [*source_a, *source_b])
        if not desired:
            raise ValidationError("Neither coder coded this passage: there is nothing to merge.")
    else:
        if not spans:
            raise ValidationError({"spans": "Give the span(s) of the new coding."})
        for index, (span_start, span_end) in enumerate(spans):
            _check_region(
                interview=interview, start=span_start, end=span_end, field=f"spans[{index}]"
            )
        desired = sorted({(int(s), int(e)) for s, e in spans})
        if new_code is not None:
            if new_code.codebook.study_id != study_id:
                raise ValidationError({"code": "That code belongs to another study's codebook."})
            target = new_code

    # What the two coders agreed on enters the consensus before the decision is written.
    consensus_take_agreed(interview=interview, actor=actor, coder_ids=[coder_a.pk, coder_b.pk])
    wanted = set(desired)
    in_passage = list(
        Coding.objects.filter(interview=interview, layer=Layer.CONSENSUS, code=code)
        .filter(start__lt=end, end__gt=start)
        .select_related("code", "interview__dyad")
    )
    drop = [c for c in in_passage if not (target.pk == code.pk and (c.start, c.end) in wanted)]
    keep = [
        c
        for c in Coding.objects.filter(interview=interview, layer=Layer.CONSENSUS, code=target)
        if (c.start, c.end) in wanted
    ]
    have = {(c.start, c.end) for c in keep}
    with transaction.atomic():
        for coding in drop:
            coding_delete(coding=coding, actor=actor)
        create = [
            CodingInput(code_id=target.pk, start=s, end=e, memo=note)
            for s, e in desired
            if (s, e) not in have
        ]
        created = (
            codings_bulk_create(
                interview=interview, coder=actor, items=create, layer=Layer.CONSENSUS
            )
            if create
            else []
        )
        result = [[c.pk, c.code_id, c.start, c.end] for c in [*keep, *created]]
        adjudication = Adjudication.objects.create(
            interview=interview,
            code=code,
            start=start,
            end=end,
            decision=decision,
            coder_a=coder_a,
            coder_b=coder_b,
            accepted=accepted if decision == Adjudication.Decision.ACCEPT else None,
            note=note,
            source={"a": [list(row) for row in source_a], "b": [list(row) for row in source_b]},
            result=sorted(result, key=lambda r: (r[2], r[3])),
            decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            study_id=study_id,
            interview_id=interview.pk,
            actor=actor,
            action="create",
            object_type="adjudication",
            object_id=adjudication.pk,
            after=snapshot(adjudication, ADJUDICATION_FIELDS),
            summary=f"{code.key} [{start}, {end}): {adjudication.get_decision_display()}"
            + (f" — {note[:120]}" if note else ""),
        )
    return adjudication


# --- Codebook changes ---------------------------------------------------------------------------


def _descendant_ids(code: Code) -> set[int]:
    tree: dict[int | None, list[int]] = {}
    for code_id, parent_id in Code.objects.filter(codebook_id=code.codebook_id).values_list(
        "id", "parent_id"
    ):
        tree.setdefault(parent_id, []).append(code_id)
    found: set[int] = set()
    pending = list(tree.get(code.pk, []))
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending.extend(tree.get(current, []))
    return found


def _recode(
    *, codings: Iterable[int], target: Code, actor: Any, version: int, reason: str
) -> dict[str, int]:
    """Move codings to ``target``. A coding that would duplicate one the target already has
    (same coder, layer and span; in the consensus, the same span) is deleted instead, its memos
    and case-study evidence passed to the coding that stays. Audited per coding."""
    rows = list(
        Coding.objects.filter(pk__in=list(codings))
        .exclude(code=target)
        .select_related("interview__dyad")
        .order_by("id")
    )
    if not rows:
        return {"moved": 0, "duplicates": 0}
    interview_ids = {row.interview_id for row in rows}
    survivors: dict[tuple[Any, ...], int] = {}
    for coding_id, interview_id, coder_id, layer, start, end in Coding.objects.filter(
        code=target, interview_id__in=interview_ids
    ).values_list("id", "interview_id", "coder_id", "layer", "start", "end"):
        survivors[(interview_id, coder_id, layer, start, end)] = coding_id
        if layer == Layer.CONSENSUS:
            survivors[(interview_id, None, layer, start, end)] = coding_id
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    moved: list[Coding] = []
    duplicates: list[tuple[Coding, int]] = []
    events: list[AuditEvent] = []
    for coding in rows:
        coder_key = None if coding.layer == Layer.CONSENSUS else coding.coder_id
        identity = (coding.interview_id, coder_key, coding.layer, coding.start, coding.end)
        survivor = survivors.get(identity)
        before = snapshot(coding, CODING_FIELDS)
        study_id = coding.interview.dyad.study_id
        if survivor is not None:
            duplicates.append((coding, survivor))
            events.append(
                AuditEvent(
                    study_id=study_id,
                    interview_id=coding.interview_id,
                    actor_id=actor_id,
                    action=AuditEvent.Action.DELETE,
                    object_type="coding",
                    object_id=str(coding.pk),
                    before={"id": coding.pk, "guid": str(coding.guid), **before},
                    summary=f"Duplicate of coding {survivor} of {target.key} after {reason}",
                )
            )
            continue
        survivors[identity] = coding.pk
        coding.code = target
        coding.codebook_version = version
        moved.append(coding)
        events.append(
            AuditEvent(
                study_id=study_id,
                interview_id=coding.interview_id,
                actor_id=actor_id,
                action=AuditEvent.Action.UPDATE,
                object_type="coding",
                object_id=str(coding.pk),
                before=before,
                after=snapshot(coding, CODING_FIELDS),
                summary=f"Recoded to {target.key} ({reason})",
            )
        )
    now = timezone.now()
    Coding.objects.filter(pk__in=[c.pk for c in moved]).update(
        code=target, codebook_version=version, updated=now
    )
    for duplicate, survivor in duplicates:
        for memo in Memo.objects.filter(coding=duplicate):
            before = snapshot(memo, MEMO_FIELDS)
            memo.coding_id = survivor
            memo.save(update_fields=["coding", "updated"])
            events.append(
                AuditEvent(
                    study_id=memo.study_id,
                    actor_id=actor_id,
                    action=AuditEvent.Action.UPDATE,
                    object_type="memo",
                    object_id=str(memo.pk),
                    before=before,
                    after=snapshot(memo, MEMO_FIELDS),
                    summary=f"Memo moved to coding {survivor} ({reason})",
                )
            )
        through = CaseStudySection.evidence.through
        for link in through.objects.filter(coding_id=duplicate.pk):
            through.objects.get_or_create(
                casestudysection_id=link.casestudysection_id, coding_id=survivor
            )
    Coding.objects.filter(pk__in=[c.pk for c, _ in duplicates]).delete()
    audit_records_bulk(events)
    return {"moved": len(moved), "duplicates": len(duplicates)}


def code_merge(*, source: Code, target: Code, actor: Any) -> dict[str, int]:
    """Merge ``source`` into ``target``: its codings, memos, sub-codes and decisions move to
    the target, it is switched off and marked merged, and the codebook gets a new version.

    Codings that would duplicate one of the target's (the same coder's span in the same layer,
    or the same consensus span) are deleted with a record. Returns counts.
    """
    if source.codebook_id != target.codebook_id:
        raise ValidationError({"into": "Both codes must be in the same codebook."})
    if source.pk == target.pk:
        raise ValidationError({"into": "Choose another code to merge into."})
    if source.merged_into_id is not None:
        raise ValidationError({"code": f"{source.key} was already merged."})
    if target.pk in _descendant_ids(source):
        raise ValidationError(
            {"into": f"{target.key} sits under {source.key}: merge it the other way round."}
        )
    codebook = source.codebook
    with transaction.atomic():
        children = list(Code.objects.filter(parent=source))
        for child in children:
            code_update(code=child, actor=actor, parent=target, bump_version=False)
        if not target.is_active:
            code_update(code=target, actor=actor, is_active=True, bump_version=False)
        before = {**snapshot(source, ["is_active"]), "merged_into": None}
        source.is_active = False
        source.merged_into = target
        source.save(update_fields=["is_active", "merged_into", "updated"])
        version = codebook_bump_version(
            codebook=codebook, summary=f"Merged {source.key} into {target.key}", actor=actor
        )
        counts = _recode(
            codings=Coding.objects.filter(code=source).values_list("pk", flat=True),
            target=target,
            actor=actor,
            version=version,
            reason=f"merge of {source.key} into {target.key}",
        )
        memos = list(Memo.objects.filter(code=source))
        for memo in memos:
            memo_before = snapshot(memo, MEMO_FIELDS)
            memo.code = target
            memo.save(update_fields=["code", "updated"])
            audit_record(
                study_id=memo.study_id,
                actor=actor,
                action="update",
                object_type="memo",
                object_id=memo.pk,
                before=memo_before,
                after=snapshot(memo, MEMO_FIELDS),
                summary=f"Memo moved from {source.key} to {target.key}",
            )
        decisions = Adjudication.objects.filter(code=source).update(code=target)
        sections = _merge_sections(source=source, target=target)
        counts.update(
            {
                "sub_codes": len(children),
                "memos": len(memos),
                "decisions": decisions,
                "case_study_sections": sections,
                "version": version,
            }
        )
        audit_record(
            study_id=codebook.study_id,
            actor=actor,
            action="update",
            object_type="code",
            object_id=source.pk,
            before=before,
            after={"is_active": False, "merged_into": target.pk, **counts},
            summary=f"Code {source.key} merged into {target.key}",
        )
    return counts


def _merge_sections(*, source: Code, target: Code) -> int:
    """Case-study sections of the source join the target's (texts appended, evidence added)."""
    count = 0
    for section in CaseStudySection.objects.filter(code=source).prefetch_related("evidence"):
        existing = CaseStudySection.objects.filter(
            case_study_id=section.case_study_id, code=target
        ).first()
        if existing is None:
            section.code = target
            section.save(update_fields=["code", "updated"])
        else:
            if section.synthesis.strip():
                existing.synthesis = (
                    f"{existing.synthesis.rstrip()}\n\n[{source.key}] {section.synthesis.strip()}"
                ).strip()
                existing.save(update_fields=["synthesis", "updated"])
            existing.evidence.add(*section.evidence.all())
            section.delete()
        count += 1
    return count


def code_split(*, code: Code, children: Sequence[dict[str, Any]], actor: Any) -> list[Code]:
    """Create sub-codes of ``code`` (keys and names, optionally definitions) in one new codebook
    version. Move its codings to them afterwards with :func:`codings_move`."""
    if not children:
        raise ValidationError({"children": "Name at least one new sub-code."})
    keys = [str(child.get("key", "")).strip() for child in children]
    if len(set(keys)) != len(keys):
        raise ValidationError({"children": "Give each new sub-code its own key."})
    allowed = {"key", "name", "definition", "inclusion", "exclusion", "example", "color", "group"}
    made: list[Code] = []
    with transaction.atomic():
        for index, child in enumerate(children):
            unknown = set(child) - allowed
            if unknown:
                raise ValidationError({f"children[{index}]": f"Unknown field {sorted(unknown)}."})
            fields = {k: v for k, v in child.items() if k not in {"key", "name"}}
            fields.setdefault("group", code.group)
            fields.setdefault("color", code.color)
            try:
                made.append(
                    code_create(
                        codebook=code.codebook,
                        key=str(child.get("key", "")),
                        name=str(child.get("name", "")),
                        parent=code,
                        actor=actor,
                        bump_version=False,
                        **fields,
                    )
                )
            except ValidationError as exc:
                raise ValidationError(
                    {f"children[{index}].{k}": v for k, v in exc.message_dict.items()}
                ) from None
        codebook_bump_version(
            codebook=code.codebook,
            summary=f"Split {code.key} into {', '.join(c.key for c in made)}",
            actor=actor,
        )
    return made


def codings_move(
    *, study: Study, coding_ids: Iterable[int], target: Code, actor: Any
) -> dict[str, int]:
    """Recode codings of the study to ``target`` (after a split, say); duplicates handled as in
    a merge. Every coding must belong to the study."""
    ids = {int(i) for i in coding_ids}
    if not ids:
        raise ValidationError({"codings": "Choose at least one coding to move."})
    if target.codebook.study_id != study.pk:
        raise ValidationError({"code": "That code belongs to another study's codebook."})
    if not target.is_active:
        raise ValidationError({"code": f"Code {target.key} is inactive; switch it on first."})
    found = set(
        Coding.objects.filter(pk__in=ids, interview__dyad__study=study).values_list("pk", flat=True)
    )
    if found != ids:
        raise ValidationError({"codings": "Some of these codings are not in this study."})
    with transaction.atomic():
        return _recode(
            codings=ids,
            target=target,
            actor=actor,
            version=target.codebook.version,
            reason=f"moved to {target.key}",
        )


# --- Deleting an interview (with a record of everything that goes with it) ---------------------


def interview_delete_with_codings(*, interview: Interview, actor: Any) -> dict[str, int]:
    """Delete an interview; its codings, memos, assignments and decisions go with it, each
    with its last state in the audit trail. Returns what was deleted."""
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None

    def deleted(object_type: str, pk: Any, before: dict[str, Any], summary: str) -> AuditEvent:
        return AuditEvent(
            study_id=interview.dyad.study_id,
            actor_id=actor_id,
            action=AuditEvent.Action.DELETE,
            object_type=object_type,
            object_id=str(pk),
            before=before,
            summary=summary,
        )

    codings = list(Coding.objects.filter(interview=interview).select_related("code"))
    memos = list(Memo.objects.filter(Q(interview=interview) | Q(coding__interview=interview)))
    assignments = list(Assignment.objects.filter(interview=interview))
    counts = {
        "codings": len(codings),
        "memos": len(memos),
        "assignments": len(assignments),
        "decisions": Adjudication.objects.filter(interview=interview).count(),
    }
    events = [
        *(
            deleted(
                "coding",
                coding.pk,
                {"id": coding.pk, "guid": str(coding.guid), **snapshot(coding, CODING_FIELDS)},
                f"{coding.code.key} [{coding.start}, {coding.end}) with its interview",
            )
            for coding in codings
        ),
        *(
            deleted(
                "memo",
                memo.pk,
                snapshot(memo, MEMO_FIELDS),
                (memo.title or memo.body[:80]) + " (with its interview)",
            )
            for memo in memos
        ),
        *(
            deleted(
                "assignment",
                assignment.pk,
                snapshot(assignment, ASSIGNMENT_FIELDS),
                "Assignment removed with its interview",
            )
            for assignment in assignments
        ),
        deleted(
            "interview",
            interview.pk,
            {
                **snapshot(interview, [*INTERVIEW_FIELDS, "consensus_complete"]),
                "dyad_label": interview.dyad.label,
                **counts,
            },
            f"Interview {interview.pk} ({interview.dyad.label}, {interview.perspective}) deleted",
        ),
    ]
    with transaction.atomic():
        audit_records_bulk(events)
        interview.delete()
    return counts
