"""The HTTP face of a provider's takedown desk (``takedown.<slug>.test``).

``POST /_sandbox/takedown`` with ``{"urls": [...], "reference": "..."}`` answers the
receipt as JSON; ``GET /`` describes the provider.
"""

from __future__ import annotations

import json
from typing import Any, Final

from aiohttp import web

from sentinelle.sandbox.takedown import TakedownDesk

TAKEDOWN_PATH: Final = "/_sandbox/takedown"
_USAGE: Final = 'expected {"urls": ["http://..."], "reference": "..."}'


def describe(desk: TakedownDesk) -> dict[str, Any]:
    provider = desk.provider
    return {
        "provider": provider.slug,
        "name": provider.name,
        "asn": provider.asn,
        "country": provider.country,
        "abuse_email": provider.abuse_email,
        "network": str(provider.network),
        "policy": str(provider.policy),
        "takedown": TAKEDOWN_PATH,
        "hosts": sorted(desk.hosts),
    }


def _request_of(payload: object) -> tuple[list[str], str] | None:
    """(urls, reference) of a well-formed request body, else None."""
    if not isinstance(payload, dict):
        return None
    urls, reference = payload.get("urls"), payload.get("reference", "")
    if not isinstance(urls, list) or not all(isinstance(url, str) for url in urls):
        return None
    if not isinstance(reference, str):
        return None
    return urls, reference


async def answer_desk(request: web.Request, desk: TakedownDesk) -> web.StreamResponse:
    if request.path == "/" and request.method == "GET":
        return web.json_response(describe(desk))
    if request.path != TAKEDOWN_PATH:
        return web.json_response({"error": "not found"}, status=404)
    if request.method != "POST":
        return web.json_response({"error": "use POST"}, status=405, headers={"Allow": "POST"})
    try:
        payload = json.loads(await request.read())
    except ValueError:
        return web.json_response({"error": "the body is not JSON"}, status=400)
    parsed = _request_of(payload)
    if parsed is None:
        return web.json_response({"error": _USAGE}, status=400)
    receipt = desk.receive(*parsed, via="http")
    return web.json_response(receipt.as_dict())
