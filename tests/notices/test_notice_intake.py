"""Putting items on notices: one notice per recipient and window, checked input, do-not-act."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from notices_support import T0, actions, digest, item, recipient

from sentinelle.audit.services import Actor
from sentinelle.donotact.services import add as add_donotact
from sentinelle.notices.exceptions import InvalidNoticeItem, InvalidRecipient
from sentinelle.notices.items import ItemInput
from sentinelle.notices.models import Notice, NoticeItem, Status
from sentinelle.notices.recipients import NoticeRecipient
from sentinelle.notices.services import add_items

pytestmark = pytest.mark.django_db


def test_items_of_one_window_share_one_notice_per_recipient(system: Actor) -> None:
    first = add_items(recipient(), [item(1)], actor=system, now=T0)
    later = add_items(recipient(), [item(2), item(3)], actor=system, now=T0 + timedelta(hours=11))
    other = add_items(recipient("provider:other", email="abuse@other.example"), [item(4)], actor=system, now=T0)
    assert first.created and not later.created and other.created
    assert first.notice is not None and later.notice is not None and other.notice is not None
    assert later.notice.pk == first.notice.pk != other.notice.pk
    notice = Notice.objects.get(pk=first.notice.pk)
    assert notice.items.count() == 3
    assert (notice.window_start, notice.window_end) == (
        datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 1, 6, tzinfo=UTC)
    )
    assert notice.status == Status.DRAFT and notice.due_at == notice.window_end
    assert re.fullmatch(r"SN-2026-\d{6}", notice.reference or "")
    assert re.fullmatch(rf"<{notice.reference}\.[0-9a-f]{{16}}@hotline\.example>", notice.message_id)
    assert actions(str(notice.reference)) == ["notice:create", "notice:extend", "notice:extend"]


def test_the_next_window_gets_a_new_notice(system: Actor) -> None:
    today = add_items(recipient(), [item(1)], actor=system, now=T0)
    tomorrow = add_items(recipient(), [item(2)], actor=system, now=T0 + timedelta(days=1))
    assert today.notice is not None and tomorrow.notice is not None
    assert today.notice.pk != tomorrow.notice.pk
    assert tomorrow.notice.window_start == today.notice.window_end


def test_window_length_is_a_setting(system: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_NOTICE_WINDOW_MINUTES", "15")
    intake = add_items(recipient(), [item(1)], actor=system, now=T0 + timedelta(minutes=7))
    assert intake.notice is not None
    assert intake.notice.window_start == T0 and intake.notice.window_end == T0 + timedelta(minutes=15)


def test_the_same_item_again_updates_its_times(system: Actor) -> None:
    add_items(recipient(), [item(1)], actor=system, now=T0)
    again = add_items(recipient(), [item(1, seen=T0 + timedelta(hours=2))], actor=system, now=T0 + timedelta(hours=2))
    assert (again.added, again.updated) == (0, 1)
    stored = NoticeItem.objects.get()
    assert stored.first_seen == T0 and stored.last_verified == T0 + timedelta(hours=2, minutes=5)


def test_an_item_open_on_a_sent_notice_is_not_noticed_again(system: Actor) -> None:
    first = add_items(recipient(), [item(1)], actor=system, now=T0)
    assert first.notice is not None
    Notice.objects.filter(pk=first.notice.pk).update(status=Status.SENT, frozen_at=T0)
    again = add_items(recipient(), [item(1), item(2)], actor=system, now=T0 + timedelta(days=1))
    assert (again.added, again.already_open) == (1, 1)


def test_a_notice_being_sent_takes_no_more_items(system: Actor) -> None:
    first = add_items(recipient(), [item(1)], actor=system, now=T0)
    assert first.notice is not None
    Notice.objects.filter(pk=first.notice.pk).update(status=Status.SENDING, frozen_at=T0)
    late = add_items(recipient(), [item(2)], actor=system, now=T0 + timedelta(hours=1))
    assert late.notice is not None and late.notice.pk != first.notice.pk
    assert late.notice.window_start == first.notice.window_end  # the next window's notice


def test_do_not_act_always_wins(system: Actor, operator: Actor) -> None:
    add_donotact("hash", digest("sha256", 1), reason="known false positive", actor=operator, hash_type="sha256")
    add_donotact("host", "safe.example", reason="a partner's own moderation", actor=operator)
    intake = add_items(recipient(), [item(1), item(2, host="cdn.safe.example"), item(3)], actor=system, now=T0)
    assert (intake.added, intake.blocked) == (1, 2)
    assert [i.url for i in NoticeItem.objects.all()] == ["http://files.example.net/gallery/3.jpg"]


def test_nothing_is_created_when_every_item_is_blocked(system: Actor, operator: Actor) -> None:
    add_donotact("url", "http://files.example.net/gallery/1.jpg", reason="mistake", actor=operator)
    intake = add_items(recipient(), [item(1)], actor=system, now=T0)
    assert intake.notice is None and intake.blocked == 1
    assert not Notice.objects.exists()


@pytest.mark.parametrize(("change", "message"), [
    ({"url": "ftp://files.example.net/1.jpg"}, "ftp"),
    ({"sha256": "xyz"}, "sha256"),
    ({"md5": "00"}, "md5"),
    ({"category": "spam"}, "csam or harmful-abusive"),
    ({"first_seen": datetime(2026, 1, 5, 12, 0)}, "aware"),
    ({"last_verified": T0 - timedelta(days=1)}, "before first_seen"),
    ({"ip": "999.1.1.1"}, "IP address"),
])
def test_one_bad_item_adds_nothing(system: Actor, change: dict[str, object], message: str) -> None:
    good, bad = item(1), ItemInput(**{**item(2).__dict__, **change})
    with pytest.raises(InvalidNoticeItem, match=message):
        add_items(recipient(), [good, bad], actor=system, now=T0)
    assert not Notice.objects.exists() and not NoticeItem.objects.exists()


@pytest.mark.parametrize(("who", "message"), [
    (NoticeRecipient(key="k", name="n"), "neither an email address nor a webhook"),
    (NoticeRecipient(key="k", name="n", email="not-an-address"), "not an email address"),
    (NoticeRecipient(key="k", name="n", email="a@b.example", language="de"), "en or fr"),
    (NoticeRecipient(key="", name="n", email="a@b.example"), "key"),
    (NoticeRecipient(key="k", name="n", webhook_url="ftp://x.example/"), "http"),
    (NoticeRecipient(key="k", name="n", webhook_url="https://x.example/"), "name of its secret"),
    (NoticeRecipient(key="k", name="n", webhook_url="https://x.example/", webhook_secret_ref="a b"), "secret"),
])
def test_a_bad_recipient_is_refused(system: Actor, who: NoticeRecipient, message: str) -> None:
    with pytest.raises(InvalidRecipient, match=message):
        add_items(who, [item(1)], actor=system, now=T0)
    assert not Notice.objects.exists()
