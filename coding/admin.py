"""Codebooks, codes, codings, memos and assignments in the admin; edits leave audit records."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from coding.models import (
    Assignment,
    Code,
    Codebook,
    CodebookVersion,
    Coding,
    Memo,
)
from coding.services import codebook_bump_version, coding_delete, memo_delete
from coding.team.services import interview_delete_with_codings
from healing.audit.admin import (
    AuditedAdmin,
    audited_model_delete_register,
    audited_model_register,
)
from interviews.models import Interview


def _interview_scope(obj: Any) -> tuple[int, int | None]:
    return obj.interview.dyad.study_id, obj.interview_id


# Where each audited object's record goes; codings and memos are deleted through their services,
# and an interview (registered by interviews) with its codings.
audited_model_register(
    Memo,
    scope=lambda obj: (obj.study_id, obj.interview_id),
    delete=lambda obj, actor: memo_delete(memo=obj, actor=actor),
)
audited_model_register(
    Coding,
    scope=_interview_scope,
    delete=lambda obj, actor: coding_delete(coding=obj, actor=actor),
)
audited_model_register(Assignment, scope=_interview_scope)
audited_model_register(Code, scope=lambda obj: (obj.codebook.study_id, None))
audited_model_delete_register(
    Interview,
    delete=lambda obj, actor: interview_delete_with_codings(interview=obj, actor=actor),
)


class CodeInline(admin.TabularInline):
    model = Code
    extra = 0
    fields = ["key", "name", "parent", "group", "color", "order", "is_active"]
    fk_name = "codebook"


@admin.register(Codebook)
class CodebookAdmin(AuditedAdmin):
    list_display = ["title", "study", "version", "updated"]
    inlines = [CodeInline]

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool
    ) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is Code and formset.has_changed():
            codebook_bump_version(
                codebook=form.instance, summary="Codes changed in the admin", actor=request.user
            )


@admin.register(CodebookVersion)
class CodebookVersionAdmin(admin.ModelAdmin):
    list_display = ["codebook", "number", "summary", "created_by", "created"]
    readonly_fields = ["snapshot", "changes"]


@admin.register(Code)
class CodeAdmin(AuditedAdmin):
    list_display = ["key", "name", "group", "parent", "codebook", "is_active"]
    list_filter = ["group", "is_active", "codebook"]
    search_fields = ["key", "name"]
    list_select_related = ["parent", "codebook"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            codebook_bump_version(
                codebook=obj.codebook,
                summary=f"{'Changed' if change else 'Added'} {obj.key} in the admin",
                actor=request.user,
                changed=[obj],
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            codebook = obj.codebook
            super().delete_model(request, obj)
            codebook_bump_version(
                codebook=codebook, summary=f"Deleted {obj.key} in the admin", actor=request.user
            )


@admin.register(Coding)
class CodingAdmin(AuditedAdmin):
    list_display = ["code", "interview", "coder", "layer", "start", "end", "created"]
    list_filter = ["layer", "interview__dyad__study"]
    search_fields = ["quote", "memo", "code__key"]
    list_select_related = ["code", "interview__dyad", "coder"]
    raw_id_fields = ["interview", "code", "coder"]


@admin.register(Memo)
class MemoAdmin(AuditedAdmin):
    list_display = ["__str__", "study", "type", "author", "updated"]
    list_filter = ["study", "type"]
    search_fields = ["title", "body"]
    raw_id_fields = ["dyad", "interview", "code", "coding"]


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdmin):
    list_display = ["interview", "coder", "done", "created"]
    raw_id_fields = ["interview"]
