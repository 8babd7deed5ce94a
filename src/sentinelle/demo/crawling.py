"""The demo's crawl: the sandbox's home pages and the CDN-fronted site, in this process;
then the pages the public reported to the tipline (queued crawl requests), by
``sentinelle crawl --queue --until-empty`` in a child process (Twisted's reactor runs once
per process).

The same crawler as ``sentinelle crawl`` (:func:`sentinelle.crawl.runner.run_crawl`), with
options that suit a small world: every page's links are followed (``--expand all``) three
steps deep, no politeness delay, a short time limit so the sandbox's trap site (slow drip,
endless redirects, a link maze) costs seconds. Names resolve through the sandbox's ``hosts``
file, as ``--hosts-file`` does. Scrapy installs its own Ctrl-C handlers: they are put back
as they were afterwards, so Ctrl-C stops the rest of the demo too.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sentinelle.crawl.options import CrawlOptions, Expand
from sentinelle.crawl.runner import CrawlJob, run_crawl
from sentinelle.crawl.summary import summarize
from sentinelle.demo.exceptions import DemoInterrupted
from sentinelle.sandbox import SandboxResolver

OPTIONS: Final = CrawlOptions(
    depth=3, expand=Expand.ALL, delay=0.0, per_host=8, concurrency=32, timeout=3.0, retries=0,
    max_pages_per_host=60,
)


@dataclass(frozen=True)
class Crawled:
    seeds: int
    seconds: float
    summary: dict[str, Any]


def crawl(seeds: list[str], hosts: Path, output: Path, *,
          on_progress: Callable[[Mapping[str, Any]], None] | None = None) -> Crawled:
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        with output.open("w", encoding="utf-8", newline="\n") as stream:
            job = CrawlJob(options=OPTIONS, seeds=seeds, output=stream,
                           resolver=functools.partial(SandboxResolver.from_hosts_file, hosts),
                           worker="demo-crawler", on_progress=on_progress)
            result = run_crawl(job)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    if result.interrupted:
        raise DemoInterrupted(f"the crawl was stopped ({result.reason})")
    return Crawled(len(seeds), result.seconds, summarize(result.stats, result.seconds))


#: The queued requests' crawl: the reported page itself and what it shows, as the seeds'.
QUEUE_ARGUMENTS: Final = ("--queue", "--until-empty", "--poll", "0.2", "--depth", "1", "--delay", "0",
                          "--timeout", "3", "--retries", "0", "--no-progress", "--worker", "demo-crawler-queue")


def crawl_queued(hosts: Path, output: Path, log: Path, *, timeout: float = 300.0) -> int:
    """Crawl the queued crawl requests (the tipline's) in a child process; its exit code."""
    command = [sys.executable, "-m", "sentinelle", "crawl", *QUEUE_ARGUMENTS, "--hosts-file", str(hosts),
               "--output", str(output)]
    with log.open("ab") as stream:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=stream, stderr=stream,
                              env=dict(os.environ), timeout=timeout, check=False)
    return done.returncode
