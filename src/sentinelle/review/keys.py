"""Keys for review media at rest, behind a small provider interface.

A key is a Fernet key: 32 random bytes, urlsafe base64. Its id is the first 16 hex digits
of the SHA-256 of those 32 bytes; each stored ciphertext records the id of its key, so
keys can be rotated: the provider encrypts with :meth:`KeyProvider.current` and decrypts
with whichever key :meth:`KeyProvider.get` returns for the id.

:func:`key_provider` picks the implementation from the settings, in one place:

* ``SENTINELLE_REVIEW_KEY`` set: :class:`StaticKeyProvider` with that key. A
  comma-separated list rotates keys: the first encrypts, every one decrypts.
* unset: :class:`FileKeyProvider`, a development key generated once into
  ``$SENTINELLE_DATA_DIR/review.key`` (mode 0600), with a loud warning.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Final, Protocol

from cryptography.fernet import Fernet

from sentinelle.config import data_dir, setting
from sentinelle.review.exceptions import InsecureKeyFile, InvalidReviewKey, UnknownReviewKey

logger = logging.getLogger(__name__)

KEY_FILE_NAME: Final = "review.key"


class KeyProvider(Protocol):
    """Where review keys come from."""

    def current(self) -> tuple[str, bytes]:
        """``(key_id, key)`` to encrypt with now."""
        ...

    def get(self, key_id: str) -> bytes:
        """The key with ``key_id``; :class:`UnknownReviewKey` when it is not held."""
        ...


def parse_key(text: str | bytes) -> bytes:
    """``text`` as a canonical Fernet key, or :class:`InvalidReviewKey`."""
    value = text.encode("ascii", "replace") if isinstance(text, str) else text
    try:
        raw = base64.b64decode(value.strip(), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise InvalidReviewKey("a review key is 32 bytes in urlsafe base64 (a Fernet key)")
    return base64.urlsafe_b64encode(raw)


def key_id(key: bytes) -> str:
    """The id of a Fernet key: 16 hex digits of the SHA-256 of its 32 bytes."""
    return hashlib.sha256(base64.urlsafe_b64decode(key)).hexdigest()[:16]


class StaticKeyProvider:
    """Keys given by value, newest first: the first encrypts, all of them decrypt."""

    def __init__(self, keys: Sequence[str | bytes]) -> None:
        parsed = [parse_key(key) for key in keys]
        if not parsed:
            raise InvalidReviewKey("no review key given")
        self._current = parsed[0]
        self._keys = {key_id(key): key for key in parsed}

    def current(self) -> tuple[str, bytes]:
        return key_id(self._current), self._current

    def get(self, key_id: str) -> bytes:
        try:
            return self._keys[key_id]
        except KeyError:
            raise UnknownReviewKey(f"no review key with id {key_id!r} is configured") from None


class FileKeyProvider(StaticKeyProvider):
    """Development only: one key generated into ``path`` (mode 0600) the first time."""

    def __init__(self, path: Path) -> None:
        super().__init__([_load_or_create(path)])
        logger.warning(
            "DEVELOPMENT REVIEW KEY: review media are encrypted with the key in %s; anyone "
            "who can read that file can read them. Set SENTINELLE_REVIEW_KEY in production.",
            path,
        )


def key_provider() -> KeyProvider:
    """The key provider the settings ask for (built once per configuration)."""
    configured = setting("SENTINELLE_REVIEW_KEY")
    if configured:
        return _configured(configured)
    return _development(data_dir() / KEY_FILE_NAME)


@lru_cache(maxsize=4)
def _configured(value: str) -> KeyProvider:
    return StaticKeyProvider([part for part in value.split(",") if part.strip()])


@lru_cache(maxsize=4)
def _development(path: Path) -> KeyProvider:
    return FileKeyProvider(path)


def _load_or_create(path: Path) -> bytes:
    if not path.exists():
        _create(path)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise InsecureKeyFile(f"{path} has mode {mode:04o}; make it 0600 (chmod 600 {path})")
    return parse_key(path.read_bytes())


def _create(path: Path) -> None:
    """Write a new key to ``path`` atomically; a process that got there first wins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".review-key-")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            os.fchmod(stream.fileno(), 0o600)
            stream.write(Fernet.generate_key() + b"\n")
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, path)  # fails if the file exists: a key is never replaced
        except FileExistsError:
            return
        logger.warning("generated a DEVELOPMENT review key in %s", path)
    finally:
        os.unlink(temporary)
