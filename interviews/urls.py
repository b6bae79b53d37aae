from django.urls import path

from interviews import views
from interviews.speakers import views as speaker_views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("invitations/", views.invitations, name="invitations"),
    path("studies/<slug:slug>/dyads/", views.study_dyads, name="study-dyads"),
    path(
        "studies/<slug:slug>/import/",
        views.study_import_transcripts,
        name="study-import-transcripts",
    ),
    path(
        "interviews/<int:pk>/speakers/",
        speaker_views.interview_speakers,
        name="interview-speakers",
    ),
]
