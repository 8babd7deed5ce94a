"""Fixtures for the storage tests (crawl requests, sightings, review media).

Everything is benign: the "known" list holds hashes of pictures the tests draw.
"""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from storage_support import picture

from sentinelle.audit.services import Actor
from sentinelle.banks.models import KnownHash, StoredList
from sentinelle.hashing import hash_media
from sentinelle.review.keys import StaticKeyProvider


@pytest.fixture
def operator() -> Actor:
    return Actor.user("operator-1")


@pytest.fixture
def worker() -> Actor:
    return Actor.system("crawler-1")


@pytest.fixture
def analyst() -> Actor:
    return Actor.user("analyst-1")


@pytest.fixture
def keys() -> StaticKeyProvider:
    return StaticKeyProvider([Fernet.generate_key()])


@pytest.fixture
def known_bytes() -> bytes:
    """A benign picture whose hashes the test list holds."""
    return picture(1)


@pytest.fixture
def known_list(db: None, known_bytes: bytes) -> StoredList:
    """A verified list with the SHA-256 and the PDQ of ``known_bytes``."""
    hashes = hash_media(known_bytes)
    assert hashes.digests is not None and hashes.pdq is not None
    stored = StoredList.objects.create(name="benign-test-list", category="csam", verified=True)
    KnownHash.objects.create(list=stored, signal_type="sha256", hash=hashes.digests.sha256)
    KnownHash.objects.create(list=stored, signal_type="pdq", hash=hashes.pdq.hash, category="csam")
    return stored
