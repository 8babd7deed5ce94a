"""One-time submission tokens: a form's token is the site's own, unexpired, and stores one
report however often it is sent; the unique constraint decides, before the rate limit."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core import signing

from sentinelle.audit.models import AuditEvent
from sentinelle.crawl.models import CrawlRequest
from sentinelle.tipline import submissions
from sentinelle.tipline.exceptions import AlreadyReceived, InvalidSubmission, TooManySubmissions
from sentinelle.tipline.models import Report
from sentinelle.tipline.services import submit_report
from sentinelle.tipline.validation import ReportInput

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def given(**changes: str) -> ReportInput:
    values = {"category": "csam", "danger_now": False, "urls": "https://files.example.net/a.jpg",
              "what_happened": "A gallery of pictures.", "language": "en", "client_address": "203.0.113.7"}
    return ReportInput(**{**values, **changes})  # type: ignore[arg-type]


def signed_at(value: str, moment: float) -> str:
    """A token as the site signs one, at ``moment`` (seconds since the epoch)."""
    signer = signing.TimestampSigner(salt=submissions.SALT)
    return signing.Signer.sign(signer, f"{value}{signer.sep}{signing.b62_encode(int(moment))}")


def test_tokens_are_random_and_only_the_sites_own_are_accepted() -> None:
    first, second = submissions.new_token(), submissions.new_token()
    assert first != second and len(submissions.token_hash(first)) == 64
    assert submissions.token_hash(first) != submissions.token_hash(second)
    assert submissions.token_hash(first) == submissions.token_hash(first)
    random_part = first.split(":")[0]
    assert random_part not in submissions.token_hash(first)
    assert submissions.token_hash(signed_at("x", time.time() - 3600))  # an hour-old form is fine
    for bad in ("", "x", first + "x", "y" + first, signing.Signer(salt="other").sign(random_part)):
        with pytest.raises(InvalidSubmission) as refused:
            submissions.token_hash(bad)
        assert refused.value.code == "token"


def test_a_token_older_than_a_day_is_refused() -> None:
    old = signed_at("x", time.time() - submissions.MAX_AGE.total_seconds() - 60)
    with pytest.raises(InvalidSubmission, match="too old"):
        submissions.token_hash(old)


@pytest.mark.django_db
def test_one_token_stores_one_report() -> None:
    token = submissions.token_hash(submissions.new_token())
    first = submit_report(given(), submission=token, now=NOW).report
    with pytest.raises(AlreadyReceived) as again:
        submit_report(given(what_happened="Sent again."), submission=token, now=NOW + timedelta(seconds=1))
    assert again.value.reference == first.reference and again.value.code == "already"
    assert Report.objects.get().submission_hash == token and CrawlRequest.objects.count() == 1
    assert AuditEvent.objects.filter(action="report:create").count() == 1
    other = submit_report(given(), submission=submissions.token_hash(submissions.new_token()), now=NOW)
    untokened = [submit_report(given(), now=NOW).report for _ in range(2)]  # older callers: no token
    assert other.report.pk != first.pk and all(r.submission_hash is None for r in untokened)
    assert Report.objects.count() == 4


@pytest.mark.django_db
def test_a_duplicate_is_recognised_before_the_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_TIPLINE_SUBMISSIONS_PER_HOUR", "1")
    token = submissions.token_hash(submissions.new_token())
    submit_report(given(), submission=token, now=NOW)
    with pytest.raises(AlreadyReceived):
        submit_report(given(), submission=token, now=NOW)
    with pytest.raises(TooManySubmissions):
        submit_report(given(), submission=submissions.token_hash(submissions.new_token()), now=NOW)
    assert Report.objects.count() == 1 and CrawlRequest.objects.count() == 1
