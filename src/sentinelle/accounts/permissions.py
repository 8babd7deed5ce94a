"""Roles and permissions: string enums, stored as strings, and the table that joins them.

A user has exactly one role; a role grants a fixed set of permissions (this table is the only
place they are decided, documented in docs/accounts.md). Views and commands ask for a
permission, never for a role.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Role(StrEnum):
    ANALYST = "analyst"  #: triages reports and classifies media
    SUPERVISOR = "supervisor"  #: an analyst who also sends notices, edits lists, reads the audit log
    ADMINISTRATOR = "administrator"  #: manages accounts (and may do everything else)


class Permission(StrEnum):
    REPORT_VIEW = "report:view"
    REPORT_TRIAGE = "report:triage"  #: set a report's outcome; see the reporter's contact details
    REVIEW_CLASSIFY = "review:classify"
    REVIEW_REVEAL = "review:reveal"  #: see review media unblurred, in colour (audited)
    REVIEW_SETTLE = "review:settle"  #: decide a classification the analysts disagreed on
    NOTICE_VIEW = "notice:view"  #: the notices pages: items, timeline, responses
    NOTICE_SEND = "notice:send"  #: send, re-send, retract notices by hand; answer disputes
    REFERRAL_CREATE = "referral:create"  #: make a law-enforcement referral package
    LIST_EDIT = "list:edit"  #: hash lists and the do-not-act list
    DIRECTORY_EDIT = "directory:edit"  #: the provider directory: providers, contacts, overrides
    PARTNER_MANAGE = "partner:manage"  #: partner API accounts and tokens
    AUDIT_VIEW = "audit:view"
    STATS_VIEW = "stats:view"  #: the statistics pages and the transparency report
    ACCOUNT_MANAGE = "account:manage"


_ANALYST: Final = frozenset({
    Permission.REPORT_VIEW, Permission.REPORT_TRIAGE, Permission.REVIEW_CLASSIFY, Permission.REVIEW_REVEAL,
    Permission.NOTICE_VIEW, Permission.REFERRAL_CREATE,
})

ROLE_PERMISSIONS: Final[dict[Role, frozenset[Permission]]] = {
    Role.ANALYST: _ANALYST,
    Role.SUPERVISOR: _ANALYST | {
        Permission.REVIEW_SETTLE, Permission.NOTICE_SEND, Permission.LIST_EDIT, Permission.DIRECTORY_EDIT,
        Permission.AUDIT_VIEW, Permission.STATS_VIEW,
    },
    Role.ADMINISTRATOR: frozenset(Permission),
}


def permissions_of(role: str) -> frozenset[Permission]:
    """The permissions of a role given as a string; none for an unknown one."""
    try:
        return ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return frozenset()
