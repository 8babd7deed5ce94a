"""The hash-list forms: they read and check what was typed or uploaded; services do the rest.

An uploaded file is parsed whole by :func:`sentinelle.lists.parse_list` before anything is
stored: a file with one bad line is refused with the list of problems, and nothing changes.
"""

from __future__ import annotations

from typing import Final

from django import forms
from django.utils.translation import gettext_lazy as _

from sentinelle.hashing.signals import SIGNAL_TYPES
from sentinelle.lists import HashList, ListEntry, ListsError, parse_list
from sentinelle.lists.formats import choose_format

#: The largest list file the console takes (bigger lists: ``sentinelle lists import``).
MAX_UPLOAD_BYTES: Final = 20 * 1024 * 1024
SIGNALS: Final = [(name, name) for name in SIGNAL_TYPES]
FORMATS: Final = [("", _("From the file name (.csv, .jsonl, .txt)")), ("csv", "CSV"),
                  ("jsonl", "JSON Lines"), ("text", _("Plain text, one hash a line"))]


def _list_name(value: str) -> None:
    # The name is part of the list's address in the console.
    if not value.strip() or "/" in value:
        raise forms.ValidationError(_("A list name is not empty and has no slash."))


class ListForm(forms.Form):
    name = forms.CharField(max_length=100, validators=[_list_name])
    category = forms.CharField(max_length=64, required=False)
    source = forms.CharField(max_length=500, required=False)


class CategoryForm(forms.Form):
    category = forms.CharField(max_length=64, required=False)


class HashForm(forms.Form):
    signal_type = forms.ChoiceField(choices=SIGNALS)
    hash = forms.CharField(max_length=200)
    category = forms.CharField(max_length=64, required=False)
    note = forms.CharField(max_length=4096, required=False)

    def entry(self) -> ListEntry | None:
        """The checked entry, or None with the reason added to the form's errors."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        try:
            return ListEntry(data["signal_type"], data["hash"], data["category"] or None, None, data["note"] or None)
        except ListsError as error:
            self.add_error(None, str(error))
            return None


class RemoveHashForm(forms.Form):
    signal_type = forms.ChoiceField(choices=SIGNALS)
    hash = forms.CharField(max_length=200)
    reason = forms.CharField(max_length=500, required=False)


class ImportForm(forms.Form):
    name = forms.CharField(max_length=100, validators=[_list_name])
    file = forms.FileField()
    format = forms.ChoiceField(choices=FORMATS, required=False)
    signal_type = forms.ChoiceField(choices=[("", "—"), *SIGNALS], required=False)
    replace = forms.BooleanField(required=False)
    confirm_replace = forms.BooleanField(required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %(limit)s MB: import it with the command line.")
                                        % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)})
        if data.get("replace") and not data.get("confirm_replace"):
            raise forms.ValidationError(_("Replacing removes every hash that is not in the file: tick the "
                                          "confirmation to do it."))
        return data

    def hash_list(self) -> HashList | None:
        """The whole file as a list, or None with every problem in the form's errors."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        upload = data["file"]
        try:
            chosen = choose_format(data["format"] or None, upload.name)
            return parse_list(upload.file, chosen, name=data["name"].strip(), source=f"upload {upload.name}",
                              signal_type=data["signal_type"] or None if chosen == "text" else None)
        except ListsError as error:
            self.add_error(None, str(error))
            return None
