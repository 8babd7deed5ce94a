"""The do-not-act look-ups on the crawler's hot path: one plain SQL statement each.

Every request and every hashed file is checked against the do-not-act list, on the
database's reader thread. Through the ORM each look-up cost about 0.3 ms of Python (building
and compiling the query), more than the rest of a request's own work; the same statement
written once costs a few microseconds. The predicates are exactly those of
:func:`sentinelle.donotact.services.blocks_url` (the URL itself, or its host or a parent
domain of it) and :func:`~sentinelle.donotact.services.blocks_hash` (a hash of the file
under its signal type); a test holds them to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from django.db import connection

from sentinelle.donotact.exceptions import InvalidDoNotAct
from sentinelle.donotact.models import DoNotAct
from sentinelle.donotact.services import normalize


def _table() -> str:
    return str(connection.ops.quote_name(DoNotAct._meta.db_table))


def url_listed(url: str) -> bool:
    """True when the do-not-act list names ``url`` or its host (or a parent domain of it);
    False for a URL the list could not hold (the egress guard refuses those anyway)."""
    try:
        _, canonical = normalize(DoNotAct.Kind.URL, url)
    except InvalidDoNotAct:
        return False
    labels = (urlsplit(canonical).hostname or "").rstrip(".").split(".")
    hosts = [".".join(labels[i:]) for i in range(len(labels))]
    marks = ", ".join(["%s"] * len(hosts))
    statement = (
        f"SELECT 1 FROM {_table()} WHERE (kind = %s AND value = %s) "
        f"OR (kind = %s AND value IN ({marks})) LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [str(DoNotAct.Kind.URL), canonical, str(DoNotAct.Kind.HOST), *hosts])
        return cursor.fetchone() is not None


def hash_listed(values: Mapping[str, str]) -> str | None:
    """The first signal type of ``values`` (signal type -> hash) whose hash the list names."""
    wanted = {signal_type: value.lower() for signal_type, value in values.items()}
    marks = ", ".join(["%s"] * len(wanted))
    statement = f"SELECT signal_type, value FROM {_table()} WHERE kind = %s AND value IN ({marks})"
    with connection.cursor() as cursor:
        cursor.execute(statement, [str(DoNotAct.Kind.HASH), *wanted.values()])
        listed = {(str(kind), str(value)) for kind, value in cursor.fetchall()}
    return next((kind for kind, value in wanted.items() if (kind, value) in listed), None)
