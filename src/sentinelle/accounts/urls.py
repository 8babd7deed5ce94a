from __future__ import annotations

from django.urls import URLPattern, path

from sentinelle.accounts import admin_views, user_views, views

app_name = "accounts"
urlpatterns: list[URLPattern] = [
    path("", admin_views.home_view, name="home"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.code_view, name="code"),
    path("logout/", views.logout_view, name="logout"),
    path("enrol/", views.enrol_view, name="enrol"),
    path("users/", admin_views.users_view, name="users"),
    path("users/<str:username>/", user_views.user_view, name="user"),
    path("users/<str:username>/role/", user_views.role_view, name="user-role"),
    path("users/<str:username>/password/", user_views.password_view, name="user-password"),
    path("users/<str:username>/deactivate/", user_views.deactivate_view, name="user-deactivate"),
    path("users/<str:username>/reactivate/", user_views.reactivate_view, name="user-reactivate"),
]
