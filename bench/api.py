"""Partner API benchmark: matching through a real server against the engine in-process.

    python bench/api.py [--hashes 10000000] [--seconds 10] [--media 30] [--quick]

What it does, all on this machine:

1. a throw-away data folder and database (SQLite, or ``--database-url``), migrated; one
   partner with a ``match`` token (rate limit lifted);
2. ``--hashes`` random PDQ hashes, plus the PDQ values of half of ``--media`` generated 1080p
   pictures, written as the API's serving index (:mod:`sentinelle.banks.serving`'s
   ``publish`` + ``write_served``, the folder the background task builds from the stored
   lists; it is built straight from the generated hashes because ten million list rows in
   the database would only measure the import);
3. ``sentinelle serve`` (gunicorn, 2 workers x ``--threads``) on 127.0.0.1, each worker
   memory-mapping that index;
4. load from separate client processes (fork) with fresh queries for every request: half are
   near variants of indexed hashes (1..24 bits flipped: the answer must hold a match at
   exactly that distance, which gives the recall) and half random hashes (any match there is
   counted as a false positive); batches of 1,000 hashes, then single hashes, then media
   (distinct 1080p JPEGs, one at a time);
5. after the server stopped: the engine in-process (``ServedMatcher.lookup``, the function
   the API calls) over the same index, same query mix and batch size, in as many processes
   as the server has workers (the same cores).

Rates are hashes per second (batch) or requests per second; latencies are per request, as
the client sees them. All data is random or drawn: no real hash or picture is involved.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_load import LoadResult, Queries, media_pictures, run_clients, run_media  # noqa: E402

WORKERS = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hashes", type=int, default=10_000_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="per load phase")
    parser.add_argument("--media", type=int, default=30, help="1080p pictures sent to /match/media")
    parser.add_argument("--threads", type=int, default=4, help="threads per server worker")
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--batch-threads", type=int, default=2, help="connections per client sending batches")
    parser.add_argument("--single-threads", type=int, default=4, help="connections per client sending one hash")
    parser.add_argument("--database-url", default=None, help="default: SQLite in the throw-away folder "
                        "(give a PostgreSQL database of its own: a partner is added to it each run)")
    parser.add_argument("--redis-url", default=None, help="rate-limit counters in Redis (default: the database)")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--quick", action="store_true", help="smoke run: 200,000 hashes, short phases")
    args = parser.parse_args()
    if args.quick:
        args.hashes, args.seconds, args.media = 200_000, 2.0, 6
    work = Path(tempfile.mkdtemp(prefix="sentinelle-bench-api-"))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def prepare(args: argparse.Namespace, work: Path) -> tuple[str, Path, np.ndarray, list[tuple[bytes, bool]], float]:
    os.environ.update({
        "SENTINELLE_DATA_DIR": str(work / "data"), "SENTINELLE_INDEX_DIR": str(work / "index"),
        "SENTINELLE_SECRET_KEY": "bench-only-secret", "SENTINELLE_API_RATE_PER_MINUTE": "100000000",
        "DJANGO_SETTINGS_MODULE": "sentinelle.settings",
    })
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    if args.redis_url:
        os.environ.update({"SENTINELLE_REDIS_URL": args.redis_url, "SENTINELLE_REDIS_PREFIX": "bench-api:"})
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from sentinelle.audit.services import Actor
    from sentinelle.banks.served_index import EntryColumns, write_served
    from sentinelle.banks.served_table import ListInfo
    from sentinelle.banks.serving import publish, serving_dir
    from sentinelle.hashing import reference_pdq_of
    from sentinelle.partners.services import create_partner, issue_token

    actor = Actor.system("bench")
    token = issue_token(create_partner(f"bench-{time.time_ns()}", actor=actor), ["match"], actor=actor).token
    rng = np.random.default_rng(args.seed)
    hashes = rng.integers(0, 256, (args.hashes, 32), dtype=np.uint8)
    pictures = media_pictures(args.media, args.seed)
    listed = [(data, i % 2 == 0) for i, data in enumerate(pictures)]
    for row, (data, is_listed) in enumerate(listed):
        if is_listed:
            hashes[row] = np.frombuffer(bytes.fromhex(reference_pdq_of(data).hash), np.uint8)
    n = hashes.shape[0]
    columns = EntryColumns(np.zeros(n, np.int32), np.zeros(n, np.int32), np.zeros(n, np.uint8),
                           np.arange(n, dtype=np.int64), np.zeros(n, np.int64), np.zeros(0, np.uint8),
                           {"pdq": hashes})
    started = time.perf_counter()
    folder = publish(serving_dir(), "bench", lambda staging: write_served(
        staging, columns, lists=[ListInfo("bench", "csam", True, 31)], categories=["csam"], generation="bench"))
    return token, folder, hashes, listed, time.perf_counter() - started


def start_server(work: Path, threads: int) -> tuple[subprocess.Popen[str], str]:
    command = [str(Path(sys.executable).with_name("sentinelle")), "serve", "--bind", "127.0.0.1:0",
               "--workers", str(WORKERS), "--threads", str(threads)]
    log = (work / "serve.log").open("w")
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True, env=os.environ.copy())
    assert server.stdout is not None
    line = server.stdout.readline()
    if not line:
        raise SystemExit(f"the server did not start: see {work / 'serve.log'}")
    return server, json.loads(line)["url"].rstrip("/").removeprefix("http://")


def warm(address: str, token: str) -> int:
    """Each worker maps the index on its first request: ask until every answer is quick."""
    body = json.dumps({"hashes": [{"signal_type": "pdq", "hash": "00" * 32}]})
    deadline, quick, calls = time.monotonic() + 300, 0, 0
    while quick < 40 and time.monotonic() < deadline:
        calls += 1
        connection = http.client.HTTPConnection(address, timeout=300)
        started = time.perf_counter()
        connection.request("POST", "/api/v1/match/hashes", body, {"Authorization": f"Bearer {token}",
                                                                   "Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"warm-up answered {response.status}")
        quick = quick + 1 if time.perf_counter() - started < 0.05 else 0
        connection.close()
    return calls


def in_process(folder: Path, queries: Queries, batch: int, seconds: float) -> LoadResult:
    """The engine's rate in ``WORKERS`` processes at once, timing only the look-ups."""
    context = mp.get_context("fork")
    with context.Pool(WORKERS) as pool:
        parts = pool.starmap(_engine_loop, [(folder, queries, batch, seconds, seed) for seed in range(WORKERS)])
    return LoadResult.merge(parts, wall=seconds)


