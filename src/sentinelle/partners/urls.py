from __future__ import annotations

from django.urls import URLPattern, path

from sentinelle.partners import views

app_name = "partners"
urlpatterns: list[URLPattern] = [
    path("", views.list_view, name="list"),
    path("new/", views.create_view, name="create"),
    path("<int:partner_id>/tokens/", views.issue_view, name="issue"),
    path("tokens/<int:token_id>/revoke/", views.revoke_view, name="revoke"),
]
