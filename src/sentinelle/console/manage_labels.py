"""What the list, directory and audit pages say after a change (``?done=`` after a redirect)."""

from __future__ import annotations

from typing import Final

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sentinelle.audit.services import Actor

DONE: Final[dict[str, Promise]] = {
    "created": _("The list was created."),
    "imported": _("The file was imported."),
    "enabled": _("The list is enabled: scans use it."),
    "disabled": _("The list is disabled: scans no longer use it."),
    "verified": _("The list is verified: its matches now trigger automatic notices."),
    "unverified": _("The list is no longer verified: its matches no longer trigger automatic notices."),
    "category": _("The category was changed."),
    "hash-added": _("The hash was added."),
    "hash-removed": _("The hash was removed."),
    "donotact-added": _("The entry was added to the do-not-act list."),
    "donotact-removed": _("The entry was removed from the do-not-act list."),
    "provider-created": _("The provider was created."),
    "provider-updated": _("The provider was updated."),
    "network-added": _("The network was added."),
    "network-removed": _("The network was removed."),
    "contact-set": _("The contact was saved."),
    "contact-removed": _("The contact was removed."),
    "note-added": _("The note was added."),
    "override-added": _("The override was added."),
    "override-removed": _("The override was removed."),
    "flag-resolved": _("The flag was resolved."),
}


def done(request: HttpRequest) -> Promise | str:
    """The confirmation to show after a redirect, or nothing."""
    return DONE.get(request.GET.get("done", ""), "") if request.method == "GET" else ""


def actor(request: HttpRequest) -> Actor:
    return Actor.user(request.user.get_username())


def problems(form: object) -> list[str]:
    """A form's errors, one line per problem (the field's name first when it has one); a list
    file's error report keeps its lines."""
    lines: list[str] = []
    for field, messages in getattr(form, "errors", {}).items():
        for message in messages:
            prefix = "" if field == "__all__" else f"{field}: "
            lines.extend(f"{prefix}{line.strip()}" for line in str(message).splitlines() if line.strip())
    return lines
