"""The referral pages: the list, the form that makes one (for a report or notice items), the
printable page and the JSON download of a package. All need ``referral:create``; a package
holding the reporter's contact details also needs ``report:triage``.
"""

from __future__ import annotations

import json
from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from sentinelle.accounts.access import requires, user_permissions
from sentinelle.accounts.pages import staff_page
from sentinelle.accounts.permissions import Permission
from sentinelle.audit.services import Actor
from sentinelle.referrals import services
from sentinelle.referrals.exceptions import PackageAltered, ReferralError
from sentinelle.referrals.models import Referral
from sentinelle.referrals.package import contact_state

PER_PAGE: Final = 25
REFUSED: Final = {
    "nothing": _("Name a report or at least one notice item to refer."),
    "agency": _("Name the agency the package goes to (at most 200 characters; the note at most 4,000)."),
}
ALTERED: Final = _("This package is not the one produced: its SHA-256 differs from the one recorded. Tell the "
                   "administrator; the audit log holds the SHA-256 of the package as produced.")


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return staff_page(request, f"referrals/{template}", context, status)


@requires(Permission.REFERRAL_CREATE)
@require_http_methods(["GET", "HEAD"])
def list_view(request: HttpRequest) -> HttpResponse:
    listed = Paginator(services.referrals(), PER_PAGE).get_page(request.GET.get("page"))
    return _page(request, "list.html", {"referrals": listed})


@requires(Permission.REFERRAL_CREATE)
@require_http_methods(["GET", "HEAD", "POST"])
def new_view(request: HttpRequest) -> HttpResponse:
    given = request.POST if request.method == "POST" else request.GET
    can_triage = Permission.REPORT_TRIAGE in user_permissions(request.user)
    try:
        report, items = services.subject(given.get("report", ""), given.getlist("item"))
    except ReferralError as exc:
        return _page(request, "new.html", {"error": REFUSED.get(exc.code, REFUSED["nothing"])}, 400)
    context: dict[str, Any] = {"report": report, "items": items, "can_triage": can_triage,
                               "contact": contact_state(report, False) if report else "",
                               "agency": given.get("agency", ""), "note": given.get("note", "")}
    if request.method != "POST":
        return _page(request, "new.html", context)
    try:
        made = services.create_referral(
            report, items, agency=given.get("agency", ""), note=given.get("note", ""),
            include_contact=can_triage and given.get("include_contact") == "yes",
            actor=Actor.user(request.user.get_username()))
    except ReferralError as exc:
        return _page(request, "new.html", {**context, "error": REFUSED.get(exc.code, REFUSED["agency"])}, 400)
    return HttpResponseRedirect(f"{reverse('referrals:referral', args=[made.reference])}?made=1")


def _referral(request: HttpRequest, reference: str) -> Referral:
    found = Referral.objects.filter(reference=reference).first()
    if found is None:
        raise Http404("no such referral")
    if found.contact_included and Permission.REPORT_TRIAGE not in user_permissions(request.user):
        raise PermissionDenied("the package holds the reporter's contact details")
    return found


def _altered(request: HttpRequest) -> HttpResponse:
    listed = Paginator(services.referrals(), PER_PAGE).get_page(1)
    return _page(request, "list.html", {"referrals": listed, "error": ALTERED}, 409)


def _opened(request: HttpRequest, reference: str, form: str) -> Referral | HttpResponse:
    """The referral, its package checked against the SHA-256 recorded and the view audited; or
    the refusal page when the package was altered."""
    referral = _referral(request, reference)
    try:
        services.verify(referral)
    except PackageAltered:
        return _altered(request)
    services.downloaded(referral, actor=Actor.user(request.user.get_username()), form=form)
    return referral


@requires(Permission.REFERRAL_CREATE)
@require_http_methods(["GET", "HEAD"])
def referral_view(request: HttpRequest, reference: str) -> HttpResponse:
    referral = _opened(request, reference, "html")
    if isinstance(referral, HttpResponse):
        return referral
    return _page(request, "package.html", {"referral": referral, "package": json.loads(referral.package),
                                           "made": request.GET.get("made") == "1"})


@requires(Permission.REFERRAL_CREATE)
@require_http_methods(["GET", "HEAD"])
def package_view(request: HttpRequest, reference: str) -> HttpResponse:
    referral = _opened(request, reference, "json")
    if isinstance(referral, HttpResponse):
        return referral
    response = HttpResponse(referral.package.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{referral.reference}.json"'
    response["X-Sentinelle-Package-SHA256"] = referral.package_sha256
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
