"""The console's notices pages: the list (filters, pages), one notice (items, timeline,
delivery attempts, responses), what waits for an analyst, and the answer to a dispute.

Reading needs ``notice:view``; answering a dispute or a question needs ``notice:send``
(supervisors), through a POST with the CSRF token, then a redirect (POST/Redirect/GET).
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from sentinelle.accounts.access import requires, user_permissions
from sentinelle.accounts.permissions import Permission
from sentinelle.audit.services import Actor
from sentinelle.console.exceptions import ConsoleError
from sentinelle.console.notice_disputes import DECISIONS, MAX_NOTE, answer
from sentinelle.console.notice_queries import (
    KINDS,
    STATUSES,
    NoticeFilter,
    notice_file,
    notices,
    waiting,
)
from sentinelle.console.pages import page
from sentinelle.notices.models import Notice
from sentinelle.responses.models import NoticeResponse, ResponseKind

PER_PAGE: Final = 25
REFUSED: Final = {
    "note-missing": _("Write a note saying why (at most 2,000 characters)."),
    "unknown-decision": _("Choose one of the answers offered."),
    "already-answered": _("This response was answered already: nothing was changed."),
}
DONE: Final = _("The answer was recorded: the response left the queue.")
DECISION_LABELS: Final = {
    "uphold": _("Uphold the notice: the item stays open and the reminders resume"),
    "accept": _("Accept the dispute: retract the item and tell the recipient"),
    "answered": _("Answered: I replied to the recipient"),
}


@requires(Permission.NOTICE_VIEW)
@require_http_methods(["GET", "HEAD"])
def notices_view(request: HttpRequest) -> HttpResponse:
    chosen = NoticeFilter.from_query(request.GET)
    listed = Paginator(notices(chosen), PER_PAGE).get_page(request.GET.get("page"))
    kept = {name: value for name, value in vars(chosen).items() if value}
    return page(request, "notices.html", {
        "notices": listed, "chosen": chosen, "statuses": STATUSES, "kinds": KINDS,
        "query": urlencode(kept), "waiting": waiting(limit=0),
    })


@requires(Permission.NOTICE_VIEW)
@require_http_methods(["GET", "HEAD"])
def waiting_view(request: HttpRequest) -> HttpResponse:
    return page(request, "notices_waiting.html", {"waiting": waiting(), "flags_url": _address("console:flags")})


def _address(name: str) -> str:
    """The address of another console page, or "" where that page is not mounted."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _notice(reference: str) -> Notice:
    found = Notice.objects.filter(reference=reference).first()
    if found is None:
        raise Http404("no such notice")
    return found


def _render(request: HttpRequest, notice: Notice, error: object = "", status: int = 200) -> HttpResponse:
    granted = user_permissions(request.user)
    record = notice_file(notice)
    answers = []
    for response in record.responses:
        decisions = DECISIONS.get(ResponseKind(response.kind), {}) if response.kind in ResponseKind.values else {}
        answers.append({"response": response, "waiting": response.needs_analyst and response.handled_at is None,
                        "decisions": [(name, DECISION_LABELS[name]) for name in decisions],
                        "analyst": response.effects.get("analyst") if isinstance(response.effects, dict) else None})
    items = [{"item": item, "country": record.countries.get(item.url_key, "")} for item in record.items]
    return page(request, "notice.html", {
        "record": record, "notice": notice, "items": items, "answers": answers,
        "can_answer": Permission.NOTICE_SEND in granted, "can_refer": Permission.REFERRAL_CREATE in granted,
        "error": error, "max_note": MAX_NOTE,
        "done": DONE if request.method == "GET" and request.GET.get("done") == "answer" else "",
    }, status)


@requires(Permission.NOTICE_VIEW)
@require_http_methods(["GET", "HEAD"])
def notice_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _render(request, _notice(reference))


@requires(Permission.NOTICE_SEND)
@require_POST
def answer_view(request: HttpRequest, reference: str, response_id: int) -> HttpResponse:
    notice = _notice(reference)
    if not NoticeResponse.objects.filter(pk=response_id, notice=notice).exists():
        raise Http404("no such response")
    try:
        answer(response_id, request.POST.get("decision", ""), request.POST.get("note", ""),
               actor=Actor.user(request.user.get_username()))
    except ConsoleError as exc:
        return _render(request, notice, REFUSED.get(exc.code, REFUSED["unknown-decision"]), 400)
    return HttpResponseRedirect(f"{reverse('console:notice', args=[reference])}?done=answer#responses")
