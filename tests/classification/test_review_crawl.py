"""The crawler keeps for review the bytes of media whose matches are all against stored,
unverified lists (analysts must confirm them before any notice), and still never those of
media matching a verified list."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler import crawl_support
from crawler.crawl_support import Database, SandboxWeb, crawl, sandbox_args
from sentinelle.review.exceptions import MediaIsKnown
from sentinelle.review.services import check_allowed

# pytest fixtures from the crawler tests' support module (a real sandbox web, a migrated SQLite)
sandbox_web = crawl_support.sandbox_web
sqlite_db = crawl_support.sqlite_db
sqlite_template_dir = crawl_support.sqlite_template_dir


def _store_known(db: Database, web: SandboxWeb, *, verified: bool) -> None:
    db.python(
        "from sentinelle.audit.services import Actor\n"
        "from sentinelle.banks.services import import_list\n"
        "from sentinelle.lists import read_list\n"
        f"import_list(read_list({str(web.known_list)!r}, name='partner', verified={verified!r}),"
        " actor=Actor.user('list-keeper'))\n"
    )


def _mixed_pages(web: SandboxWeb) -> tuple[list[str], set[str], set[str]]:
    """Pages holding both listed and unlisted media: (pages, listed URLs, unlisted URLs)."""
    placements = [p for p in web.of_type("placement") if web.trap_host not in p["page"]]
    pages = sorted(
        page for page in {p["page"] for p in placements}
        if {p["expected"] != "none" for p in placements if p["page"] == page} == {True, False}
        and all(p["final"] for p in placements if p["page"] == page)
    )[:4]
    chosen = [p for p in placements if p["page"] in pages]
    return pages, {p["final"] for p in chosen if p["expected"] != "none"}, \
        {p["final"] for p in chosen if p["expected"] == "none"}


def _kept(db: Database) -> set[str]:
    rows = db.query("SELECT s.url FROM review_reviewmedia r JOIN sightings_sighting s ON s.media_id = r.media_id")
    return {url for (url,) in rows}


@pytest.mark.parametrize("verified", [False, True], ids=["unverified-list", "verified-list"])
def test_media_matching_only_unverified_lists_is_kept_for_review(
    sandbox_web: SandboxWeb, sqlite_db: Database, tmp_path: Path, verified: bool
) -> None:
    _store_known(sqlite_db, sandbox_web, verified=verified)
    pages, listed, unlisted = _mixed_pages(sandbox_web)
    assert pages and listed and unlisted
    run = crawl(sqlite_db, sandbox_web, tmp_path, *pages, "--depth", "0", *sandbox_args(sandbox_web))
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stats["sightings/matched"] >= len(listed)
    kept = _kept(sqlite_db)
    if verified:
        assert kept == unlisted  # known material's bytes are never kept
        assert run.stats.get("review/refused-media-is-known", 0) == 0  # nor even offered
    else:
        assert kept == unlisted | listed


@pytest.mark.django_db
def test_the_store_refuses_media_matching_a_verified_or_unstored_list() -> None:
    from classification_support import listed, picture, sighted

    data = picture(31)
    listed("partner-unverified", data, verified=False)
    media = sighted(data, "https://cdn.example.net/31.jpg").media
    check_allowed(media)  # unverified only: allowed
    listed("ours-verified", data, verified=True)
    also = sighted(data, "https://cdn.example.net/31.jpg", run_label="run-2").media
    with pytest.raises(MediaIsKnown):
        check_allowed(also)


@pytest.mark.django_db
def test_a_match_against_a_list_no_longer_stored_is_refused() -> None:
    from classification_support import listed, picture, sighted

    from sentinelle.banks.models import StoredList

    data = picture(32)
    listed("gone-list", data, verified=False)
    media = sighted(data, "https://cdn.example.net/32.jpg").media
    StoredList.objects.filter(name="gone-list").delete()
    with pytest.raises(MediaIsKnown):
        check_allowed(media)
