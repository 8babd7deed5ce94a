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
    Section("classification:queue", _("Review"), Permission.REVIEW_CLASSIFY),
    Section("classification:disputes", _("Disagreements"), Permission.REVIEW_SETTLE),
    Section("console:notices", _("Notices"), Permission.NOTICE_VIEW),
    Section("referrals:list", _("Referrals"), Permission.REFERRAL_CREATE),
    Section("statistics:overview", _("Statistics"), Permission.STATS_VIEW),
    Section("console:lists", _("Hash lists"), Permission.REPORT_VIEW),
    Section("console:donotact", _("Do-not-act"), Permission.LIST_EDIT),
    Section("console:providers", _("Providers"), Permission.REPORT_VIEW),
    Section("console:audit", _("Audit log"), Permission.AUDIT_VIEW),
    Section("partners:list", _("Partners"), Permission.PARTNER_MANAGE),
)
