"""What every channel gets (an :class:`Envelope`) and gives back (a :class:`Result`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from sentinelle.notices.configuration import Sender


class Outcome(StrEnum):
    SENT = "sent"
    TEMPORARY = "temporary"  #: try again later (4xx mail reply, 5xx webhook, timeout, refused)
    PERMANENT = "permanent"  #: will not work as it is (5xx mail reply, 4xx webhook)
    CONSOLE = "console"  #: development: written to the log, nothing sent


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    detail: str = ""


@dataclass(frozen=True)
class Envelope:
    """One notice's stored content and where it goes."""

    reference: str
    message_id: str
    sender: Sender
    email: str
    webhook_url: str
    webhook_secret_ref: str
    content: dict[str, Any]


class Channel(Protocol):
    name: str

    def deliver(self, envelope: Envelope) -> Result: ...


@dataclass(frozen=True)
class Channels:
    """The channels in use, assembled from the settings (:mod:`.assembly`)."""

    email: Channel
    webhook: Channel
