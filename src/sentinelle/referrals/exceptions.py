"""Errors of the law-enforcement referrals. Each carries a ``code`` the pages translate."""

from sentinelle.exceptions import SentinelleError


class ReferralError(SentinelleError):
    """Root of the referral errors."""

    code = "invalid"


class NothingToRefer(ReferralError):
    """Neither a report nor a notice item was named, or none of those named exists."""

    code = "nothing"


class AgencyMissing(ReferralError):
    """The agency the package goes to was not named (or its name or the note is too long)."""

    code = "agency"


class UnknownReferral(ReferralError):
    """No referral has that reference."""

    code = "unknown"


class PackageAltered(ReferralError):
    """The stored package no longer has the SHA-256 recorded when it was made."""

    code = "altered"
