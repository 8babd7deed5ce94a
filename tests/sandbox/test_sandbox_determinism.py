"""Same seed, same bytes for every URL the sandbox serves; another seed, other bytes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from sandbox_support import fetch

from sentinelle.sandbox import Sandbox, SandboxThread, World, build_world

FINGERPRINT = """
import hashlib, sys
from sentinelle.sandbox import ImageStore, build_world
world = build_world(int(sys.argv[1]), images=40)
store = ImageStore(world)
digest = hashlib.sha256(repr(world).encode())
for media in world.media:
    digest.update(store.bytes_of(media.id))
print(digest.hexdigest())
"""


def _urls(sandbox: Sandbox) -> list[str]:
    world = sandbox.world
    locations = [p.location for p in world.pages] + [s.location for s in world.stylesheets]
    locations += [s.location for s in world.served] + [r.location for r in world.redirects]
    return sorted(sandbox.url(location) for location in locations)


def served_digest(sandbox: Sandbox) -> str:
    """SHA-256 over every URL's status, Content-Type, Location and body."""
    digest = hashlib.sha256()
    for url in _urls(sandbox):
        answer = fetch(sandbox.resolver, url)
        head = [url, answer.status, answer.header("content-type"), answer.header("location")]
        digest.update(json.dumps(head).encode())
        digest.update(answer.body)
    return digest.hexdigest()


def _serve_and_digest(world: World, port: int | None, folder: Path) -> tuple[int, str]:
    with SandboxThread(world, port=port, log_folder=folder) as sandbox:
        return sandbox.port, served_digest(sandbox)


def test_same_seed_serves_the_same_bytes(tmp_path: Path) -> None:
    port, first = _serve_and_digest(build_world(404, images=40), None, tmp_path)
    again_port, again = _serve_and_digest(build_world(404, images=40), port, tmp_path)
    assert again_port == port
    assert again == first
    _, other = _serve_and_digest(build_world(405, images=40), port, tmp_path)
    assert other != first


def test_same_seed_same_world_in_another_process() -> None:
    def fingerprint(seed: int, hash_seed: str) -> str:
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", FINGERPRINT, str(seed)],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return done.stdout.strip()

    assert fingerprint(9, "1") == fingerprint(9, "2")
    assert fingerprint(9, "1") != fingerprint(10, "1")
