"""Errors of the tipline. Each carries a ``code`` the pages translate."""

from sentinelle.exceptions import SentinelleError


class TiplineError(SentinelleError):
    """Root of the tipline errors."""

    code = "invalid"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class InvalidReport(TiplineError):
    """A field is missing, too long or unusable (a URL that is not http(s), an unknown category)."""


class UnknownReceipt(TiplineError):
    """No report has this receipt number."""

    code = "receipt"


class TooManySubmissions(TiplineError):
    """This client sent as many reports and additions as an hour allows."""

    code = "too-many"


class InvalidSubmission(TiplineError):
    """The report form's one-time token is missing, altered, forged or too old."""

    code = "token"


class AlreadyReceived(TiplineError):
    """This form (its one-time token) was sent already: the report exists, nothing is stored."""

    code = "already"

    def __init__(self, reference: str) -> None:
        super().__init__(f"this form was already received as report {reference}")
        self.reference = reference
