"""Signed webhook deliveries: an HTTP POST of the notice's JSON, through the egress guard.

Headers: ``X-Sentinelle-Timestamp`` (Unix seconds) and ``X-Sentinelle-Signature``
(``sha256=`` and the hex HMAC-SHA256, keyed with the recipient's secret, of
``"{timestamp}.{body}"``), so a receiver can check the body is ours and refuse replays by the
timestamp's age; ``X-Sentinelle-Message-Id`` is the same on every resend (drop duplicates by
it). A 2xx answer is success; 408, 425, 429, 5xx, timeouts and connection failures are
temporary; any other answer (redirects included: they are not followed) is permanent.

A webhook URL comes from the provider directory, which people outside the hotline will fill
in: it is a URL a stranger controls, like a crawled one. So the POST goes through the
crawler's egress guard (:class:`~sentinelle.crawl.fetch.Fetcher`): the host is resolved once,
every answered address must be allowed by the egress policy (no loopback, private,
link-local or metadata address unless ``SENTINELLE_EGRESS_ALLOW`` names it), and the
connection goes to the checked address. A refusal is permanent: nothing was sent, and trying
again would be refused again until the directory or the allowlist changes.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Final

from sentinelle.config import ConfigurationError
from sentinelle.crawl.egress import EgressBlocked, EgressGuard, EgressPolicy
from sentinelle.crawl.fetch import Fetched, Fetcher, FetchError, FetchLimits, ResponseTooLarge
from sentinelle.notices.delivery.base import Envelope, Outcome, Result
from sentinelle.notices.exceptions import DeliveryConfigError
from sentinelle.notices.secrets import MIN_LENGTH, SecretStore
from sentinelle.resolver import ResolutionError, Resolver

_TEMPORARY_STATUSES: Final = frozenset({408, 425, 429})
#: The receiver's answer is only shown (its first 200 characters): a larger one is refused.
MAX_ANSWER: Final = 64 * 1024
USER_AGENT: Final = "sentinelle-notices"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: the HMAC-SHA256 of ``timestamp.body`` keyed with ``secret``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class HttpWebhook:
    """POSTs through the egress guard over ``resolver``; ``timeout`` bounds the whole exchange."""

    name = "webhook"

    def __init__(self, timeout: float, secrets: SecretStore, resolver: Resolver) -> None:
        self.timeout = timeout
        self.secrets = secrets
        self.resolver = resolver

    def deliver(self, envelope: Envelope) -> Result:
        try:
            secret = self.secrets.secret(envelope.webhook_secret_ref)
        except DeliveryConfigError as exc:
            return Result(Outcome.PERMANENT, str(exc))
        if secret is None or len(secret) < MIN_LENGTH:
            return Result(Outcome.PERMANENT, f"no webhook secret {envelope.webhook_secret_ref!r} of "
                          f"{MIN_LENGTH} characters or more in SENTINELLE_WEBHOOK_SECRETS")
        try:
            fetcher = self._fetcher()
        except ConfigurationError as exc:  # a bad SENTINELLE_EGRESS_ALLOW: the operator must act
            return Result(Outcome.PERMANENT, str(exc))
        body = envelope.content["webhook"].encode("utf-8")
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Sentinelle-Reference": envelope.reference,
            "X-Sentinelle-Message-Id": envelope.message_id,
            "X-Sentinelle-Timestamp": timestamp,
            "X-Sentinelle-Signature": signature(secret, timestamp, body),
        }
        try:
            answer = fetcher.request("POST", envelope.webhook_url, body=body, headers=headers, follow=False)
        except EgressBlocked as exc:  # nothing was sent
            return Result(Outcome.PERMANENT, str(exc))
        except ResponseTooLarge as exc:  # it was sent; the receiver misbehaves
            return Result(Outcome.PERMANENT, f"the receiver's answer is too large ({exc})")
        except (ResolutionError, FetchError) as exc:  # no DNS answer, unreachable, timed out
            return Result(Outcome.TEMPORARY, f"{type(exc).__name__}: {exc}")
        return _judge(answer)

    def _fetcher(self) -> Fetcher:
        """Built at each delivery, so a change to ``SENTINELLE_EGRESS_ALLOW`` applies at once."""
        guard = EgressGuard(EgressPolicy.from_environment(), self.resolver)
        limits = FetchLimits(max_bytes=MAX_ANSWER, timeout=self.timeout,
                             connect_timeout=min(5.0, self.timeout), max_redirects=0)
        return Fetcher(guard, limits=limits, user_agent=USER_AGENT)


def _judge(answer: Fetched) -> Result:
    text = answer.body.decode("utf-8", "replace").strip()
    detail = f"HTTP {answer.status} {text[:200]}".strip()
    if answer.status in (301, 302, 303, 307, 308) and answer.headers.get("location"):
        detail += f" (redirect to {answer.headers['location'][:200]} not followed)"
    if 200 <= answer.status < 300:
        return Result(Outcome.SENT, detail)
    if answer.status >= 500 or answer.status in _TEMPORARY_STATUSES:
        return Result(Outcome.TEMPORARY, detail)
    return Result(Outcome.PERMANENT, detail)
