from __future__ import annotations

from django.urls import URLPattern, path

from sentinelle.referrals import views

app_name = "referrals"
urlpatterns: list[URLPattern] = [
    path("", views.list_view, name="list"),
    path("new/", views.new_view, name="new"),
    path("<str:reference>/", views.referral_view, name="referral"),
    path("<str:reference>/package.json", views.package_view, name="package"),
]
