"""Signed webhook deliveries: an HTTP POST of the notice's JSON.

Headers: ``X-Sentinelle-Timestamp`` (Unix seconds) and ``X-Sentinelle-Signature``
(``sha256=`` and the hex HMAC-SHA256, keyed with the recipient's secret, of
``"{timestamp}.{body}"``), so a receiver can check the body is ours and refuse replays by the
timestamp's age; ``X-Sentinelle-Message-Id`` is the same on every resend (drop duplicates by
it). A 2xx answer is success; 408, 425, 429, 5xx, timeouts and connection failures are
temporary; any other answer (redirects included: they are not followed) is permanent.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import time
from typing import Final
from urllib.parse import urlsplit

from sentinelle.notices.delivery.base import Envelope, Outcome, Result
from sentinelle.notices.exceptions import DeliveryConfigError
from sentinelle.notices.secrets import MIN_LENGTH, SecretStore

_TEMPORARY_STATUSES: Final = frozenset({408, 425, 429})
_MAX_ANSWER: Final = 4096


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: the HMAC-SHA256 of ``timestamp.body`` keyed with ``secret``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class HttpWebhook:
    name = "webhook"

    def __init__(self, timeout: float, secrets: SecretStore) -> None:
        self.timeout = timeout
        self.secrets = secrets

    def deliver(self, envelope: Envelope) -> Result:
        try:
            secret = self.secrets.secret(envelope.webhook_secret_ref)
        except DeliveryConfigError as exc:
            return Result(Outcome.PERMANENT, str(exc))
        if secret is None or len(secret) < MIN_LENGTH:
            return Result(Outcome.PERMANENT, f"no webhook secret {envelope.webhook_secret_ref!r} of "
                          f"{MIN_LENGTH} characters or more in SENTINELLE_WEBHOOK_SECRETS")
        body = envelope.content["webhook"].encode("utf-8")
        timestamp = str(int(time.time()))
        parts = urlsplit(envelope.webhook_url)
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "sentinelle-notices",
            "X-Sentinelle-Reference": envelope.reference,
            "X-Sentinelle-Message-Id": envelope.message_id,
            "X-Sentinelle-Timestamp": timestamp,
            "X-Sentinelle-Signature": signature(secret, timestamp, body),
        }
        connection = connection_class(parts.hostname or "", parts.port, timeout=self.timeout)
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read(_MAX_ANSWER).decode("utf-8", "replace").strip()
        except (OSError, http.client.HTTPException) as exc:
            return Result(Outcome.TEMPORARY, f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()
        detail = f"HTTP {response.status} {answer[:200]}".strip()
        if 200 <= response.status < 300:
            return Result(Outcome.SENT, detail)
        if response.status >= 500 or response.status in _TEMPORARY_STATUSES:
            return Result(Outcome.TEMPORARY, detail)
        return Result(Outcome.PERMANENT, detail)
