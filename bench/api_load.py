"""Load generation for bench/api.py: fresh queries, client processes, results with recall."""

from __future__ import annotations

import http.client
import io
import json
import multiprocessing as mp
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

MAX_FLIPS = 24
MASKS = 4096


class Queries:
    """Fresh queries: an indexed hash XOR one of a pool of masks of 1..24 bits, or a random hash."""

    def __init__(self, hashes: np.ndarray, seed: int = 99) -> None:
        self.hashes = hashes
        rng = np.random.default_rng(seed)
        self.flips = rng.integers(1, MAX_FLIPS + 1, MASKS)
        bits = rng.random((MASKS, 256)).argsort(axis=1) < self.flips[:, None]
        self.masks = np.packbits(bits, axis=1)

    def draw(self, rng: np.random.Generator, count: int) -> tuple[np.ndarray, list[int | None]]:
        near = rng.random(count) < 0.5
        keys = rng.integers(0, 256, (count, 32), dtype=np.uint8)
        rows = rng.integers(0, self.hashes.shape[0], count)
        masks = rng.integers(0, MASKS, count)
        keys[near] = self.hashes[rows[near]] ^ self.masks[masks[near]]
        expected = [int(self.flips[m]) if n else None for n, m in zip(near.tolist(), masks.tolist(), strict=True)]
        return keys, expected


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)
    hashes: int = 0
    requests: int = 0
    expected: int = 0
    found: int = 0
    false_positives: int = 0
    errors: int = 0
    busy: float = 0.0
    wall: float = 0.0
    part_rates: list[float] = field(default_factory=list)

    def add(self, elapsed: float, hashes: int, expected: list[int | None], distances: list[list[int]]) -> None:
        self.requests += 1
        self.hashes += hashes
        self.latencies.append(elapsed)
        self.busy += elapsed
        for wanted, found in zip(expected, distances, strict=True):
            if wanted is None:
                self.false_positives += bool(found)
            else:
                self.expected += 1
                self.found += wanted in found

    @classmethod
    def merge(cls, parts: list[LoadResult], *, wall: float) -> LoadResult:
        merged = cls(wall=wall)
        for part in parts:
            merged.latencies += part.latencies
            for name in ("hashes", "requests", "expected", "found", "false_positives", "errors"):
                setattr(merged, name, getattr(merged, name) + getattr(part, name))
            merged.busy += part.busy
            merged.part_rates.append(part.hashes / part.busy if part.busy else 0.0)
        return merged

    @property
    def hash_rate(self) -> float:
        return self.hashes / self.wall if self.wall else 0.0

    @property
    def request_rate(self) -> float:
        return self.requests / self.wall if self.wall else 0.0

    @property
    def busy_rate(self) -> float:
        """Hashes per second of look-up time, summed over the processes that ran at once."""
        return sum(self.part_rates)

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.latencies, q) * 1000) if self.latencies else 0.0


def _post(connection: http.client.HTTPConnection, path: str, body: bytes, token: str,
          content_type: str) -> tuple[int, bytes]:
    connection.request("POST", path, body, {"Authorization": f"Bearer {token}", "Content-Type": content_type})
    response = connection.getresponse()
    return response.status, response.read()


def _client_loop(address: str, token: str, queries: Queries, batch: int, threads: int, seconds: float,
                 seed: int) -> LoadResult:
    results = [LoadResult() for _ in range(threads)]

    def loop(result: LoadResult, thread_seed: int) -> None:
        rng = np.random.default_rng(thread_seed)
        connection = http.client.HTTPConnection(address, timeout=60)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            keys, expected = queries.draw(rng, batch)
            text = keys.tobytes().hex()
            body = json.dumps({"hashes": [{"signal_type": "pdq", "hash": text[i * 64:(i + 1) * 64]}
                                          for i in range(batch)]}).encode()
            started = time.perf_counter()
            status, answer = _post(connection, "/api/v1/match/hashes", body, token, "application/json")
            elapsed = time.perf_counter() - started
            if status != 200:
                result.errors += 1
                continue
            found = [[m["distance"] for m in r["matches"]] for r in json.loads(answer)["results"]]
            result.add(elapsed, batch, expected, found)

    workers = [threading.Thread(target=loop, args=(results[i], seed * 1000 + i)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return LoadResult.merge(results, wall=seconds)


def run_clients(address: str, token: str, queries: Queries, *, batch: int, clients: int, threads: int,
                seconds: float) -> LoadResult:
    """``clients`` processes of ``threads`` connections each, for ``seconds``."""
    context = mp.get_context("fork")
    with context.Pool(clients) as pool:
        parts = pool.starmap(_client_loop, [(address, token, queries, batch, threads, seconds, 1 + c)
                                            for c in range(clients)])
    return LoadResult.merge(parts, wall=seconds)


def run_media(address: str, token: str, pictures: list[tuple[bytes, bool]]) -> LoadResult:
    """Each picture once, one at a time: listed ones must come back csam, the others no-known-match."""
    result = LoadResult()
    connection = http.client.HTTPConnection(address, timeout=120)
    started = time.perf_counter()
    for data, listed in pictures:
        begun = time.perf_counter()
        status, answer = _post(connection, "/api/v1/match/media", data, token, "image/jpeg")
        elapsed = time.perf_counter() - begun
        if status != 200:
            result.errors += 1
            continue
        matched = json.loads(answer)["classification"] == "csam"
        result.add(elapsed, 1, [0 if listed else None], [[0] if matched else []])
    result.wall = time.perf_counter() - started
    return result


def media_pictures(count: int, seed: int, size: tuple[int, int] = (1920, 1080)) -> list[bytes]:
    """Distinct benign 1080p pictures (gradients, shapes, noise) as JPEG."""
    pictures = []
    width, height = size
    for index in range(count):
        rng = np.random.default_rng(seed * 7919 + index)
        ramp = np.linspace(0, 1, width)[None, :, None]
        left, right = rng.integers(0, 256, 3), rng.integers(0, 256, 3)
        pixels = (left * (1 - ramp) + right * ramp).repeat(height, axis=0)
        image = Image.fromarray(pixels.astype(np.uint8), "RGB")
        draw = ImageDraw.Draw(image)
        for _ in range(16):
            x, y, r = int(rng.integers(0, width)), int(rng.integers(0, height)), int(rng.integers(40, width // 4))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(int(c) for c in rng.integers(0, 256, 3)))
        noise = rng.normal(0, 4, (height, width, 3))
        noisy = np.clip(np.asarray(image, float) + noise, 0, 255).astype(np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(noisy, "RGB").filter(ImageFilter.GaussianBlur(0.8)).save(buffer, "JPEG", quality=90)
        pictures.append(buffer.getvalue())
    return pictures
