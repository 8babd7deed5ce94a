"""Errors of the sightings store."""

from sentinelle.exceptions import SentinelleError


class SightingsError(SentinelleError):
    """Root of the sightings errors."""


class InvalidObservation(SightingsError):
    """What the crawler reported cannot be recorded (a bad hash, address, status or time).

    A bad URL raises :class:`sentinelle.crawl.exceptions.InvalidUrl` instead: one rule, one
    error, wherever a URL comes in.
    """
