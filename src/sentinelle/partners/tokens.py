"""Making and checking partner tokens: random, shown once, kept only as a SHA-256.

A token reads ``snt_`` + 43 URL-safe characters (32 random bytes). Its first 12 characters
are its prefix: shown in lists and accepted by ``partners token revoke``. The secret has 256
bits of entropy, so a single unsalted SHA-256 is enough to store it (no password stretching
is needed for values nobody could guess).
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_MARK = "snt_"
PREFIX_LENGTH = 12


def new_token() -> str:
    return TOKEN_MARK + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_prefix(token: str) -> str:
    return token[:PREFIX_LENGTH]


def looks_like_token(value: str) -> bool:
    return value.startswith(TOKEN_MARK) and 40 <= len(value) <= 100 and value.isascii()
