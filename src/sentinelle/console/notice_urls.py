"""The notices pages, included under ``notices/`` by :mod:`sentinelle.console.urls` (so their
names are in the ``console`` namespace: ``console:notices``, ``console:notice``...)."""

from __future__ import annotations

from django.urls import URLPattern, path

from sentinelle.console import notice_views

urlpatterns: list[URLPattern] = [
    path("", notice_views.notices_view, name="notices"),
    path("waiting/", notice_views.waiting_view, name="notices-waiting"),
    path("<str:reference>/", notice_views.notice_view, name="notice"),
    path("<str:reference>/responses/<int:response_id>/answer/", notice_views.answer_view, name="notice-answer"),
]
