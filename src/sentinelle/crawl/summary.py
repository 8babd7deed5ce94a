"""The end-of-run summary, from the crawl's stats (see docs/crawl.md for every key)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _group(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    return {
        key.removeprefix(prefix): int(value)
        for key, value in sorted(stats.items())
        if key.startswith(prefix) and isinstance(value, int)
    }


def summarize(stats: Mapping[str, Any], seconds: float) -> dict[str, Any]:
    def get(key: str) -> int:
        value = stats.get(key, 0)
        return int(value) if isinstance(value, int) else 0

    images = get("media/images")
    return {
        "pages": get("pages/fetched"),
        "pages_replayed": get("pages/replayed"),
        "pages_confirmed": get("pages/confirmed"),
        "media": get("media/fetched") + get("media/inline"),
        "media_reused": get("media/reused"),
        "images": images,
        "bytes": get("pages/bytes") + get("media/bytes"),
        "sightings": get("sightings/recorded"),
        "sightings_existing": get("sightings/existing"),
        "sightings_matched": get("sightings/matched"),
        "matches": get("matches"),
        "review": _group(stats, "review/"),
        "errors": _group(stats, "dropped/"),
        "egress_refused": _group(stats, "egress/refused/"),
        "donotact": get("donotact/url") + sum(_group(stats, "donotact/hash/").values()),
        "links": _group(stats, "links/"),
        "retries": get("retry/count"),
        "seconds": round(seconds, 3),
        "images_per_second": round(images / seconds, 1) if seconds > 0 else 0.0,
    }


def _counts(values: Mapping[str, int]) -> str:
    return ", ".join(f"{key} {count}" for key, count in values.items()) or "none"


def summary_lines(summary: Mapping[str, Any]) -> list[str]:
    replayed = f", {summary['pages_replayed']} replayed" if summary["pages_replayed"] else ""
    return [
        f"crawled {summary['pages']} pages{replayed} ({summary['pages_confirmed']} confirmed) "
        f"and {summary['media']} media ({summary['images']} images, "
        f"{summary['bytes'] / 1e6:.1f} MB) in {summary['seconds']:.1f} s, "
        f"{summary['images_per_second']:.1f} images/s",
        f"sightings: {summary['sightings']} recorded, {summary['sightings_existing']} already "
        f"recorded; {summary['sightings_matched']} with matches ({summary['matches']} matches)",
        f"errors: {_counts(summary['errors'])}",
        f"links: {_counts(summary['links'])}",
        f"review: {_counts(summary['review'])}",
    ]
