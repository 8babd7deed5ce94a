"""What the tipline pages say about categories and refused forms (English, French)."""

from __future__ import annotations

from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sentinelle.tipline.models import Category

CATEGORY: Final[dict[str, Promise]] = {
    Category.CSAM: _("Child sexual abuse material"),
    Category.LURING: _("Luring: an adult contacting a child online to sexually exploit them"),
    Category.INTIMATE_IMAGES: _("Non-consensual distribution of intimate images of a person under 18"),
    Category.MAKING_AVAILABLE: _("Making sexually explicit material available to a child"),
    Category.ARRANGEMENT: _("Agreement or arrangement to commit a sexual offence against a child"),
    Category.TRAFFICKING: _("Trafficking of children"),
    Category.COMMERCIAL: _("Commercial sexual exploitation of children"),
    Category.TRAVELLING: _("Travelling to sexually exploit a child"),
    Category.SEXTORTION: _("Sextortion: threats to share sexual images of a young person"),
    Category.OTHER: _("Other online harm to a child"),
}
REFUSED: Final[dict[str, Promise]] = {
    "category": _("Choose what the report is about."),
    "danger": _("Say whether a child may be in danger now."),
    "url": _("One of the addresses is not a web address (it should start with http:// or https://)."),
    "url-missing": _("Give at least one web address (URL)."),
    "url-long": _("One of the addresses is too long: at most 2,048 characters."),
    "url-many": _("Too many addresses: at most 20 in one report."),
    "urls-long": _("Too many addresses: at most 20 in one report."),
    "text-missing": _("Please say what happened."),
    "text-long": _("The text is too long: at most 10,000 characters are accepted."),
    "when-long": _("The answer about when is too long: at most 200 characters."),
    "contact-long": _("A contact detail is too long."),
    "receipt": _("No report has this receipt number. Check it and try again."),
    "too-many": _("Many reports came from your connection in the last hour. Please try again later."),
    "too-big": _("The form is too large to be accepted."),
    "token": _("This form could not be accepted: it did not come from this site's page, or it is too old. "
               "Nothing was stored. Check what you wrote below and send it again."),
    "invalid": _("The form was incomplete. Reload the page and try again."),
}


def refused(code: str) -> Promise:
    return REFUSED.get(code, REFUSED["invalid"])
