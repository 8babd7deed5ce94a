"""How many reports and additions one client may send in an hour.

Keyed on the client hash (an HMAC of the address under the day's key): no address is stored
for it. The count restarts when the day's key changes at midnight UTC. A client whose address
is unknown is not limited here (the reverse proxy should be).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sentinelle.config import integer
from sentinelle.tipline.exceptions import TooManySubmissions
from sentinelle.tipline.models import Addition, Report

SETTING = "SENTINELLE_TIPLINE_SUBMISSIONS_PER_HOUR"
WINDOW = timedelta(hours=1)


def check(client_hash: str, now: datetime, *, excluding: Report | None = None) -> None:
    """:class:`TooManySubmissions` when ``client_hash`` sent its hour's allowance already
    (not counting ``excluding``, the report being stored)."""
    if not client_hash:
        return
    since = now - WINDOW
    reports = Report.objects.filter(client_hash=client_hash, received_at__gt=since)
    if excluding is not None:
        reports = reports.exclude(pk=excluding.pk)
    sent = (reports.count()
            + Addition.objects.filter(client_hash=client_hash, received_at__gt=since).count())
    allowed = integer(SETTING, minimum=1)
    if sent >= allowed:
        raise TooManySubmissions(f"{sent} submissions from this client in the last hour (at most {allowed})")
