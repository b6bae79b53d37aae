from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from healing.accounts.views import SignInView

urlpatterns = [
    path(
        "accounts/login/",
        SignInView.as_view(),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("api/", include("healing.api.urls")),
    path("", include("interviews.urls")),
    path("", include("coding.urls")),
    path("", include("coding.team.urls")),
    path("", include("coding.casestudy.urls")),
    path("", include("coding.exchange.refi.urls")),
    path("", include("coding.comparison.urls")),
]

handler404 = "healing.views.not_found"
handler500 = "healing.views.server_error"
handler400 = "healing.views.bad_request"
