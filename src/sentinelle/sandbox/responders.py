"""Simulated providers reading their mail: what a notice sets in motion at a hosting provider.

:class:`Responders` reads the messages a :class:`~sentinelle.sandbox.mailsink.MailSink` kept,
finds who each is addressed to (a provider's abuse or technical address, the CDN's abuse desk,
an upstream network's abuse desk) and, ``reaction`` seconds later on the sandbox's clock, acts:

* the URLs come from the XARF reports attached (one per item); a message without them (a
  retraction) asks for nothing;
* a provider hands them to its own takedown desk, which follows its policy: removes at once,
  after its delay, never, or disputes (:mod:`.takedown`);
* the CDN and an upstream pass them on to the desks of the providers hosting them (the CDN's
  origin, the upstream's customer), which follow *their* policies;
* when a desk removed something, the party answers ``removed`` on the page the notice's signed
  link opens; when it disputed, it answers ``dispute`` there (:mod:`.answer_form`). A message
  with no such link (reminders and escalations carry none) is noted as unanswerable.

Every reaction is kept (:attr:`Responders.reactions`) and each answer, or why none could be
given, is written in the hosting provider's takedown log. No Django: the providers are the
outside world.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Final

from sentinelle.sandbox.answer_form import AnswerResult, answer_notice
from sentinelle.sandbox.mailsink import MailSink, ReceivedMail
from sentinelle.sandbox.server import Sandbox
from sentinelle.sandbox.takedown import TakedownAction, TakedownReceipt

LINK: Final = re.compile(r"https?://[^\s<>\"']+/respond/[^\s<>\"'/]+/")
#: What a party writes when it answers.
ANSWERS: Final = {
    "removed": "Removed as soon as we read your notice.",
    "dispute": "We dispute this notice: our customer says the material is lawful. Please review.",
}
Answerer = Callable[[str, str, str], AnswerResult]


@dataclass(frozen=True)
class Party:
    kind: str  #: ``provider``, ``cdn``, ``upstream``, or ``other`` (a hotline, an unknown address)
    slug: str
    address: str


@dataclass
class Reaction:
    """What one party did with one message."""

    party: Party
    reference: str
    subject: str
    received: float  #: sandbox time
    due: float
    urls: list[str]
    results: list[dict[str, Any]] = field(default_factory=list)
    answer: str = ""  #: ``removed``, ``dispute`` or "" (nothing to answer)
    answered: bool = False
    answer_detail: str = ""
    link: str = field(default="", repr=False)
    done: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"party": self.party.kind, "slug": self.party.slug, "address": self.party.address,
                "reference": self.reference, "subject": self.subject, "received": self.received,
                "acted": self.due if self.done else None, "urls": len(self.urls), "results": self.results,
                "answer": self.answer, "answered": self.answered, "answer_detail": self.answer_detail}


def read_message(message: EmailMessage) -> tuple[list[str], str]:
    """The URLs a message's XARF reports name, and the response link in its text ("" if none)."""
    urls: list[str] = []
    for part in message.iter_attachments():
        if not str(part.get_filename() or "").endswith(".xarf.json"):
            continue
        report = json.loads(_text(part.get_content()))
        if isinstance(report, dict) and isinstance(report.get("url"), str):
            urls.append(report["url"])
    body = message.get_body(preferencelist=("plain",))
    text = str(body.get_content()) if body is not None else ""
    found = LINK.search(text)
    return urls, found.group(0) if found else ""


def _text(content: Any) -> str:
    """An attachment's text: UTF-8, as JSON must be; Latin-1 if a sender got that wrong."""
    if isinstance(content, str):
        return content
    data = bytes(content)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


class Responders:
    """Every party of a sandbox world, reacting to the mail a sink received."""

    def __init__(self, sandbox: Sandbox, sink: MailSink, *, clock: Callable[[], float], reaction: float = 1800.0,
                 answerer: Answerer = answer_notice) -> None:
        self.sandbox, self.sink, self.clock, self.reaction = sandbox, sink, clock, reaction
        self.answerer = answerer
        self.reactions: list[Reaction] = []
        self._read = 0
        self._lock = threading.Lock()
        internet = sandbox.world.internet
        self.parties: dict[str, Party] = {}
        for provider in sandbox.world.providers:
            for address in (provider.abuse_email, provider.technical_email):
                self.parties[address] = Party("provider", provider.slug, address)
            upstream = internet.upstream_of(provider.slug)
            if upstream is not None:
                self.parties[upstream.abuse_email] = Party("upstream", upstream.slug, upstream.abuse_email)
        self.parties[internet.cdn.abuse_email] = Party("cdn", internet.cdn.slug, internet.cdn.abuse_email)

    def party_of(self, address: str) -> Party:
        key = address.strip().lower()
        return self.parties.get(key) or Party("other", "", key)

    def poll(self) -> int:
        """Read the messages that arrived since the last call; how many."""
        with self._lock:
            fresh = self.sink.messages[self._read:]
            self._read += len(fresh)
            now = self.clock()
            for mail in fresh:
                self._received(mail, now)
        return len(fresh)

    def _received(self, mail: ReceivedMail, now: float) -> None:
        urls, link = read_message(mail.message)
        reference = str(mail.message["X-Sentinelle-Reference"] or "")
        for address in mail.rcpt_tos:
            self.reactions.append(Reaction(self.party_of(address), reference, mail.subject, now,
                                           now + self.reaction, urls, link=link))

    def next_due(self) -> float | None:
        """When the next reaction is due (sandbox time), None when none is waiting."""
        with self._lock:
            return min((r.due for r in self.reactions if not r.done), default=None)

    def act(self) -> list[Reaction]:
        """Carry out the reactions whose time came; those carried out."""
        with self._lock:
            now = self.clock()
            due = sorted((r for r in self.reactions if not r.done and r.due <= now), key=lambda r: r.due)
            for reaction in due:
                reaction.done = True
        for reaction in due:
            self._act(reaction)
        return due

    def _act(self, reaction: Reaction) -> None:
        party, urls = reaction.party, reaction.urls
        receipts: list[TakedownReceipt] = []
        if urls and party.kind == "provider":
            receipts = [self.sandbox.desk(party.slug).receive(urls, reaction.reference, via="mail")]
        elif urls and party.kind in ("cdn", "upstream"):
            receipts = self.sandbox.take_down(urls, reaction.reference, via=party.kind)
        actions = {result.action for receipt in receipts for result in receipt.results}
        reaction.results = [{"provider": r.provider, **result.as_dict()} for r in receipts for result in r.results]
        if TakedownAction.REMOVED in actions:
            reaction.answer = "removed"
        elif TakedownAction.DISPUTED in actions:
            reaction.answer = "dispute"
        if reaction.answer:
            self._answer(reaction, {r.provider for r in receipts})

    def _answer(self, reaction: Reaction, providers: set[str]) -> None:
        if not reaction.link:
            reaction.answer_detail = "the message carries no response link"
        else:
            result = self.answerer(reaction.link, reaction.answer, ANSWERS[reaction.answer])
            reaction.answered, reaction.answer_detail = result.sent, result.detail
        for slug in sorted(providers):
            self.sandbox.desk(slug).note("answer", reaction.reference, kind=reaction.answer,
                                         answered=reaction.answered, by=reaction.party.slug,
                                         detail=reaction.answer_detail)
