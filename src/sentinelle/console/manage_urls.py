"""The console's management pages: hash lists, the do-not-act list, the provider directory, the
audit log. Included from :mod:`sentinelle.console.urls`, so every name is ``console:...``."""

from __future__ import annotations

from django.urls import URLPattern, path

from sentinelle.console import (
    audit_export,
    audit_views,
    directory_change_views,
    directory_views,
    donotact_views,
    lists_change_views,
    lists_views,
)

urlpatterns: list[URLPattern] = [
    path("lists/", lists_views.lists_view, name="lists"),
    path("lists/create/", lists_change_views.create_view, name="list-create"),
    path("lists/import/", lists_change_views.import_view, name="list-import"),
    path("lists/<str:name>/", lists_views.list_view, name="list"),
    path("lists/<str:name>/verify/", lists_views.verify_confirm_view, name="list-verify"),
    path("lists/<str:name>/flag/<str:flag>/", lists_change_views.flag_view, name="list-flag"),
    path("lists/<str:name>/category/", lists_change_views.category_view, name="list-category"),
    path("lists/<str:name>/hashes/add/", lists_change_views.hash_add_view, name="list-hash-add"),
    path("lists/<str:name>/hashes/remove/", lists_change_views.hash_remove_view, name="list-hash-remove"),
    path("do-not-act/", donotact_views.donotact_view, name="donotact"),
    path("do-not-act/add/", donotact_views.add_view, name="donotact-add"),
    path("do-not-act/<int:entry>/remove/", donotact_views.remove_view, name="donotact-remove"),
    path("providers/", directory_views.providers_view, name="providers"),
    path("providers/create/", directory_change_views.create_view, name="provider-create"),
    path("providers/flags/", directory_views.flags_view, name="flags"),
    path("providers/flags/<int:flag>/resolve/", directory_change_views.resolve_flag_view, name="flag-resolve"),
    path("providers/<slug:slug>/", directory_views.provider_view, name="provider"),
    path("providers/<slug:slug>/<str:change>/", directory_change_views.change_view, name="provider-change"),
    path("audit/", audit_views.audit_view, name="audit"),
    path("audit/verify/", audit_views.verify_view, name="audit-verify"),
    path("audit/export.<str:kind>", audit_export.export_view, name="audit-export"),
    path("audit/<int:seq>/", audit_views.event_view, name="audit-event"),
]
