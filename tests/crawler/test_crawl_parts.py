"""The crawler's parts on their own: limits and scope, the journal, the review buffer, failure
reasons, the summary, and the hashing pool."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError

from sentinelle.crawl.egress_exceptions import EgressBlocked, Refusal
from sentinelle.crawl.failures import classify
from sentinelle.crawl.hashing_pool import HashingPool, MatcherSource
from sentinelle.crawl.journal import FinishedPage, Journal
from sentinelle.crawl.matcher_source import file_lists
from sentinelle.crawl.options import CrawlOptions, Scope
from sentinelle.crawl.review_buffer import ReviewBuffer
from sentinelle.crawl.scope import Frontier, Skip, in_scope
from sentinelle.crawl.summary import summarize, summary_lines
from sentinelle.engine.scan import ScanSettings
from sentinelle.hashing import hash_media
from sentinelle.lists import HashList, ListEntry
from support.pictures import draw_picture, encode

PAGE = "http://www.site.example/a.html"


def test_the_frontier_applies_depth_scope_length_and_page_caps_in_that_order() -> None:
    frontier = Frontier(CrawlOptions(depth=1, max_pages=4, max_pages_per_host=2, max_url_length=64))
    page, skip = frontier.admit(PAGE, depth=0, referrer=None)
    assert skip is None and page is not None and page.url == PAGE
    assert frontier.admit(PAGE, depth=0, referrer=None)[1] is Skip.DUPLICATE
    assert frontier.admit("http://WWW.SITE.example:80/a.html#x", depth=1, referrer=PAGE)[1] is Skip.DUPLICATE
    assert frontier.admit("http://www.site.example/b", depth=2, referrer=PAGE)[1] is Skip.DEPTH
    assert frontier.admit("http://other.example/", depth=1, referrer=PAGE)[1] is Skip.OUT_OF_SCOPE
    assert frontier.admit("http://www.site.example/" + "x" * 64, depth=1, referrer=PAGE)[1] is Skip.TOO_LONG
    assert frontier.admit("ftp://www.site.example/", depth=1, referrer=PAGE)[1] is Skip.INVALID
    assert frontier.admit("http://www.site.example/b", depth=1, referrer=PAGE)[1] is None
    assert frontier.admit("http://www.site.example/c", depth=1, referrer=PAGE)[1] is Skip.HOST_LIMIT
    assert frontier.admit("http://www.else.example/", depth=0, referrer=None)[1] is None  # seeds: any host
    assert frontier.admit("http://www.third.example/", depth=0, referrer=None)[1] is None
    assert frontier.admit("http://www.fourth.example/", depth=0, referrer=None)[1] is Skip.PAGE_LIMIT
    assert frontier.pages == 4


@pytest.mark.parametrize(
    ("host", "referrer", "scope", "same"),
    [
        ("www.site.example", "site.example", Scope.HOST, True),
        ("img.site.example", "www.site.example", Scope.HOST, False),
        ("img.example.co.uk", "www.example.co.uk", Scope.DOMAIN, True),
        ("a.example.co.uk", "b.other.co.uk", Scope.DOMAIN, False),
        ("alice.blogspot.com", "bob.blogspot.com", Scope.DOMAIN, False),  # hosting platforms
        ("anything.test", "else.example", Scope.ANY, True),
    ],
)
def test_scope_rules(host: str, referrer: str, scope: Scope, same: bool) -> None:
    assert in_scope(host, referrer, scope) is same


def test_the_journal_survives_a_torn_line_and_forgets_finished_crawls(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    assert not journal.resumed
    journal.write("job", mode="seeds", seeds=[PAGE], run="cli:1")
    journal.page("seeds", FinishedPage(PAGE, PAGE + "?final", 0, True, ("http://x.example/",)))
    journal.write("claim", o="7", run="7:1", request=7, url=PAGE)
    journal.page("7", FinishedPage(PAGE, None, 0, False, ()))
    journal.write("done", o="7")
    journal.close()
    with (tmp_path / "journal.jsonl").open("a") as stream:
        stream.write('{"t":"page","o":"seeds","u":"http://www.site.example/cut')  # killed mid-line

    again = Journal(tmp_path)
    assert again.resumed and again.state.header is not None
    assert again.state.header["run"] == "cli:1"
    finished = again.state.finished("seeds", "http://WWW.site.example/a.html")
    assert finished is not None and finished.confirmed and finished.links == ("http://x.example/",)
    assert again.state.finished("7", PAGE) is None  # a finished crawl is dropped
    again.write("page", o="seeds", u="http://www.site.example/b", f=None, d=1, c=False, l=[])
    again.close()
    lines = [json.loads(line) for line in (tmp_path / "journal.jsonl").read_text().splitlines()]
    assert [line["t"] for line in lines] == ["job", "page", "done", "page"]
    reopened = Journal(tmp_path)
    assert reopened.state.done == {"7"}
    reopened.close()


def test_the_review_buffer_keeps_the_most_recent_bytes_within_its_budget() -> None:
    buffer = ReviewBuffer(10)
    assert buffer.put("a", b"12345") and buffer.put("b", b"12345")
    assert buffer.get("a") == b"12345"  # now the most recent
    assert buffer.put("c", b"123")
    assert buffer.get("b") is None and buffer.get("a") is not None and buffer.size <= 10
    assert not buffer.put("huge", b"x" * 11)


def _http_error(status: int) -> HttpError:
    return HttpError(Response("http://x.example/", status=status), "error")


@pytest.mark.parametrize(
    ("error", "reason", "transient"),
    [
        (EgressBlocked(Refusal.LOOPBACK, "http://127.0.0.1/"), "egress-refused", False),
        (_http_error(404), "http-404", False),
        (_http_error(503), "http-503", True),
        (CannotResolveHostError("x"), "unresolved", True),
        (DownloadTimeoutError("x"), "timeout", True),
        (DownloadCancelledError("x"), "too-large", False),
        (ResponseDataLossError("x"), "dataloss", True),
        (IgnoreRequest("max redirections reached"), "redirect-limit", False),
        (IgnoreRequest("redirect-loop: http://x/"), "redirect-loop", False),
        (IgnoreRequest("Forbidden by robots.txt"), "robots", False),
        (IgnoreRequest("... exceeded DOWNLOAD_MAXSIZE (10 B) during decompression."), "too-large", False),
        (IgnoreRequest("donotact: http://x/"), "donotact", False),
        (ValueError("?"), "error", True),
    ],
)
def test_every_failure_has_a_stable_reason(error: BaseException, reason: str, transient: bool) -> None:
    failed = classify(error)
    assert (failed.reason, failed.transient) == (reason, transient)


def test_the_summary_counts_errors_by_reason_and_images_per_second() -> None:
    stats = {
        "pages/fetched": 10, "pages/confirmed": 2, "media/fetched": 20, "media/images": 18,
        "media/bytes": 2_000_000, "pages/bytes": 100_000, "sightings/recorded": 25, "matches": 4,
        "sightings/matched": 3, "dropped/timeout": 2, "dropped/too-large": 1, "links/depth-limit": 5,
        "review/stored": 6, "egress/refused/loopback": 1, "finish_reason": "finished",
    }
    summary = summarize(stats, 2.0)
    assert summary["errors"] == {"timeout": 2, "too-large": 1}
    assert summary["images_per_second"] == 9.0
    assert summary["bytes"] == 2_100_000
    lines = summary_lines(summary)
    assert lines[0].startswith("crawled 10 pages (2 confirmed) and 20 media (18 images, 2.1 MB)")
    assert "errors: timeout 2, too-large 1" in lines


def test_options_refuse_impossible_values() -> None:
    with pytest.raises(ValueError, match="max-pages must be at least 1"):
        CrawlOptions(max_pages=0)
    with pytest.raises(ValueError, match="timeout"):
        CrawlOptions(timeout=0)


def test_the_hashing_pool_hashes_matches_and_confirms_in_its_workers(tmp_path: Path) -> None:
    known = encode(draw_picture(3, (200, 150)), "JPEG")
    rotated = encode(draw_picture(3, (200, 150)).rotate(90, expand=True), "PNG")
    other = encode(draw_picture(4, (200, 150)), "JPEG")
    hashes = hash_media(known)
    assert hashes.pdq is not None and hashes.digests is not None
    listed = HashList(
        "benign", [ListEntry("pdq", hashes.pdq.hash, "csam", "k1"), ListEntry("md5", hashes.digests.md5, "csam", "k1")]
    )
    source = file_lists([listed], tmp_path)
    assert isinstance(source, MatcherSource)
    pool = HashingPool(source, ScanSettings(), workers=1)
    try:
        results = [pool.submit(data).result(timeout=60) for data in (known, rotated, other, b"<html>")]
    finally:
        pool.shutdown()
    copy, turned, distractor, text = results
    assert {m.signal_type for m in copy.matches} == {"pdq", "md5"}
    assert copy.sha256 == hashlib.sha256(known).hexdigest() and copy.mime == "image/jpeg"
    assert (copy.width, copy.height) == (200, 150)
    (near,) = turned.matches
    assert near.signal_type == "pdq" and near.transform is not None
    assert turned.pdq is not None and turned.pdq.path.value == "reference"  # confirmed
    assert distractor.matches == ()
    assert text.pdq is None and text.problem is not None and text.mime == "text/html"


def test_requests_carry_their_size_cap() -> None:
    from sentinelle.crawl.middlewares import SizeCapMiddleware

    class _Settings:
        def getint(self, name: str) -> int:
            return 100

    class _Crawler:
        settings = _Settings()

    middleware = SizeCapMiddleware(_Crawler())  # type: ignore[arg-type]
    request = Request("http://x.example/")
    middleware.process_request(request)
    assert request.meta["download_maxsize"] == 100
    with pytest.raises(IgnoreRequest, match="too-large"):
        middleware.process_response(request, Response(request.url, body=b"x" * 101, request=request))


def test_scrapy_runs_with_nothing_listening_and_every_download_guarded() -> None:
    from sentinelle.crawl.egress_download import HANDLER
    from sentinelle.crawl.options import Robots
    from sentinelle.crawl.settings_scrapy import scrapy_settings

    settings = scrapy_settings(CrawlOptions(per_host=3, delay=1.5, robots=Robots.OBEY))
    assert settings["TELNETCONSOLE_ENABLED"] is False
    assert settings["REMOTE_CONTROL_ENABLED"] is False
    assert settings["DOWNLOAD_HANDLERS"]["http"] == settings["DOWNLOAD_HANDLERS"]["https"] == HANDLER
    assert settings["DOWNLOAD_HANDLERS"]["file"] is None
    assert settings["HTTPPROXY_ENABLED"] is False
    assert (settings["CONCURRENT_REQUESTS_PER_DOMAIN"], settings["DOWNLOAD_DELAY"]) == (3, 1.5)
    assert settings["ROBOTSTXT_OBEY"] is True
    assert scrapy_settings(CrawlOptions())["ROBOTSTXT_OBEY"] is False
