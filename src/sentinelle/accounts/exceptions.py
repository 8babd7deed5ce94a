"""Errors of the accounts package."""

from sentinelle.exceptions import SentinelleError


class AccountsError(SentinelleError):
    """Root of the account errors."""


class UnknownUser(AccountsError):
    """No account has this user name."""


class UserExists(AccountsError):
    """An account already has this user name."""


class InvalidAccount(AccountsError):
    """A value is unusable: unknown role, bad user name, or a password the validators refuse."""


class AdministratorExists(AccountsError):
    """``createadmin`` found an active administrator already."""


class LastAdministrator(AccountsError):
    """The change would leave no active administrator."""
