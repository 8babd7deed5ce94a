"""The console's sections, in the order of its navigation: each with the permission it needs.

A package that adds pages to the console adds one line here (its URL name and label); the
navigation shows a user only the sections their permissions open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sentinelle.accounts.permissions import Permission


@dataclass(frozen=True)
class Section:
    url_name: str
    label: Promise
    permission: Permission


SECTIONS: Final[tuple[Section, ...]] = (
    Section("console:queue", _("Reports"), Permission.REPORT_VIEW),
    Section("statistics:overview", _("Statistics"), Permission.STATS_VIEW),
)
