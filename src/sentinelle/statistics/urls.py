from __future__ import annotations

from django.urls import URLPattern, path

from sentinelle.statistics import views

app_name = "statistics"
urlpatterns: list[URLPattern] = [
    path("", views.overview, name="overview"),
    path("transparency/", views.transparency, name="transparency"),
    path("<slug:table>.csv", views.export, name="export"),
]
