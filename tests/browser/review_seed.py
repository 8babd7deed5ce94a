"""Run as a script against the served site's database: review items as the crawler leaves
them (benign generated pictures: one on a verified list confirms the page, the others unknown
next to it, their bytes kept encrypted for review). Prints their SHA-256s as JSON."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for support.pictures


def main(count: int) -> list[str]:
    from sentinelle.cli.database import setup_django

    setup_django()
    from sentinelle.audit.services import Actor
    from sentinelle.banks.services import import_list
    from sentinelle.lists import HashList, ListEntry
    from sentinelle.review.services import store_review_media
    from sentinelle.sightings.observations import FoundMatch, SeenMedia
    from sentinelle.sightings.services import record_sighting
    from support.pictures import draw_picture, encode

    seen_at, page = datetime(2026, 3, 2, 12, 0, tzinfo=UTC), "https://gallery.example.net/album"
    known = SeenMedia.from_bytes(encode(draw_picture(500), "JPEG", quality=90))
    import_list(HashList("benign-known", [ListEntry("sha256", known.sha256)], category="csam", verified=True),
                actor=Actor.user("list-keeper"))
    record_sighting(known, url=f"{page}/known.jpg", page_url=page, seen_at=seen_at,
                    matches=[FoundMatch("benign-known", "sha256", known.sha256, 0, True, category="csam")])
    made = []
    for seed in range(501, 501 + count):
        data = encode(draw_picture(seed), "JPEG", quality=90)
        sighting, _ = record_sighting(SeenMedia.from_bytes(data), url=f"{page}/{seed}.jpg", page_url=page,
                                      seen_at=seen_at)
        store_review_media(sighting.media, data, actor=Actor.system("crawler-test"))
        made.append(sighting.media.sha256)
    return made


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
