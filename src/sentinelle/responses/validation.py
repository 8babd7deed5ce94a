"""What a caller gives to record a response, checked before anything is touched."""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Final

from sentinelle.responses.exceptions import InvalidResponse
from sentinelle.responses.models import ResponseChannel, ResponseKind

MAX_TEXT: Final = 2000  #: characters of a reason or question
KEY: Final = re.compile(r"[A-Za-z0-9_-]{8,64}")
LANGUAGES: Final = ("en", "fr")


@dataclass(frozen=True)
class ResponseInput:
    """One answer. ``item`` is the item's report id (its XARF ``report_id``), None for the
    whole notice; ``submission_key`` is the same on a resend of the same answer."""

    kind: str
    submission_key: str
    text: str = ""
    item: str | None = None
    channel: str = ResponseChannel.WEB
    language: str = ""
    client_address: str = ""

    def checked(self) -> ResponseInput:
        """This input with its text normalised, or :class:`InvalidResponse`."""
        if self.kind not in ResponseKind.values:
            raise InvalidResponse(f"kind must be one of {', '.join(ResponseKind.values)}, got {self.kind!r}", "kind")
        if self.channel not in ResponseChannel.values:
            raise InvalidResponse(f"channel must be web or api, got {self.channel!r}", "channel")
        if not KEY.fullmatch(self.submission_key or ""):
            raise InvalidResponse("the submission key must be 8 to 64 letters, digits, - or _", "key")
        if self.language and self.language not in LANGUAGES:
            raise InvalidResponse(f"language must be en or fr, got {self.language!r}", "language")
        item = None
        if self.item:
            try:
                item = str(uuid.UUID(self.item))
            except ValueError:
                raise InvalidResponse("the item must be given by its report id (a UUID)", "item") from None
        text = _text(self.text)
        if self.kind != ResponseKind.REMOVED and not text:
            raise InvalidResponse(f"a {self.kind} needs a text: the reason or the question", "text-missing")
        return ResponseInput(self.kind, self.submission_key, text, item, self.channel, self.language,
                             self.client_address)


def _text(value: str) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > MAX_TEXT:
        raise InvalidResponse(f"the text has {len(text)} characters; at most {MAX_TEXT} are taken", "text-long")
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in text):
        raise InvalidResponse("the text contains control characters", "text-control")
    return text
