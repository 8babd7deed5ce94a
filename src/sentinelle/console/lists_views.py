"""The hash-list pages: every stored list with its counts and flags, and one list's page.

Viewing needs ``report:view`` (analysts see what is matched against); the forms on these pages
need ``list:edit`` and post to :mod:`sentinelle.console.lists_change_views`. A list's page shows
its settings, its change log newest first (paged by change id: ``?before=``), and finds a hash.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from sentinelle.accounts.access import requires, user_permissions
from sentinelle.accounts.permissions import Permission
from sentinelle.banks.models import KnownHash, ListChange, StoredList
from sentinelle.banks.services import summary
from sentinelle.console.lists_forms import FORMATS, MAX_UPLOAD_BYTES, SIGNALS
from sentinelle.console.manage_labels import done
from sentinelle.console.pages import page

CHANGES_PER_PAGE = 50


def stored_list(name: str) -> StoredList:
    stored = StoredList.objects.filter(name=name).first()
    if stored is None:
        raise Http404("no such list")
    return stored


def _editing(request: HttpRequest) -> dict[str, Any]:
    return {"can_edit": Permission.LIST_EDIT in user_permissions(request.user), "signals": SIGNALS,
            "formats": FORMATS, "max_upload_mb": MAX_UPLOAD_BYTES // (1024 * 1024), "done": done(request)}


def _address(name: str) -> str:
    """The list's page, or "" for a name made elsewhere that no console address can hold."""
    try:
        return reverse("console:list", args=[name])
    except NoReverseMatch:
        return ""


def render_lists(request: HttpRequest, problems: list[str] | None = None, status: int = 200) -> HttpResponse:
    rows = [{**summary(stored), "url": _address(stored.name)} for stored in StoredList.objects.order_by("name")]
    return page(request, "lists.html", {**_editing(request), "rows": rows, "problems": problems or []}, status)


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 19 else None


def render_list(request: HttpRequest, stored: StoredList, problems: list[str] | None = None,
                status: int = 200) -> HttpResponse:
    before = _number(request.GET.get("before"))
    changes_query = ListChange.objects.filter(list=stored).order_by("-id")
    if before is not None:
        changes_query = changes_query.filter(id__lt=before)
    changes = list(changes_query[: CHANGES_PER_PAGE + 1])
    older = changes[CHANGES_PER_PAGE - 1].id if len(changes) > CHANGES_PER_PAGE else None
    query = request.GET.get("q", "").strip().lower()[:200]
    found = list(KnownHash.objects.filter(list=stored, hash=query).order_by("signal_type")) if query else []
    context = {**_editing(request), "list": stored, "facts": summary(stored), "changes": changes[:CHANGES_PER_PAGE],
               "older": older, "paged": before is not None, "query": query, "found": found,
               "problems": problems or []}
    return page(request, "list.html", context, status)


@requires(Permission.REPORT_VIEW)
@require_http_methods(["GET", "HEAD"])
def lists_view(request: HttpRequest) -> HttpResponse:
    return render_lists(request)


@requires(Permission.REPORT_VIEW)
@require_http_methods(["GET", "HEAD"])
def list_view(request: HttpRequest, name: str) -> HttpResponse:
    return render_list(request, stored_list(name))


@requires(Permission.LIST_EDIT)
@require_http_methods(["GET", "HEAD"])
def verify_confirm_view(request: HttpRequest, name: str) -> HttpResponse:
    """The confirm step before verifying: verified lists' matches send notices on their own."""
    stored = stored_list(name)
    return page(request, "list_verify.html", {"list": stored, "facts": summary(stored)})
