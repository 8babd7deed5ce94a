from __future__ import annotations

from django.urls import URLPattern, path

from sentinelle.responses import views

app_name = "responses"
urlpatterns: list[URLPattern] = [
    path("respond/<str:token>/", views.respond, name="respond"),
]
