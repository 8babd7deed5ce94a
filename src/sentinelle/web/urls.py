"""Every URL the web server answers (the tipline, the console and the API add theirs here)."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path

from sentinelle.api.app import api
from sentinelle.web import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", views.health, name="health"),
    path("", include("sentinelle.responses.urls")),
    path("api/v1/", api.urls),  # the partner API (docs/api.md)
]
urlpatterns += i18n_patterns(path("", include("sentinelle.tipline.urls")))  # /en/, /fr/
urlpatterns += i18n_patterns(path("accounts/", include("sentinelle.accounts.urls")))  # staff logins
urlpatterns += i18n_patterns(path("console/statistics/", include("sentinelle.statistics.urls")))  # figures
urlpatterns += i18n_patterns(path("console/review/", include("sentinelle.classification.urls")))  # review
urlpatterns += i18n_patterns(path("console/referrals/", include("sentinelle.referrals.urls")))  # law enforcement
urlpatterns += i18n_patterns(path("console/partners/", include("sentinelle.partners.urls")))  # API partners
urlpatterns += i18n_patterns(path("console/", include("sentinelle.console.urls")))  # analysts: reports

handler400 = "sentinelle.web.views.bad_request"
handler403 = "sentinelle.web.views.forbidden"
handler404 = "sentinelle.web.views.not_found"
handler500 = "sentinelle.web.views.server_error"
