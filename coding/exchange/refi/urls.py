"""URLs of the REFI-QDA pages (``urlpatterns``, under /) and API (``api_urlpatterns``, under
/api/v1/)."""

from django.urls import path

from coding.exchange.refi import api, views

urlpatterns = [
    path("studies/<slug:slug>/exchange/", views.exchange, name="refi-exchange"),
    path("exchange/import/", views.import_new, name="refi-import-new"),
    path("exchange/jobs/<int:pk>/", views.job_page, name="refi-job"),
    path("exchange/jobs/<int:pk>/mapping/", views.mapping, name="refi-mapping"),
]

api_urlpatterns = [
    path(
        "studies/<slug:slug>/refi/exports/",
        api.RefiExportView.as_view(),
        name="refi-api-export",
    ),
    path(
        "studies/<slug:slug>/refi/imports/",
        api.RefiStudyImportView.as_view(),
        name="refi-api-study-import",
    ),
    path(
        "studies/<slug:slug>/refi/codebook/",
        api.RefiCodebookImportView.as_view(),
        name="refi-api-codebook-import",
    ),
    path("refi/imports/", api.RefiNewStudyImportView.as_view(), name="refi-api-import"),
    path(
        "refi/imports/<int:job_id>/confirm/",
        api.RefiImportConfirmView.as_view(),
        name="refi-api-import-confirm",
    ),
]
