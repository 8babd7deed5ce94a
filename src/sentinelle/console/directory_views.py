"""The provider-directory pages (``report:view``): providers with a search, a provider's page
(networks, contacts, countries, overrides), and the open attribution flags. The forms on them
need ``directory:edit`` and post to :mod:`sentinelle.console.directory_change_views`."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from sentinelle.accounts.access import requires, user_permissions
from sentinelle.accounts.permissions import Permission
from sentinelle.attribution.models import (
    AttributionFlag,
    Channel,
    Contact,
    Override,
    Provider,
    ProviderKind,
)
from sentinelle.attribution.providers import summary
from sentinelle.console.directory_forms import LANGUAGES
from sentinelle.console.manage_labels import done
from sentinelle.console.pages import page

PER_PAGE = 50


def _editing(request: HttpRequest, errors: list[str] | None) -> dict[str, Any]:
    return {"can_edit": Permission.DIRECTORY_EDIT in user_permissions(request.user), "done": done(request),
            "problems": errors or [], "kinds": ProviderKind.choices, "channels": Channel.choices,
            "roles": Contact.Role.choices, "languages": LANGUAGES, "override_kinds": Override.Kind.choices,
            "posted": request.POST if errors else {}}


def render_providers(request: HttpRequest, errors: list[str] | None = None, status: int = 200) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    providers = Provider.objects.annotate(network_count=Count("networks", distinct=True),
                                          contact_count=Count("contacts", distinct=True))
    if query:
        providers = providers.filter(Q(slug__icontains=query) | Q(name__icontains=query)
                                     | Q(networks__cidr__startswith=query)).distinct()
    rows = Paginator(providers.order_by("slug"), PER_PAGE).get_page(request.GET.get("page"))
    return page(request, "providers.html", {**_editing(request, errors), "rows": rows, "query": query}, status)


def render_provider(request: HttpRequest, slug: str, errors: list[str] | None = None,
                    status: int = 200) -> HttpResponse:
    provider = Provider.objects.filter(slug=slug).first()
    if provider is None:
        raise Http404("no such provider")
    context = {**_editing(request, errors), "provider": provider, "facts": summary(provider),
               "contacts": list(provider.contacts.all()), "overrides": list(provider.overrides.order_by("kind", "value"))}
    return page(request, "provider.html", context, status)


def render_flags(request: HttpRequest, errors: list[str] | None = None, status: int = 200) -> HttpResponse:
    flags = Paginator(AttributionFlag.objects.filter(open=True).order_by("created", "id"), PER_PAGE)
    context = {**_editing(request, errors), "flags": flags.get_page(request.GET.get("page"))}
    return page(request, "flags.html", context, status)


@requires(Permission.REPORT_VIEW)
@require_http_methods(["GET", "HEAD"])
def providers_view(request: HttpRequest) -> HttpResponse:
    return render_providers(request)


@requires(Permission.REPORT_VIEW)
@require_http_methods(["GET", "HEAD"])
def provider_view(request: HttpRequest, slug: str) -> HttpResponse:
    return render_provider(request, slug)


@requires(Permission.REPORT_VIEW)
@require_http_methods(["GET", "HEAD"])
def flags_view(request: HttpRequest) -> HttpResponse:
    return render_flags(request)
