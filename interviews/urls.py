from django.urls import path

from interviews import views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("studies/<slug:slug>/", views.study_overview, name="study-overview"),
    path("dyads/<int:pk>/", views.dyad_detail, name="dyad-detail"),
]
