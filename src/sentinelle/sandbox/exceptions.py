"""Errors of the sandbox web, all under :class:`SandboxError`."""

from __future__ import annotations

from sentinelle.exceptions import SentinelleError


class SandboxError(SentinelleError):
    """Root of every error of the sandbox package."""


class WorldConfigError(SandboxError):
    """Arguments from which no world can be built (too few images, too many providers...)."""


class ResolutionError(SandboxError):
    """A host name could not be turned into addresses."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"{host}: {reason}")
        self.host = host
        self.reason = reason


class UnknownHost(ResolutionError):
    """The host has no address: not a sandbox site, or no DNS answer."""


class UnknownProvider(SandboxError):
    """No simulated provider has that name."""


class SandboxStartError(SandboxError):
    """The servers could not be started (no free port on every site address...)."""


class SandboxNotRunning(SandboxError):
    """Something that needs the running servers (a port, a URL) was asked too early or too late."""
