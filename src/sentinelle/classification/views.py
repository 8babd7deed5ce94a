"""The review queue and an item's page: blurred view, reveal, classification.

Every page needs a user who gave both factors and ``review:classify``; the original needs
``review:reveal`` and a reveal asked for with a POST (CSRF) a moment before. Changes are POSTs
through the audited services, then a redirect (POST/Redirect/GET).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from sentinelle import clock
from sentinelle.accounts.access import requires, user_permissions
from sentinelle.accounts.permissions import Permission
from sentinelle.audit.services import Actor
from sentinelle.classification import exposure, labels, queue, reveal
from sentinelle.classification.blur import blurred
from sentinelle.classification.exceptions import (
    AlreadyClassified,
    AlreadyDecided,
    AwaitingSettlement,
    NotAPicture,
    NotReviewable,
    RevealRefused,
    UnknownCategory,
    VerifiedListNotVerified,
)
from sentinelle.classification.models import Decision, Reveal, Verdict
from sentinelle.classification.pages import minutes, page
from sentinelle.classification.services import classify
from sentinelle.review.exceptions import ReviewError
from sentinelle.review.services import read_review_media
from sentinelle.sightings.models import Media

GET = ["GET", "HEAD"]


def _media(sha256: str) -> Media:
    media = Media.objects.filter(sha256=sha256.lower()).first()
    if media is None:
        raise Http404("no such media")
    return media


def _actor(request: HttpRequest) -> Actor:
    return Actor.user(request.user.username)


@requires(Permission.REVIEW_CLASSIFY)
@require_http_methods(GET)
def queue_view(request: HttpRequest) -> HttpResponse:
    now, name = clock.current().now(), request.user.username
    exposure.end(name, now)
    items = queue.queue_for(name, now)
    rows = [{"item": item, "kind": labels.KIND[item.kind]} for item in items]
    done = labels.CLASSIFIED if request.GET.get("done") == "classified" else ""
    return page(request, "queue.html", {"rows": rows, "today": minutes(exposure.today(name, now)), "done": done})


def render_item(request: HttpRequest, media: Media, error: str = "", status: int = 200) -> HttpResponse:
    now, name = clock.current().now(), request.user.username
    granted = user_permissions(request.user)
    (item,) = queue.describe([media], now)
    decision = Decision.objects.filter(media=media).first()
    verdicts = list(Verdict.objects.filter(media=media).order_by("given_at", "id"))
    if decision is None and not verdicts and not (item.kept or item.waiting):
        raise Http404("this media is not a review item")
    mine = next((v for v in verdicts if v.analyst == name), None)
    if decision is None and (item.kept or item.waiting):
        exposure.start(media, name, now)
    disputed = decision is None and len({v.category for v in verdicts}) > 1
    token = request.GET.get("reveal", "") if request.method == "GET" else ""
    revealed = bool(token) and Reveal.objects.filter(media=media, analyst=name, token=token,
                                                    used_at__isnull=True).exists()
    context: dict[str, Any] = {
        "item": item, "kind": labels.KIND[item.kind], "sightings": queue.seen_at(media),
        "picture": item.kept and media.mime.startswith("image/"),
        "can_classify": decision is None and mine is None and not disputed and (item.kept or item.waiting),
        "can_reveal": Permission.REVIEW_REVEAL in granted and item.kept and decision is None,
        "can_settle": Permission.REVIEW_SETTLE in granted and disputed,
        "verdicts": verdicts if Permission.REVIEW_SETTLE in granted else [], "mine": mine,
        "mine_label": labels.CATEGORY.get(mine.category, "") if mine else "", "disputed": disputed,
        "decision": decision, "decision_label": labels.CATEGORY.get(decision.category, "") if decision else "",
        "categories": list(labels.CATEGORY.items()), "reveal_token": token if revealed else "",
        "labels": labels.CATEGORY, "error": error,
        "done": labels.SETTLED if request.method == "GET" and request.GET.get("done") == "settled" else "",
    }
    return page(request, "item.html", context, status)


@requires(Permission.REVIEW_CLASSIFY)
@require_http_methods(GET)
def item_view(request: HttpRequest, sha256: str) -> HttpResponse:
    return render_item(request, _media(sha256))


def _image(data: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@requires(Permission.REVIEW_CLASSIFY)
@require_http_methods(GET)
def blurred_view(request: HttpRequest, sha256: str) -> HttpResponse:
    media = _media(sha256)
    try:
        data = read_review_media(media, actor=_actor(request), now=clock.current().now())
        return _image(blurred(data), "image/png")
    except (ReviewError, NotAPicture):
        raise Http404("no blurred view of this media") from None


@requires(Permission.REVIEW_CLASSIFY)
@require_POST
def classify_view(request: HttpRequest, sha256: str) -> HttpResponse:
    media = _media(sha256)
    try:
        classify(media, request.POST.get("category", ""), actor=_actor(request))
    except UnknownCategory:
        return render_item(request, media, str(labels.REFUSED_CATEGORY), 400)
    except (AlreadyClassified, AlreadyDecided):
        return render_item(request, media, str(labels.ALREADY), 409)
    except AwaitingSettlement:
        return render_item(request, media, str(labels.AWAITING), 409)
    except NotReviewable:
        return render_item(request, media, str(labels.GONE), 409)
    except VerifiedListNotVerified:
        return render_item(request, media, str(labels.NOT_LISTED), 409)
    return HttpResponseRedirect(f"{reverse('classification:queue')}?done=classified")


@requires(Permission.REVIEW_REVEAL)
@require_POST
def reveal_view(request: HttpRequest, sha256: str) -> HttpResponse:
    media = _media(sha256)
    try:
        granted = reveal.grant(media, actor=_actor(request))
    except NotReviewable:
        return render_item(request, media, str(labels.GONE), 409)
    return HttpResponseRedirect(f"{reverse('classification:item', args=[media.sha256])}?reveal={granted.token}")


@requires(Permission.REVIEW_REVEAL)
@require_http_methods(["GET"])
def original_view(request: HttpRequest, sha256: str, token: str) -> HttpResponse:
    media = _media(sha256)
    try:
        data = reveal.original(media, token, actor=_actor(request))
    except RevealRefused:
        raise PermissionDenied(str(labels.REVEAL_EXPIRED)) from None
    except ReviewError:
        raise Http404("no bytes are kept for this media") from None
    return _image(data, media.mime or "application/octet-stream")
