"""Jobs and their files in the admin (read mostly: workers write them)."""

from django.contrib import admin

from healing.jobs.models import Job, JobFile


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
