"""Encrypting review media with Fernet (AES-128-CBC with HMAC-SHA256: authenticated)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from sentinelle.review.exceptions import DecryptionFailed
from sentinelle.review.keys import KeyProvider


def seal(data: bytes, keys: KeyProvider) -> tuple[str, bytes]:
    """``(key_id, token)``: ``data`` encrypted with the provider's current key."""
    key_id, key = keys.current()
    return key_id, Fernet(key).encrypt(data)


def unseal(token: bytes, key_id: str, keys: KeyProvider) -> bytes:
    """The plaintext of ``token``; :class:`DecryptionFailed` when it does not authenticate."""
    key = keys.get(key_id)
    try:
        return Fernet(key).decrypt(token)
    except InvalidToken:
        raise DecryptionFailed(f"review media does not decrypt with key {key_id}") from None
