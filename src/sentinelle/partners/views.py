"""The console's partners page (``partner:manage``, administrators): partners, their tokens,
issuing one (shown once, on the answer to the POST, never stored in plain) and revoking.

Creating and revoking redirect back (POST/Redirect/GET). Issuing answers the POST with the
page itself, because the new token exists only in that answer: it is never put in a URL, a
session or a log. Every change goes through the audited services.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sentinelle.accounts.access import requires
from sentinelle.accounts.permissions import Permission
from sentinelle.attribution.models import Provider
from sentinelle.audit.services import Actor
from sentinelle.banks.models import StoredList
from sentinelle.partners.exceptions import InvalidScope, PartnerExists
from sentinelle.partners.models import Partner, PartnerToken
from sentinelle.partners.pages import page
from sentinelle.partners.scopes import Scope
from sentinelle.partners.services import (
    create_partner,
    issue_token,
    list_partners,
    revoke,
    token_state,
)

EXPIRY_CHOICES = (30, 90, 365)


def _actor(request: HttpRequest) -> Actor:
    return Actor.user(request.user.get_username())


def _render(request: HttpRequest, *, issued: dict[str, Any] | None = None, problems: list[str] | None = None,
            posted: Any = None, status: int = 200) -> HttpResponse:
    partners = list_partners()
    rows = [{"partner": p, "tokens": [(t, token_state(t)) for t in p.tokens.all()],
             "lists": sorted(s.name for s in p.lists.all())} for p in partners]
    done = {"created": _("The partner was created."), "revoked": _("The token was revoked.")}
    context = {
        "rows": rows, "scopes": [s.value for s in Scope], "expiry_choices": EXPIRY_CHOICES,
        "providers": Provider.objects.order_by("slug").only("id", "slug", "name"),
        "lists": StoredList.objects.order_by("name").only("name"), "issued": issued,
        "problems": problems or [], "posted": posted or {},
        "done": done.get(request.GET.get("done", "")) if request.method == "GET" else "",
    }
    return page(request, "list.html", context, status)


@requires(Permission.PARTNER_MANAGE)
@require_http_methods(["GET", "HEAD"])
def list_view(request: HttpRequest) -> HttpResponse:
    return _render(request)


@requires(Permission.PARTNER_MANAGE)
@require_POST
def create_view(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "").strip()
    contact = request.POST.get("contact", "").strip()[:300]
    provider = request.POST.get("provider", "")
    lists = [n for n in request.POST.getlist("lists") if StoredList.objects.filter(name=n).exists()]
    problems = []
    if not name or len(name) > 100:
        problems.append(_("A partner needs a name of 1 to 100 characters."))
    provider_id = int(provider) if provider.isdigit() else None
    if provider and (provider_id is None or not Provider.objects.filter(id=provider_id).exists()):
        problems.append(_("That provider does not exist."))
    if not problems:
        try:
            create_partner(name, actor=_actor(request), contact=contact, provider_id=provider_id, lists=lists)
        except PartnerExists:
            problems.append(_("A partner of that name already exists."))
    if problems:
        return _render(request, problems=problems, posted=request.POST, status=400)
    return HttpResponseRedirect(reverse("partners:list") + "?done=created")


@requires(Permission.PARTNER_MANAGE)
@require_POST
def issue_view(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = Partner.objects.filter(id=partner_id).first()
    if partner is None:
        raise Http404("no such partner")
    days = request.POST.get("expires_days", "")
    if not days.isdigit() or int(days) not in EXPIRY_CHOICES:
        return _render(request, problems=[_("Choose how long the token lasts.")], status=400)
    try:
        issued = issue_token(partner, request.POST.getlist("scopes"), actor=_actor(request), expires_days=int(days))
    except InvalidScope:
        return _render(request, problems=[_("Choose at least one scope.")], status=400)
    return _render(request, issued={"partner": partner.name, "token": issued.token, "prefix": issued.record.prefix})


@requires(Permission.PARTNER_MANAGE)
@require_POST
def revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = PartnerToken.objects.filter(id=token_id).first()
    if token is None:
        raise Http404("no such token")
    revoke(token, actor=_actor(request))
    return HttpResponseRedirect(reverse("partners:list") + "?done=revoked")
