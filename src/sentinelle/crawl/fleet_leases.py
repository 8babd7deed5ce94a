"""Media leases and results in Redis: one member fetches a URL, the others read its result.

A lease is a Redis string ``lease:<crawl>:<sha1>`` holding the member's id, taken with
``SET NX PX`` (``SENTINELLE_FLEET_LEASE_SECONDS``) and extended while the member lives
(:class:`.FleetMember` renews them); results are the fields of the hash ``media:<crawl>``
(:mod:`.fleet_results`). Every step is one Lua script (:mod:`.fleet_scripts`), so a claim
never sees a lease let go without its result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sentinelle.crawl.fleet_scripts import CLAIM, MINE, PUBLISH, RELEASE, RENEW, WAIT

if TYPE_CHECKING:
    from sentinelle.crawl.fleet_keys import FleetKeys

__all__ = ["MINE", "WAIT", "MediaLeases"]


class MediaLeases:
    def __init__(self, server: Any, keys: FleetKeys, member: str, seconds: float) -> None:
        self.keys, self.member, self.ms = keys, member, int(seconds * 1000)
        self._claim, self._publish = server.register_script(CLAIM), server.register_script(PUBLISH)
        self._renew, self._release = server.register_script(RENEW), server.register_script(RELEASE)

    def claim(self, crawl: str, keys: list[str]) -> list[bytes]:
        """For each media key: its result, :data:`MINE` or :data:`WAIT`."""
        answers: list[bytes] = self._claim(
            keys=[self.keys.media(crawl), *(self.keys.lease(crawl, key) for key in keys)],
            args=[self.member, self.ms, *keys],
        )
        return answers

    def publish(self, crawl: str, keys: list[str], result: str) -> None:
        """``result`` for every key (unless one is there already), then the leases let go."""
        self._publish(
            keys=[self.keys.media(crawl), *(self.keys.lease(crawl, key) for key in keys)],
            args=[self.member, result, *keys],
        )

    def renew(self, held: list[tuple[str, str]]) -> int:
        """Extend the leases of ``(crawl, key)``; how many were no longer this member's."""
        if not held:
            return 0
        leases = [self.keys.lease(crawl, key) for crawl, key in held]
        return int(self._renew(keys=leases, args=[self.member, self.ms]))

    def release(self, held: list[tuple[str, str]]) -> None:
        if held:
            self._release(keys=[self.keys.lease(crawl, key) for crawl, key in held], args=[self.member])
