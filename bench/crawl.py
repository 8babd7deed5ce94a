"""Crawl benchmark: ``sentinelle crawl`` end to end vs ``sentinelle scan --jobs 1`` vs raw GETs.

    python bench/crawl.py [--images 10000] [--seed 5] [--quick] [--keep DIR]

One run, three measurements over the same ~10,000 distinct sandbox images (every file carries
a label naming its world and number, so no two share bytes and de-duplication cannot inflate
a rate):

1. raw GET: the sandbox (``sentinelle sandbox serve --warm``: every image made first and kept, its image
   cache warmed, in its own process) serves every image URL of its manifest once to a plain
   aiohttp client (16 in flight, connecting to each site's address), which writes the bytes
   to a temporary folder: "the same files, from disk";
2. scan: ``sentinelle scan --jobs 1 FOLDER --list known.csv``: its own summary's seconds
   (hashing and matching), with the command's wall clock beside it;
3. crawl: ``sentinelle crawl`` with one hashing worker, seeded with every page of the
   ordinary sites (``--depth 0``: each page once, no link following, the trap site left
   out), ``--hosts-file``, the sandbox's known list, a fresh SQLite data folder migrated
   first, ``--delay 0 --per-host 16 --concurrency 64 --no-review``; images/s is the
   crawler's own (its summary: images hashed, matched and recorded / crawl seconds), with
   the wall clock of the whole command (start-up and database included) beside it.

On a machine with two or more cores, the crawler (reactor and its hashing worker), the scan
and this client are pinned to core 0 and the sandbox to core 1, so "on one core" means one
core. It prints a table and the ratios crawl/scan (goal >= 0.5) and crawl/raw GET.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

BENCH_CORE = 0
SANDBOX_CORE = 1


def _cores() -> int:
    return len(os.sched_getaffinity(0))


def _pinned(core: int | None) -> dict[str, object]:
    """``subprocess`` keyword arguments that pin a child (and its children) to ``core``."""
    if core is None or _cores() < 2:
        return {}

    def pin() -> None:
        os.sched_setaffinity(0, {core})

    return {"preexec_fn": pin}


def _sentinelle() -> list[str]:
    found = shutil.which("sentinelle") or str(Path(sys.executable).with_name("sentinelle"))
    return [found]


class SandboxProcess:
    """``sentinelle sandbox serve --warm`` in a child process; its JSON lines are read until the files."""

    def __init__(self, seed: int, images: int, folder: Path) -> None:
        self.folder = folder
        self.log = open(folder / "sandbox.log", "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sentinelle",
                "sandbox",
                "serve",
                "--warm",
                "--seed",
                str(seed),
                "--images",
                str(images),
                "--output-dir",
                str(folder / "sandbox"),
            ],
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            **_pinned(SANDBOX_CORE),  # type: ignore[arg-type]
        )
        self.sites: list[dict[str, object]] = []
        self.files: dict[str, object] = {}

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        for line in self.process.stdout:
            record = json.loads(line)
            if record["type"] == "site":
                self.sites.append(record)
            elif record["type"] == "files":
                self.files = record
                return
            if time.monotonic() > deadline:
                break
        raise RuntimeError(f"the sandbox did not start; see {self.folder / 'sandbox.log'}")

    @property
    def port(self) -> int:
        port = urlsplit(str(self.sites[0]["url"])).port
        assert port is not None
        return port

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def read_manifest(path: Path) -> list[dict[str, object]]:
    with open(path, encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


def image_urls(records: Sequence[dict[str, object]]) -> dict[int, str]:
    """One URL per image: where its first placement's bytes answer (after redirects)."""
    urls: dict[int, str] = {}
    for record in records:
        if record["type"] == "placement" and record["final"] is not None:
            media = int(record["media"])  # type: ignore[call-overload]
            final = str(record["final"])
            if media not in urls and not final.startswith("data:"):
                urls[media] = final
    return urls


def seed_pages(records: Sequence[dict[str, object]]) -> list[str]:
    """Every page of the ordinary sites, frames left to the pages that show them."""
    ordinary = {r["host"] for r in records if r["type"] == "site" and r["role"] == "ordinary"}
    return [
        str(r["url"])
        for r in records
        if r["type"] == "page"
        and r["kind"] != "frame"
        and urlsplit(str(r["url"])).hostname in ordinary
    ]


