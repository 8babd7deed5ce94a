"""One JSON shape for every failure: ``{"error": {"code", "message", "details"}}``.

Views raise :class:`ApiProblem` (or let ninja raise its own errors); the handlers installed
by :func:`install_handlers` turn each into that shape. Responses that never reach ninja (an
unknown path, a method a path does not take, a body over the size cap, a server error) are
reshaped by :mod:`sentinelle.api.middleware`, so a client parses a single format.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

logger = logging.getLogger(__name__)

#: The ``code`` of a failure that carries only its HTTP status.
STATUS_CODES: dict[int, str] = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "invalid-request",
    429: "rate-limited",
    500: "server-error",
    503: "unavailable",
}


class ApiProblem(Exception):
    """A failure a view reports to the client, with a stable machine ``code``."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}


def problem_body(status: int, code: str | None = None, message: str | None = None,
                 details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {
        "code": code or STATUS_CODES.get(status, "error"),
        "message": message or HTTPStatus(status).phrase,
        "details": details or {},
    }}


def problem_response(status: int, code: str | None = None, message: str | None = None,
                     details: dict[str, Any] | None = None) -> HttpResponse:
    response = JsonResponse(problem_body(status, code, message, details), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="sentinelle"'
    return response


def _problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    response = problem_response(exc.status, exc.code, exc.message, exc.details)
    retry_after = exc.details.get("retry_after")
    if exc.status in (429, 503) and retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"location": list(e.get("loc", ())), "message": str(e.get("msg", "")), "type": str(e.get("type", ""))}
              for e in exc.errors]
    return problem_response(422, "invalid-request", "The request does not match the schema.", {"errors": errors})


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        return problem_response(401, "unauthenticated", "A valid bearer token is required.")
    if isinstance(exc, AuthorizationError):
        return problem_response(403, "forbidden", str(exc.message))
    if exc.status_code == 400:
        return problem_response(400, "malformed-body", "The request body is not valid JSON.")
    return problem_response(exc.status_code, None, str(exc.message))


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(404, "not-found", str(exc) or "Not Found")


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("API error on %s %s", request.method, getattr(request.resolver_match, "url_name", "?"),
                 exc_info=exc)
    return problem_response(500, "server-error", "Something went wrong on our side; it was logged.")


def install_handlers(api: NinjaAPI) -> None:
    # ninja's handler type also admits exception classes; ours receive instances only.
    handlers: list[tuple[type[Exception], Any]] = [
        (ApiProblem, _problem), (ValidationError, _validation), (HttpError, _http_error),
        (Http404, _not_found), (Exception, _unexpected),
    ]
    for kind, handler in handlers:
        api.add_exception_handler(kind, handler)
