from __future__ import annotations

from django.urls import URLPattern, path

from sentinelle.console import views

app_name = "console"
urlpatterns: list[URLPattern] = [
    path("", views.queue_view, name="queue"),
    path("reports/<str:reference>/", views.report_view, name="report"),
    path("reports/<str:reference>/outcome/", views.outcome_view, name="outcome"),
]
