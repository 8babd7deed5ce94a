"""URL routes (the web console and API arrive with later issues)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
