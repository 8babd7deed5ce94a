"""Checking what a crawler reports before it is stored: every problem is InvalidObservation."""

from __future__ import annotations

import ipaddress
from datetime import datetime
from typing import Any, Final

from django.utils import timezone

from sentinelle.hashing import (
    SIGNAL_TYPES,
    HashingError,
    Md5Signal,
    PdqPath,
    PdqSignal,
    Sha1Signal,
    Sha256Signal,
    SignalType,
)
from sentinelle.sightings.exceptions import InvalidObservation
from sentinelle.sightings.observations import FoundMatch, SeenMedia

MAX_DISTANCE: Final = 256
MAX_RUN_LENGTH: Final = 200


def media_fields(media: SeenMedia) -> dict[str, Any]:
    """``media`` as the columns of a :class:`~sentinelle.sightings.models.Media` row."""
    fields: dict[str, Any] = {
        "sha256": _hex(Sha256Signal, media.sha256),
        "md5": _hex(Md5Signal, media.md5),
        "sha1": _hex(Sha1Signal, media.sha1),
        "size": _count("size", media.size),
        "mime": _text("mime type", media.mime, 100, required=True).lower(),
        "width": None if media.width is None else _count("width", media.width, minimum=1),
        "height": None if media.height is None else _count("height", media.height, minimum=1),
        "pdq": "",
        "pdq_quality": None,
        "pdq_path": "",
        "problem": _text("problem", media.problem, 64),
    }
    if media.pdq is not None:
        if not 0 <= media.pdq.quality <= 100:
            raise InvalidObservation(f"PDQ quality is 0..100, got {media.pdq.quality}")
        try:
            path = PdqPath(media.pdq.path)
        except ValueError:
            raise InvalidObservation(f"unknown PDQ path {media.pdq.path!r}") from None
        fields.update(
            pdq=_hex(PdqSignal, media.pdq.hash),
            pdq_quality=media.pdq.quality,
            pdq_path=str(path),
        )
    return fields


def match_fields(match: FoundMatch) -> dict[str, Any]:
    """``match`` as the copied columns of a :class:`~sentinelle.sightings.models.Match`."""
    signal = SIGNAL_TYPES.get(match.signal_type)
    if signal is None:
        raise InvalidObservation(f"unknown signal type {match.signal_type!r}")
    distance = _count("distance", match.distance)
    if distance > MAX_DISTANCE:
        raise InvalidObservation(f"a distance is at most {MAX_DISTANCE}, got {distance}")
    return {
        "list_name": _text("list name", match.list_name, 100, required=True),
        "signal_type": signal.name,
        "hash": _hex(signal, match.hash),
        "category": _text("category", match.category, 64),
        "distance": distance,
        "transform": _text("transform", match.transform, 16),
        "confirmed_reference": bool(match.confirmed_reference),
    }


def moment(name: str, value: datetime) -> datetime:
    if not isinstance(value, datetime) or timezone.is_naive(value):
        raise InvalidObservation(f"{name} must be an aware datetime, got {value!r}")
    return value


def address(ip: str | None) -> str | None:
    if ip is None or ip == "":
        return None
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        raise InvalidObservation(f"{ip!r} is not an IP address") from None


def http_status(name: str, status: int | None) -> int | None:
    if status is None:
        return None
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise InvalidObservation(f"{name} is an HTTP status (100..599), got {status!r}")
    return status


def run(value: str | None) -> str:
    return _text("run", value or "", MAX_RUN_LENGTH)


def _hex(signal: type[SignalType], value: str) -> str:
    try:
        return signal.normalize(value)
    except (HashingError, AttributeError, TypeError) as exc:
        raise InvalidObservation(f"bad {signal.name} value {value!r}: {exc}") from None


def _count(name: str, value: int, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidObservation(f"{name} is a whole number of at least {minimum}, got {value!r}")
    return value


def _text(name: str, value: str, limit: int, *, required: bool = False) -> str:
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise InvalidObservation(f"{name} is text of 1..{limit} characters, got {value!r}")
    return value.strip()
