from django.contrib import admin

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


class CodeInline(admin.TabularInline):
    model = Code
    extra = 0
    fields = ["key", "name", "parent", "group", "color", "order", "is_active"]
    fk_name = "codebook"


@admin.register(Codebook)
class CodebookAdmin(admin.ModelAdmin):
    list_display = ["title", "study", "version", "updated"]
    inlines = [CodeInline]


@admin.register(CodebookVersion)
class CodebookVersionAdmin(admin.ModelAdmin):
    list_display = ["codebook", "number", "summary", "created_by", "created"]
    readonly_fields = ["snapshot"]


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "group", "parent", "codebook", "is_active"]
    list_filter = ["group", "is_active", "codebook"]
    search_fields = ["key", "name"]
    list_select_related = ["parent", "codebook"]


@admin.register(Coding)
class CodingAdmin(admin.ModelAdmin):
    list_display = ["code", "interview", "coder", "layer", "start", "end", "created"]
    list_filter = ["layer", "interview__dyad__study"]
    search_fields = ["quote", "memo", "code__key"]
    list_select_related = ["code", "interview__dyad", "coder"]
    raw_id_fields = ["interview", "code", "coder"]


@admin.register(Memo)
class MemoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "study", "author", "updated"]
    list_filter = ["study"]
    search_fields = ["title", "body"]
    raw_id_fields = ["dyad", "interview", "code", "coding"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
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
