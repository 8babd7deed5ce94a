"""A partner's URL feed: each URL becomes a crawl request, as a tipline report's URLs do.

The same checks apply: the URL must be an http(s) address with a host (the tipline's
rules), and the crawler's egress policy must not refuse it outright (a literal private,
loopback or reserved address is refused here; a host name is checked again by the egress
guard after DNS when it is fetched). Accepted URLs go to the shared crawl queue with source
``partner``, de-duplicated against open requests; the partner is the audit actor.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from sentinelle.api.auth import caller_of, scoped
from sentinelle.api.errors import ApiProblem
from sentinelle.api.schemas import answers
from sentinelle.audit.services import Actor
from sentinelle.config import ConfigurationError, integer
from sentinelle.crawl.egress import EgressPolicy
from sentinelle.crawl.exceptions import CrawlError
from sentinelle.crawl.models import Source
from sentinelle.crawl.services import request_crawl
from sentinelle.partners.scopes import Scope
from sentinelle.tipline.exceptions import InvalidReport
from sentinelle.tipline.intake import refusal
from sentinelle.tipline.validation import MAX_URL, clean_urls

router = Router(tags=["reports"])

SETTING = "SENTINELLE_API_REPORT_MAX_URLS"


class ReportIn(Schema):
    urls: list[str] = Field(min_length=1, description="web addresses to crawl (http or https)")
    priority: int = Field(0, ge=0, le=10, description="0 (routine) to 10 (urgent)")


class UrlOutcome(Schema):
    url: str
    accepted: bool
    reason: str | None = Field(description="why a URL was refused (None when accepted)")
    crawl_request: int | None
    already_queued: bool


class ReportOut(Schema):
    accepted: int
    refused: int
    urls: list[UrlOutcome]


@router.post("", response=answers({200: ReportOut}), auth=scoped(Scope.REPORTS_WRITE))
def submit_report(request: HttpRequest, report: ReportIn) -> dict[str, object]:
    """Queue each URL for the crawler, or say why it cannot be crawled."""
    caller = caller_of(request)
    most = integer(SETTING, minimum=1)
    if len(report.urls) > most:
        raise ApiProblem(422, "too-many-urls", f"At most {most} URLs a call.", {"limit": most})
    actor = Actor.partner(caller.partner)
    policy = _policy()
    outcomes = []
    with transaction.atomic():
        for url in report.urls:
            outcomes.append(_take(url, policy, report.priority, actor))
    accepted = sum(1 for o in outcomes if o["accepted"])
    return {"accepted": accepted, "refused": len(outcomes) - accepted, "urls": outcomes}


def _take(url: str, policy: EgressPolicy, priority: int, actor: Actor) -> dict[str, object]:
    outcome: dict[str, object] = {"url": url[: MAX_URL + 1], "accepted": False, "reason": None,
                                  "crawl_request": None, "already_queued": False}
    if not url.strip() or any(c.isspace() for c in url.strip()):
        outcome["reason"] = "invalid-url: one web address per entry"
        return outcome
    try:
        clean = clean_urls(url)[0]
    except InvalidReport as exc:
        outcome["reason"] = f"invalid-url: {exc}"[:300]
        return outcome
    refused = refusal(clean, policy)
    if refused:
        outcome["reason"] = f"egress-refused: {refused}"
        return outcome
    try:
        crawl, created = request_crawl(clean, source=Source.PARTNER, priority=priority, actor=actor)
    except CrawlError as exc:
        outcome["reason"] = f"invalid-url: {exc}"[:300]
        return outcome
    outcome.update(url=clean, accepted=True, crawl_request=crawl.id, already_queued=not created)
    return outcome


def _policy() -> EgressPolicy:
    try:
        return EgressPolicy.from_environment()
    except ConfigurationError:  # a broken allow-list: refuse what the table refuses
        return EgressPolicy()
