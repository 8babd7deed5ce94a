"""The trap site's fixed addresses: one known URL per hostile case."""

from __future__ import annotations

from typing import Final

from sentinelle.sandbox.constructs import HostileCase
from sentinelle.sandbox.model import Hostile, Location, Redirect

#: Path of each case on the trap site, and what a crawler meets there.
HOSTILE_PATHS: Final = {
    HostileCase.LINK_MAZE: ("/maze/start", "every page links to new generated pages"),
    HostileCase.CALENDAR_TRAP: ("/calendar/2026/01/", "next- and previous-month links, forever"),
    HostileCase.HUGE_FILE: ("/files/huge.jpg", "declares and streams 2 GiB of bytes"),
    HostileCase.SLOW_DRIP: ("/files/slow.jpg", "a real JPEG, one byte per interval"),
    HostileCase.DECOMPRESSION_BOMB: ("/files/bomb.png", "a small PNG of 50,000 x 50,000 pixels"),
    HostileCase.GZIP_BOMB: ("/pages/gzip-bomb.html", "~1 MB gzip that inflates to 1 GiB"),
    HostileCase.TRUNCATED_FILE: ("/files/truncated.jpg", "the first half of a JPEG"),
    HostileCase.TRUNCATED_TRANSFER: (
        "/files/cut-short.jpg",
        "declares a whole JPEG, sends half, closes",
    ),
    HostileCase.REDIRECT_LOOP: ("/loop/a", "/loop/a -> /loop/b -> /loop/a"),
    HostileCase.SELF_REDIRECT: ("/loop/self", "redirects to itself"),
    HostileCase.ENDLESS_REDIRECTS: ("/chain/1", "/chain/1 -> /chain/2 -> ... forever"),
    HostileCase.ENORMOUS_HTML: ("/pages/enormous.html", "50 MB of HTML, streamed"),
}
MAZE_PREFIX: Final = "/maze/"
CALENDAR_PREFIX: Final = "/calendar/"
CHAIN_PREFIX: Final = "/chain/"


def hostile_cases(host: str) -> tuple[Hostile, ...]:
    return tuple(
        Hostile(case, Location(host, path), description)
        for case, (path, description) in HOSTILE_PATHS.items()
    )


def loop_redirects(host: str) -> tuple[Redirect, ...]:
    first, second, itself = (Location(host, p) for p in ("/loop/a", "/loop/b", "/loop/self"))
    return (
        Redirect(first, 302, second),
        Redirect(second, 302, first),
        Redirect(itself, 302, itself),
    )
