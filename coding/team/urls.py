"""Teamwork pages: members, assignments, agreement, consensus, codebook, audit."""

from django.urls import path

from coding.team import views

urlpatterns = [
    path("studies/<slug:slug>/members/", views.members, name="team-members"),
    path("studies/<slug:slug>/assignments/", views.assignments, name="team-assignments"),
    path(
        "studies/<slug:slug>/assignments/<int:pk>/done/",
        views.assignment_done,
        name="team-assignment-done",
    ),
    path("studies/<slug:slug>/agreement/", views.agreement, name="team-agreement"),
    path(
        "studies/<slug:slug>/agreement/<int:pk>/",
        views.agreement_report,
        name="team-agreement-report",
    ),
    path(
        "studies/<slug:slug>/agreement/<int:pk>/export.<str:fmt>",
        views.agreement_export,
        name="team-agreement-export",
    ),
    path("studies/<slug:slug>/consensus/", views.consensus, name="team-consensus"),
    path("interviews/<int:pk>/disagreements/", views.disagreements, name="team-disagreements"),
    path("interviews/<int:pk>/adjudicate/", views.adjudicate, name="team-adjudicate"),
    path(
        "interviews/<int:pk>/consensus-complete/",
        views.consensus_complete,
        name="team-consensus-complete",
    ),
    path("interviews/<int:pk>/compare/", views.compare, name="team-compare"),
    path("interviews/<int:pk>/audit/", views.interview_audit, name="team-interview-audit"),
    path("studies/<slug:slug>/codebook/", views.codebook, name="team-codebook"),
    path(
        "studies/<slug:slug>/codebook/codes/<int:code_id>/",
        views.code_edit,
        name="team-code-edit",
    ),
    path(
        "studies/<slug:slug>/codebook/codes/<int:code_id>/split/",
        views.code_split,
        name="team-code-split",
    ),
    path(
        "studies/<slug:slug>/codebook/codes/<int:code_id>/codings/",
        views.code_codings,
        name="team-code-codings",
    ),
    path(
        "studies/<slug:slug>/codebook/versions/",
        views.codebook_versions,
        name="team-codebook-versions",
    ),
    path(
        "studies/<slug:slug>/codebook/versions/<int:number>/",
        views.codebook_version,
        name="team-codebook-version",
    ),
    path("studies/<slug:slug>/audit/", views.audit, name="team-audit"),
    path("studies/<slug:slug>/audit.csv", views.audit_csv, name="team-audit-csv"),
]
