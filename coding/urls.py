from django.urls import path

from coding import memos_pages, study_pages, views
from coding.autocode import views as autocode_views
from coding.queries import pages as query_pages
from coding.retrieval import pages as retrieval_pages
from coding.search import views as search_views

urlpatterns = [
    path("studies/<slug:slug>/", study_pages.study_overview, name="study-overview"),
    path("dyads/<int:pk>/", study_pages.dyad_detail, name="dyad-detail"),
    path("interviews/<int:pk>/", views.interview_workspace, name="interview-workspace"),
    path(
        "interviews/<int:pk>/transcript/", views.interview_transcript, name="interview-transcript"
    ),
    path("studies/<slug:slug>/memos/", memos_pages.study_memos_page, name="study-memos"),
    path("studies/<slug:slug>/queries/", query_pages.study_queries_page, name="study-queries"),
    path("studies/<slug:slug>/segments/", retrieval_pages.study_segments, name="study-segments"),
    path("studies/<slug:slug>/jobs/", views.study_jobs, name="study-jobs"),
    path("jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/cancel/", views.job_cancel_page, name="job-cancel"),
    path("studies/<slug:slug>/autocode/", autocode_views.study_autocode, name="study-autocode"),
    path(
        "studies/<slug:slug>/autocode/<int:job_id>/undo/",
        autocode_views.autocode_undo_page,
        name="autocode-undo",
    ),
    path("studies/<slug:slug>/search/", search_views.study_search, name="study-search"),
    path(
        "studies/<slug:slug>/search/code/",
        search_views.study_search_code,
        name="study-search-code",
    ),
]
