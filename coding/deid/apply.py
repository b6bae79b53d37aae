"""Applying a de-identification review: rewrite the transcript, move everything on it, and
purge every copy of what was replaced.

In one transaction:

1. the interview's text becomes the text with each accepted identifier replaced by its entity's
   replacement (``interviews.deid.rewrite``); its hash and word count follow;
2. turns, codings of every layer (their quotes re-cut from the new text), adjudications (their
   passage and the spans they recorded) and the applied spans move so that each covers the same
   words (a span that covered part of an identifier covers all of its replacement);
3. each replaced identifier is replaced, wherever the study keeps free text, by the same
   replacement: speaker labels, the interview's title and file name, codings' memos, memos,
   case-study summaries and syntheses, the audit trail's summaries and snapshots, jobs'
   parameters, results and errors; the study's stored job files (uploads and exports, which may
   hold the old text in any format) are deleted, their jobs saying so;
4. the original text is kept for leads (``ProtectedOriginal``) only when the study keeps
   originals, and is otherwise gone;
5. the interview's review is complete, and one audit event records the redaction by kind and
   count, never the identifiers.

Other interviews of the study keep their own text until their own review is applied.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from coding.models import Adjudication, CaseStudy, CaseStudySection, Coding, Memo
from healing.audit.models import AuditEvent
from healing.audit.services import audit_record
from healing.jobs.models import Job, JobFile
from interviews.deid.rewrite import Replacement, Rewrite, RewriteError, rewrite
from interviews.models import DeidSpan, DeidStatus, Interview, ProtectedOriginal, Turn


@dataclass(frozen=True)
class ApplyResult:
    replaced: int
    kinds: dict[str, int]
    codings: int
    purged: dict[str, int]
    original_kept: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "replaced": self.replaced,
            "kinds": self.kinds,
            "codings": self.codings,
            "purged": self.purged,
            "original_kept": self.original_kept,
        }


class Scrubber:
    """Replaces each identifier wherever it appears in free text: whole occurrences (not inside
    a longer word), case-insensitively, longest first (so "Evelyn Shaw" before "Evelyn")."""

    def __init__(self, pairs: dict[str, str]) -> None:
        self.pairs = {key.casefold(): value for key, value in pairs.items() if key.strip()}
        names = sorted(pairs, key=len, reverse=True)
        self.pattern = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names if n.strip()) + r")(?!\w)",
                re.IGNORECASE,
            )
            if self.pairs
            else None
        )

    def text(self, value: str) -> str:
        if self.pattern is None or not value:
            return value
        return self.pattern.sub(lambda m: self.pairs.get(m.group(0).casefold(), m.group(0)), value)

    def json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, dict):
            return {self.text(k): self.json(v) for k, v in value.items()}
        return value

    def found(self, value: Any) -> bool:
        return self.pattern is not None and self.json(value) != value


def _accepted(interview: Interview) -> list[DeidSpan]:
    spans = list(
        DeidSpan.objects.filter(interview=interview, status=DeidSpan.Status.ACCEPTED)
        .select_related("entity")
        .order_by("start", "end")
    )
    for span in spans:
        if span.entity is None:
            raise ValidationError(
                {"spans": f"The identifier at [{span.start}, {span.end}) has no replacement yet."}
            )
    return spans


def _update_text_rows(
    rows: Iterable[Any], fields: tuple[str, ...], clean: Callable[[Any], Any]
) -> int:
    """Rewrite ``fields`` of each row through ``clean``; save the rows that changed."""
    changed = 0
    for row in rows:
        dirty = []
        for name in fields:
            value = getattr(row, name)
            new = clean(value)
            if new != value:
                setattr(row, name, new)
                dirty.append(name)
        if dirty:
            row.save(update_fields=dirty)
            changed += 1
    return changed


def _update_rows(model: type[Any], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """``UPDATE table SET columns WHERE id = …`` for each row (values in ``columns`` order, then
    the id), as one batch: Django's bulk_update builds a CASE per row and field, which costs
    seconds for a few thousand rows."""
    if not rows:
        return
    q = connection.ops.quote_name
    assignments = ", ".join(f"{q(column)} = %s" for column in columns)
    # Table and column names come from the models; every value is a parameter.
    sql = f"UPDATE {q(model._meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _move_spans(interview: Interview, moved: Rewrite, text: str) -> int:
    codings = list(Coding.objects.filter(interview=interview).values_list("id", "start", "end"))
    rows = []
    for pk, start, end in codings:
        new_start, new_end = moved.span(start, end)
        rows.append((new_start, new_end, text[new_start:new_end], pk))
    _update_rows(Coding, ("start", "end", "quote"), rows)
    _update_rows(
        Turn,
        ("start", "end"),
        [
            (*moved.span(start, end), pk)
            for pk, start, end in Turn.objects.filter(interview=interview).values_list(
                "id", "start", "end"
            )
        ],
    )
    decisions = list(Adjudication.objects.filter(interview=interview))
    for decision in decisions:
        decision.start, decision.end = moved.span(decision.start, decision.end)
        decision.source = {
            side: [[pk, *moved.span(start, end)] for pk, start, end in spans]
            for side, spans in (decision.source or {}).items()
        }
        decision.result = [
            [pk, code, *moved.span(start, end)] for pk, code, start, end in decision.result or []
        ]
    Adjudication.objects.bulk_update(decisions, ["start", "end", "source", "result"])
    return len(codings)


def _purge(interview: Interview, scrubber: Scrubber) -> dict[str, int]:
    study_id = interview.dyad.study_id
    purged = {
        "speaker_labels": _update_text_rows(
            Turn.objects.filter(interview=interview), ("speaker",), scrubber.text
        ),
        "interview_fields": _update_text_rows(
            [interview], ("title", "source_name", "interviewer"), scrubber.text
        ),
        "coding_memos": _update_text_rows(
            Coding.objects.filter(interview__dyad__study_id=study_id).exclude(memo=""),
            ("memo",),
            scrubber.text,
        ),
        "memos": _update_text_rows(
            Memo.objects.filter(study_id=study_id), ("title", "body"), scrubber.text
        ),
        "case_studies": _update_text_rows(
            CaseStudy.objects.filter(dyad__study_id=study_id), ("summary",), scrubber.text
        )
        + _update_text_rows(
            CaseStudySection.objects.filter(case_study__dyad__study_id=study_id),
            ("synthesis",),
            scrubber.text,
        ),
        "audit_events": _update_text_rows(
            AuditEvent.objects.filter(study_id=study_id),
            ("summary", "before", "after", "object_id"),
            scrubber.json,
        ),
        "jobs": _update_text_rows(
            Job.objects.filter(study_id=study_id),
            ("message", "params", "result", "error"),
            scrubber.json,
        ),
    }
    files = JobFile.objects.filter(job__study_id=study_id)
    jobs = set(files.values_list("job_id", flat=True))
    purged["job_files"] = files.delete()[0]
    stamp = timezone.now().isoformat(timespec="seconds")
    for job in Job.objects.filter(pk__in=jobs):
        job.result = {**(job.result or {}), "files_purged": f"de-identification, {stamp}"}
        job.save(update_fields=["result"])
    return purged


def deid_apply(*, interview: Interview, actor: Any) -> ApplyResult:
    """Apply the interview's accepted identifiers (see the module's description). Refused when
    an accepted span has no replacement or spans overlap; nothing changes then."""
    with transaction.atomic():
        interview = (
            Interview.objects.select_for_update().select_related("dyad__study").get(pk=interview.pk)
        )
        spans = _accepted(interview)
        if not spans:
            raise ValidationError({"spans": "No accepted identifier to apply."})
        old = interview.text
        try:
            moved = rewrite(
                old,
                [Replacement(s.start, s.end, s.entity.replacement) for s in spans],  # type: ignore[union-attr]
            )
        except RewriteError as error:
            raise ValidationError({"spans": str(error)}) from None
        pairs = {old[s.start : s.end]: s.entity.replacement for s in spans}  # type: ignore[union-attr]
        scrubber = Scrubber(pairs)
        study = interview.dyad.study
        if study.deid_keep_original:
            ProtectedOriginal.objects.update_or_create(
                interview=interview, defaults={"text": old, "created_by": actor}
            )
        interview.text = moved.text
        interview.text_sha256 = hashlib.sha256(moved.text.encode("utf-8")).hexdigest()
        interview.word_count = len(moved.text.split())
        interview.deid_status = DeidStatus.COMPLETE
        interview.save(
            update_fields=["text", "text_sha256", "word_count", "deid_status", "updated"]
        )
        codings = _move_spans(interview, moved, moved.text)
        _update_rows(
            DeidSpan,
            ("start", "end", "status"),
            [
                (new_start, new_end, DeidSpan.Status.APPLIED, span.pk)
                for span, (_, _, new_start, new_end) in zip(spans, moved.spans, strict=True)
            ],
        )
        # Proposals not decided and rejected ones pointed into the old text: moved like codings.
        _update_rows(
            DeidSpan,
            ("start", "end"),
            [
                (*moved.span(start, end), pk)
                for pk, start, end in DeidSpan.objects.filter(interview=interview)
                .exclude(pk__in=[span.pk for span in spans])
                .values_list("id", "start", "end")
            ],
        )
        purged = _purge(interview, scrubber)
        kinds = dict(Counter(span.kind for span in spans))
        audit_record(
            study_id=study.pk,
            interview_id=interview.pk,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            object_type="redaction",
            object_id=str(interview.pk),
            after={"replaced": len(spans), "kinds": kinds, "codings_moved": codings,
                   "original_kept": study.deid_keep_original, "purged": purged},
            summary=f"De-identified interview {interview.pk}: {len(spans)} identifier(s) replaced",
        )  # fmt: skip
    return ApplyResult(
        replaced=len(spans),
        kinds=kinds,
        codings=codings,
        purged=purged,
        original_kept=study.deid_keep_original,
    )
