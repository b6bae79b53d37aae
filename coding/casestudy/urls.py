from django.urls import path

from coding.casestudy import views

urlpatterns = [
    path("dyads/<int:pk>/case-study/", views.dyad_case_study, name="dyad-case-study"),
    path("dyads/<int:pk>/case-study.docx", views.dyad_case_study_docx, name="dyad-case-study-docx"),
    path("dyads/<int:pk>/case-study.md", views.dyad_case_study_md, name="dyad-case-study-md"),
]
