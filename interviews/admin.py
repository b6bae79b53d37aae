"""Studies, members, people, dyads and interviews in the admin; edits leave audit records."""

import logging

from django.contrib import admin
from django.http import HttpRequest

from healing.audit.admin import AuditedAdmin, audited_model_register
from interviews.models import (
    AttributeDefinition,
    Dyad,
    Interview,
    Membership,
    Participant,
    Study,
    Turn,
)
from interviews.services import membership_remove

# Where each audited object's record goes (study, interview); a membership is removed through
# its service, which keeps a lead. Coding registers how an interview is deleted (with codings).
audited_model_register(Study, scope=lambda obj: (obj.pk, None))
audited_model_register(
    Membership,
    scope=lambda obj: (obj.study_id, None),
    delete=lambda obj, actor: membership_remove(membership=obj, actor=actor),
)
audited_model_register(Dyad, scope=lambda obj: (obj.study_id, None))
audited_model_register(Interview, scope=lambda obj: (obj.dyad.study_id, obj.pk))


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
