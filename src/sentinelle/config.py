"""Every setting sentinelle reads from the environment, in one registry.

Settings come from environment variables only (``SENTINELLE_*`` and ``DATABASE_URL``).
Each is declared here once, with its default and its meaning; ``docs/settings.md``
documents every one of them, and a test fails when a setting is read anywhere
without being declared here or documented there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from sentinelle.exceptions import SentinelleError


class ConfigurationError(SentinelleError):
    """A setting has a value sentinelle cannot use."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str


SETTINGS: Final[dict[str, Setting]] = {
    s.name: s
    for s in (
        Setting(
            "SENTINELLE_DATA_DIR",
            "sentinelle-data",
            "Folder for the SQLite database, generated keys, the audit anchor and saved "
            "indexes (relative paths are from the working directory).",
        ),
        Setting(
            "DATABASE_URL",
            None,
            "Database to use, e.g. postgres://user@127.0.0.1:5432/sentinelle. Unset: SQLite "
            "(WAL mode) at $SENTINELLE_DATA_DIR/sentinelle.sqlite3.",
        ),
        Setting(
            "SENTINELLE_SECRET_KEY",
            None,
            "Django's secret key. Unset: generated once into $SENTINELLE_DATA_DIR/secret.key "
            "(mode 0600). Set it in production.",
        ),
        Setting("SENTINELLE_DEBUG", "false", "Django debug mode (true/false). Never in production."),
        Setting(
            "SENTINELLE_ALLOWED_HOSTS",
            "localhost,127.0.0.1",
            "Comma-separated host names the web server answers to.",
        ),
        Setting(
            "SENTINELLE_PUBLIC_URL",
            "http://127.0.0.1:8000",
            "Address the public reaches `sentinelle serve` at, scheme://host[:port] (no path): "
            "links in notices start with it, its host is allowed, and an https address makes "
            "the CSRF cookie secure.",
        ),
        Setting(
            "SENTINELLE_RESPONSE_LINK_DAYS",
            "90",
            "Days the signed link in a notice lets its recipient answer (removed, dispute, "
            "question) without logging in.",
        ),
        Setting(
            "SENTINELLE_FORWARDED_ALLOW_IPS",
            "127.0.0.1,::1",
            "Comma-separated addresses of the reverse proxies `sentinelle serve` trusts for "
            "X-Forwarded-Proto and X-Forwarded-For (`*` trusts every peer: only when nothing "
            "but the proxy can reach the server).",
        ),
        Setting(
            "SENTINELLE_TIPLINE_CONTACT_RETENTION_DAYS",
            "90",
            "Days a tipline reporter's contact details (name, e-mail, telephone) are kept; "
            "`sentinelle worker` and `sentinelle tipline purge` erase them afterwards.",
        ),
        Setting(
            "SENTINELLE_TIPLINE_SUBMISSIONS_PER_HOUR",
            "10",
            "Reports and additions the tipline takes from one client address in an hour.",
        ),
        Setting(
            "SENTINELLE_AUDIT_ANCHOR",
            None,
            "File the audit chain's head is appended to (outside the database). Unset: "
            "$SENTINELLE_DATA_DIR/audit-anchor.jsonl.",
        ),
        Setting(
            "SENTINELLE_AUDIT_ANCHOR_EVERY",
            "1",
            "Write the chain head to the anchor after this many audit events (1 = every event).",
        ),
        Setting(
            "SENTINELLE_REVIEW_KEY",
            None,
            "Key(s) for review media at rest: Fernet keys (32 bytes, urlsafe base64), comma-"
            "separated for rotation: the first encrypts, all decrypt. Unset: a development key "
            "generated once into $SENTINELLE_DATA_DIR/review.key (mode 0600), with a warning.",
        ),
        Setting(
            "SENTINELLE_REVIEW_RETENTION_DAYS",
            "30",
            "Days review media bytes are kept before the retention job deletes them.",
        ),
        Setting(
            "SENTINELLE_REVIEW_AGREEMENT",
            "2",
            "How many analysts must give a review item the same category before it is decided "
            "(its hashes join the verified list when the category is csam or harmful-abusive).",
        ),
        Setting(
            "SENTINELLE_REVIEW_VERIFIED_LIST",
            "hotline-verified",
            "The stored list analysts' agreed hashes join (created verified on first use).",
        ),
        Setting(
            "SENTINELLE_REVIEW_EXPOSURE_CAP_SECONDS",
            "300",
            "Longest time one look at a review item counts for in an analyst's review time.",
        ),
        Setting(
            "SENTINELLE_EGRESS_ALLOW",
            "",
            "Exceptions to the egress guard (the crawler, rechecks, RDAP, notice webhooks, the API's "
            "match/url): comma-separated CIDR:PORT entries (e.g. 127.1.0.0/16:8080) that may be "
            "reached although they are private or loopback. The sandbox web and tests need it, and a "
            "webhook receiver on your own network (which the crawler may then reach too); never "
            "stored in the database.",
        ),
        Setting(
            "SENTINELLE_REDIS_URL",
            None,
            "Redis for a crawler fleet (e.g. redis://10.0.0.5:6379/0): crawler processes with "
            "the same URL and prefix share one crawl: each page and media URL fetched once "
            "(scrapy-redis, JSON). Unset: each crawler process crawls on its own.",
        ),
        Setting(
            "SENTINELLE_REDIS_PREFIX",
            "sentinelle:",
            "Prefix of the fleet's Redis keys: one prefix per fleet (crawl) sharing a Redis.",
        ),
        Setting(
            "SENTINELLE_FLEET_LEASE_SECONDS",
            "30",
            "How long a fleet member's claim on a page or media URL, and its heartbeat, last "
            "without renewal (renewed every third of it): a member that dies has its work "
            "taken over by the others this long after.",
        ),
        Setting(
            "SENTINELLE_INDEX_DIR",
            None,
            "Folder for the saved matching index. Unset: $SENTINELLE_DATA_DIR/index.",
        ),
        Setting(
            "SENTINELLE_ASN_DB",
            None,
            "The offline IP-to-ASN file attribution reads (iptoasn.com TSV: ip2asn-combined."
            "tsv.gz, .tsv, v4 or v6; gzip accepted). Unset: no AS number, organisation or "
            "country, and every attribution is flagged no-asn-db.",
        ),
        Setting(
            "SENTINELLE_RDAP_URL",
            "https://rdap.org/",
            "RDAP bootstrap service attribution starts each query at (it redirects to the "
            "registry holding the resource). Empty: RDAP turned off.",
        ),
        Setting(
            "SENTINELLE_RDAP_CACHE_HOURS",
            "24",
            "Hours an RDAP answer is used before it is asked again (an older one is still "
            "used, reported as stale, when the registry cannot be reached).",
        ),
        Setting(
            "SENTINELLE_NOTIFY_REGISTRAR",
            "false",
            "true: the domain's registrar (its abuse contact, from RDAP) is a second "
            "recipient of every notice.",
        ),
        Setting(
            "SENTINELLE_SMTP_URL",
            None,
            "Mail server notices are sent through: smtp://HOST:PORT (plain), "
            "smtp+starttls://HOST:587 or smtps://HOST:465, with USER:PASSWORD@ before the host "
            "when it needs a login. Unset: development mode, notices and webhooks are written "
            "to the log and nothing is sent (with a loud warning).",
        ),
        Setting(
            "SENTINELLE_NOTICE_FROM",
            "sentinelle@localhost",
            "Address notices come from (\"Name <address>\" works); its domain ends every "
            "notice's Message-ID.",
        ),
        Setting(
            "SENTINELLE_NOTICE_ORG",
            "",
            "The hotline's name as notices and XARF reports give it. Empty: the name in "
            "SENTINELLE_NOTICE_FROM, else its address.",
        ),
        Setting(
            "SENTINELLE_WEBHOOK_SECRETS",
            None,
            "File of the secrets that sign webhook notices, one NAME=SECRET per line (16 "
            "characters or more); recipients name theirs. Kept out of the database. Unset: "
            "$SENTINELLE_DATA_DIR/webhook-secrets.",
        ),
        Setting(
            "SENTINELLE_NOTICE_WINDOW_MINUTES",
            "1440",
            "Items for one recipient are batched into one notice per window of this many "
            "minutes (windows start at multiples of it from midnight UTC); the notice goes out "
            "when its window ends.",
        ),
        Setting(
            "SENTINELLE_LEGAL_BASIS_CSAM",
            "",
            "The legal basis a notice gives for csam items (the operator's text, quoted as is).",
        ),
        Setting(
            "SENTINELLE_LEGAL_BASIS_HARMFUL",
            "",
            "The legal basis (or policy) a notice gives for harmful-abusive items.",
        ),
        Setting(
            "SENTINELLE_XARF_CSAM_CLASSIFICATION",
            "baseline",
            "XARF v4 classification of csam items: baseline, A1, A2, B1 or B2.",
        ),
        Setting(
            "SENTINELLE_NOTICE_TIMEOUT",
            "30",
            "Seconds a mail server or webhook may take to answer before the attempt counts as "
            "a temporary failure.",
        ),
        Setting(
            "SENTINELLE_NOTICE_CLAIM_SECONDS",
            "300",
            "How long a worker holds a notice it is sending; if it dies, another worker sends "
            "the notice again (same Message-ID) after this. Keep it above twice the timeout.",
        ),
        Setting(
            "SENTINELLE_NOTICE_RETRY_BASE_SECONDS",
            "60",
            "Wait after a first temporary failure; doubled after each further one.",
        ),
        Setting(
            "SENTINELLE_NOTICE_RETRY_CAP_SECONDS",
            "21600",
            "Longest wait between two attempts.",
        ),
        Setting(
            "SENTINELLE_NOTICE_MAX_ATTEMPTS",
            "12",
            "Attempts before a notice that keeps failing temporarily is marked failed for the "
            "operator.",
        ),
        Setting(
            "SENTINELLE_RECHECK_HOURS",
            "24",
            "Hours between two rechecks of a noticed URL (fractions allowed, e.g. 0.01 for a "
            "demonstration); an inconclusive recheck is tried again after this or an hour, "
            "whichever is shorter.",
        ),
        Setting(
            "SENTINELLE_ESCALATE_AFTER",
            "2",
            "Reminders sent to the recipient (one per recheck that finds the URL still there) "
            "before the item escalates.",
        ),
        Setting(
            "SENTINELLE_ESCALATION_POLICY",
            "upstream,hotline,law-enforcement",
            "The escalation steps, in order, one per further recheck that finds the URL still "
            "there: upstream (the upstream network's abuse contact), hotline (the hosting "
            "country's hotline, from `sentinelle hotlines`), law-enforcement (flagged for an "
            "analyst). Empty: no escalation.",
        ),
        Setting(
            "SENTINELLE_LOGIN_MAX_FAILURES",
            "5",
            "Consecutive failed logins (password or code) that lock an account for "
            "SENTINELLE_LOGIN_LOCK_MINUTES.",
        ),
        Setting(
            "SENTINELLE_LOGIN_CLIENT_MAX_FAILURES",
            "20",
            "Failed logins from one client address (on any accounts) that lock that client for "
            "SENTINELLE_LOGIN_LOCK_MINUTES; the address is kept only as a daily HMAC.",
        ),
        Setting("SENTINELLE_LOGIN_LOCK_MINUTES", "15", "How long a lockout lasts (minutes, fractions allowed)."),
        Setting(
            "SENTINELLE_API_RATE_PER_MINUTE",
            "600",
            "Partner API calls one token may make in a minute (a token's own limit wins; 0: no "
            "limit). Over it: 429 with Retry-After. Counted in Redis when SENTINELLE_REDIS_URL is "
            "set, else in the database cache.",
        ),
        Setting(
            "SENTINELLE_API_MAX_BODY_BYTES",
            "1048576",
            "Largest partner API request body (bytes) for operations without a cap of their own "
            "(media matching has its own); larger: 413.",
        ),
        Setting(
            "SENTINELLE_API_REPORT_MAX_URLS",
            "100",
            "URLs one POST /api/v1/reports call may carry.",
        ),
        Setting(
            "SENTINELLE_API_MEDIA_MAX_BYTES",
            "20971520",
            "Largest image the partner API's /match/media and /match/url accept (bytes); larger: 413.",
        ),
        Setting(
            "SENTINELLE_API_INDEX_GRACE_SECONDS",
            "120",
            "How long /readyz tolerates a serving index behind the lists (while the worker rebuilds "
            "it), and how long superseded index folders are kept before they are deleted.",
        ),
        Setting(
            "SENTINELLE_API_TOKEN_CACHE_SECONDS",
            "60",
            "How long an API server process keeps a token it authenticated (0: read it on every "
            "call). A change to a partner or token through sentinelle applies on the next call anyway.",
        ),
        Setting("SENTINELLE_API_RECORD_BATCH", "100", "API call records buffered per process before one bulk insert "
                "(1: written during each call)."),
        Setting("SENTINELLE_API_RECORD_FLUSH_SECONDS", "1", "Longest an API call record waits in its "
                "process's buffer (whole seconds)."),
    )
}


