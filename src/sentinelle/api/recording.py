"""The record of every API call: who, which operation, status, sizes, duration, when.

Only the operation's *name* is kept (``match_hashes``, ``list_changes``), never the path's
values, the query, or the body: no hash, URL or media ever reaches this table. Health
checks and the schema/docs pages are not recorded (probes call them every few seconds).
Records are written in batches (:mod:`sentinelle.api.call_buffer`).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase

from sentinelle import clock
from sentinelle.api.call_buffer import calls
from sentinelle.partners.callers import Caller
from sentinelle.partners.models import ApiCall

NOT_RECORDED = frozenset({"healthz", "readyz", "openapi-json", "openapi-view", "api-docs"})


def record_call(request: HttpRequest, response: HttpResponseBase, seconds: float) -> None:
    name = request.resolver_match.url_name if request.resolver_match else None
    if name in NOT_RECORDED:
        return
    caller = getattr(request, "caller", None)
    if not isinstance(caller, Caller):
        caller = None
    body = getattr(request, "_body", b"")
    size_out = 0 if response.streaming else len(response.content)
    calls.add(ApiCall(
        partner_id=caller.partner_id if caller else None,
        token_id=caller.token_id if caller else None,
        method=(request.method or "")[:8],
        route=(name or "unknown")[:100],
        status=response.status_code,
        bytes_in=len(body) if isinstance(body, bytes) else 0,
        bytes_out=size_out,
        duration_ms=round(seconds * 1000),
        at=clock.current().now(),
    ))
