"""Errors of provider responses. Each carries a ``code`` the pages translate."""

from sentinelle.exceptions import SentinelleError


class ResponsesError(SentinelleError):
    """Root of the response errors."""

    code = "invalid"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class InvalidResponse(ResponsesError):
    """The response itself is wrong: unknown kind, text too long or missing, unknown item."""


class ResponseNotAllowed(ResponsesError):
    """The notice or item cannot be answered now: retracted, cancelled, not sent yet."""

    code = "not-allowed"


class TooManyResponses(ResponsesError):
    """The notice got as many responses as a day allows."""

    code = "too-many"
