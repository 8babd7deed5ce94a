"""Asking a CDN for the origin behind a URL it fronts (an "origin disclosure").

A CDN entry of the provider directory may carry ``origin_lookup``, a URL template with
``{url}`` and/or ``{host}`` (percent-encoded when filled in), e.g.
``https://abuse.cdn.example/origin?url={url}``. The answer must be JSON with ``origin_ip``
(other members are kept as they are); 404 means the CDN does not front the URL. The fetch
goes through the egress guard like every other.
"""

from __future__ import annotations

import json
from ipaddress import ip_address
from typing import Any
from urllib.parse import quote

from sentinelle.crawl.egress import EgressBlocked
from sentinelle.crawl.fetch import Fetcher, FetchError
from sentinelle.resolver import ResolutionError


def lookup_url(template: str, url: str, host: str) -> str:
    return template.replace("{url}", quote(url, safe="")).replace("{host}", quote(host, safe=""))


def reveal_origin(fetcher: Fetcher, template: str, url: str, host: str) -> dict[str, Any]:
    """``{"lookup": URL, "origin_ip": ..., "answer": {...}}``, or with ``error`` instead."""
    asked = lookup_url(template, url, host)
    found: dict[str, Any] = {"lookup": asked}
    try:
        fetched = fetcher.get(asked, headers={"Accept": "application/json"})
    except (EgressBlocked, FetchError, ResolutionError) as error:
        return found | {"error": f"the origin lookup failed: {error}"}
    try:
        answer = json.loads(fetched.body)
    except (ValueError, UnicodeDecodeError):
        answer = None
    if fetched.status == 404:
        return found | {"error": "the CDN says it does not front this URL"}
    if fetched.status != 200 or not isinstance(answer, dict):
        return found | {"error": f"the origin lookup answered HTTP {fetched.status} without a JSON object"}
    try:
        origin = ip_address(str(answer.get("origin_ip", "")))
    except ValueError:
        return found | {"error": f"the answer has no valid origin_ip: {answer.get('origin_ip')!r}"}
    return found | {"origin_ip": str(origin), "answer": answer}
