"""Categories of listed material: two named ones and the hotline's own labels.

A category label is 1 to 64 characters: lowercase ASCII letters, digits, ``.``,
``_`` and ``-``, starting with a letter or a digit (``CATEGORY_PATTERN``). Labels
are taken as written: ``CSAM`` or `` csam`` is an error, not ``csam``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final

from sentinelle.lists.exceptions import InvalidCategory, quoted

CATEGORY_PATTERN: Final = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
CATEGORY_RULE: Final = (
    "1-64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit"
)


class Category(StrEnum):
    """The categories every sentinelle installation knows."""

    #: Child sexual abuse material.
    CSAM = "csam"
    #: Harmful or abusive material of children that is not CSAM in law.
    HARMFUL_ABUSIVE = "harmful-abusive"


def is_valid_category(label: str) -> bool:
    """Whether ``label`` follows the label rule."""
    return CATEGORY_PATTERN.fullmatch(label) is not None


def validate_category(label: str) -> str:
    """Return ``label`` unchanged or raise :class:`InvalidCategory` saying why."""
    if not is_valid_category(label):
        raise InvalidCategory(f"category {quoted(label)} is not a valid label ({CATEGORY_RULE})")
    return label
