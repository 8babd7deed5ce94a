"""Running one crawl in this process: journal, hashing pool, database threads, Scrapy.

:func:`run_crawl` assembles everything (the one place it is assembled), runs the reactor
until the crawl is over or stopped, and returns the stats. Django must be set up first.
Ctrl-C (SIGINT) or SIGTERM stops it cleanly: downloads under way finish, their media are
recorded, finished pages are journaled, and nothing new starts; a second signal forces.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from scrapy.crawler import CrawlerProcess

from sentinelle.audit.services import Actor
from sentinelle.crawl.coordinator import Coordinator
from sentinelle.crawl.database import Database
from sentinelle.crawl.exceptions import CrawlError
from sentinelle.crawl.hashing_pool import HashingPool
from sentinelle.crawl.journal import Journal, header
from sentinelle.crawl.matcher_source import StoredLists, file_lists
from sentinelle.crawl.normalize import normalize_url
from sentinelle.crawl.options import CrawlOptions
from sentinelle.crawl.output import SightingWriter
from sentinelle.crawl.queue_feed import QueueFeed
from sentinelle.crawl.scope import Frontier
from sentinelle.crawl.settings_scrapy import scrapy_settings
from sentinelle.crawl.spider import SentinelleSpider
from sentinelle.crawl.visits import Crawl
from sentinelle.engine.scan import ScanSettings
from sentinelle.lists import HashList
from sentinelle.resolver import Resolver

#: The journal's name for the crawl of the command line's URLs.
SEED_CRAWL = "seeds"


class JobMismatch(CrawlError):
    """The job folder holds another crawl than the one asked for."""


class HashingUnavailable(CrawlError):
    """The hashing workers could not start (their matcher could not be loaded...)."""


@dataclass
class QueueMode:
    batch: int = 4
    poll: float = 5.0
    until_empty: bool = False


@dataclass
class CrawlJob:
    options: CrawlOptions
    seeds: list[str] = field(default_factory=list)
    queue: QueueMode | None = None
    #: Lists to match against; None: every enabled stored list (reloaded when they change).
    lists: list[HashList] | None = None
    output: TextIO | None = None
    resolver: Callable[[], Resolver] | None = None
    worker: str = "crawler"
    log_level: str = "ERROR"
    #: Called about twice a second with the stats while the crawl runs.
    on_progress: Callable[[Mapping[str, Any]], None] | None = None


@dataclass
class CrawlResult:
    stats: dict[str, Any]
    reason: str
    seconds: float
    resumed: bool

    @property
    def interrupted(self) -> bool:
        return self.reason not in ("finished", "nothing-to-do")


def open_journal(job: CrawlJob) -> tuple[Journal | None, list[str], str]:
    """The job folder's journal (new or resumed), the seeds and the run label."""
    seeds = [normalize_url(url).url for url in job.seeds]
    run = f"cli:{uuid.uuid4().hex[:16]}"
    folder = job.options.job_dir
    if folder is None:
        return None, seeds, run
    journal = Journal(folder)
    mode = "queue" if job.queue else "seeds"
    if journal.resumed:
        recorded = journal.state.header or {}
        if recorded.get("mode") != mode or (job.queue and recorded.get("worker") != job.worker):
            raise JobMismatch(f"{folder} holds a {recorded.get('mode')} crawl of another worker")
        if not job.queue:
            if seeds and seeds != recorded.get("seeds"):
                raise JobMismatch(f"{folder} holds a crawl of other URLs: {recorded.get('seeds')}")
            seeds, run = list(recorded["seeds"]), str(recorded["run"])
        return journal, seeds, run
    if not job.queue and not seeds:
        raise JobMismatch(f"{folder} holds no crawl to resume; give URLs")
    journal.write(
        "job", mode=mode, worker=job.worker, **header(seeds=seeds, run=run, options=job.options.describe())
    )
    return journal, seeds, run


class _Process(CrawlerProcess):
    """Scrapy's process, telling the coordinator as soon as a stop is asked for."""

    def __init__(self, settings: dict[str, Any], coordinator: Coordinator) -> None:
        super().__init__(settings)
        self._coordinator = coordinator

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        self._coordinator.closing = True
        super()._signal_shutdown(signum, frame)


def run_crawl(job: CrawlJob) -> CrawlResult:
    started = time.monotonic()
    journal, seeds, run = open_journal(job)
    resumed = bool(journal and len(journal.state.pages) + len(journal.state.claims))
    if journal is not None and not job.queue and SEED_CRAWL in journal.state.done:
        journal.close()
        return CrawlResult({}, "nothing-to-do", 0.0, resumed)
    database = Database()
    scratch = tempfile.TemporaryDirectory(prefix="sentinelle-crawl-")
    pool: HashingPool | None = None
    try:
        stored = StoredLists() if job.lists is None else None
        source = database.run(stored.current) if stored else file_lists(job.lists or [], Path(scratch.name))
        scan = ScanSettings(limits=job.options.limits)
        pool = HashingPool(source, scan, job.options.hash_workers)
        try:
            pool.warm()
        except BrokenProcessPool as broken:
            raise HashingUnavailable(f"the hashing workers could not start: {broken}") from None
        coordinator = Coordinator(
            job.options,
            database=database,
            journal=journal,
            output=SightingWriter(job.output),
            actor=Actor.system(job.worker),
        )
        feed = None
        if job.queue is not None:
            refresh = (lambda: pool.use(stored.current())) if stored and pool else None
            feed = QueueFeed(
                coordinator, actor=coordinator.actor, batch=job.queue.batch,
                poll=job.queue.poll, until_empty=job.queue.until_empty, refresh=refresh,
            )
        crawls = [] if job.queue else [(Crawl(SEED_CRAWL, run, Frontier(job.options)), seeds)]
        settings = scrapy_settings(job.options, resolver=job.resolver, log_level=job.log_level)
        process = _Process(settings, coordinator)
        crawler = process.create_crawler(SentinelleSpider)
        process.crawl(crawler, coordinator=coordinator, seeds=crawls, feed=feed, pool=pool)
        _report_progress(crawler, job.on_progress)
        process.start()
        stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
        stats["database/batches"] = coordinator.writes.batches  # transactions written
        stats["database/records"] = coordinator.writes.records  # page visits and files in them
    finally:
        if pool is not None:
            pool.shutdown()
        database.close()
        if journal is not None:
            journal.close()
        scratch.cleanup()
    reason = str(stats.get("finish_reason", "finished"))
    return CrawlResult(stats, reason, time.monotonic() - started, resumed)


def _report_progress(crawler: Any, report: Callable[[Mapping[str, Any]], None] | None) -> None:
    if report is None:
        return
    from twisted.internet import reactor, task

    def tick() -> None:
        if crawler.stats is not None:
            report(crawler.stats.get_stats())

    loop = task.LoopingCall(tick)
    reactor.callWhenRunning(loop.start, 0.5, now=False)
