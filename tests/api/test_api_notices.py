"""Providers answering notices through HTTP, as on the response page, only their own."""

from __future__ import annotations

import pytest
from api_support import bearer, partner, provider, sent_notice, token
from django.test import Client

from sentinelle.audit.models import AuditEvent
from sentinelle.notices.models import ItemStatus, Notice
from sentinelle.responses.models import NoticeResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice() -> Notice:
    return sent_notice("example-host")


@pytest.fixture
def host_token() -> str:
    return token(partner("example-host-partner", provider=provider("example-host")), "notices:respond")


def answer(client: Client, plain: str, reference: str, body: object, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/notices/{reference}/responses", body, content_type="application/json",
                       **bearer(plain), **headers)


def test_a_dispute_marks_the_items_disputed_and_waits_for_an_analyst(
        client: Client, notice: Notice, host_token: str) -> None:
    response = answer(client, host_token, notice.reference,
                      {"kind": "dispute", "text": "These files are ours and legal.", "submission_key": "key-00001"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] and body["needs_analyst"] and body["kind"] == "dispute"
    stored = NoticeResponse.objects.get(pk=body["response"])
    assert stored.channel == "api"
    assert set(notice.items.values_list("status", flat=True)) == {ItemStatus.DISPUTED}
    assert AuditEvent.objects.filter(action="notice:response-dispute").count() == 1
    again = answer(client, host_token, notice.reference,
                   {"kind": "dispute", "text": "These files are ours and legal.", "submission_key": "key-00001"})
    assert again.status_code == 200 and again.json()["created"] is False
    assert NoticeResponse.objects.count() == 1


def test_removed_for_one_item_with_an_idempotency_key_header(client: Client, notice: Notice, host_token: str) -> None:
    item = notice.items.order_by("id").first()
    assert item is not None
    response = answer(client, host_token, notice.reference, {"kind": "removed", "item": str(item.report_id)},
                      HTTP_IDEMPOTENCY_KEY="removed-0001")
    assert response.status_code == 201, response.content
    assert response.json()["effects"]["rechecks"] == [str(item.report_id)]
    assert NoticeResponse.objects.get().submission_key == "removed-0001"


def test_a_partner_of_another_provider_cannot_answer(client: Client, notice: Notice) -> None:
    other = token(partner("other-host-partner", provider=provider("other-host")), "notices:respond")
    response = answer(client, other, notice.reference, {"kind": "removed"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown-notice"
    unlinked = token(partner("no-provider-partner"), "notices:respond")
    assert answer(client, unlinked, notice.reference, {"kind": "removed"}).status_code == 403
    assert NoticeResponse.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"kind": "dispute"}, 422, "invalid-text-missing"),
        ({"kind": "removed", "item": "not-a-uuid"}, 422, "invalid-item"),
        ({"kind": "removed", "item": "00000000-0000-4000-8000-000000000000"}, 422, "invalid-item"),
        ({"kind": "thanks"}, 422, "invalid-request"),
        ({"kind": "removed", "submission_key": "short"}, 422, "invalid-key"),
    ],
)
def test_invalid_answers_are_refused_with_a_code(
        client: Client, notice: Notice, host_token: str, body: object, status: int, code: str) -> None:
    response = answer(client, host_token, notice.reference, body)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert NoticeResponse.objects.count() == 0


def test_a_notice_not_sent_yet_is_409(client: Client, notice: Notice, host_token: str) -> None:
    Notice.objects.filter(pk=notice.pk).update(frozen_at=None, sent_at=None, status="draft")
    response = answer(client, host_token, notice.reference, {"kind": "removed"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not-sent"
