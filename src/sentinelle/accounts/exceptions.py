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


class InvalidUserName(InvalidAccount):
    """A user name outside 1-150 letters, digits or ``. _ @ -``."""


class PasswordRefused(InvalidAccount):
    """Django's password validators refused a password; ``reasons`` are their messages (in the
    language active when they were checked)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("password refused: " + " ".join(reasons))
        self.reasons = reasons


class AdministratorExists(AccountsError):
    """``createadmin`` found an active administrator already."""


class LastAdministrator(AccountsError):
    """The change would leave no active administrator."""
