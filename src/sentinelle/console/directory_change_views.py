"""The provider-directory forms (``directory:edit``): each a POST with the CSRF token that calls
one audited service of :mod:`sentinelle.attribution.providers` (or ``resolve_flag``) and
redirects back with a confirmation; bad input re-renders the page with the problem (400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from sentinelle.accounts.access import requires
from sentinelle.accounts.permissions import Permission
from sentinelle.attribution import providers as directory
from sentinelle.attribution.exceptions import AttributionError, UnknownProvider
from sentinelle.attribution.services import resolve_flag
from sentinelle.audit.services import Actor
from sentinelle.console import directory_forms as f
from sentinelle.console.directory_views import render_flags, render_provider, render_providers
from sentinelle.console.manage_labels import actor, problems

Change = Callable[[str, dict[str, Any], Actor], object]

#: change name -> (its form, the service call, what the confirmation says)
CHANGES: dict[str, tuple[type[forms.Form], Change, str]] = {
    "update": (f.ProviderForm, lambda slug, d, who: directory.update_provider(slug, actor=who, **d),
               "provider-updated"),
    "network-add": (f.NetworkForm, lambda slug, d, who: directory.add_network(
        slug, actor=who, cidr=d["cidr"].strip(), asn=d["asn"]), "network-added"),
    "network-remove": (f.RemoveNetworkForm, lambda slug, d, who: directory.remove_network(
        slug, d["network"], actor=who), "network-removed"),
    "contact-set": (f.ContactForm, lambda slug, d, who: directory.set_contact(slug, d.pop("address"), actor=who, **d),
                    "contact-set"),
    "contact-remove": (f.RemoveContactForm, lambda slug, d, who: directory.remove_contact(
        slug, d["address"], actor=who), "contact-removed"),
    "override-add": (f.OverrideForm, lambda slug, d, who: directory.add_override(
        d["kind"], d["value"], slug, reason=d["reason"], actor=who), "override-added"),
    "note": (f.NoteForm, lambda slug, d, who: directory.add_note(slug, d["text"], actor=who), "note-added"),
    "override-remove": (f.RemoveOverrideForm, lambda slug, d, who: directory.remove_override(
        d["kind"], d["value"], actor=who, reason=d["reason"]), "override-removed"),
}


def _back(slug: str, what: str) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse('console:provider', args=[slug])}?done={what}")


@requires(Permission.DIRECTORY_EDIT)
@require_POST
def create_view(request: HttpRequest) -> HttpResponse:
    form = f.NewProviderForm(request.POST)
    if not form.is_valid():
        return render_providers(request, problems(form), 400)
    data = dict(form.cleaned_data)
    slug = data.pop("slug").strip()
    try:
        directory.create_provider(slug, data.pop("name"), actor=actor(request), **data)
    except AttributionError as error:
        return render_providers(request, [str(error)], 400)
    return _back(slug, "provider-created")


@requires(Permission.DIRECTORY_EDIT)
@require_POST
def change_view(request: HttpRequest, slug: str, change: str) -> HttpResponse:
    if change not in CHANGES:
        raise Http404("no such change")
    form_class, call, what = CHANGES[change]
    form = form_class(request.POST)
    if not form.is_valid():
        return render_provider(request, slug, problems(form), 400)
    try:
        call(slug, dict(form.cleaned_data), actor(request))
    except UnknownProvider:
        raise Http404("no such provider") from None
    except AttributionError as error:
        return render_provider(request, slug, [str(error)], 400)
    return _back(slug, what)


@requires(Permission.DIRECTORY_EDIT)
@require_POST
def resolve_flag_view(request: HttpRequest, flag: int) -> HttpResponse:
    form = f.ResolveForm(request.POST)
    if not form.is_valid():
        return render_flags(request, problems(form), 400)
    try:
        resolve_flag(flag, actor=actor(request), resolution=form.cleaned_data["resolution"])
    except AttributionError as error:
        return render_flags(request, [str(error)], 400)
    return HttpResponseRedirect(f"{reverse('console:flags')}?done=flag-resolved")
