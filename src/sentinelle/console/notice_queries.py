"""What the console's notices pages read: the filtered list, one notice with everything that
happened to it, and what waits for an analyst.

Read-only: every change goes through :mod:`.notice_disputes` or the notices' own services.
Only hashes, addresses as text and metadata: never a picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from django.db.models import Exists, OuterRef, Q, QuerySet

from sentinelle.attribution.models import Attribution, AttributionFlag
from sentinelle.notices.models import (
    LIVE,
    DeliveryAttempt,
    FollowUp,
    ItemStatus,
    Kind,
    Notice,
    NoticeEvent,
    NoticeItem,
    Status,
)
from sentinelle.responses.models import NoticeResponse
from sentinelle.responses.services import awaiting_analyst, responses_of

STATUSES: Final = tuple(Status.values)
KINDS: Final = tuple(Kind.values)


@dataclass(frozen=True)
class NoticeFilter:
    """The list's filters, as given in the query string (unknown values are ignored)."""

    status: str = ""
    kind: str = ""
    recipient: str = ""  #: a part of the recipient's name, key or provider slug
    country: str = ""  #: ISO 3166-1 alpha-2: notices with an item hosted there

    @classmethod
    def from_query(cls, query: Any) -> NoticeFilter:
        status, kind = query.get("status", ""), query.get("kind", "")
        country = query.get("country", "").strip().upper()
        return cls(
            status=status if status in STATUSES else "", kind=kind if kind in KINDS else "",
            recipient=query.get("recipient", "").strip()[:200],
            country=country if len(country) == 2 and country.isalpha() else "",
        )


def notices(chosen: NoticeFilter) -> QuerySet[Notice]:
    """Notices with a reference, newest first, narrowed by ``chosen``."""
    found = Notice.objects.filter(reference__isnull=False)
    if chosen.status:
        found = found.filter(status=chosen.status)
    if chosen.kind:
        found = found.filter(kind=chosen.kind)
    if chosen.recipient:
        found = found.filter(Q(recipient_name__icontains=chosen.recipient)
                             | Q(recipient_key__icontains=chosen.recipient)
                             | Q(recipient_provider__iexact=chosen.recipient))
    if chosen.country:
        hosted = Attribution.objects.filter(country__iexact=chosen.country, url_key=OuterRef("url_key"))
        items = NoticeItem.objects.filter(Q(notice=OuterRef("pk")) | Q(follow_ups__notice=OuterRef("pk"))
                                         | Q(retraction=OuterRef("pk")))
        found = found.filter(Exists(items.filter(Exists(hosted))))
    return found.order_by("-created", "-id")


@dataclass
class NoticeFile:
    """One notice as its page shows it."""

    notice: Notice
    items: list[Any] = field(default_factory=list)  #: NoticeItem rows (matches prefetched)
    events: list[NoticeEvent] = field(default_factory=list)
    attempts: list[DeliveryAttempt] = field(default_factory=list)
    responses: list[NoticeResponse] = field(default_factory=list)
    related: list[Notice] = field(default_factory=list)  #: retractions, reminders, escalations
    countries: dict[str, str] = field(default_factory=dict)  #: url_key -> country

    @property
    def timeline(self) -> list[tuple[NoticeEvent, list[tuple[str, Any]]]]:
        """Each event with its details as (name, value) pairs (a template cannot read a
        details key named ``items`` from a dict)."""
        return [(e, list(e.details.items()) if isinstance(e.details, dict) else []) for e in self.events]


def notice_file(notice: Notice) -> NoticeFile:
    if notice.kind in (Kind.REMINDER, Kind.ESCALATION):
        ids = FollowUp.objects.filter(notice=notice).values_list("item_id", flat=True)
        items = list(NoticeItem.objects.filter(pk__in=ids).select_related("notice").prefetch_related("matches"))
    elif notice.kind == Kind.RETRACTION:
        items = list(notice.retracted_items.select_related("notice").prefetch_related("matches").order_by("id"))
    else:
        items = list(notice.items.select_related("notice").prefetch_related("matches").order_by("id"))
    related = Notice.objects.filter(Q(retracts=notice) | Q(follows=notice)).order_by("created", "id")
    keys = {item.url_key for item in items}
    countries = dict(Attribution.objects.filter(url_key__in=keys).values_list("url_key", "country"))
    return NoticeFile(
        notice=notice, items=items,
        events=list(NoticeEvent.objects.filter(notice=notice).select_related("item").order_by("at", "id")),
        attempts=list(DeliveryAttempt.objects.filter(notice=notice).order_by("id")),
        responses=list(responses_of(notice)), related=list(related), countries=countries,
    )


@dataclass(frozen=True)
class Waiting:
    responses: list[NoticeResponse]  #: the oldest first, at most ``limit``
    awaiting: int  #: disputes and questions no analyst answered yet
    open_flags: int  #: open attribution flags (URLs an analyst must look at)
    law_enforcement: int  #: live items the ladder flagged for a referral
    disputed: int  #: items disputed by their recipient


def waiting(limit: int = 200) -> Waiting:
    return Waiting(
        responses=list(awaiting_analyst().select_related("notice", "item")[:limit]) if limit else [],
        awaiting=awaiting_analyst().count(),
        open_flags=AttributionFlag.objects.filter(open=True).count(),
        law_enforcement=NoticeItem.objects.filter(status__in=LIVE).exclude(analyst_flag="").count(),
        disputed=NoticeItem.objects.filter(status=ItemStatus.DISPUTED).count(),
    )
