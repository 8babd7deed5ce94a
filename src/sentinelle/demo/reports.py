"""The public's part of the demo: reports to the tipline naming pages of the sandbox.

One report per simulated provider names a page of its site that holds a copy of a listed
picture, as a member of the public would after coming across it. The reports go through the
tipline's own service (:func:`sentinelle.tipline.services.submit_report`: stored, audited,
their URLs queued as crawl requests); the demo's crawler then takes the queued requests like
``sentinelle crawl --queue --until-empty``. They are what the analysts' console shows in its
queue after the demo: one says a child may be in danger now, one was written in French.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sentinelle.sandbox import MediaKind, Sandbox
from sentinelle.sandbox.providers import SiteRole
from sentinelle.tipline.models import Category
from sentinelle.tipline.services import submit_report
from sentinelle.tipline.validation import ReportInput

#: What each report says, in turn (benign, invented wording).
STORIES: Final = (
    (Category.CSAM, True, "en", "A page on this site shows a picture I believe is abuse of a child. "
                                "It was posted today; the child may still be at risk."),
    (Category.CSAM, False, "fr", "J'ai vu sur ce site une image qui semble montrer un enfant abusé."),
    (Category.MAKING_AVAILABLE, False, "en", "This page was sent to my child in a chat."),
    (Category.OTHER, False, "en", "Found while searching: please check this address."),
)


@dataclass(frozen=True)
class Filed:
    references: tuple[str, ...]
    urls: int


def pages_with_known_copies(sandbox: Sandbox) -> list[str]:
    """One page per provider (in provider order) with a copy of a listed picture on it."""
    world = sandbox.world
    known = {m.id for m in world.media if m.kind is MediaKind.KNOWN_COPY}
    site_provider = {site.host: site.provider for site in world.sites if site.role is SiteRole.ORDINARY}
    chosen: dict[str, str] = {}
    for page in world.pages:
        provider = site_provider.get(page.location.host)
        if provider is None or provider in chosen:
            continue
        if any(placement.media in known for placement in page.placements):
            chosen[provider] = sandbox.url(page.location)
    return [chosen[p.slug] for p in world.providers if p.slug in chosen]


def file_reports(sandbox: Sandbox) -> Filed:
    """Submit the demo's reports; their URLs become queued crawl requests."""
    references = []
    urls = pages_with_known_copies(sandbox)
    for url, (category, danger, language, text) in zip(urls, STORIES, strict=False):
        given = ReportInput(category=category, danger_now=danger, urls=url, what_happened=text,
                            language=language)  # no client address: the demo is not rate limited
        references.append(submit_report(given).report.reference)
    return Filed(tuple(references), len(references))
