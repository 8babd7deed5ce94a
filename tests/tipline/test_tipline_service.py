"""Taking reports in: receipts, crawl requests through the egress policy, additions, rate
limits, retention, and the audit events of each change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sentinelle.audit.models import AuditEvent
from sentinelle.audit.verify import verify
from sentinelle.crawl.models import CrawlRequest, Source
from sentinelle.tipline import receipts
from sentinelle.tipline.exceptions import InvalidReport, TooManySubmissions, UnknownReceipt
from sentinelle.tipline.models import Report
from sentinelle.tipline.retention import purge_contacts
from sentinelle.tipline.services import add_information, find_report, submit_report
from sentinelle.tipline.validation import ReportInput

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def given(**changes: object) -> ReportInput:
    values: dict[str, object] = {
        "category": "csam", "danger_now": False, "urls": "https://files.example.net/a.jpg",
        "what_happened": "A gallery of pictures.", "language": "en", "client_address": "203.0.113.7",
    }
    values.update(changes)
    return ReportInput(**values)  # type: ignore[arg-type]


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def test_a_report_gets_a_receipt_stored_hashed_and_its_urls_become_deduplicated_crawl_requests() -> None:
    first = submit_report(given(urls="https://files.example.net/a.jpg\nfiles.example.net/b.jpg"), now=NOW)
    second = submit_report(given(urls="HTTPS://FILES.example.net:443/a.jpg", client_address="198.51.100.1"), now=NOW)
    assert len(receipts.canonical(first.receipt)) == 25 and first.receipt != second.receipt
    report = Report.objects.get(pk=first.report.pk)
    assert report.receipt_hash == receipts.code_hash(first.receipt) and first.receipt not in str(report.__dict__)
    assert report.reference.startswith("TL-") and report.client_hash and "203.0.113.7" not in str(report.__dict__)
    requests = list(CrawlRequest.objects.order_by("id"))
    assert [r.url for r in requests] == ["https://files.example.net/a.jpg", "http://files.example.net/b.jpg"]
    assert {r.source for r in requests} == {Source.REPORT}
    assert second.report.urls.get().crawl_request_id == requests[0].pk  # the same open request
    assert actions().count("report:create") == 2 and verify().ok


def test_a_receipt_is_read_forgivingly_and_a_wrong_one_opens_nothing() -> None:
    code = submit_report(given(), now=NOW).receipt
    assert find_report(code.lower().replace("-", " ")).pk
    with pytest.raises(UnknownReceipt):
        find_report("0000-0000-0000-0000-00000")
    with pytest.raises(UnknownReceipt):
        find_report("' OR 1=1 --")


def test_a_private_address_is_kept_in_the_report_but_never_queued() -> None:
    report = submit_report(given(urls="http://127.0.0.1:6379/\nhttp://[::1]/x\nhttp://0x7f000001/\nhttp://10.1.2.3/"),
                           now=NOW).report
    assert CrawlRequest.objects.count() == 0
    rows = list(report.urls.order_by("id"))
    assert rows[0].url == "http://127.0.0.1:6379/" and len(rows) == 4
    assert all(r.crawl_request is None and r.refusal for r in rows)


def test_additions_are_stored_and_audited_without_their_text() -> None:
    submitted = submit_report(given(), now=NOW)
    addition = add_information(submitted.receipt, "More: <b>x</b>\x00", client_address="203.0.113.7", now=NOW)
    assert addition.text == "More: <b>x</b>\ufffd" and addition.report_id == submitted.report.pk
    event = AuditEvent.objects.get(action="report:add-info")
    assert "More" not in str(event.after) and event.actor_kind == "reporter"


def test_hostile_text_is_stored_safely() -> None:
    report = submit_report(given(what_happened="a\x00b\x07c\ud800d<script>é\r\nz"), now=NOW).report
    stored = Report.objects.get(pk=report.pk).what_happened
    assert stored == "a\ufffdb\ufffdc\ufffdd<script>é\nz"


@pytest.mark.parametrize(("changes", "code"), [
    ({"category": "kittens"}, "category"), ({"urls": ""}, "url-missing"), ({"urls": "javascript:alert(1)"}, "url"),
    ({"urls": "ftp://x.example/a"}, "url"), ({"what_happened": "  "}, "text-missing"),
    ({"what_happened": "x" * 10_001}, "text-long"), ({"urls": " ".join(f"a{i}.example" for i in range(21))}, "url-many"),
])
def test_bad_reports_are_refused_and_change_nothing(changes: dict[str, object], code: str) -> None:
    with pytest.raises(InvalidReport) as refused:
        submit_report(given(**changes), now=NOW)
    assert refused.value.code == code
    assert Report.objects.count() == 0 and CrawlRequest.objects.count() == 0 and not actions()


def test_one_client_is_limited_per_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_TIPLINE_SUBMISSIONS_PER_HOUR", "2")
    code = submit_report(given(), now=NOW).receipt
    add_information(code, "more", client_address="203.0.113.7", now=NOW)
    with pytest.raises(TooManySubmissions):
        submit_report(given(), now=NOW + timedelta(minutes=5))
    submit_report(given(client_address="203.0.113.8"), now=NOW)  # another client
    submit_report(given(), now=NOW + timedelta(minutes=61))  # an hour later
    assert Report.objects.count() == 3


def test_contact_details_are_erased_after_the_retention_period() -> None:
    old = submit_report(given(contact_name="Ann", contact_email="ann@example.org"), now=NOW).report
    recent = submit_report(given(contact_phone="555", client_address="198.51.100.2"),
                           now=NOW + timedelta(days=20)).report
    anonymous = submit_report(given(client_address="198.51.100.3"), now=NOW).report
    assert purge_contacts(NOW + timedelta(days=31)) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.contact_name, old.contact_email, old.contact_purged_at) == ("", "", NOW + timedelta(days=31))
    assert old.what_happened == "A gallery of pictures." and recent.contact_phone == "555"
    assert Report.objects.get(pk=anonymous.pk).contact_purged_at is None
    assert purge_contacts(NOW + timedelta(days=31)) == 0
    assert actions().count("report:purge-contact") == 1 and verify().ok


def test_the_worker_scheduler_erases_contact_details(monkeypatch: pytest.MonkeyPatch) -> None:
    from sentinelle.worker.scheduler import Scheduler
    from sentinelle.worker.sources import due_work

    monkeypatch.setenv("SENTINELLE_TIPLINE_CONTACT_RETENTION_DAYS", "0")
    report = submit_report(given(contact_email="x@example.org"), now=NOW).report
    assert Scheduler(due_work()).tick(NOW + timedelta(seconds=1))["tipline-contacts"] == 1
    report.refresh_from_db()
    assert report.contact_email == "" and report.contact_purged_at is not None
