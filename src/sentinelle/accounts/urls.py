from __future__ import annotations

from django.urls import URLPattern, path

from sentinelle.accounts import admin_views, views

app_name = "accounts"
urlpatterns: list[URLPattern] = [
    path("", admin_views.home_view, name="home"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.code_view, name="code"),
    path("logout/", views.logout_view, name="logout"),
    path("enrol/", views.enrol_view, name="enrol"),
    path("users/", admin_views.users_view, name="users"),
]
