"""After ``sentinelle demo``, its data is in the analysts' console: the public's reports with
what the crawler found on their pages. Checked on a copy of the demo's folder (the probe adds
an account and audit events), through HTTP as a logged-in supervisor."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from demo_support import DemoRun

PROBE = Path(__file__).with_name("demo_console_probe.py")


@pytest.fixture(scope="module")
def console_copy(demo: DemoRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("demo-copy") / "demo"
    shutil.copytree(demo.folder, copy, ignore=shutil.ignore_patterns("mail", "takedowns", "sandbox"))
    return copy


def probe(demo: DemoRun, folder: Path, *paths: str) -> dict[str, Any]:
    env = {**demo.env, "SENTINELLE_DATA_DIR": str(folder)}
    done = subprocess.run([sys.executable, str(PROBE), *paths], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    pages: dict[str, Any] = json.loads(done.stdout)
    return pages


def test_the_publics_reports_were_crawled_as_queued_requests(demo: DemoRun) -> None:
    references = demo.summary["reports"]
    assert len(references) == 3  # one per provider with an ordinary site (seed 7)
    rows = demo.rows("SELECT r.reference, c.status FROM tipline_report r JOIN tipline_reporturl u "
                     "ON u.report_id = r.id JOIN crawl_crawlrequest c ON c.id = u.crawl_request_id")
    assert sorted(reference for reference, _ in rows) == sorted(references)
    assert {status for _, status in rows} == {"done"}
    found = demo.rows("SELECT COUNT(*) FROM sightings_sighting s JOIN sightings_match m ON m.sighting_id = s.id "
                      "WHERE s.crawl_request_id IS NOT NULL")
    assert found[0][0] >= len(references)  # each reported page shows a copy of a listed picture


def test_the_console_shows_the_demos_reports_and_what_was_found(demo: DemoRun, console_copy: Path) -> None:
    references = demo.summary["reports"]
    pages = probe(demo, console_copy, "/en/console/", *(f"/en/console/reports/{r}/" for r in references))
    queue = pages["/en/console/"]
    assert queue["status"] == 200
    assert all(reference in queue["text"] for reference in references)
    for reference in references:
        page = pages[f"/en/console/reports/{reference}/"]
        assert page["status"] == 200
        assert "sha256" in page["text"].lower() or "SHA-256" in page["text"]
        assert "demo-7-verified" in page["text"] or "demo-7-unverified" in page["text"]


def test_the_console_shows_the_demos_review_queue_notices_and_waiting_disputes(
    demo: DemoRun, console_copy: Path
) -> None:
    pages = probe(demo, console_copy, "/en/console/review/", "/en/console/notices/", "/en/console/notices/waiting/",
                  "/en/console/lists/", "/en/console/audit/")
    assert {path: page["status"] for path, page in pages.items()} == dict.fromkeys(pages, 200)
    kept = demo.rows("SELECT m.sha256 FROM review_reviewmedia r JOIN sightings_media m ON m.id = r.media_id")
    assert kept  # the crawler kept unknown pictures seen beside known ones
    review = pages["/en/console/review/"]["text"]
    assert 'id="review-queue"' in review and any(sha[:12] in review for (sha,) in kept)
    sent = demo.rows("SELECT reference FROM notices_notice WHERE kind = 'notice' AND reference IS NOT NULL")
    assert sent and any(reference in pages["/en/console/notices/"]["text"] for (reference,) in sent)
    disputed = demo.rows("SELECT DISTINCT n.reference FROM responses_noticeresponse r JOIN notices_notice n "
                         "ON n.id = r.notice_id WHERE r.needs_analyst = 1")
    assert disputed  # the disputing provider's answers wait for an analyst
    assert all(reference in pages["/en/console/notices/waiting/"]["text"] for (reference,) in disputed)
    assert "demo-7-verified" in pages["/en/console/lists/"]["text"]
    assert "report:create" in pages["/en/console/audit/"]["text"]
