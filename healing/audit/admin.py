"""Admin edits leave audit records: ``AuditedAdmin`` and the registry of audited models.

Each app registers the models it owns (``audited_model_register``) with how to find an object's
study and interview, and, where a service deletes one properly (recording what goes with it),
that service. The ground floor names no model of the apps above.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from healing.audit.models import AuditEvent
from healing.audit.services import audit_record, snapshot

Scope = Callable[[Any], tuple[int, int | None]]
Deleter = Callable[[Any, Any], object]  # what the service returns is not used


_SCOPES: dict[type[models.Model], Scope] = {}
_DELETERS: dict[type[models.Model], Deleter] = {}


def audited_model_register(
    model: type[models.Model], *, scope: Scope, delete: Deleter | None = None
) -> None:
    """``scope(obj)`` gives (study id, interview id or None); ``delete(obj, actor)``, if given,
    replaces the admin's plain delete."""
    _SCOPES[model] = scope
    if delete is not None:
        _DELETERS[model] = delete


def audited_model_delete_register(model: type[models.Model], *, delete: Deleter) -> None:
    """Let a higher app delete a lower app's model through its own service (an interview with
    its codings, say)."""
    _DELETERS[model] = delete


def _study_and_interview(obj: Any) -> tuple[int, int | None]:
    """The study (and interview, if any) an audited object belongs to."""
    scope = _SCOPES.get(type(obj))
    if scope is None:
        raise TypeError(f"{type(obj).__name__} is not audited")
    return scope(obj)


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
    delete = _DELETERS.get(type(obj))
    if delete is None:
        return False
    delete(obj, actor)
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
        """Inline models whose rows are audited: those registered with their scope."""
        return set(_SCOPES)


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
