"""What the page says about items and refused answers, translated (English, French)."""

from __future__ import annotations

from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STATUS: Final[dict[str, Promise]] = {
    "open": _("open: removal requested"),
    "removed": _("removed"),
    "disputed": _("disputed: an analyst is reviewing it"),
    "retracted": _("withdrawn: no action needed"),
}
CATEGORY: Final[dict[str, Promise]] = {
    "csam": _("Child sexual abuse material"),
    "harmful-abusive": _("Harmful-abusive material depicting children"),
}
KIND: Final[dict[str, Promise]] = {
    "removed": _("Removed"),
    "dispute": _("Dispute"),
    "question": _("Question"),
}
NEXT_STEP: Final[dict[str, Promise]] = {
    "removed": _("We will check the address again shortly; the item is closed once it no longer serves the file."),
    "dispute": _("An analyst will review your dispute and reply to you."),
    "question": _("An analyst will read your question and reply to you."),
}
REFUSED: Final[dict[str, Promise]] = {
    "kind": _("Choose what you are telling us: removed, dispute or question."),
    "item": _("That item is not on this notice."),
    "text-missing": _("Please give the reason for your dispute, or your question."),
    "text-long": _("The text is too long: at most 2,000 characters are accepted."),
    "text-control": _("The text contains characters that cannot be accepted."),
    "retracted": _("This item was withdrawn: no action is needed."),
    "cancelled": _("This notice was withdrawn before it was sent: no action is needed."),
    "not-sent": _("This notice has not been sent yet."),
    "too-many": _("This notice has received many answers today. Please try again tomorrow."),
    "invalid": _("The form was incomplete. Reload the page and try again."),
}


def refused(code: str) -> Promise:
    return REFUSED.get(code, REFUSED["invalid"])
