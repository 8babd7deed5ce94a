"""The root of every error sentinelle raises on purpose."""


class SentinelleError(Exception):
    """Base class: every package's errors derive from this one."""
