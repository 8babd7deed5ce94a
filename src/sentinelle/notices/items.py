"""What a caller asks to put on a notice, checked before anything is stored."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from sentinelle.crawl.exceptions import InvalidUrl
from sentinelle.crawl.normalize import normalize_url
from sentinelle.hashing import HashingError, signal_type
from sentinelle.notices import configuration
from sentinelle.notices.exceptions import InvalidNoticeItem


@dataclass(frozen=True)
class ListedHash:
    """A listed hash the item's file matched (the one whose removal from every list, or
    arrival on the do-not-act list, retracts the item)."""

    list_name: str
    signal_type: str
    hash: str


@dataclass(frozen=True)
class ItemInput:
    """A file seen at a URL, to be noticed: its hashes, category and when it was seen."""

    url: str
    sha256: str
    category: str
    first_seen: datetime
    last_verified: datetime
    md5: str = ""
    sha1: str = ""
    pdq: str = ""
    mime: str = ""
    ip: str | None = None
    matched: tuple[ListedHash, ...] = ()
    sighting_id: int | None = None

    def listed(self, columns: dict[str, Any]) -> list[ListedHash]:
        """The listed hashes the item stands on: those given, else its own hashes."""
        if self.matched:
            return [
                ListedHash(m.list_name, m.signal_type, _hash(m.signal_type, m.hash, required=True))
                for m in self.matched
            ]
        return [ListedHash("", kind, columns[kind]) for kind in ("sha256", "md5", "sha1", "pdq") if columns[kind]]

    def columns(self) -> dict[str, Any]:
        """The item as :class:`~sentinelle.notices.models.NoticeItem` columns, or
        :class:`InvalidNoticeItem`."""
        try:
            normalized = normalize_url(self.url)
        except InvalidUrl as exc:
            raise InvalidNoticeItem(f"{self.url!r}: {exc}") from None
        if self.category not in configuration.CATEGORIES:
            raise InvalidNoticeItem(
                f"{normalized.url}: category is csam or harmful-abusive, not {self.category!r}"
            )
        first, last = _moment("first_seen", self.first_seen), _moment("last_verified", self.last_verified)
        if last < first:
            raise InvalidNoticeItem(f"{normalized.url}: last_verified is before first_seen")
        return {
            "url": normalized.url,
            "url_key": normalized.key,
            "host": normalized.host,
            "ip": _address(self.ip),
            "sha256": _hash("sha256", self.sha256, required=True),
            "md5": _hash("md5", self.md5),
            "sha1": _hash("sha1", self.sha1),
            "pdq": _hash("pdq", self.pdq),
            "mime": self.mime.strip().lower()[:100],
            "category": self.category,
            "legal_basis": configuration.legal_basis(self.category),
            "sighting_id": self.sighting_id,
            "first_seen": first,
            "last_verified": last,
        }


def _hash(kind: str, value: str, *, required: bool = False) -> str:
    if not value and not required:
        return ""
    try:
        return signal_type(kind).normalize(value)
    except (HashingError, AttributeError, TypeError) as exc:
        raise InvalidNoticeItem(f"bad {kind} value {value!r}: {exc}") from None


def _moment(name: str, value: datetime) -> datetime:
    if not isinstance(value, datetime) or timezone.is_naive(value):
        raise InvalidNoticeItem(f"{name} must be an aware datetime, got {value!r}")
    return value


def _address(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise InvalidNoticeItem(f"{value!r} is not an IP address") from None
