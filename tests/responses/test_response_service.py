"""Recording answers: what each kind changes, what is refused, and that nothing is recorded twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from responses_support import T0, audit_actions, sent_notice

from sentinelle.audit.models import AuditEvent
from sentinelle.audit.verify import verify
from sentinelle.notices.models import ItemStatus, Notice, NoticeEvent, NoticeItem, Status
from sentinelle.responses.exceptions import InvalidResponse, ResponseNotAllowed, TooManyResponses
from sentinelle.responses.models import NoticeResponse
from sentinelle.responses.services import MAX_PER_DAY, awaiting_analyst, record_response
from sentinelle.responses.validation import MAX_TEXT, ResponseInput

pytestmark = pytest.mark.django_db
LATER = T0 + timedelta(days=1)


def answer(kind: str, key: str = "key-00000001", **fields: object) -> ResponseInput:
    return ResponseInput(kind=kind, submission_key=key, **fields)  # type: ignore[arg-type]


def test_a_dispute_marks_the_item_disputed_for_an_analyst() -> None:
    notice = sent_notice()
    first, second = notice.items.order_by("id")
    recorded = record_response(str(notice.reference), answer(
        "dispute", item=str(first.report_id), text="This file is our logo.", client_address="203.0.113.9"),
        now=LATER)
    assert recorded.created
    response = recorded.response
    assert (response.kind, response.item_id, response.text, response.channel) == (
        "dispute", first.pk, "This file is our logo.", "web")
    assert response.needs_analyst and response.handled_at is None
    assert list(awaiting_analyst()) == [response]
    assert NoticeItem.objects.get(pk=first.pk).status == ItemStatus.DISPUTED
    assert NoticeItem.objects.get(pk=second.pk).status == ItemStatus.OPEN
    assert response.effects == {"disputed": [str(first.report_id)]}
    event = NoticeEvent.objects.filter(notice=notice).last()
    assert event is not None and (event.event, event.actor) == ("response-dispute", "recipient:provider:example-host")
    assert audit_actions(str(notice.reference))[-1] == "notice:response-dispute"
    audited = AuditEvent.objects.filter(target_id=notice.reference).last()
    assert audited is not None and audited.actor_kind == "recipient"
    assert audited.details["item"] == str(first.report_id) and audited.details["analyst_needed"] is True
    assert "This file is our logo." not in str(audited.details)  # the text is audited as its SHA-256
    assert audited.details["text_length"] == len("This file is our logo.")
    assert verify().ok


def test_a_question_about_the_whole_notice_changes_no_item() -> None:
    notice = sent_notice()
    recorded = record_response(str(notice.reference), answer("question", text="Which account uploaded it?"))
    assert recorded.response.item is None and recorded.response.needs_analyst
    assert set(notice.items.values_list("status", flat=True)) == {ItemStatus.OPEN}
    assert audit_actions(str(notice.reference))[-1] == "notice:response-question"


def test_a_dispute_of_the_whole_notice_disputes_every_open_item() -> None:
    notice = sent_notice((1, 2, 3))
    NoticeItem.objects.filter(notice=notice).order_by("id").filter(
        pk=notice.items.order_by("id").last().pk).update(status=ItemStatus.REMOVED)  # type: ignore[union-attr]
    response = record_response(str(notice.reference), answer("dispute", text="Not ours.")).response
    statuses = list(notice.items.order_by("id").values_list("status", flat=True))
    assert statuses == [ItemStatus.DISPUTED, ItemStatus.DISPUTED, ItemStatus.REMOVED]
    assert len(response.effects["disputed"]) == 2


def test_sending_the_same_answer_again_records_it_once() -> None:
    notice = sent_notice()
    item = notice.items.first()
    assert item is not None
    given = answer("question", item=str(item.report_id), text="When?")
    first = record_response(str(notice.reference), given)
    again = record_response(str(notice.reference), given)
    assert first.created and not again.created and again.response.pk == first.response.pk
    assert NoticeResponse.objects.count() == 1
    assert audit_actions(str(notice.reference)).count("notice:response-question") == 1


@pytest.mark.parametrize(("given", "code"), [
    (answer("maybe", text="x"), "kind"),
    (answer("dispute"), "text-missing"),
    (answer("question", text="   \r\n "), "text-missing"),
    (answer("dispute", text="x" * (MAX_TEXT + 1)), "text-long"),
    (answer("dispute", text="bad \x00 byte"), "text-control"),
    (answer("dispute", text="escape \x1b[31m"), "text-control"),
    (answer("removed", key="short"), "key"),
    (answer("removed", key="../../etc/passwd"), "key"),
    (answer("removed", item="not-a-uuid"), "item"),
    (answer("removed", item="00000000-0000-4000-8000-000000000000"), "item"),
    (answer("removed", channel="fax"), "channel"),
])
def test_bad_answers_are_refused_and_change_nothing(given: ResponseInput, code: str) -> None:
    notice = sent_notice()
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidResponse) as raised:
        record_response(str(notice.reference), given)
    assert raised.value.code == code
    assert NoticeResponse.objects.count() == 0 and AuditEvent.objects.count() == events
    assert set(notice.items.values_list("status", flat=True)) == {ItemStatus.OPEN}


def test_the_longest_text_allowed_is_kept_whole_with_its_line_breaks() -> None:
    notice = sent_notice()
    text = ("é" * (MAX_TEXT - 2)) + "\r\nz"
    response = record_response(str(notice.reference), answer("question", text=text)).response
    assert NoticeResponse.objects.get(pk=response.pk).text == ("é" * (MAX_TEXT - 2)) + "\nz"


def test_a_retracted_item_or_a_withdrawn_notice_cannot_be_answered() -> None:
    notice = sent_notice()
    first = notice.items.order_by("id").first()
    assert first is not None
    NoticeItem.objects.filter(pk=first.pk).update(status=ItemStatus.RETRACTED)
    with pytest.raises(ResponseNotAllowed) as raised:
        record_response(str(notice.reference), answer("dispute", item=str(first.report_id), text="No."))
    assert raised.value.code == "retracted"
    Notice.objects.filter(pk=notice.pk).update(status=Status.CANCELLED)
    with pytest.raises(ResponseNotAllowed) as raised:
        record_response(str(notice.reference), answer("question", text="Why?"))
    assert raised.value.code == "cancelled"
    assert NoticeResponse.objects.count() == 0


def test_a_notice_not_sent_yet_cannot_be_answered() -> None:
    notice = sent_notice(sent=False)
    with pytest.raises(ResponseNotAllowed) as raised:
        record_response(str(notice.reference), answer("removed"))
    assert raised.value.code == "not-sent"


def test_an_item_of_another_notice_is_not_found_on_this_one() -> None:
    notice = sent_notice((1,))
    other = sent_notice((5,), key="provider:other")
    foreign = other.items.get()
    with pytest.raises(InvalidResponse) as raised:
        record_response(str(notice.reference), answer("dispute", item=str(foreign.report_id), text="?"))
    assert raised.value.code == "item"
    assert foreign.status == NoticeItem.objects.get(pk=foreign.pk).status == ItemStatus.OPEN


def test_a_notice_takes_a_limited_number_of_answers_a_day() -> None:
    notice = sent_notice()
    for number in range(MAX_PER_DAY):
        record_response(str(notice.reference), answer("question", key=f"key-{number:08d}", text="?"), now=LATER)
    with pytest.raises(TooManyResponses):
        record_response(str(notice.reference), answer("question", key="key-one-more", text="?"), now=LATER)
    tomorrow = record_response(str(notice.reference), answer("question", key="key-tomorrow", text="?"),
                               now=LATER + timedelta(days=1, minutes=1))
    assert tomorrow.created
