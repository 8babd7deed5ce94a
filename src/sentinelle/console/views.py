"""The analysts' console: the queue of open reports, a report's page, and its outcome form.

Every page needs a user who gave both factors and ``report:view``; setting an outcome (and
seeing the reporter's contact details) needs ``report:triage``. The outcome is a POST with the
CSRF token that goes through the audited service and redirects back (POST/Redirect/GET).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from sentinelle.accounts.access import requires, user_permissions
from sentinelle.accounts.permissions import Permission
from sentinelle.audit.services import Actor
from sentinelle.console import labels
from sentinelle.console.dossier import report_dossier
from sentinelle.console.exceptions import UnknownOutcome
from sentinelle.console.models import ReportOutcome
from sentinelle.console.pages import page
from sentinelle.console.services import open_reports, set_outcome
from sentinelle.tipline.messages import CATEGORY
from sentinelle.tipline.models import Report

PER_PAGE = 25


@requires(Permission.REPORT_VIEW)
@require_http_methods(["GET", "HEAD"])
def queue_view(request: HttpRequest) -> HttpResponse:
    reports = Paginator(open_reports(), PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"report": report, "category": CATEGORY.get(report.category, report.category)} for report in reports]
    return page(request, "queue.html", {"reports": reports, "rows": rows})


def _report(reference: str) -> Report:
    report = Report.objects.filter(reference=reference).first()
    if report is None:
        raise Http404("no such report")
    return report


def _render(request: HttpRequest, report: Report, error: str = "", status: int = 200) -> HttpResponse:
    can_triage = Permission.REPORT_TRIAGE in user_permissions(request.user)
    decided = ReportOutcome.objects.filter(report=report).first()
    context = {
        "report": report, "category": CATEGORY.get(report.category, report.category),
        "additions": list(report.additions.order_by("id")), "urls": report_dossier(report),
        "can_triage": can_triage, "outcome": decided,
        "can_refer": Permission.REFERRAL_CREATE in user_permissions(request.user),
        "outcome_label": labels.OUTCOME.get(decided.outcome, "") if decided else "",
        "outcomes": list(labels.OUTCOME.items()), "error": error,
        "done": labels.DONE if request.method == "GET" and request.GET.get("done") == "outcome" else "",
    }
    return page(request, "report.html", context, status)


@requires(Permission.REPORT_VIEW)
@require_http_methods(["GET", "HEAD"])
def report_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _render(request, _report(reference))


@requires(Permission.REPORT_TRIAGE)
@require_POST
def outcome_view(request: HttpRequest, reference: str) -> HttpResponse:
    report = _report(reference)
    try:
        set_outcome(reference, request.POST.get("outcome", ""), actor=Actor.user(request.user.username))
    except UnknownOutcome:
        return _render(request, report, str(labels.REFUSED), 400)
    return HttpResponseRedirect(f"{reverse('console:report', args=[reference])}?done=outcome")
