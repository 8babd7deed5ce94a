"""What the console pages call outcomes and refusals (English, French)."""

from __future__ import annotations

from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sentinelle.console.models import Outcome

OUTCOME: Final[dict[str, Promise]] = {
    Outcome.ACTIONED: _("Actioned"),
    Outcome.REFERRED: _("Referred to the police or another hotline"),
    Outcome.NO_VIOLATION: _("No violation"),
    Outcome.DUPLICATE: _("Duplicate of another report"),
    Outcome.UNREACHABLE: _("Content gone or unreachable"),
}
DONE: Final = _("The outcome was recorded: the report left the open queue.")
REFUSED: Final = _("Choose one of the outcomes.")
