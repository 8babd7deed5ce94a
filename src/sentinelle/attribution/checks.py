"""Checking directory values before anything is written (:class:`InvalidDirectoryEntry`)."""

from __future__ import annotations

import re
from typing import Any, Final
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from sentinelle.attribution.exceptions import InvalidDirectoryEntry
from sentinelle.attribution.models import Channel, Contact, Override, ProviderKind
from sentinelle.attribution.ranges import network_keys, parse_network

_SLUG: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_COUNTRY: Final = re.compile(r"[A-Z]{2}")
_HOST: Final = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")
_SECRET_REF: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_.:-]{0,199}")
LANGUAGES: Final = ("en", "fr")


def slug(value: str) -> str:
    if not _SLUG.fullmatch(value) or len(value) > 100:
        raise InvalidDirectoryEntry(f"a slug is lowercase letters, digits and dashes: {value!r}")
    return value


def asn(value: int) -> int:
    if not 0 < value < 2**32:
        raise InvalidDirectoryEntry(f"an AS number is from 1 to {2**32 - 1}: {value}")
    return value


def _choice(name: str, value: str, choices: Any) -> str:
    allowed = [str(c) for c in choices.values] if hasattr(choices, "values") else list(choices)
    if value not in allowed:
        raise InvalidDirectoryEntry(f"{name} must be one of {', '.join(allowed)}: {value!r}")
    return value


def http_url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidDirectoryEntry(f"{name} must be an http(s) URL: {value!r}")
    return value


def provider_fields(values: dict[str, str]) -> dict[str, str]:
    name = values["name"].strip()
    if not name:
        raise InvalidDirectoryEntry("a provider needs a name")
    codes = [c.strip().upper() for c in values["countries"].split(",") if c.strip()]
    bad = [c for c in codes if not _COUNTRY.fullmatch(c)]
    if bad:
        raise InvalidDirectoryEntry(f"countries are two-letter ISO codes: {', '.join(bad)}")
    template = values["origin_lookup"].strip()
    if template:
        http_url("the origin lookup", template.replace("{url}", "x").replace("{host}", "x"))
        if "{url}" not in template and "{host}" not in template:
            raise InvalidDirectoryEntry("the origin lookup template needs {url} or {host}")
    return {"name": name, "kind": _choice("kind", values["kind"], ProviderKind),
            "countries": ",".join(dict.fromkeys(codes)), "origin_lookup": template}


def contact_fields(address: str, *, channel: str, role: str, language: str, secret_ref: str) -> dict[str, str]:
    _choice("channel", channel, Channel)
    _choice("role", role, Contact.Role)
    _choice("language", language, LANGUAGES)
    text = address.strip()
    if channel == Channel.EMAIL:
        try:
            validate_email(text)
        except ValidationError:
            raise InvalidDirectoryEntry(f"not an e-mail address: {address!r}") from None
        if secret_ref:
            raise InvalidDirectoryEntry("a secret reference goes with a webhook, not an e-mail address")
    else:
        http_url("a webhook", text)
        if not _SECRET_REF.fullmatch(secret_ref):
            raise InvalidDirectoryEntry("a webhook needs --secret-ref: the name of its signing secret "
                                        "(e.g. an environment variable), never the secret itself")
    return {"address": text, "channel": channel, "role": role, "language": language, "secret_ref": secret_ref}


def override_fields(kind: str, value: str, reason: str) -> dict[str, str]:
    _choice("kind", kind, Override.Kind)
    if not reason.strip():
        raise InvalidDirectoryEntry("an override needs a reason")
    text = value.strip().lower().rstrip(".")
    if kind == Override.Kind.NETWORK:
        network = parse_network(text)
        first, last = network_keys(network)
        return {"kind": kind, "value": str(network), "first": first, "last": last, "reason": reason.strip()}
    try:
        text = text.encode("idna").decode("ascii") if not text.isascii() else text
    except UnicodeError:
        raise InvalidDirectoryEntry(f"not a host name: {value!r}") from None
    if not _HOST.fullmatch(text):
        raise InvalidDirectoryEntry(f"not a host name: {value!r}")
    return {"kind": kind, "value": text, "reason": reason.strip()}
