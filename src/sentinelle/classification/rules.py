"""The classification rule and its settings, in one place.

An item is decided when ``SENTINELLE_REVIEW_AGREEMENT`` analysts gave it the same category
and nobody gave another; as soon as two categories were given it is *disputed* and waits for a
supervisor, whose settlement is final.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Final

from sentinelle.classification.models import Category
from sentinelle.config import integer, setting
from sentinelle.notices.configuration import CATEGORIES

#: Categories whose agreed hashes join the verified list (the notice categories).
LISTED: Final = tuple(c for c in Category.values if c in CATEGORIES)
#: How long a reveal is good for, and the PDQ quality below which a PDQ is not listed.
REVEAL_TTL: Final = timedelta(minutes=2)
PDQ_MIN_QUALITY: Final = 50
DISPUTED: Final = "disputed"


def agreement() -> int:
    return integer("SENTINELLE_REVIEW_AGREEMENT", minimum=1)


def verified_list_name() -> str:
    return (setting("SENTINELLE_REVIEW_VERIFIED_LIST") or "hotline-verified").strip()


def exposure_cap() -> timedelta:
    return timedelta(seconds=integer("SENTINELLE_REVIEW_EXPOSURE_CAP_SECONDS", minimum=1))


def outcome(categories: Iterable[str], needed: int) -> str | None:
    """The agreed category, :data:`DISPUTED`, or None while more verdicts are needed."""
    given = list(categories)
    if len(set(given)) > 1:
        return DISPUTED
    if given and len(given) >= needed:
        return given[0]
    return None
