"""``sentinelle sandbox serve``: run the sandbox web on loopback until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import time
from pathlib import Path

from sentinelle.cli.exitcodes import ExitCode
from sentinelle.cli.output import write_object
from sentinelle.cli.progress import stderr_console
from sentinelle.sandbox import (
    PolicyAction,
    Sandbox,
    SandboxStartError,
    TakedownPolicy,
    World,
    WorldConfigError,
    build_world,
    export_files,
)
from sentinelle.sandbox.imagefiles import DEFAULT_CACHE_SIZE
from sentinelle.sandbox.internet_manifest import internet_records, provider_fields
from sentinelle.sandbox.providers import DEFAULT_POLICIES


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "sandbox",
        help="run the sandbox web: benign stand-in sites on loopback addresses",
        description=(
            "The sandbox web is a stand-in for the internet, for tests, benchmarks and the "
            "demo: simulated hosting providers on loopback ranges serve sites of benign "
            "generated pictures, some on a generated known list; RDAP registries, a CDN and "
            "IP-to-ASN data around them stand in for what attribution asks."
        ),
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    serve = actions.add_parser(
        "serve",
        help="serve a world until Ctrl-C",
        description=(
            "Build the world of SEED, serve it on loopback until interrupted, and write the "
            "known list (known.csv), the ground-truth manifest (manifest.jsonl), a hosts file, "
            "the IP-to-ASN data (ip2asn-v4.tsv) and the providers' takedown logs (takedowns/) "
            "to the output folder. Prints one JSON object per provider and per site, one for "
            "the RDAP registries, one for the CDN and one per site it fronts, then one naming "
            "the files."
        ),
    )
    serve.add_argument("--seed", type=int, default=0, help="world seed (default: %(default)s)")
    serve.add_argument(
        "--images",
        type=int,
        default=200,
        metavar="N",
        help="distinct images in the world (default: %(default)s)",
    )
    serve.add_argument(
        "--providers",
        type=int,
        default=4,
        metavar="N",
        help="simulated hosting providers (default: %(default)s)",
    )
    serve.add_argument(
        "--sites",
        type=int,
        metavar="N",
        help="ordinary sites (default: 2 per provider, or 1 per 150 images)",
    )
    serve.add_argument(
        "--port",
        type=int,
        default=0,
        metavar="PORT",
        help="the port every site listens on (default: a free one)",
    )
    serve.add_argument(
        "--output-dir",
        type=Path,
        metavar="DIR",
        help="where the files go (default: ./sandbox-SEED)",
    )
    serve.add_argument(
        "--policy",
        choices=[str(action) for action in PolicyAction],
        help="every provider's takedown policy (default: immediate, delayed, never and "
        "dispute in turn)",
    )
    serve.add_argument(
        "--delay",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="removal delay of the 'delayed' policy (default: %(default)s)",
    )
    serve.add_argument(
        "--warm",
        action="store_true",
        help="make every image before serving and keep them all in memory (benchmarks: "
        "otherwise images are drawn on request and only 1,024 are kept)",
    )
    serve.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> ExitCode:
    console = stderr_console()
    policies: tuple[TakedownPolicy, ...] = DEFAULT_POLICIES
    if args.policy is not None:
        policies = (TakedownPolicy(PolicyAction(args.policy), args.delay),)
    if not 0 <= args.port <= 65535 or args.delay < 0:
        console.print("sentinelle sandbox: --port must be 0 to 65535 and --delay >= 0")
        return ExitCode.USAGE
    try:
        world = build_world(
            args.seed,
            images=args.images,
            providers=args.providers,
            sites=args.sites,
            policies=policies,
        )
    except WorldConfigError as error:
        console.print(f"sentinelle sandbox: {error}", markup=False)
        return ExitCode.USAGE
    folder = args.output_dir or Path(f"sandbox-{args.seed}")
    return asyncio.run(_serve(world, folder, args.port or None, warm=args.warm))


async def _serve(world: World, folder: Path, port: int | None, *, warm: bool) -> ExitCode:
    console = stderr_console()
    sandbox = Sandbox(
        world,
        port=port,
        log_folder=folder / "takedowns",
        cache_size=len(world.media) + 64 if warm else DEFAULT_CACHE_SIZE,
    )
    warmed = 0.0
    if warm:
        started = time.perf_counter()
        await asyncio.to_thread(sandbox.images.warm)
        warmed = time.perf_counter() - started
    try:
        await sandbox.start()
    except SandboxStartError as error:
        console.print(f"sentinelle sandbox: {error}", markup=False, soft_wrap=True)
        return ExitCode.FAILED
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
                "asn_db": str(files.asn_db),
                **({"warm_seconds": round(warmed, 2)} if warm else {}),
            },
        )
        sys.stdout.flush()
        console.print(
            f"serving {len(world.sites)} sites on port {sandbox.port}, start at "
            f"{sandbox.start_urls[0]}; known list {files.known_list}; Ctrl-C stops",
            markup=False,
            soft_wrap=True,
        )
        await stopping.wait()
    finally:
        await sandbox.stop()
    console.print("sandbox stopped", markup=False)
    return ExitCode.DONE


def _describe(sandbox: Sandbox) -> None:
    for provider in sandbox.world.providers:
        write_object(
            sys.stdout,
            {
                "type": "provider",
                "slug": provider.slug,
                "name": provider.name,
                "asn": provider.asn,
                "country": provider.country,
                "abuse_email": provider.abuse_email,
                "network": str(provider.network),
                "takedown_url": sandbox.control_url(provider.slug),
                "policy": str(provider.policy),
                **provider_fields(sandbox.world, provider),
            },
        )
    for site in sandbox.world.sites:
        write_object(
            sys.stdout,
            {
                "type": "site",
                "host": site.host,
                "ip": str(site.ip),
                "provider": site.provider,
                "role": str(site.role),
                "url": f"http://{site.host}:{sandbox.port}/",
            },
        )
    for record in internet_records(sandbox.world, sandbox.port):
        if record["type"] in ("rdap", "cdn", "fronted-site"):
            write_object(sys.stdout, record)
