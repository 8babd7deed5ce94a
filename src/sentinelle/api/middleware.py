"""What happens around every API call: the body cap, one error shape, and the call record.

Runs for paths under ``/api/`` only, and sends them down the API's own short path
(:mod:`sentinelle.api.dispatch`) instead of the pages' middleware. Before the view, the body is checked against the
operation's cap (:mod:`sentinelle.api.limits`) and read; after it, an error answer that is
not JSON yet (an unknown path, a method a path does not take, a server error rendered by
Django) is rewritten in the API's shape, and the call is recorded (:mod:`.recording`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.http.request import RawPostDataException

from sentinelle.api import recording
from sentinelle.api.dispatch import ApiHandler
from sentinelle.api.errors import problem_response
from sentinelle.api.limits import cap_for

PREFIX = "/api/"
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.api = ApiHandler(self.process_view)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.api.respond(request)
        response = _as_problem(response)
        recording.record_call(request, response, time.perf_counter() - started)
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponseBase | None:
        if not request.path.startswith(PREFIX):
            return None
        name = request.resolver_match.url_name if request.resolver_match else None
        cap = cap_for(name)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return problem_response(400, "bad-request", "Content-Length is not a number.")
        if declared > cap:
            return _too_large(cap, declared)
        try:
            body = request.read(cap + 1)
        except RawPostDataException:  # already read (a test client quirk): nothing to cap
            return None
        if len(body) > cap:
            return _too_large(cap, len(body))
        request._body = body  # the view reads this instead of the site-wide capped stream
        return None


def _too_large(cap: int, size: int) -> HttpResponseBase:
    return problem_response(
        413, "payload-too-large", f"The request body is over this operation's limit of {cap} bytes.",
        {"limit_bytes": cap, "size_bytes": size},
    )


def _as_problem(response: HttpResponseBase) -> HttpResponseBase:
    if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
        return response
    problem = problem_response(response.status_code)
    for header in KEPT_HEADERS:
        if header in response:
            problem[header] = response[header]
    return problem
