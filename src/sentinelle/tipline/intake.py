"""A reported URL becomes a crawl request (source ``report``), de-duplicated by the crawl
queue, unless the crawler's egress policy refuses it outright: a literal loopback, private
or otherwise reserved address (``http://127.0.0.1:6379/``) or a URL with no destination is kept
in the report with the reason and never queued. A host name is queued: the crawler's egress
guard checks what it resolves to when it fetches. The reporter is told nothing of this.
"""

from __future__ import annotations

from sentinelle.audit.services import Actor
from sentinelle.config import ConfigurationError
from sentinelle.crawl.egress import EgressPolicy
from sentinelle.crawl.egress_urls import url_target
from sentinelle.crawl.exceptions import CrawlError
from sentinelle.crawl.models import Source
from sentinelle.crawl.services import request_crawl
from sentinelle.tipline.models import Report, ReportUrl

ACTOR = Actor.system("tipline")


def _policy() -> EgressPolicy:
    try:
        return EgressPolicy.from_environment()
    except ConfigurationError:  # a broken allow-list: refuse what the table refuses
        return EgressPolicy()


def refusal(url: str, policy: EgressPolicy) -> str:
    """Why the crawler may never fetch ``url`` (empty when it may try)."""
    try:
        target = url_target(url)
    except CrawlError as exc:
        return str(exc)[:200]
    if target.literal is None:
        return ""
    verdict = policy.decide(target.literal, target.port)
    return "" if verdict.allowed else f"{verdict.reason}: {verdict.detail}"[:200]


def take_urls(report: Report, urls: list[str]) -> list[ReportUrl]:
    """Store ``urls`` on ``report`` and queue the ones the crawler may fetch (in the caller's
    transaction)."""
    policy = _policy()
    rows = []
    for url in urls:
        refused = refusal(url, policy)
        request = None
        if not refused:
            try:
                request, _ = request_crawl(url, source=Source.REPORT, priority=10 if report.danger_now else 0,
                                           actor=ACTOR)
            except CrawlError as exc:  # not a URL the queue can hold
                refused = str(exc)[:200]
        rows.append(ReportUrl.objects.create(report=report, url=url, crawl_request=request, refusal=refused))
    return rows
