"""Fixtures for the hash-list tests. Every hash here is random: none is of real content."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from sentinelle.hashing.signals import signal_type


@pytest.fixture
def random_hash() -> Callable[[str], str]:
    """A function giving a fresh random lowercase hash of the named signal type."""
    rng = random.Random(20240601)

    def make(name: str = "md5") -> str:
        length = signal_type(name).hex_length
        return f"{rng.getrandbits(length * 4):0{length}x}"

    return make