def setting(name: str) -> str | None:
    """The value of a declared setting: the environment's, or its default."""
    declared = SETTINGS[name]
    return os.environ.get(name, declared.default)


def flag(name: str) -> bool:
    value = (setting(name) or "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise ConfigurationError(f"{name} must be true or false, got {value!r}")


def integer(name: str, *, minimum: int = 0) -> int:
    value = setting(name) or ""
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, got {value!r}") from None
    if number < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {number}")
    return number


def data_dir() -> Path:
    return Path(setting("SENTINELLE_DATA_DIR") or "sentinelle-data").resolve()


def path_setting(name: str, default_name: str) -> Path:
    """A path setting whose default lives in the data folder."""
    value = setting(name)
    return Path(value).resolve() if value else data_dir() / default_name


def public_url() -> str:
    """``SENTINELLE_PUBLIC_URL`` checked: ``scheme://host[:port]``, without a trailing slash."""
    value = (setting("SENTINELLE_PUBLIC_URL") or "").strip().rstrip("/")
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        parts = parts._replace(netloc="")
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query \
            or parts.fragment or parts.username or parts.password:
        raise ConfigurationError(
            f"SENTINELLE_PUBLIC_URL must look like https://host[:port] (no path, query or login), got {value!r}"
        )
    return value
