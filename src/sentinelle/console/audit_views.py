"""The audit log in the console (``audit:view``): every event newest first, filtered and paged
by sequence number (``?before=``), one event's page with its before/after/details as escaped
JSON, and "verify the chain" (a POST) that runs :func:`sentinelle.audit.verify.verify`, the same
check as ``sentinelle audit verify``, and shows its result and the anchor's state."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods, require_POST

from sentinelle.accounts.access import requires
from sentinelle.accounts.permissions import Permission
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.anchor import anchor_path, read_anchors
from sentinelle.audit.exceptions import AnchorError
from sentinelle.audit.models import AuditEvent, AuditHead
from sentinelle.audit.verify import verify
from sentinelle.console.audit_forms import AuditFilterForm
from sentinelle.console.manage_labels import problems
from sentinelle.console.pages import page

PER_PAGE = 50


def _anchor_state() -> dict[str, Any]:
    head = AuditHead.objects.filter(id=1).first()
    state: dict[str, Any] = {"path": str(anchor_path()), "head": head.seq if head else 0, "count": 0,
                             "last": None, "problem": ""}
    try:
        for anchor in read_anchors():
            state["count"] += 1
            state["last"] = anchor
    except AnchorError as error:
        state["problem"] = str(error)
    return state


def _render(request: HttpRequest, verification: dict[str, Any] | None = None) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    events = form.events()
    before = request.GET.get("before", "")
    if before.isdigit() and len(before) < 19:
        events = events.filter(seq__lt=int(before))
    shown = list(events[: PER_PAGE + 1])
    filters = {k: v for k, v in request.GET.items() if k != "before" and v}
    older = shown[PER_PAGE - 1].seq if len(shown) > PER_PAGE else None
    context = {"form": form, "events": shown[:PER_PAGE], "actions": [a.value for a in AuditAction],
               "older": urlencode({**filters, "before": older}) if older else "",
               "newest": urlencode(filters) if before else "", "filters": urlencode(filters), "anchor": _anchor_state(),
               "verification": verification, "problems": [] if form.is_valid() else problems(form)}
    return page(request, "audit.html", context)


@requires(Permission.AUDIT_VIEW)
@require_http_methods(["GET", "HEAD"])
def audit_view(request: HttpRequest) -> HttpResponse:
    return _render(request)


@requires(Permission.AUDIT_VIEW)
@require_POST
def verify_view(request: HttpRequest) -> HttpResponse:
    """Recompute the whole chain now; nothing is changed, so the answer is the page itself."""
    try:
        result = verify().as_dict()
    except AnchorError as error:
        result = {"ok": False, "events": 0, "last_seq": 0, "anchors_checked": 0, "problems": [str(error)]}
    return _render(request, result)


def _pretty(value: object) -> str:
    return "" if value is None else json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


@requires(Permission.AUDIT_VIEW)
@require_http_methods(["GET", "HEAD"])
def event_view(request: HttpRequest, seq: int) -> HttpResponse:
    event = AuditEvent.objects.filter(seq=seq).first()
    if event is None:
        raise Http404("no such event")
    context = {"event": event, "before": _pretty(event.before), "after": _pretty(event.after),
               "details": _pretty(event.details)}
    return page(request, "audit_event.html", context)
