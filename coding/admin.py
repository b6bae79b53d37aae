from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from coding.audit import audit_record, snapshot
from coding.models import (
    Assignment,
    AuditEvent,
    Code,
    Codebook,
    CodebookVersion,
    Coding,
    Job,
    JobFile,
    Memo,
)
from coding.services import codebook_bump_version


def _study_and_interview(obj: Any) -> tuple[int, int | None]:
    """The study (and interview, if any) an audited object belongs to."""
    from interviews.models import Dyad, Interview, Membership, Study

    if isinstance(obj, Study):
        return obj.pk, None
    if isinstance(obj, Membership | Dyad | Memo):
        return obj.study_id, getattr(obj, "interview_id", None)
    if isinstance(obj, Interview):
        return obj.dyad.study_id, obj.pk
    if isinstance(obj, Coding | Assignment):
        return obj.interview.dyad.study_id, obj.interview_id
    if isinstance(obj, Code):
        return obj.codebook.study_id, None
    raise TypeError(f"{type(obj).__name__} is not audited")


def _fields(obj: models.Model) -> list[str]:
    return [
        f.name
        for f in obj._meta.concrete_fields
        if not f.primary_key and f.name not in {"text", "created", "updated", "snapshot"}
    ]


def admin_audit(
    obj: models.Model, *, action: str, actor: Any, before: dict[str, Any] | None = None
) -> None:
    study_id, interview_id = _study_and_interview(obj)
    after = snapshot(obj, _fields(obj)) if action != "delete" else None
    if action == "update" and after == before:
        return
    audit_record(
        study_id=study_id,
        interview_id=interview_id,
        actor=actor,
        action=action,
        object_type=obj._meta.model_name or "",
        object_id=obj.pk,
        before=before,
        after=after,
        summary=f"{obj} ({action} in the admin)",
    )


def _delete_through_services(obj: models.Model, actor: Any) -> bool:
    """Deletes that have a service (which records what goes with them) use it."""
    from coding.services import coding_delete, memo_delete
    from coding.team.services import interview_delete_with_codings
    from interviews.models import Interview, Membership
    from interviews.services import membership_remove

    if isinstance(obj, Coding):
        coding_delete(coding=obj, actor=actor)
    elif isinstance(obj, Memo):
        memo_delete(memo=obj, actor=actor)
    elif isinstance(obj, Interview):
        interview_delete_with_codings(interview=obj, actor=actor)
    elif isinstance(obj, Membership):
        membership_remove(membership=obj, actor=actor)
    else:
        return False
    return True


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits and deletes of study data leave audit records like the app's own writes."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = None
        if change:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(old, _fields(old)) if old is not None else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            admin_audit(
                obj, action="update" if change else "create", actor=request.user, before=before
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            if not _delete_through_services(obj, request.user):
                admin_audit(
                    obj, action="delete", actor=request.user, before=snapshot(obj, _fields(obj))
                )
                super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool
    ) -> None:
        audited = self.audited_inlines
        if formset.model not in audited:
            super().save_formset(request, form, formset, change)
            return
        with transaction.atomic():
            befores = {}
            for inline_form in formset.initial_forms:
                old = inline_form.instance
                if old.pk is not None:
                    fresh = formset.model._default_manager.filter(pk=old.pk).first()
                    if fresh is not None:
                        befores[old.pk] = snapshot(fresh, _fields(fresh))
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                if not _delete_through_services(obj, request.user):
                    admin_audit(
                        obj, action="delete", actor=request.user, before=befores.get(obj.pk)
                    )
                    obj.delete()
            for obj in instances:
                is_new = obj.pk is None
                obj.save()
                admin_audit(
                    obj,
                    action="create" if is_new else "update",
                    actor=request.user,
                    before=None if is_new else befores.get(obj.pk),
                )
            formset.save_m2m()

    @property
    def audited_inlines(self) -> set[type[models.Model]]:
        from interviews.models import Membership

        return {Code, Membership}


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
    list_display = ["__str__", "study", "author", "updated"]
    list_filter = ["study"]
    search_fields = ["title", "body"]
    raw_id_fields = ["dyad", "interview", "code", "coding"]


@admin.register(Assignment)
class AssignmentAdmin(AuditedAdmin):
    list_display = ["interview", "coder", "done", "created"]
    raw_id_fields = ["interview"]


class JobFileInline(admin.TabularInline):
    model = JobFile
    extra = 0
    fields = ("direction", "name", "content_type", "size", "created")
    readonly_fields = ("direction", "name", "content_type", "size", "created")


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "study", "user", "state", "progress", "created", "finished"]
    list_filter = ["kind", "state"]
    readonly_fields = ["task_id", "worker", "created", "started", "finished"]
    inlines = [JobFileInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "summary", "study"]
    list_filter = ["action", "object_type", "study"]
    readonly_fields = tuple(f.name for f in AuditEvent._meta.fields)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
