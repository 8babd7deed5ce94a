"""Supervisors' pages: the items analysts disagreed on (settled here), and review time."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from sentinelle import clock
from sentinelle.accounts.access import requires
from sentinelle.accounts.permissions import Permission
from sentinelle.audit.services import Actor
from sentinelle.classification import exposure, labels, queue
from sentinelle.classification.exceptions import (
    AlreadyDecided,
    NotDisputed,
    UnknownCategory,
    VerifiedListNotVerified,
)
from sentinelle.classification.models import Verdict
from sentinelle.classification.pages import minutes, page
from sentinelle.classification.services import settle
from sentinelle.classification.views import GET, _media, render_item
from sentinelle.sightings.models import Media

DAYS = 14


@requires(Permission.REVIEW_SETTLE)
@require_http_methods(GET)
def disputes_view(request: HttpRequest) -> HttpResponse:
    media = list(Media.objects.filter(pk__in=queue.disputed_ids()).order_by("first_seen", "id"))
    verdicts: dict[int, list[Verdict]] = {}
    for verdict in Verdict.objects.filter(media__in=media).order_by("given_at", "id"):
        verdicts.setdefault(verdict.media_id, []).append(verdict)
    rows = [{"media": one, "verdicts": [(v.analyst, labels.CATEGORY.get(v.category, v.category))
                                        for v in verdicts.get(one.pk, [])]} for one in media]
    return page(request, "disputes.html", {"rows": rows})


@requires(Permission.REVIEW_SETTLE)
@require_POST
def settle_view(request: HttpRequest, sha256: str) -> HttpResponse:
    media = _media(sha256)
    try:
        settle(media, request.POST.get("category", ""), actor=Actor.user(request.user.username))
    except UnknownCategory:
        return render_item(request, media, str(labels.REFUSED_CATEGORY), 400)
    except (NotDisputed, AlreadyDecided):
        return render_item(request, media, str(labels.NOT_DISPUTED), 409)
    except VerifiedListNotVerified:
        return render_item(request, media, str(labels.NOT_LISTED), 409)
    return HttpResponseRedirect(f"{reverse('classification:item', args=[media.sha256])}?done=settled")


@requires(Permission.REVIEW_SETTLE)
@require_http_methods(GET)
def time_view(request: HttpRequest) -> HttpResponse:
    now = clock.current().now()
    totals = exposure.daily(now, DAYS)
    rows = [{"analyst": analyst, "day": day, "time": minutes(values["seconds"]), "seconds": values["seconds"],
             "items": values["items"], "revealed": values["revealed"]}
            for (analyst, day), values in sorted(totals.items(), key=lambda kv: (kv[0][1], kv[0][0]), reverse=True)]
    return page(request, "time.html", {"rows": rows, "days": DAYS})
