"""The comparison page and its charts, and the saturation curve's SVG (the JSON endpoints are in
``coding.comparison.api``)."""

from django.urls import path

from coding.comparison import views

urlpatterns = [
    path("studies/<slug:slug>/comparison/", views.comparison, name="study-comparison"),
    path(
        "studies/<slug:slug>/comparison/<str:chart>.svg",
        views.comparison_chart,
        name="study-comparison-chart",
    ),
    path(
        "studies/<slug:slug>/comparison/stop-words/",
        views.stop_words_edit,
        name="study-stop-words",
    ),
    path("studies/<slug:slug>/saturation.svg", views.saturation_svg, name="study-saturation-svg"),
]
