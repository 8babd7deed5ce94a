"""The hash-list forms (``list:edit``): each a POST with the CSRF token that calls the audited
service (:mod:`sentinelle.banks.services`, :mod:`sentinelle.banks.entries`) and redirects back
to the page with a confirmation; bad input re-renders the page with the problems (400) and
changes nothing.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from sentinelle.accounts.access import requires
from sentinelle.accounts.permissions import Permission
from sentinelle.audit.actions import AuditAction
from sentinelle.banks.entries import add_hash, remove_hash
from sentinelle.banks.exceptions import BanksError
from sentinelle.banks.models import StoredList
from sentinelle.banks.services import create_list, import_list, set_category, set_flag
from sentinelle.console.lists_forms import (
    CategoryForm,
    HashForm,
    ImportForm,
    ListForm,
    RemoveHashForm,
)
from sentinelle.console.lists_views import render_list, render_lists, stored_list
from sentinelle.console.manage_labels import actor, problems
from sentinelle.lists import ListsError

FLAGS = {"enable": (AuditAction.LISTS_ENABLE, "enabled"), "disable": (AuditAction.LISTS_DISABLE, "disabled"),
         "verify": (AuditAction.LISTS_VERIFY, "verified"), "unverify": (AuditAction.LISTS_UNVERIFY, "unverified")}


def _back(name: str, what: str) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse('console:list', args=[name])}?{urlencode({'done': what})}")


@requires(Permission.LIST_EDIT)
@require_POST
def create_view(request: HttpRequest) -> HttpResponse:
    form = ListForm(request.POST)
    if not form.is_valid():
        return render_lists(request, problems(form), 400)
    data = form.cleaned_data
    try:
        create_list(data["name"], actor=actor(request), category=data["category"] or None, source=data["source"])
    except (BanksError, ListsError) as error:
        return render_lists(request, [str(error)], 400)
    return _back(data["name"], "created")


@requires(Permission.LIST_EDIT)
@require_POST
def import_view(request: HttpRequest) -> HttpResponse:
    """A whole file, parsed before anything is stored; new names make a new (unverified) list."""
    form = ImportForm(request.POST, request.FILES)
    incoming = form.hash_list()
    if incoming is None:
        target = StoredList.objects.filter(name=request.POST.get("name", "").strip()).first()
        if target is not None:
            return render_list(request, target, problems(form), 400)
        return render_lists(request, problems(form), 400)
    result = import_list(incoming, actor=actor(request), replace=form.cleaned_data["replace"],
                         details={"via": "console", "file": form.cleaned_data["file"].name})
    return _back(result.list, "imported")


@requires(Permission.LIST_EDIT)
@require_POST
def flag_view(request: HttpRequest, name: str, flag: str) -> HttpResponse:
    stored = stored_list(name)
    if flag not in FLAGS:
        return render_list(request, stored, ["unknown change"], 400)
    if flag == "verify" and request.POST.get("confirm") != "yes":
        return HttpResponseRedirect(reverse("console:list-verify", args=[name]))
    action, what = FLAGS[flag]
    set_flag(stored.name, action, actor=actor(request))
    return _back(stored.name, what)


@requires(Permission.LIST_EDIT)
@require_POST
def category_view(request: HttpRequest, name: str) -> HttpResponse:
    stored = stored_list(name)
    form = CategoryForm(request.POST)
    if not form.is_valid():
        return render_list(request, stored, problems(form), 400)
    try:
        set_category(stored.name, form.cleaned_data["category"] or None, actor=actor(request))
    except ListsError as error:
        return render_list(request, stored, [str(error)], 400)
    return _back(stored.name, "category")


@requires(Permission.LIST_EDIT)
@require_POST
def hash_add_view(request: HttpRequest, name: str) -> HttpResponse:
    stored = stored_list(name)
    form = HashForm(request.POST)
    entry = form.entry()
    if entry is None:
        return render_list(request, stored, problems(form), 400)
    try:
        add_hash(stored.name, entry, actor=actor(request))
    except BanksError as error:
        return render_list(request, stored, [str(error)], 400)
    return _back(stored.name, "hash-added")


@requires(Permission.LIST_EDIT)
@require_POST
def hash_remove_view(request: HttpRequest, name: str) -> HttpResponse:
    stored = stored_list(name)
    form = RemoveHashForm(request.POST)
    if not form.is_valid():
        return render_list(request, stored, problems(form), 400)
    data = form.cleaned_data
    try:
        remove_hash(stored.name, data["signal_type"], data["hash"], actor=actor(request), reason=data["reason"])
    except BanksError as error:
        return render_list(request, stored, [str(error)], 400)
    return _back(stored.name, "hash-removed")
