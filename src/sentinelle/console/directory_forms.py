"""The provider-directory forms. Values are checked by :mod:`sentinelle.attribution.checks`
inside the services; these forms only read the fields, and add one check the directory does
not make: a webhook's address must be one the crawler's egress policy would connect to.

Why: a webhook is a URL sentinelle will POST to. One that names a loopback, private or
metadata address (``http://127.0.0.1:6379/``, ``http://169.254.169.254/``) would turn notice
delivery into a way to reach the inside network. The form refuses an address literal the egress
policy refuses (:meth:`EgressPolicy.decide`, with ``SENTINELLE_EGRESS_ALLOW``'s exceptions) and
the ``localhost`` names. A host *name* is not resolved here (its DNS can change after the check):
delivery itself must check again when it connects, which it does not yet do (docs/console-admin.md).
"""

from __future__ import annotations

from typing import Final

from django import forms
from django.utils.translation import gettext_lazy as _

from sentinelle.attribution.models import Channel, Contact, Override, ProviderKind
from sentinelle.crawl.egress import EgressPolicy
from sentinelle.crawl.egress_exceptions import EgressBlocked
from sentinelle.crawl.egress_urls import url_target

LANGUAGES: Final = [("en", "English"), ("fr", "Français")]


def webhook_refusal(url: str) -> str | None:
    """Why the egress policy refuses ``url`` as a webhook, or None when it may be used."""
    try:
        target = url_target(url.strip())
    except EgressBlocked as blocked:
        return str(blocked)
    if target.host == "localhost" or target.host.endswith(".localhost"):
        return f"{target.host} is this machine"
    if target.literal is not None:
        verdict = EgressPolicy.from_environment().decide(target.literal, target.port)
        if verdict.reason is not None:
            return f"{verdict.address} is refused by the egress policy ({verdict.reason}: {verdict.detail})"
    return None


class ProviderForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=ProviderKind.choices)
    countries = forms.CharField(max_length=200, required=False)
    origin_lookup = forms.CharField(max_length=500, required=False)


class NewProviderForm(ProviderForm):
    slug = forms.CharField(max_length=100)
    notes = forms.CharField(max_length=5000, required=False)


class NetworkForm(forms.Form):
    cidr = forms.CharField(max_length=64, required=False)
    asn = forms.IntegerField(required=False, min_value=1, max_value=2**32 - 1)


class NoteForm(forms.Form):
    text = forms.CharField(max_length=2000)


class RemoveNetworkForm(forms.Form):
    network = forms.CharField(max_length=64)


class ContactForm(forms.Form):
    address = forms.CharField(max_length=500)
    channel = forms.ChoiceField(choices=Channel.choices)
    role = forms.ChoiceField(choices=Contact.Role.choices)
    language = forms.ChoiceField(choices=LANGUAGES)
    secret_ref = forms.CharField(max_length=200, required=False)
    preferred = forms.BooleanField(required=False)
    note = forms.CharField(max_length=2000, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("channel") == Channel.WEBHOOK and data.get("address"):
            refusal = webhook_refusal(str(data["address"]))
            if refusal is not None:
                raise forms.ValidationError(_("This webhook address is not allowed: %(why)s") % {"why": refusal})
        return data


class RemoveContactForm(forms.Form):
    address = forms.CharField(max_length=500)


class OverrideForm(forms.Form):
    kind = forms.ChoiceField(choices=Override.Kind.choices)
    value = forms.CharField(max_length=255)
    reason = forms.CharField(max_length=2000)


class RemoveOverrideForm(forms.Form):
    kind = forms.ChoiceField(choices=Override.Kind.choices)
    value = forms.CharField(max_length=255)
    reason = forms.CharField(max_length=2000, required=False)


class ResolveForm(forms.Form):
    resolution = forms.CharField(max_length=2000)
