"""Items are retracted when their hash leaves every list or lands on the do-not-act list."""

from __future__ import annotations

import pytest
from django.utils import timezone
from notices_support import T0, actions, digest, item, recipient

from sentinelle.audit.services import Actor
from sentinelle.banks.services import import_list
from sentinelle.donotact.services import add as add_donotact
from sentinelle.lists import HashList, ListEntry
from sentinelle.notices.items import ListedHash
from sentinelle.notices.models import ItemStatus, Kind, Notice, NoticeItem, Status
from sentinelle.notices.outbox import deliver
from sentinelle.notices.scheduling import RetractionSweep
from sentinelle.notices.services import add_items
from sentinelle.notices.sweep import sweep
from sentinelle.sandbox.mailsink import MailSink

pytestmark = pytest.mark.django_db


def _lists(operator: Actor, **lists: list[int]) -> None:
    """Stored lists named as given, each holding exactly the SHA-256 values of those seeds."""
    for name, seeds in lists.items():
        entries = [ListEntry("sha256", digest("sha256", s)) for s in seeds]
        import_list(HashList(name, entries, category="csam", verified=True), actor=operator, replace=True)


def _matched(seed: int) -> tuple[ListedHash, ...]:
    return (ListedHash("a", "sha256", digest("sha256", seed)),)


def _sent_notice(system: Actor, seeds: list[int]) -> Notice:
    intake = add_items(recipient(), [item(s, matched=_matched(s)) for s in seeds], actor=system, now=T0)
    assert intake.notice is not None
    assert deliver(intake.notice.pk, worker="worker-1") == "sent"
    intake.notice.refresh_from_db()
    return intake.notice


def test_an_item_off_every_list_is_retracted_and_the_recipient_told(
    sink: MailSink, system: Actor, operator: Actor
) -> None:
    _lists(operator, a=[1, 2, 3], b=[2])
    notice = _sent_notice(system, [1, 2, 3])
    _lists(operator, a=[3])  # 1 leaves every list; 2 stays on list b
    assert RetractionSweep().enqueue_due(timezone.now(), 10) == 1
    assert RetractionSweep().enqueue_due(timezone.now(), 10) == 0  # one sweep at a time
    assert sweep(actor=system) == 1
    assert RetractionSweep().enqueue_due(timezone.now(), 10) == 0  # caught up
    statuses = dict(NoticeItem.objects.values_list("sha256", "status"))
    assert statuses == {digest("sha256", 1): "retracted", digest("sha256", 2): "open", digest("sha256", 3): "open"}
    retraction = Notice.objects.get(kind=Kind.RETRACTION)
    assert retraction.retracts_id == notice.pk and retraction.status == Status.QUEUED
    assert deliver(retraction.pk, worker="worker-1") == "sent"
    first, second = sink.wait_for(2, timeout=10)
    assert second.message_id == retraction.message_id != first.message_id
    assert second.message["In-Reply-To"] == notice.message_id
    text = second.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f"notice {notice.reference}" in text and item(1).url in text and item(2).url not in text
    assert second.subject == f"[{retraction.reference}] Retraction of 1 item(s) of notice {notice.reference}"
    assert actions(str(notice.reference))[-1] == "notice:retract"


def test_the_do_not_act_list_retracts_in_french_too(sink: MailSink, system: Actor, operator: Actor) -> None:
    intake = add_items(recipient(language="fr"), [item(1), item(2)], actor=system, now=T0)
    assert intake.notice is not None
    deliver(intake.notice.pk, worker="worker-1")
    add_donotact("url", item(2).url, reason="the page was a test upload", actor=operator)
    assert sweep(actor=system) == 1
    retraction = Notice.objects.get(kind=Kind.RETRACTION)
    deliver(retraction.pk, worker="worker-1")
    mail = sink.wait_for(2, timeout=10)[1]
    text = mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    # Django folds a non-ASCII subject onto an encoded continuation line: the parsed value
    # starts with the folding space.
    assert mail.subject.strip() == (
        f"[{retraction.reference}] Retrait de 1 élément(s) de l'avis {intake.notice.reference}"
    )
    assert "Nous retirons notre demande" in text and item(2).url in text


def test_a_draft_just_leaves_the_item_out(sink: MailSink, system: Actor, operator: Actor) -> None:
    intake = add_items(recipient(), [item(1), item(2)], actor=system, now=T0)
    assert intake.notice is not None
    add_donotact("hash", item(1).md5, reason="false positive", actor=operator, hash_type="md5")
    assert sweep(actor=system) == 1
    assert not Notice.objects.filter(kind=Kind.RETRACTION).exists()  # never sent: nothing to retract
    deliver(intake.notice.pk, worker="worker-1")
    [mail] = sink.wait_for(1, timeout=10)
    text = mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert item(2).url in text and item(1).url not in text


def test_a_draft_with_every_item_retracted_is_cancelled(sink: MailSink, system: Actor, operator: Actor) -> None:
    intake = add_items(recipient(), [item(1)], actor=system, now=T0)
    assert intake.notice is not None
    add_donotact("host", "example.net", reason="a partner's own platform", actor=operator)
    assert sweep(actor=system) == 1
    intake.notice.refresh_from_db()
    assert intake.notice.status == Status.CANCELLED
    assert deliver(intake.notice.pk, worker="worker-1") == "not sent: already cancelled"
    assert sink.messages == []
    assert actions(str(intake.notice.reference))[-1] == "notice:cancel"


def test_a_retraction_waits_for_the_notice_it_retracts(sink: MailSink, system: Actor, operator: Actor) -> None:
    intake = add_items(recipient(), [item(1)], actor=system, now=T0)
    assert intake.notice is not None
    sink.fail_next(451)
    assert deliver(intake.notice.pk, worker="worker-1") == "retrying"  # frozen, not yet delivered
    add_donotact("hash", item(1).sha256, reason="false positive", actor=operator, hash_type="sha256")
    sweep(actor=system)
    retraction = Notice.objects.get(kind=Kind.RETRACTION)
    assert deliver(retraction.pk, worker="worker-1").endswith("has not gone out yet")
    assert deliver(intake.notice.pk, worker="worker-1") == "sent"
    assert deliver(retraction.pk, worker="worker-1") == "sent"
    assert [m.message_id for m in sink.wait_for(2, timeout=10)] == [intake.notice.message_id,
                                                                    retraction.message_id]


def test_items_without_recorded_matches_stand_on_their_own_hashes(system: Actor, operator: Actor) -> None:
    _lists(operator, a=[1])
    intake = add_items(recipient(), [item(1)], actor=system, now=T0)
    assert intake.notice is not None
    _lists(operator, a=[5])
    assert sweep(actor=system) == 1
    assert NoticeItem.objects.get().status == ItemStatus.RETRACTED


def test_a_disputed_item_is_retracted_too(system: Actor, operator: Actor) -> None:
    intake = add_items(recipient(), [item(1), item(2)], actor=system, now=T0)
    assert intake.notice is not None
    assert deliver(intake.notice.pk, worker="worker-1") == "sent"
    NoticeItem.objects.filter(notice=intake.notice, url=item(1).url).update(status="disputed")
    add_donotact("url", item(1).url, reason="the dispute was right", actor=operator)
    assert sweep(actor=system) == 1
    assert dict(NoticeItem.objects.values_list("url", "status")) == {item(1).url: "retracted", item(2).url: "open"}
