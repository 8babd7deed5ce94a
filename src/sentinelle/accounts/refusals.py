"""What the account pages say when the service refuses a change: a message in the page's
language for each kind of AccountsError (never the service's English text)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sentinelle.accounts.exceptions import (
    AccountsError,
    InvalidUserName,
    LastAdministrator,
    PasswordRefused,
    UnknownUser,
    UserExists,
)


def refusal(error: AccountsError) -> str:
    if isinstance(error, PasswordRefused):
        return _("The password was refused: %(reasons)s") % {"reasons": " ".join(error.reasons)}
    if isinstance(error, UserExists):
        return _("An account with this user name exists already.")
    if isinstance(error, InvalidUserName):
        return _("A user name is 1 to 150 letters, digits or . _ @ - and starts with a letter or a digit.")
    if isinstance(error, UnknownUser):
        return _("There is no account with this user name.")
    if isinstance(error, LastAdministrator):
        return _("This is the last active administrator: make another administrator first.")
    return _("This value is not accepted: nothing was changed.")
