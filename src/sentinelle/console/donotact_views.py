"""The do-not-act page (``list:edit``): the hashes, URLs and hosts sentinelle never acts on,
and the forms that add and remove them through the audited services
(``donotact:add``, ``donotact:remove``). The list always wins over any match."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from sentinelle.accounts.access import requires
from sentinelle.accounts.permissions import Permission
from sentinelle.console.donotact_forms import KINDS, AddForm, RemoveForm
from sentinelle.console.manage_labels import actor, done, problems
from sentinelle.console.pages import page
from sentinelle.donotact.exceptions import DoNotActError, UnknownDoNotAct
from sentinelle.donotact.models import DoNotAct
from sentinelle.donotact.services import add, remove
from sentinelle.hashing.signals import SIGNAL_TYPES

PER_PAGE = 50


def _render(request: HttpRequest, errors: list[str] | None = None, status: int = 200) -> HttpResponse:
    entries = Paginator(DoNotAct.objects.order_by("-created", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    context = {"entries": entries, "kinds": KINDS, "signals": list(SIGNAL_TYPES), "done": done(request),
               "problems": errors or [], "posted": request.POST if errors else {}}
    return page(request, "donotact.html", context, status)


def _back(what: str) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse('console:donotact')}?done={what}")


@requires(Permission.LIST_EDIT)
@require_http_methods(["GET", "HEAD"])
def donotact_view(request: HttpRequest) -> HttpResponse:
    return _render(request)


@requires(Permission.LIST_EDIT)
@require_POST
def add_view(request: HttpRequest) -> HttpResponse:
    form = AddForm(request.POST)
    if not form.is_valid():
        return _render(request, problems(form), 400)
    data = form.cleaned_data
    try:
        add(data["kind"], data["value"], reason=data["reason"], actor=actor(request),
            hash_type=data["signal_type"] if data["kind"] == DoNotAct.Kind.HASH else "")
    except DoNotActError as error:
        return _render(request, [str(error)], 400)
    return _back("donotact-added")


@requires(Permission.LIST_EDIT)
@require_POST
def remove_view(request: HttpRequest, entry: int) -> HttpResponse:
    form = RemoveForm(request.POST)
    if not form.is_valid():
        return _render(request, problems(form), 400)
    try:
        remove(entry, actor=actor(request), reason=form.cleaned_data["reason"])
    except UnknownDoNotAct:
        raise Http404("no such entry") from None
    return _back("donotact-removed")
