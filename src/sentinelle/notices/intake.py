"""Putting items on notices: one notice per recipient and window."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction

from sentinelle import clock
from sentinelle.audit.actions import AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.donotact.services import blocks_hash, blocks_url
from sentinelle.notices import configuration, timeline
from sentinelle.notices.exceptions import InvalidNoticeItem
from sentinelle.notices.items import ItemInput, ListedHash
from sentinelle.notices.models import (
    LIVE,
    ChannelState,
    ItemMatch,
    Kind,
    Notice,
    NoticeEvent,
    NoticeItem,
    Status,
)
from sentinelle.notices.recipients import NoticeRecipient
from sentinelle.notices.summary import describe
from sentinelle.notices.windows import new_message_id, placeholder, reference, window_for

Checked = tuple[dict[str, Any], list[ListedHash]]


@dataclass(frozen=True)
class Intake:
    """What :func:`add_items` did: the notice (None when nothing was added) and the counts."""

    notice: Notice | None
    created: bool = False
    added: int = 0
    updated: int = 0
    already_open: int = 0
    blocked: int = 0


def add_items(
    recipient: NoticeRecipient, items: Iterable[ItemInput], *, actor: Actor, now: datetime | None = None
) -> Intake:
    """Put ``items`` on ``recipient``'s notice for the current window (created if needed).

    Every item is checked first: one bad item adds nothing. An item already on this notice
    has its times brought up to date; one still open on an earlier notice to the same
    recipient is left there (re-notices are the recheck's decision); one the do-not-act
    list covers is never added. A notice whose sending has begun takes no more items: they
    go to the next window's notice.
    """
    who = recipient.validated()
    checked: list[Checked] = []
    for item in items:
        columns = item.columns()
        checked.append((columns, item.listed(columns)))
    if not checked:
        raise InvalidNoticeItem("no items to put on a notice")
    moment = now or clock.current().now()
    for attempt in range(3):
        try:
            return _add(who, checked, actor, moment)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _add(who: NoticeRecipient, checked: list[Checked], actor: Actor, moment: datetime) -> Intake:
    # Two writers can both find no notice for the window and both create one: the unique
    # constraint stops the second, which starts over and finds the first's notice.
    sender, length = configuration.sender(), configuration.window()
    with transaction.atomic():
        notice, start = _open_notice(who.key, moment, length)
        wanted, already_open, blocked = _new_items(who.key, checked, notice)
        if not wanted:
            return Intake(None, already_open=already_open, blocked=blocked)
        created = notice is None
        if notice is None:
            notice = _create(who, start, start + length, sender.domain, actor, moment)
        added = updated = 0
        for columns, listed in wanted:
            if _update_existing(notice, columns):
                updated += 1
                continue
            item = NoticeItem.objects.create(notice=notice, **columns)
            ItemMatch.objects.bulk_create(
                ItemMatch(item=item, list_name=m.list_name, signal_type=m.signal_type, hash=m.hash) for m in listed
            )
            added += 1
        timeline.change(
            notice, AuditAction.NOTICE_EXTEND, actor=actor, event="extended", now=moment,
            details={"added": added, "updated": updated},
        )
    return Intake(notice, created, added, updated, already_open, blocked)


def _new_items(key: str, checked: list[Checked], target: Notice | None) -> tuple[list[Checked], int, int]:
    wanted: list[Checked] = []
    already_open = blocked = 0
    for columns, listed in checked:
        earlier = NoticeItem.objects.filter(
            notice__recipient_key=key, notice__kind=Kind.NOTICE, status__in=LIVE,
            url_key=columns["url_key"], sha256=columns["sha256"],
        ).exclude(notice__status=Status.CANCELLED)
        if _blocked(columns, listed):
            blocked += 1
        elif (earlier.exclude(notice=target) if target is not None else earlier).exists():
            already_open += 1
        else:
            wanted.append((columns, listed))
    return wanted, already_open, blocked


def _blocked(columns: dict[str, Any], listed: list[ListedHash]) -> bool:
    own = [(kind, columns[kind]) for kind in ("sha256", "md5", "sha1", "pdq") if columns[kind]]
    hashes = own + [(m.signal_type, m.hash) for m in listed]
    return blocks_url(columns["url"]) or any(blocks_hash(kind, value) for kind, value in hashes)


def is_blocked(item: ItemInput) -> bool:
    """True when the do-not-act list covers the item (its URL, its host, or one of its or its
    matched hashes): :func:`add_items` would leave it out. :class:`InvalidNoticeItem` if bad."""
    columns = item.columns()
    return _blocked(columns, item.listed(columns))


def _open_notice(key: str, moment: datetime, length: timedelta) -> tuple[Notice | None, datetime]:
    """The recipient's notice that still takes items (this window's, or a later one's), or
    None and the start of the window a new one goes in."""
    start, end = window_for(moment, length)
    while True:
        notice = Notice.objects.select_for_update().filter(
            kind=Kind.NOTICE, recipient_key=key, window_start=start
        ).first()
        if notice is None:
            return None, start
        if notice.status in (Status.DRAFT, Status.QUEUED) and notice.frozen_at is None:
            return notice, start
        start, end = end, end + length


def _create(
    who: NoticeRecipient, start: datetime, end: datetime, domain: str, actor: Actor, moment: datetime
) -> Notice:
    notice = Notice.objects.create(
        **who.snapshot(), kind=Kind.NOTICE, window_start=start, window_end=end, status=Status.DRAFT,
        email_state=ChannelState.PENDING if who.email else ChannelState.NONE,
        webhook_state=ChannelState.PENDING if who.webhook_url else ChannelState.NONE,
        due_at=end, message_id=placeholder(), created=moment, updated=moment,
    )
    notice.reference = reference(notice.pk, moment)
    notice.message_id = new_message_id(notice.reference, domain)
    notice.save(update_fields=["reference", "message_id"])
    NoticeEvent.objects.create(notice=notice, at=moment, event="created", actor=f"{actor.kind}:{actor.name}")
    record(AuditAction.NOTICE_CREATE, actor=actor, target_type=timeline.TARGET_TYPE, target_id=notice.reference,
           after=describe(notice))
    return notice


def _update_existing(notice: Notice, columns: dict[str, Any]) -> bool:
    item = NoticeItem.objects.filter(notice=notice, url_key=columns["url_key"], sha256=columns["sha256"]).first()
    if item is None:
        return False
    item.first_seen = min(item.first_seen, columns["first_seen"])
    item.last_verified = max(item.last_verified, columns["last_verified"])
    item.save(update_fields=["first_seen", "last_verified"])
    return True
