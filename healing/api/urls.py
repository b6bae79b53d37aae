"""The REST API under /api/v1/ (and its OpenAPI schema and docs)."""

from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter, SimpleRouter

from coding.autocode.api import AUTOCODE_URLS
from coding.casestudy.api import CASE_STUDY_URLS
from coding.codings_api import CodebookView, CodeViewSet, CodingViewSet, JobViewSet, MemoViewSet
from coding.comparison.api import COMPARISON_URLS
from coding.deid.api import DEID_APPLY_URLS
from coding.exchange.api import (
    CodebookExportDownloadView,
    StudyExportDownloadView,
    StudyExportsView,
    StudyImportView,
)
from coding.exchange.refi.urls import api_urlpatterns as refi_api_urlpatterns
from coding.queries.api import QUERY_URLS
from coding.retrieval.api import RETRIEVAL_URLS
from coding.search.api import SEARCH_URLS
from coding.team.api import TEAM_URLS
from coding.team.audit_trail import AuditTrailCsvView
from coding.workspace_api import InterviewWorkspaceViewSet
from interviews.api import (
    ApiTokenViewSet,
    AttributeDefinitionViewSet,
    DyadTablePasteView,
    DyadViewSet,
    InterviewViewSet,
    ParticipantViewSet,
    StudyViewSet,
)
from interviews.deid.api import DEID_REVIEW_URLS
from interviews.deid.terms_api import DEID_TERMS_URLS
from interviews.speakers.api import InterviewSpeakersView

# No ".json" suffix routes: the API speaks JSON only, and its viewsets take no format argument.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("studies", StudyViewSet, basename="study")
router.register("attributes", AttributeDefinitionViewSet, basename="attribute")
router.register("participants", ParticipantViewSet, basename="participant")
router.register("dyads", DyadViewSet, basename="dyad")
router.register("interviews", InterviewViewSet, basename="interview")
router.register("codes", CodeViewSet, basename="code")
router.register("codings", CodingViewSet, basename="coding")
router.register("memos", MemoViewSet, basename="memo")
router.register("jobs", JobViewSet, basename="job")
router.register("tokens", ApiTokenViewSet, basename="token")

# The coding workspace's endpoints live under an interview's URL but in coding: its own router,
# so their names stay "interview-workspace-api" and "interview-changes".
interview_coding_router = SimpleRouter()
interview_coding_router.register("interviews", InterviewWorkspaceViewSet, basename="interview")

urlpatterns = [
    path("v1/studies/<slug:slug>/codebook/", CodebookView.as_view(), name="codebook"),
    path(
        "v1/studies/<slug:slug>/dyads/paste/",
        DyadTablePasteView.as_view(),
        name="study-dyads-paste",
    ),
    path(
        "v1/interviews/<int:pk>/speakers/",
        InterviewSpeakersView.as_view(),
        name="interview-speakers-api",
    ),
    *AUTOCODE_URLS,
    *TEAM_URLS,
    path(
        "v1/studies/<slug:slug>/audit-trail.csv",
        AuditTrailCsvView.as_view(),
        name="team-api-audit-csv",
    ),
    *CASE_STUDY_URLS,
    *COMPARISON_URLS,
    *RETRIEVAL_URLS,
    *QUERY_URLS,
    *SEARCH_URLS,
    *DEID_REVIEW_URLS,
    *DEID_APPLY_URLS,
    *DEID_TERMS_URLS,
    path(
        "v1/studies/<slug:slug>/codebook/exports/<str:fmt>/",
        CodebookExportDownloadView.as_view(),
        name="codebook-export",
    ),
    path("v1/studies/<slug:slug>/exports/", StudyExportsView.as_view(), name="study-exports"),
    path(
        "v1/studies/<slug:slug>/exports/<str:fmt>/",
        StudyExportDownloadView.as_view(),
        name="study-export",
    ),
    path("v1/study-imports/", StudyImportView.as_view(), name="study-import"),
    path("v1/", include(refi_api_urlpatterns)),
    path("v1/", include(interview_coding_router.urls)),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Redoc's bundle always fetches its vendor's logo from a CDN, which a closed hospital
    # network (and the CSP) refuses: the address stays, and opens the local Swagger UI.
    path("redoc/", RedirectView.as_view(pattern_name="api-docs"), name="api-redoc"),
]
