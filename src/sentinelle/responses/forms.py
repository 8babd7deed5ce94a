"""The answer form as the page posts it; the service checks what the answer means."""

from __future__ import annotations

from django import forms

from sentinelle.responses.models import ResponseKind
from sentinelle.responses.validation import KEY, MAX_TEXT


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(choices=ResponseKind.choices)
    # The service counts characters after turning CRLF into LF: allow the CRs here.
    text = forms.CharField(required=False, strip=False, max_length=2 * MAX_TEXT)
    item = forms.CharField(required=False, max_length=36)
    key = forms.RegexField(regex=KEY)
