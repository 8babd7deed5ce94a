"""Any change to a partner or a token bumps the token generation, so API workers drop the
tokens they cached (:mod:`sentinelle.partners.caller_cache`) on their next call.

Bumped twice: in the change's own transaction (on the database store, atomic with it) and
again once it is committed (a Redis store cannot join the transaction; a worker that
re-read the old row between the two bumps re-reads it after the second). Changes made with
``QuerySet.update()`` send no signal: they are seen when the cache entry expires
(``SENTINELLE_API_TOKEN_CACHE_SECONDS``); the services never use it for these fields.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from sentinelle.partners.counters import counters
from sentinelle.partners.models import Partner, PartnerToken


def bump_generation(**_: Any) -> None:
    counters().bump()
    transaction.on_commit(lambda: counters().bump())


def connect() -> None:
    for model in (Partner, PartnerToken):
        post_save.connect(bump_generation, sender=model, dispatch_uid=f"bump-generation-save-{model.__name__}")
        post_delete.connect(bump_generation, sender=model, dispatch_uid=f"bump-generation-delete-{model.__name__}")
