from django.urls import path

from coding import views

urlpatterns = [
    path("interviews/<int:pk>/", views.interview_workspace, name="interview-workspace"),
    path(
        "interviews/<int:pk>/transcript/", views.interview_transcript, name="interview-transcript"
    ),
]
