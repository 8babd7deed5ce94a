"""What can go wrong with partners and their tokens."""

from sentinelle.exceptions import SentinelleError


class PartnerError(SentinelleError):
    """Root of the partner errors."""


class PartnerNotFound(PartnerError):
    """No partner of that name or id."""


class PartnerExists(PartnerError):
    """A partner of that name already exists."""


class TokenNotFound(PartnerError):
    """No token with that id or prefix (or the prefix is ambiguous)."""


class InvalidScope(PartnerError):
    """A scope name that is not one of :class:`sentinelle.partners.scopes.Scope`."""


class AuthenticationFailed(PartnerError):
    """The token is missing, unknown, expired or revoked, or its partner is inactive.

    ``reason`` says which, for the call record; the caller learns only that it failed.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
