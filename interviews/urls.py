from django.urls import path

from interviews import study_views, views
from interviews.deid import pages as deid_pages
from interviews.speakers import views as speaker_views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("invitations/", views.invitations, name="invitations"),
    # Before any studies/<slug>/ pattern (coding's are included after these): "new" is never a
    # study's slug (RESERVED_STUDY_SLUGS).
    path("studies/new/", study_views.study_new, name="study-new"),
    path("studies/<slug:slug>/settings/", study_views.study_settings, name="study-settings"),
    path("studies/<slug:slug>/dyads/", views.study_dyads, name="study-dyads"),
    path(
        "studies/<slug:slug>/import/",
        views.study_import_transcripts,
        name="study-import-transcripts",
    ),
    path("studies/<slug:slug>/deid/", deid_pages.study_deid, name="study-deid"),
    path("interviews/<int:pk>/deid/", deid_pages.interview_deid, name="interview-deid"),
    path(
        "interviews/<int:pk>/speakers/",
        speaker_views.interview_speakers,
        name="interview-speakers",
    ),
]
