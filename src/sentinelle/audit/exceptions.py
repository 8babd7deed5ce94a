"""Errors of the audit log."""

from sentinelle.exceptions import SentinelleError


class AuditError(SentinelleError):
    """Root of the audit errors."""


class AuditImmutable(AuditError):
    """Something tried to change or delete an audit event."""


class AnchorError(AuditError):
    """The anchor file cannot be written or read."""
