"""A program the serve tests run: a sent notice in the database the environment names, and its
signed link, printed as JSON.

    python web_seed.py '{"language": "fr", "seeds": [1, 2]}'
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from datetime import UTC, datetime, timedelta


def _hex(kind: str, seed: int, size: int) -> str:
    return hashlib.sha256(f"{kind}-{seed}".encode()).hexdigest()[:size]


def main(spec: dict[str, object]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sentinelle.settings")
    import django

    django.setup()
    from sentinelle.audit.services import Actor
    from sentinelle.notices.items import ItemInput
    from sentinelle.notices.links import response_url
    from sentinelle.notices.models import Notice, Status
    from sentinelle.notices.recipients import NoticeRecipient
    from sentinelle.notices.services import add_items

    now = datetime(2026, 1, 5, 12, tzinfo=UTC)
    seeds = spec.get("seeds", [1])
    assert isinstance(seeds, list)
    items = [
        ItemInput(url=f"http://files.example.net/gallery/{s}.jpg", sha256=_hex("sha256", s, 64), md5=_hex("md5", s, 32),
                  category="csam", first_seen=now, last_verified=now + timedelta(minutes=5))
        for s in seeds
    ]
    recipient = NoticeRecipient(key="provider:example-host", name="Example Hosting abuse desk",
                                email="abuse@example.net", language=str(spec.get("language", "en")))
    intake = add_items(recipient, items, actor=Actor.system("seed"), now=now)
    assert intake.notice is not None
    Notice.objects.filter(pk=intake.notice.pk).update(status=Status.SENT, frozen_at=now, sent_at=now)
    notice = Notice.objects.get(pk=intake.notice.pk)
    print(json.dumps({
        "reference": notice.reference, "link": response_url(notice),
        "items": [str(i.report_id) for i in notice.items.order_by("id")],
    }))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
