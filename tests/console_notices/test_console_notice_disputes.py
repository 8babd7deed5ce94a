"""Disputes and questions answered on a notice's page (``notice:send``): upheld (the item is
open again), accepted (the item is retracted, the recipient told), answered; audited; refused
to analysts, without a note, without the CSRF token, twice."""

from __future__ import annotations

import pytest
from django.test import Client

from sentinelle.audit.models import AuditEvent
from sentinelle.audit.verify import verify
from sentinelle.notices.models import ItemStatus, Kind, Notice, NoticeEvent, NoticeItem
from sentinelle.responses.models import NoticeResponse
from sentinelle.responses.services import awaiting_analyst
from support.console_login import staff
from support.notice_builders import answered, digest, sent_notice

pytestmark = pytest.mark.django_db


def item_of(notice: Notice, seed: int) -> NoticeItem:
    return NoticeItem.objects.get(notice=notice, sha256=digest("sha256", seed))


def answer_url(response: NoticeResponse) -> str:
    return f"/en/console/notices/{response.notice.reference}/responses/{response.pk}/answer/"


def audited(notice: Notice, action: str) -> AuditEvent:
    return AuditEvent.objects.get(target_type="notice", target_id=notice.reference, action=action)


def test_a_supervisor_upholds_a_dispute_and_the_item_is_open_again(client: Client) -> None:
    notice = sent_notice((1, 2))
    dispute = answered(notice, "dispute", "This is our logo.", item_seed=1)
    staff(client, "sam", "supervisor")
    done = client.post(answer_url(dispute), {"decision": "uphold", "note": "Matched a verified list: it stays."})
    assert done.status_code == 302 and done["Location"] == f"/en/console/notices/{notice.reference}/?done=answer#responses"
    page = client.get(done["Location"]).content.decode()
    assert 'role="status"' in page and "Answered “uphold” by sam:" in page and "Matched a verified list" in page
    assert item_of(notice, 1).status == ItemStatus.OPEN and not awaiting_analyst().exists()
    dispute.refresh_from_db()
    assert dispute.handled_by == "sam" and dispute.handled_at is not None
    assert dispute.effects["analyst"]["decision"] == "uphold" and dispute.effects["disputed"]
    event = audited(notice, "notice:dispute-upheld")
    assert event.actor == "sam" and event.details["note"] == "Matched a verified list: it stays."
    assert event.details["items"] == [str(item_of(notice, 1).report_id)]
    assert NoticeEvent.objects.filter(notice=notice, event="dispute-upheld").count() == 1
    assert not Notice.objects.filter(kind=Kind.RETRACTION).exists() and verify().ok
    again = client.post(answer_url(dispute), {"decision": "accept", "note": "changed my mind"})
    assert again.status_code == 400 and "answered already" in again.content.decode()
    assert item_of(notice, 1).status == ItemStatus.OPEN


def test_accepting_a_dispute_retracts_the_item_and_tells_the_recipient(client: Client) -> None:
    notice = sent_notice((1, 2))
    dispute = answered(notice, "dispute", "Not CSAM: a museum piece.")
    assert set(notice.items.values_list("status", flat=True)) == {ItemStatus.DISPUTED}
    staff(client, "sam", "supervisor")
    done = client.post(answer_url(dispute), {"decision": "accept", "note": "Confirmed with a second analyst."})
    assert done.status_code == 302
    assert set(notice.items.values_list("status", flat=True)) == {ItemStatus.RETRACTED}
    assert set(notice.items.values_list("retraction_reason", flat=True)) == {"dispute-accepted"}
    retraction = Notice.objects.get(kind=Kind.RETRACTION, retracts=notice)
    assert retraction.status == "queued" and retraction.recipient_email == "abuse@example.net"
    actions = list(AuditEvent.objects.filter(target_id=notice.reference).values_list("action", flat=True))
    assert actions[-2:] == ["notice:retract", "notice:dispute-accepted"]
    assert audited(notice, "notice:dispute-accepted").details["decision"] == "accept" and verify().ok
    page = client.get(f"/en/console/notices/{notice.reference}/").content.decode()
    assert 'status-retracted">retracted<' in page and str(retraction.reference) in page
    withdrawn = client.get(f"/en/console/notices/{retraction.reference}/").content.decode()
    assert 'id="notice-kind">retraction<' in withdrawn and withdrawn.count('status-retracted">retracted<') == 2
    assert f'href="/en/console/notices/{notice.reference}/"' in withdrawn  # the notice it retracts


def test_a_question_is_answered_and_a_second_dispute_keeps_its_item_disputed(client: Client) -> None:
    notice = sent_notice((1, 2))
    first = answered(notice, "dispute", "Ours.", item_seed=1)
    second = answered(notice, "dispute", "Really ours.", item_seed=1, key="key-00000002")
    question = answered(notice, "question", "Who are you?", key="key-00000003")
    staff(client, "sam", "supervisor")
    assert client.post(answer_url(question), {"decision": "uphold", "note": "x"}).status_code == 400  # not for a question
    assert client.post(answer_url(question), {"decision": "answered", "note": "Replied by e-mail."}).status_code == 302
    assert audited(notice, "notice:question-answered").details["note"] == "Replied by e-mail."
    assert client.post(answer_url(first), {"decision": "uphold", "note": "Stays."}).status_code == 302
    assert item_of(notice, 1).status == ItemStatus.DISPUTED  # the second dispute still waits
    assert client.post(answer_url(second), {"decision": "uphold", "note": "Stays."}).status_code == 302
    assert item_of(notice, 1).status == ItemStatus.OPEN and not awaiting_analyst().exists()


def test_refused_without_a_note_to_an_analyst_and_without_the_csrf_token(client: Client) -> None:
    notice = sent_notice((1,))
    dispute = answered(notice, "dispute", "Ours.", item_seed=1)
    staff(client, "ana", "analyst")
    assert client.post(answer_url(dispute), {"decision": "accept", "note": "No."}).status_code == 403
    checked = Client(enforce_csrf_checks=True)
    staff(checked, "sam", "supervisor")
    assert checked.post(answer_url(dispute), {"decision": "accept", "note": "No."}).status_code == 403
    forged = checked.post(answer_url(dispute), {"decision": "accept", "note": "No.", "csrfmiddlewaretoken": "x" * 64})
    assert forged.status_code == 403
    page = checked.get(f"/fr/console/notices/{notice.reference}/")
    token = str(page.context["csrf_token"])
    empty = checked.post(answer_url(dispute).replace("/en/", "/fr/"), {"decision": "accept", "note": "  ",
                                                                       "csrfmiddlewaretoken": token})
    assert empty.status_code == 400 and "Écrivez une note" in empty.content.decode()
    assert item_of(notice, 1).status == ItemStatus.DISPUTED and awaiting_analyst().count() == 1
    assert not AuditEvent.objects.filter(action__startswith="notice:dispute").exists()
    other = sent_notice((5,), when=notice.window_start.replace(day=9))
    assert checked.post(f"/en/console/notices/{other.reference}/responses/{dispute.pk}/answer/",
                        {"decision": "accept", "note": "x", "csrfmiddlewaretoken": token}).status_code == 404
