"""The do-not-act forms: what was typed; :mod:`sentinelle.donotact.services` checks the value."""

from __future__ import annotations

from typing import Final

from django import forms
from django.utils.translation import gettext_lazy as _

from sentinelle.donotact.models import DoNotAct
from sentinelle.hashing.signals import SIGNAL_TYPES

KINDS: Final = [(DoNotAct.Kind.HASH, _("A hash")), (DoNotAct.Kind.URL, _("A URL")),
                (DoNotAct.Kind.HOST, _("A host and its subdomains"))]


class AddForm(forms.Form):
    kind = forms.ChoiceField(choices=KINDS)
    signal_type = forms.ChoiceField(choices=[("", "—"), *((n, n) for n in SIGNAL_TYPES)], required=False)
    value = forms.CharField(max_length=2048)
    reason = forms.CharField(max_length=2000)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("kind") == DoNotAct.Kind.HASH and not data.get("signal_type"):
            raise forms.ValidationError(_("A hash needs its signal type."))
        return data


class RemoveForm(forms.Form):
    reason = forms.CharField(max_length=2000, required=False)