def _engine_loop(folder: Path, queries: Queries, batch: int, seconds: float, seed: int) -> LoadResult:
    from sentinelle.api.match_service import reportable
    from sentinelle.banks.served_index import load_served

    matcher = load_served(folder)
    rng = np.random.default_rng(10_000 + seed)
    result = LoadResult()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        keys, expected = queries.draw(rng, batch)
        started = time.perf_counter()
        found = matcher.lookup("pdq", keys, reportable)
        elapsed = time.perf_counter() - started
        result.add(elapsed, batch, expected, [[m.distance for m in f] for f in found])
    return result


def run(args: argparse.Namespace, work: Path) -> None:
    from sentinelle.partners.tokens import token_hash

    token, folder, hashes, listed, build_s = prepare(args, work)
    queries = Queries(hashes)
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"# sentinelle partner API benchmark: {args.hashes:,} PDQ hashes, {WORKERS} workers x {args.threads} "
          f"threads, {args.clients} client processes x {args.batch_threads} (batches) or {args.single_threads} "
          f"(single) connections; {database}, rate limits in "
          f"{'Redis' if args.redis_url else 'the database'}; {platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}; serving index built in {build_s:.1f}s")
    server, address = start_server(work, args.threads)
    try:
        started = time.perf_counter()
        warmed = warm(address, token)
        print(f"# both workers mapped the index and answer ({time.perf_counter() - started:.1f}s)")
        batch = run_clients(address, token, queries, batch=1000, clients=args.clients,
                            threads=args.batch_threads, seconds=args.seconds)
        single = run_clients(address, token, queries, batch=1, clients=args.clients,
                             threads=args.single_threads, seconds=args.seconds)
        media = run_media(address, token, listed)
    finally:
        server.terminate()
        server.wait(60)
    from sentinelle.partners.models import ApiCall

    made = warmed + sum(r.requests + r.errors for r in (batch, single, media))
    print(f"# call records written: {ApiCall.objects.filter(token__secret_hash=token_hash(token)).count():,} "
          f"for {made:,} calls (buffered records are written as the workers stop)")
    engine_batch = in_process(folder, queries, 1000, args.seconds)
    engine_single = in_process(folder, queries, 1, args.seconds)
    report(batch, single, media, engine_batch, engine_single)


def report(batch: LoadResult, single: LoadResult, media: LoadResult, engine_batch: LoadResult,
           engine_single: LoadResult) -> None:
    rows = [
        ("API /match/hashes, batches of 1,000", batch, batch.hash_rate, "hashes/s"),
        ("engine in-process, batches of 1,000", engine_batch, engine_batch.busy_rate, "hashes/s"),
        ("API /match/hashes, one hash per call", single, single.request_rate, "calls/s"),
        ("engine in-process, one hash per call", engine_single, engine_single.busy_rate, "hashes/s"),
        ("API /match/media, 1080p JPEG", media, media.request_rate, "calls/s"),
    ]
    print("| what | rate | p50 ms | p99 ms | requests | recall | false positives |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, result, rate, unit in rows:
        print(f"| {name} | {rate:,.0f} {unit} | {result.percentile(50):.2f} | {result.percentile(99):.2f} | "
              f"{result.requests:,} | {result.recall:.4f} | {result.false_positives} |")
    ratio = batch.hash_rate / engine_batch.busy_rate if engine_batch.busy_rate else 0.0
    print(f"\nbatch through the API = {ratio:.0%} of the engine in-process (goal >= 70%), "
          f"p99 {batch.percentile(99):.0f} ms (goal < 500)")
    print(f"single lookups: {single.request_rate:,.0f}/s (goal >= 1,000), p99 {single.percentile(99):.1f} ms "
          f"(goal < 20)")
    failures = [r for r in (batch, single, media, engine_batch) if r.errors or r.recall < 1.0 or r.false_positives]
    if failures:
        raise SystemExit("errors, missed matches or false positives: see the table")


if __name__ == "__main__":
    main()
