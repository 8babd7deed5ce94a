"""The forms as the pages post them; the services check what the values mean.

``website`` is a honeypot: hidden from people (and from screen readers), filled in by bots.
"""

from __future__ import annotations

from django import forms

from sentinelle.tipline.models import Category
from sentinelle.tipline.validation import (
    MAX_EMAIL,
    MAX_NAME,
    MAX_PHONE,
    MAX_TEXT,
    MAX_URL,
    MAX_URLS,
    MAX_WHEN,
)

# Fields allow the CRs of CRLF line ends and leave the exact limits to the service.
_SLACK = 2


class ReportForm(forms.Form):
    category = forms.ChoiceField(choices=Category.choices)
    danger = forms.ChoiceField(choices=(("yes", "yes"), ("no", "no"), ("unsure", "unsure")))
    urls = forms.CharField(strip=False, max_length=_SLACK * MAX_URLS * (MAX_URL + 1))
    what = forms.CharField(strip=False, max_length=_SLACK * MAX_TEXT)
    when = forms.CharField(required=False, strip=False, max_length=_SLACK * MAX_WHEN)
    contact_name = forms.CharField(required=False, strip=False, max_length=_SLACK * MAX_NAME)
    contact_email = forms.CharField(required=False, strip=False, max_length=_SLACK * MAX_EMAIL)
    contact_phone = forms.CharField(required=False, strip=False, max_length=_SLACK * MAX_PHONE)
    website = forms.CharField(required=False)
    submission = forms.CharField(required=False, max_length=200)  #: the one-time token (submissions.py)


class AdditionForm(forms.Form):
    receipt = forms.CharField(max_length=64)
    text = forms.CharField(strip=False, max_length=_SLACK * MAX_TEXT)
    website = forms.CharField(required=False)


def first_error(form: forms.Form) -> str:
    """The message code for the first field the form refused."""
    codes = {"category": "category", "danger": "danger", "urls": "url-missing", "what": "text-missing",
             "when": "when-long", "receipt": "receipt", "text": "text-missing", "submission": "token"}
    for name, code in codes.items():
        if name in form.errors:
            long = any(e.code == "max_length" for e in form.errors.as_data()[name])
            if long and name != "submission":
                return {"urls": "url-many", "what": "text-long", "text": "text-long"}.get(name, code)
            return code
    if any(name.startswith("contact_") for name in form.errors):
        return "contact-long"
    return "invalid"
