"""A simulated provider answering a notice on the page its signed link opens.

It does what a person at an abuse desk does in a browser: opens the link, finds the form
about the whole notice (the one whose ``item`` field is empty), ticks an answer, writes a
line and sends it, then reads the page it is sent back to. Cookies (Django's CSRF cookie)
are kept for the two requests; no proxy is ever used; nothing but the link's own server is
asked. No Django here: this is the outside world talking to sentinelle's web server.
"""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Final

TIMEOUT: Final = 15.0
#: Largest page read (the response page is a few kilobytes).
MAX_PAGE: Final = 1 << 20


@dataclass(frozen=True)
class AnswerResult:
    sent: bool
    status: int | None  #: the status of the last answer from the page, if any
    detail: str


@dataclass
class _Form:
    fields: dict[str, str]
    kinds: list[str]


class _Forms(HTMLParser):
    """The page's POST forms: their hidden and text fields and the answers offered."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self._current: _Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form" and values.get("method", "get").lower() == "post":
            self._current = _Form({}, [])
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None and values.get("name"):
            if values.get("type") == "radio":
                self._current.kinds.append(values.get("value", ""))
            else:
                self._current.fields[values["name"]] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _opener() -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar))


def answer_notice(link: str, kind: str, text: str) -> AnswerResult:
    """Answer ``kind`` (``removed``, ``dispute``, ``question``) about the whole notice."""
    parts = urllib.parse.urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return AnswerResult(False, None, f"not a web address: {link!r}")
    opener = _opener()
    try:
        with opener.open(link, timeout=TIMEOUT) as page:
            status, html = page.status, page.read(MAX_PAGE).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return AnswerResult(False, exc.code, f"the response page answered {exc.code}")
    except (urllib.error.URLError, OSError) as exc:
        return AnswerResult(False, None, f"the response page could not be reached: {exc}")
    reader = _Forms()
    reader.feed(html)
    whole = [form for form in reader.forms if form.fields.get("item", None) == "" and kind in form.kinds]
    if not whole:
        return AnswerResult(False, status, f"the response page has no form to answer {kind!r} about the notice")
    body = urllib.parse.urlencode({**whole[0].fields, "kind": kind, "text": text}).encode()
    origin = f"{parts.scheme}://{parts.netloc}"
    request = urllib.request.Request(
        link, data=body, method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": link},
    )
    try:
        with opener.open(request, timeout=TIMEOUT) as answer:
            final = answer.status
            received = "received=" in answer.geturl()
    except urllib.error.HTTPError as exc:
        return AnswerResult(False, exc.code, f"the response page refused the answer ({exc.code})")
    except (urllib.error.URLError, OSError) as exc:
        return AnswerResult(False, None, f"the answer could not be sent: {exc}")
    if not received:
        return AnswerResult(False, final, "the page did not confirm the answer")
    return AnswerResult(True, final, f"answered {kind}")
