"""Taking a report in, and information added to it later with its receipt code.

Each change writes an audit event in the transaction that stores it (``report:create``,
``report:add-info``). The events name the report, its category and counts, never the text
or the contact details: those can be erased later, the audit chain cannot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from sentinelle import clock
from sentinelle.audit.actions import ActorKind, AuditAction
from sentinelle.audit.services import Actor, record
from sentinelle.responses.clients import client_hash
from sentinelle.tipline import intake, ratelimit, receipts
from sentinelle.tipline.exceptions import AlreadyReceived, InvalidReport, UnknownReceipt
from sentinelle.tipline.models import Addition, Report
from sentinelle.tipline.validation import MAX_TEXT, ReportInput, clean_text

TARGET_TYPE = "tipline.report"
REPORTER = Actor(ActorKind.REPORTER, "anonymous")


@dataclass(frozen=True)
class Submitted:
    report: Report
    receipt: str  #: the receipt code: shown once, never stored


def submit_report(given: ReportInput, *, submission: str = "", now: datetime | None = None) -> Submitted:
    """Store a report, queue its URLs, and return it with its new receipt code.

    ``submission`` is the hash of the form's one-time token (:mod:`~sentinelle.tipline.submissions`):
    when a report holds it already, nothing is stored and :class:`AlreadyReceived` names that
    report. The unique constraint decides, so two posts of one form racing store one report;
    a duplicate is recognised before the rate limit is counted.
    """
    report_input = given.checked()
    moment = now or clock.current().now()
    try:
        return _store(report_input, submission, moment)
    except IntegrityError:
        earlier = Report.objects.filter(submission_hash=submission).first() if submission else None
        if earlier is None:
            raise
        raise AlreadyReceived(earlier.reference) from None


def _store(report_input: ReportInput, submission: str, moment: datetime) -> Submitted:
    with transaction.atomic():
        hashed = client_hash(report_input.client_address, moment)
        code = receipts.new_code()
        report = Report.objects.create(
            reference=receipts.new_reference(), receipt_hash=receipts.code_hash(code),
            category=report_input.category, danger_now=report_input.danger_now,
            what_happened=report_input.what_happened, when_happened=report_input.when_happened,
            contact_name=report_input.contact_name, contact_email=report_input.contact_email,
            contact_phone=report_input.contact_phone, language=report_input.language,
            received_at=moment, client_hash=hashed, submission_hash=submission or None,
        )
        ratelimit.check(hashed, moment, excluding=report)  # rolls the report back when over
        urls = intake.take_urls(report, report_input.url_list)
        record(AuditAction.REPORT_CREATE, actor=REPORTER, target_type=TARGET_TYPE, target_id=report.pk, after={
            "reference": report.reference, "category": report.category, "danger_now": report.danger_now,
            "urls": len(urls), "crawl_requests": sorted({u.crawl_request_id for u in urls if u.crawl_request_id}),
            "refused_urls": sum(1 for u in urls if u.refusal), "contact": report.has_contact,
            "language": report.language,
        })
    return Submitted(report, code)


def find_report(code: str) -> Report:
    """The report whose receipt code is ``code``, or :class:`UnknownReceipt`."""
    hashed = receipts.code_hash(code)
    report = Report.objects.filter(receipt_hash=hashed).first() if hashed else None
    if report is None:
        raise UnknownReceipt("no report has this receipt number")
    return report


def add_information(code: str, text: str, *, client_address: str = "", now: datetime | None = None) -> Addition:
    """Add ``text`` to the report of receipt ``code``."""
    cleaned = clean_text(text, MAX_TEXT, "text")
    if not cleaned:
        raise InvalidReport("say what you want to add", "text-missing")
    moment = now or clock.current().now()
    with transaction.atomic():
        report = find_report(code)
        hashed = client_hash(client_address, moment)
        ratelimit.check(hashed, moment)
        addition = Addition.objects.create(report=report, text=cleaned, received_at=moment, client_hash=hashed)
        record(AuditAction.REPORT_ADD_INFO, actor=REPORTER, target_type=TARGET_TYPE, target_id=report.pk,
               after={"reference": report.reference, "addition": addition.pk, "characters": len(cleaned)})
    return addition
