"""The sandbox for bench/crawl.py: ``sentinelle sandbox serve`` with every image made first.

    python bench/crawl_sandbox.py --seed 5 --images 10000 --output-dir DIR [--port PORT]

Same world, same files (``export_files``) and same JSON lines on standard output as
``sentinelle sandbox serve``, but the image cache holds the whole world and is warmed
(``sandbox.images.warm()``) before the servers start. The CLI keeps 1,024 images and draws
the rest on request (~3 ms each), which at 10,000 images would make every benchmark measure
the sandbox's drawing rather than the crawler. Serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from pathlib import Path

from sentinelle.cli.output import write_object
from sentinelle.cli.sandbox_command import _describe
from sentinelle.sandbox import Sandbox, build_world, export_files


async def serve(seed: int, images: int, folder: Path, port: int | None) -> int:
    world = build_world(seed, images=images)
    sandbox = Sandbox(
        world, port=port, log_folder=folder / "takedowns", cache_size=len(world.media) + 64
    )
    started = time.perf_counter()
    await asyncio.to_thread(sandbox.images.warm)
    warmed = time.perf_counter() - started
    await sandbox.start()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stopping.set)
    try:
        files = await asyncio.to_thread(export_files, sandbox, folder)
        _describe(sandbox)
        write_object(
            sys.stdout,
            {
                "type": "files",
                "known_list": str(files.known_list),
                "manifest": str(files.manifest),
                "hosts": str(files.hosts),
                "takedown_logs": str(files.takedown_logs),
                "warm_seconds": round(warmed, 2),
            },
        )
        sys.stdout.flush()
        await stopping.wait()
    finally:
        await sandbox.stop()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--images", type=int, default=10000)
    parser.add_argument("--output-dir", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    return asyncio.run(serve(args.seed, args.images, args.output_dir, args.port or None))


if __name__ == "__main__":
    sys.exit(main())