async def _get_all(
    urls: dict[int, str], addresses: dict[str, str], folder: Path, concurrency: int
) -> tuple[int, int, list[str]]:
    queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue()
    for item in urls.items():
        queue.put_nowait(item)
    fetched = 0
    size = 0
    failed: list[str] = []

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal fetched, size
        while not queue.empty():
            media, url = queue.get_nowait()
            parts = urlsplit(url)
            assert parts.hostname is not None
            target = f"http://{addresses[parts.hostname]}:{parts.port}{parts.path}"
            if parts.query:
                target += f"?{parts.query}"
            async with session.get(
                target, headers={"Host": parts.netloc}, allow_redirects=False
            ) as response:
                data = await response.read()
            if response.status != 200:
                failed.append(f"{url} {response.status}")
                continue
            (folder / f"{media:06d}.img").write_bytes(data)
            fetched += 1
            size += len(data)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    return fetched, size, failed


def raw_get(
    urls: dict[int, str], sites: Sequence[dict[str, object]], folder: Path
) -> tuple[int, int, float, list[str]]:
    addresses = {str(site["host"]): str(site["ip"]) for site in sites}
    folder.mkdir(parents=True)
    started = time.perf_counter()
    fetched, size, failed = asyncio.run(_get_all(urls, addresses, folder, concurrency=16))
    return fetched, size, time.perf_counter() - started, failed


