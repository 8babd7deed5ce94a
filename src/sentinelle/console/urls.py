from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from sentinelle.console import views

app_name = "console"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.queue_view, name="queue"),
    path("reports/<str:reference>/", views.report_view, name="report"),
    path("reports/<str:reference>/outcome/", views.outcome_view, name="outcome"),
    path("", include("sentinelle.console.manage_urls")),  # lists, do-not-act, directory, audit log
    path("notices/", include("sentinelle.console.notice_urls")),
]
