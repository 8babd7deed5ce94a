"""Receipt codes and report references.

A reporter gets two things: a *reference* (``TL-7KQ2-M9XD``, 40 random bits) that names the
report to people, and a *receipt code* (``4XQ7M-2KD9H-VTC3P-AW8NE-7RJ2K``, 25 characters of
Crockford base32: 125 random bits) that is the only key to adding information. The code is
shown once and stored as its SHA-256 only: a copy of the database does not give it back, and
at 125 bits guessing one is out of reach whatever the rate limit. A plain hash is enough here
(no salt, no slow hash): the code is random, not a password a person chose.

Codes are read forgivingly: case, spaces and dashes do not matter, ``O`` reads as ``0`` and
``I``/``L`` as ``1`` (Crockford's alphabet has no I, L, O, U).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Final

ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH: Final = 25
_READ: Final = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _grouped(text: str) -> str:
    return "-".join(text[i:i + 5] for i in range(0, len(text), 5))


def new_code() -> str:
    """A fresh receipt code, grouped by five for reading aloud."""
    return _grouped(_random(CODE_LENGTH))


def new_reference() -> str:
    raw = _random(8)
    return f"TL-{raw[:4]}-{raw[4:]}"


def canonical(code: str) -> str:
    """The code as stored before hashing; empty when it cannot be a receipt code."""
    text = (code or "").upper().translate(_READ)
    if len(text) != CODE_LENGTH or any(c not in ALPHABET for c in text):
        return ""
    return text


def code_hash(code: str) -> str:
    """SHA-256 of the canonical code; empty when it is not a receipt code."""
    text = canonical(code)
    return hashlib.sha256(text.encode()).hexdigest() if text else ""
