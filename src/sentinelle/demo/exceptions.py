"""What can stop the demo."""

from __future__ import annotations

from sentinelle.exceptions import SentinelleError


class DemoError(SentinelleError):
    """The demo could not run."""


class FolderInUse(DemoError):
    """The demo's folder holds something the demo did not make, or an earlier demo (without --fresh)."""


class DemoInterrupted(DemoError):
    """Ctrl-C or SIGTERM: the demo stopped before it finished."""
