"""Errors of the sandbox web, all under :class:`SandboxError`."""

from __future__ import annotations

from sentinelle.exceptions import SentinelleError

# Resolution errors belong to the resolver hook; re-exported for the sandbox's callers.
from sentinelle.resolver import ResolutionError as ResolutionError
from sentinelle.resolver import UnknownHost as UnknownHost


class SandboxError(SentinelleError):
    """Root of every error of the sandbox package."""


class WorldConfigError(SandboxError):
    """Arguments from which no world can be built (too few images, too many providers...)."""


class UnknownProvider(SandboxError):
    """No simulated provider has that name."""


class UnknownRegistry(SandboxError):
    """No RDAP registry of the sandbox has that name."""


class UnknownOrganisation(SandboxError):
    """No organisation (provider, upstream, CDN, registrar) of the sandbox has that slug."""


class SandboxStartError(SandboxError):
    """The servers could not be started (no free port on every site address...)."""


class SandboxNotRunning(SandboxError):
    """Something that needs the running servers (a port, a URL) was asked too early or too late."""
