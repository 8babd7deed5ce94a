from __future__ import annotations

from django.urls import URLPattern, path

from sentinelle.classification import views, views_supervisor

app_name = "classification"
urlpatterns: list[URLPattern] = [
    path("", views.queue_view, name="queue"),
    path("disagreements/", views_supervisor.disputes_view, name="disputes"),
    path("time/", views_supervisor.time_view, name="time"),
    path("media/<str:sha256>/", views.item_view, name="item"),
    path("media/<str:sha256>/blurred.png", views.blurred_view, name="blurred"),
    path("media/<str:sha256>/classify/", views.classify_view, name="classify"),
    path("media/<str:sha256>/reveal/", views.reveal_view, name="reveal"),
    path("media/<str:sha256>/original/<str:token>/", views.original_view, name="original"),
    path("media/<str:sha256>/settle/", views_supervisor.settle_view, name="settle"),
]
