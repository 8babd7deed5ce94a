"""A removal claim is not taken on trust: the items named are rechecked at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from responses_support import T0, audit_actions, sent_notice

from sentinelle.audit.verify import verify
from sentinelle.notices.links import response_url
from sentinelle.notices.models import ItemStatus, Notice, NoticeEvent, NoticeItem
from sentinelle.responses.models import NoticeResponse
from sentinelle.responses.services import awaiting_analyst, record_response
from sentinelle.responses.validation import ResponseInput

pytestmark = pytest.mark.django_db
LATER = T0 + timedelta(hours=30)


def test_removed_makes_the_item_due_for_a_recheck_now() -> None:
    notice = sent_notice((1, 2))
    first, second = notice.items.order_by("id")
    NoticeItem.objects.filter(notice=notice).update(next_check_at=T0 + timedelta(days=1))
    recorded = record_response(str(notice.reference), ResponseInput(
        kind="removed", submission_key="key-removed-1", item=str(first.report_id)), now=LATER)
    response = recorded.response
    assert response.effects == {"rechecks": [str(first.report_id)]}
    assert not response.needs_analyst and list(awaiting_analyst()) == []
    assert NoticeItem.objects.get(pk=first.pk).next_check_at == LATER  # due now
    assert NoticeItem.objects.get(pk=second.pk).next_check_at == T0 + timedelta(days=1)  # untouched
    assert NoticeItem.objects.get(pk=first.pk).status == ItemStatus.OPEN  # only the recheck closes it
    assert audit_actions(str(notice.reference))[-2:] == ["notice:recheck-request", "notice:response-removed"]
    requested = NoticeEvent.objects.get(notice=notice, event="recheck-requested")
    assert requested.actor == "recipient:provider:example-host"
    assert f"response {response.pk}" in requested.details["reason"]
    assert verify().ok


def test_removed_for_the_whole_notice_rechecks_every_live_item_through_the_page(client: Client) -> None:
    notice = sent_notice((1, 2, 3))
    items = list(notice.items.order_by("id"))
    NoticeItem.objects.filter(pk=items[1].pk).update(status=ItemStatus.DISPUTED)
    NoticeItem.objects.filter(pk=items[2].pk).update(status=ItemStatus.RETRACTED)
    path = response_url(notice).removeprefix("https://hotline.example")
    sent = client.post(path, {"kind": "removed", "item": "", "text": "", "key": "w" * 32})
    assert sent.status_code == 303
    assert "We will check the address again shortly" in client.get(sent["Location"]).content.decode()
    due = dict(NoticeItem.objects.filter(notice=notice).values_list("pk", "next_check_at"))
    assert due[items[0].pk] is not None and due[items[1].pk] is not None and due[items[2].pk] is None
    assert NoticeResponse.objects.get().effects == {"rechecks": [str(items[0].report_id), str(items[1].report_id)]}


def test_removed_before_the_notice_finished_going_out_waits_for_its_rechecks() -> None:
    notice = sent_notice((1,))
    Notice.objects.filter(pk=notice.pk).update(sent_at=None)  # content fixed, delivery still retrying
    response = record_response(str(notice.reference), ResponseInput(
        kind="removed", submission_key="key-removed-2")).response
    item = notice.items.get()
    assert response.effects == {"rechecks": [], "awaiting_send": [str(item.report_id)]}
    assert NoticeItem.objects.get(pk=item.pk).next_check_at is None
    assert audit_actions(str(notice.reference))[-1] == "notice:response-removed"
