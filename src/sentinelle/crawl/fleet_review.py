"""Review media in a fleet: the member holding the bytes stores them, nobody fetches again.

In one process, a confirmed page's unknown media are stored for review from the review
buffer, and fetched again only when the buffer let them go. In a fleet, the page may be read
by a member that never fetched the file (another member did, :mod:`.fleet_media`). Its
re-fetch request (a ``review`` request) does not go out; instead:

1. it asks the member that fetched the file (the *owner* named in the shared result) by
   pushing ``{"sha256", "reply"}`` onto the owner's ``review:<owner>`` list;
2. the owner, which keeps the bytes in its buffer, stores them
   (:func:`.recording.keep_for_review`, which checks again that the media was seen on a
   confirmed page and matched nothing) and answers in ``reviewed:<asker>``: ``stored``,
   ``refused-...``, or ``missing`` (no longer in its buffer) or ``error``;
3. on ``stored`` or a refusal the page goes on (the owner counted ``review/<answer>``); on
   ``missing`` or ``error``, or when the owner's heartbeat (``member:<owner>``) is gone
   (it stopped or died), the request goes out after all, as in one process.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any, Final

from sentinelle.crawl.recording import keep_for_review
from sentinelle.crawl.spider import KEY

if TYPE_CHECKING:
    from scrapy import Request

    from sentinelle.crawl.coordinator import Coordinator
    from sentinelle.crawl.fleet_keys import FleetKeys

logger = logging.getLogger(__name__)

#: ``meta[LOCAL]``: a review request that goes out from this member (the owner could not help).
LOCAL: Final = "sentinelle_fleet_local"
#: Answers after which the asker fetches the bytes itself.
FETCH_HERE: Final = frozenset({b"missing", b"error"})
#: Requests taken from the inbox at a time.
BATCH: Final = 16
#: Answers not read within this time are dropped with their hash.
ANSWER_TTL_MS: Final = 3_600_000


class FleetReview:
    def __init__(
        self, server: Any, keys: FleetKeys, member: str, coordinator: Coordinator,
        owners: dict[str, str],
    ) -> None:
        self.server, self.keys, self.member, self.coordinator = server, keys, member, coordinator
        #: SHA-256 -> the member holding the bytes (filled by :class:`.FleetMedia`).
        self.owners = owners
        #: SHA-256 -> the review requests waiting for the owner's answer, and the owner.
        self.asked: dict[str, tuple[str, list[Request]]] = {}

    def admit(self, request: Request) -> bool:
        """A review request: True when it goes out from here."""
        sha256 = str(request.meta["sha256"])
        owner = self.owners.get(sha256)
        if request.meta.get(LOCAL) or owner is None or owner == self.member:
            return True
        if sha256 not in self.asked:
            ask = json.dumps({"sha256": sha256, "reply": self.member})
            self.server.rpush(self.keys.inbox(owner), ask)
            self.asked[sha256] = (owner, [])
            self.coordinator.stats.inc_value("fleet/review-asked")
        self.asked[sha256][1].append(request)
        return False

    def tick(self) -> None:
        self._serve()
        if self.asked:
            self._read_answers()

    def _read_answers(self) -> None:
        hashes = list(self.asked)
        owners = {owner for owner, _ in self.asked.values()}
        # Liveness first: an owner that answers and then stops is seen answering.
        alive = {owner for owner in owners if self.server.exists(self.keys.member(owner))}
        answers = self.server.hmget(self.keys.replies(self.member), hashes)
        for sha256, answer in zip(hashes, answers, strict=True):
            owner, requests = self.asked[sha256]
            if answer is None and owner in alive:
                continue
            del self.asked[sha256]
            self.server.hdel(self.keys.replies(self.member), sha256)
            if answer is None or answer in FETCH_HERE:
                self.owners.pop(sha256, None)
                self.coordinator.stats.inc_value("fleet/review-fetched-here")
                for request in requests:
                    request.meta[LOCAL] = True
                    self.coordinator.schedule(request)
                continue
            self.coordinator.stats.inc_value("fleet/review-by-owner")
            for request in requests:
                self.coordinator.stats.inc_value("review/refetched", -1)  # it was not
                self.coordinator.release(request.meta[KEY])

    def fetch_here(self) -> None:
        """Redis is gone: the review requests waiting for an answer go out from here."""
        asked, self.asked = self.asked, {}
        for _, requests in asked.values():
            for request in requests:
                request.meta[LOCAL] = True
                self.coordinator.schedule(request)

    # -- the owner's side ----------------------------------------------------------------------

    def _serve(self) -> None:
        asks = self.server.lpop(self.keys.inbox(self.member), BATCH) or []
        for raw in asks:
            try:
                ask = json.loads(raw)
                sha256, reply = str(ask["sha256"]), str(ask["reply"])
            except (ValueError, TypeError, KeyError) as error:
                self.coordinator.stats.inc_value("errors/fleet-review")
                logger.error("unreadable review request %r: %r", raw[:200], error)
                continue
            data = self.coordinator.buffer.get(sha256)
            if data is None:
                self._answer(reply, sha256, "missing")
            else:
                self.coordinator.background(self._store(sha256, data, reply))

    async def _store(self, sha256: str, data: bytes, reply: str) -> None:
        answer = "error"
        try:
            answer = await self.coordinator.database.write(
                keep_for_review, sha256, data, actor=self.coordinator.actor
            )
            self.coordinator.stats.inc_value(f"review/{answer}")
            self.coordinator.stats.inc_value("fleet/review-for-others")
        finally:
            self._answer(reply, sha256, answer)

    def _answer(self, member: str, sha256: str, answer: str) -> None:
        replies = self.keys.replies(member)
        self.server.hset(replies, sha256, answer)
        self.server.pexpire(replies, ANSWER_TTL_MS)
