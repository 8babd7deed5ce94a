"""The server's own pages: health, and the error pages (in English and French: a bad link or a
refused form has no recipient whose language we know)."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token


def error_page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    """A page that says what went wrong in both languages. ``title`` and ``text`` are msgids
    (marked with gettext_noop by the caller): each is translated inside its own language."""
    versions = []
    for language in ("en", "fr"):
        with translation.override(language):
            versions.append({"language": language, "title": _(title), "text": _(text)})
    response = render(request, "web/error.html", {"versions": versions}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """200 ``ok`` while the database answers, for load balancers and monitoring."""
    try:
        connection.ensure_connection()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(
        request, 403, gettext_noop("The form could not be accepted"),
        gettext_noop(
            "This page was open too long, or your browser did not send back the cookie the form "
            "needs. Go back, reload the page, and send your answer again."
        ),
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400, gettext_noop("Bad request"), gettext_noop("The request could not be understood."))


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403, gettext_noop("Forbidden"), gettext_noop("This page cannot be shown."))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404, gettext_noop("Page not found"), gettext_noop("There is no page at this address."))


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(
        request, 500, gettext_noop("Something went wrong"),
        gettext_noop("The server could not answer. If you saw no confirmation, please try again later."),
    )