def run_scan(folder: Path, known: str, work: Path) -> tuple[float, float, str]:
    environment = dict(os.environ)
    environment["SENTINELLE_DATA_DIR"] = str(work / "scan-data")  # nothing left in the cwd
    started = time.perf_counter()
    done = subprocess.run(
        [
            *_sentinelle(),
            "scan",
            "--jobs",
            "1",
            "--no-progress",
            "--list",
            known,
            "--output",
            str(work / "scan.jsonl"),
            str(folder),
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        **_pinned(BENCH_CORE),  # type: ignore[arg-type]
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"sentinelle scan failed ({done.returncode}): {done.stderr}")
    summary = next((line for line in done.stderr.splitlines() if line.startswith("scanned")), "")
    own = re.search(r" in ([0-9.]+) s,", summary)
    return seconds, float(own.group(1)) if own else seconds, summary


def run_crawl(
    seeds: Sequence[str], files: dict[str, object], port: int, work: Path
) -> tuple[float, dict[str, object], str]:
    environment = dict(os.environ)
    environment.pop("DATABASE_URL", None)
    environment["SENTINELLE_DATA_DIR"] = str(work / "data")
    environment["SENTINELLE_EGRESS_ALLOW"] = f"127.64.0.0/10:{port}"
    migrated = subprocess.run(
        [*_sentinelle(), "migrate"], env=environment, capture_output=True, text=True, check=False
    )
    if migrated.returncode != 0:
        raise RuntimeError(f"sentinelle migrate failed: {migrated.stderr}")
    seeds_file = work / "seeds.txt"
    seeds_file.write_text("\n".join(seeds) + "\n", encoding="utf-8")
    command = [
        *_sentinelle(), "crawl", *seeds,
        "--hosts-file", str(files["hosts"]),
        "--list", str(files["known_list"]),
        "--hash-workers", "1",
        "--depth", "0",
        "--max-pages", str(len(seeds) + 10),
        "--max-pages-per-host", str(len(seeds) + 10),
        "--delay", "0",
        "--per-host", "16",
        "--concurrency", "64",
        "--no-review",
        "--no-progress",
        "--output", str(work / "crawl.jsonl"),
        "--stats", str(work / "crawl-stats.json"),
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(
        command,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        **_pinned(BENCH_CORE),  # type: ignore[arg-type]
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"sentinelle crawl failed ({done.returncode}): {done.stderr}")
    stats = json.loads((work / "crawl-stats.json").read_text(encoding="utf-8"))
    summary = next((line for line in done.stderr.splitlines() if line.startswith("crawled")), "")
    return seconds, stats, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10000, help="distinct images (10000)")
    parser.add_argument("--seed", type=int, default=5, help="sandbox world seed (5)")
    parser.add_argument("--quick", action="store_true", help="~500 images, a smoke run")
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one)")
    args = parser.parse_args()
    images = 500 if args.quick else args.images
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=False)
    work = args.keep or Path(tempfile.mkdtemp(prefix="sentinelle-bench-crawl-"))
    pinned = _cores() >= 2
    if pinned:
        os.sched_setaffinity(0, {BENCH_CORE})
    print(
        f"crawl benchmark: seed {args.seed}, {images} distinct images; python "
        f"{platform.python_version()}, {os.cpu_count()} cores, "
        + ("crawler/scan/client on core 0, sandbox on core 1" if pinned else "not pinned")
    )
    sandbox = SandboxProcess(args.seed, images, work)
    try:
        started = time.perf_counter()
        sandbox.wait_ready(timeout=60 + images * 0.05)
        print(
            f"sandbox ready in {time.perf_counter() - started:.1f} s "
            f"(images made in {sandbox.files.get('warm_seconds')} s), port {sandbox.port}"
        )
        records = read_manifest(Path(str(sandbox.files["manifest"])))
        urls = image_urls(records)
        seeds = seed_pages(records)

        fetched, size, get_seconds, failed = raw_get(urls, sandbox.sites, work / "images")
        if failed:
            print(f"raw GET: {len(failed)} failed, e.g. {failed[:3]}")
        print(f"raw GET: {fetched} images ({size / 1e6:.1f} MB) in {get_seconds:.2f} s")

        scan_wall, scan_seconds, scan_summary = run_scan(
            work / "images", str(sandbox.files["known_list"]), work
        )
        print(f"scan: {scan_summary}")

        crawl_wall, stats, crawl_summary = run_crawl(seeds, sandbox.files, sandbox.port, work)
        print(f"crawl ({len(seeds)} seed pages): {crawl_summary}")
    finally:
        sandbox.stop()

    summary = stats["summary"]
    assert isinstance(summary, dict)
    crawl_images = int(summary["images"])
    crawl_seconds = float(summary["seconds"])
    get_rate = fetched / get_seconds
    scan_rate = fetched / scan_seconds
    crawl_rate = crawl_images / crawl_seconds
    crawl_wall_rate = crawl_images / crawl_wall
    errors = summary.get("errors") or {}

    rows = [
        ("raw GET (aiohttp, 16 in flight, to disk)", fetched, get_seconds, get_rate),
        ("sentinelle scan --jobs 1 (its summary)", fetched, scan_seconds, scan_rate),
        ("  same, wall clock of the command", fetched, scan_wall, fetched / scan_wall),
        ("sentinelle crawl, 1 hashing worker", crawl_images, crawl_seconds, crawl_rate),
        ("  same, wall clock of the command", crawl_images, crawl_wall, crawl_wall_rate),
    ]
    print()
    print(f"| {'measurement':<42} | {'images':>7} | {'seconds':>8} | {'images/s':>9} |")
    print(f"| {'-' * 42} | {'-' * 6}: | {'-' * 7}: | {'-' * 8}: |")
    for name, count, seconds, rate in rows:
        print(f"| {name:<42} | {count:>7} | {seconds:>8.2f} | {rate:>9.1f} |")
    print()
    print(
        f"crawl / scan:    {crawl_rate / scan_rate:.2f}  (goal >= 0.5; "
        f"wall clocks {crawl_wall_rate * scan_wall / fetched:.2f})"
    )
    print(f"crawl / raw GET: {crawl_rate / get_rate:.3f}")
    print(
        f"crawl: {summary['pages']} pages, {summary['media']} media, "
        f"{summary['sightings']} sightings, {summary['matches']} matches, errors {errors}"
    )
    crawl_stats = stats["stats"]
    assert isinstance(crawl_stats, dict)
    if "database/batches" in crawl_stats:
        print(
            f"crawl database writes: {crawl_stats['database/records']} page visits and files "
            f"in {crawl_stats['database/batches']} transactions"
        )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
