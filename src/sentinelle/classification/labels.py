"""What the review pages call categories and results (English, French)."""

from __future__ import annotations

from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sentinelle.classification.models import Category

CATEGORY: Final[dict[str, Promise]] = {
    Category.CSAM: _("Child sexual abuse material (csam)"),
    Category.HARMFUL: _("Harmful or abusive (harmful-abusive)"),
    Category.NOT_ILLEGAL: _("Not illegal"),
}
KIND: Final[dict[str, Promise]] = {
    "unknown": _("Unknown media from a confirmed page"),
    "unverified": _("Matched an unverified list: waits before any notice"),
}
CLASSIFIED: Final = _("Your classification was recorded.")
SETTLED: Final = _("The settlement was recorded: it is final.")
REFUSED_CATEGORY: Final = _("Choose one of the categories.")
ALREADY: Final = _("This item was already classified by you, or decided.")
AWAITING: Final = _("The analysts disagreed on this item: a supervisor settles it.")
NOT_DISPUTED: Final = _("Only items the analysts disagreed on are settled.")
NOT_LISTED: Final = _("The verified list is not marked verified: ask an administrator.")
GONE: Final = _("This item is no longer in the review queue.")
REVEAL_EXPIRED: Final = _("That reveal was used or expired: reveal again.")
#: The console navigation's labels of these pages (sentinelle/console/sections.py): their French
#: lives in this package's catalogue.
SECTIONS: Final = (_("Review"), _("Disagreements"))
