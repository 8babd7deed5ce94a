"""What a report may hold: sizes, URLs, and text made safe to store (never rejected for
containing markup: it is always shown escaped)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

from sentinelle.tipline.exceptions import InvalidReport
from sentinelle.tipline.models import Category

MAX_TEXT: Final = 10_000  #: characters of "what happened" or of an addition
MAX_WHEN: Final = 200
MAX_URLS: Final = 20
MAX_URL: Final = 2048
MAX_NAME: Final = 200
MAX_EMAIL: Final = 320
MAX_PHONE: Final = 64
LANGUAGES: Final = ("en", "fr")


def clean_text(value: str, limit: int, code: str) -> str:
    """``value`` with CRLF made LF, trimmed, and every control character other than newline and
    tab (NUL included: PostgreSQL cannot store it) and every lone surrogate replaced by U+FFFD.
    :class:`InvalidReport` when longer than ``limit``."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    text = "".join("\ufffd" if unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" else c for c in text)
    if len(text) > limit:
        raise InvalidReport(f"{code}: {len(text)} characters, at most {limit} are taken", f"{code}-long")
    return text


def clean_urls(value: str) -> list[str]:
    """The URLs of a text box, one per line (or separated by spaces), without repeats. Each
    must be http(s) with a host; a scheme-less ``example.com/x`` is read as http."""
    urls: list[str] = []
    for word in clean_text(value, MAX_URLS * (MAX_URL + 1), "urls").split():
        url = word if "://" in word else f"http://{word}"
        if len(url) > MAX_URL:
            raise InvalidReport(f"a URL has {len(url)} characters, at most {MAX_URL}", "url-long")
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise InvalidReport(f"{word!r} is not a web address", "url") from None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise InvalidReport(f"{word!r} is not a web address", "url")
        if url not in urls:
            urls.append(url)
    if not urls:
        raise InvalidReport("at least one URL is needed", "url-missing")
    if len(urls) > MAX_URLS:
        raise InvalidReport(f"{len(urls)} URLs, at most {MAX_URLS}", "url-many")
    return urls


@dataclass(frozen=True)
class ReportInput:
    """A report as the form (or a test) gives it; :meth:`checked` cleans it."""

    category: str
    danger_now: bool
    urls: str
    what_happened: str
    when_happened: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    language: str = "en"
    client_address: str = ""
    url_list: list[str] = field(default_factory=list)

    def checked(self) -> ReportInput:
        if self.category not in Category.values:
            raise InvalidReport(f"unknown category {self.category!r}", "category")
        if self.language not in LANGUAGES:
            raise InvalidReport(f"language must be en or fr, got {self.language!r}", "language")
        what = clean_text(self.what_happened, MAX_TEXT, "text")
        if not what:
            raise InvalidReport("say what happened", "text-missing")
        return ReportInput(
            self.category, bool(self.danger_now), self.urls, what,
            clean_text(self.when_happened, MAX_WHEN, "when"),
            clean_text(self.contact_name, MAX_NAME, "contact"),
            clean_text(self.contact_email, MAX_EMAIL, "contact"),
            clean_text(self.contact_phone, MAX_PHONE, "contact"),
            self.language, self.client_address, clean_urls(self.urls),
        )
