import logging

from django.contrib import admin
from django.http import HttpRequest

from coding.admin import AuditedAdmin
from interviews.models import (
    AttributeDefinition,
    Dyad,
    Interview,
    Membership,
    Participant,
    Study,
    Turn,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class AttributeDefinitionInline(admin.TabularInline):
    model = AttributeDefinition
    extra = 0


logger = logging.getLogger("healing.audit")


@admin.register(Study)
class StudyAdmin(AuditedAdmin):
    list_display = ["title", "slug", "blind_coding", "created"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [MembershipInline, AttributeDefinitionInline]

    def delete_model(self, request: HttpRequest, obj: Study) -> None:
        # A study's audit trail goes with it; the server log keeps who deleted it and when.
        logger.warning(
            "Study %s (%r, id %s) deleted in the admin by %s, with its whole audit trail",
            obj.slug,
            obj.title,
            obj.pk,
            request.user,
        )
        obj.delete()


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "study", "role", "created"]
    list_filter = ["role", "study"]
    search_fields = ["user__username", "study__title"]
    autocomplete_fields = ["user", "study"]


@admin.register(AttributeDefinition)
class AttributeDefinitionAdmin(admin.ModelAdmin):
    list_display = ["key", "label", "entity", "type", "study"]
    list_filter = ["entity", "type", "study"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["pseudonym", "role", "study"]
    list_filter = ["role", "study"]
    search_fields = ["pseudonym"]


@admin.register(Dyad)
class DyadAdmin(AuditedAdmin):
    list_display = ["label", "study", "clinician", "patient"]
    list_filter = ["study"]
    search_fields = ["label", "clinician__pseudonym", "patient__pseudonym"]
    list_select_related = ["study", "clinician", "patient"]
    autocomplete_fields = ["clinician", "patient"]


class TurnInline(admin.TabularInline):
    model = Turn
    extra = 0
    fields = ["index", "speaker", "role", "start", "end", "timestamp_ms"]
    readonly_fields = ["start", "end"]


@admin.register(Interview)
class InterviewAdmin(AuditedAdmin):
    list_display = ["__str__", "dyad", "perspective", "word_count", "source_format", "created"]
    list_filter = ["perspective", "dyad__study", "consensus_complete"]
    search_fields = ["dyad__label", "title", "source_name"]
    list_select_related = ["dyad"]
    readonly_fields = ["text_sha256", "word_count", "guid", "created", "updated"]
    inlines = [TurnInline]


@admin.register(Turn)
class TurnAdmin(admin.ModelAdmin):
    list_display = ["interview", "index", "speaker", "role", "start", "end"]
    list_filter = ["role"]
    list_select_related = ["interview__dyad"]
