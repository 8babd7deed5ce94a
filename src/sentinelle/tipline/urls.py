from __future__ import annotations

from django.urls import URLPattern, path

from sentinelle.tipline import views

app_name = "tipline"
urlpatterns: list[URLPattern] = [
    path("", views.report, name="report"),
    path("receipt/", views.receipt, name="receipt"),
    path("add/", views.add, name="add"),
]
