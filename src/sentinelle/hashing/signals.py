"""Signal types: one class per hash algorithm, each with a unique name.

A signal type knows how to validate and normalise its textual form (lowercase
hex) and how far two values are apart. Computing a value from bytes is the job
of :mod:`sentinelle.hashing.digests` (cryptographic) and
:mod:`sentinelle.hashing.pdq` (perceptual).
"""

from __future__ import annotations

import string
from typing import ClassVar, Final

from sentinelle.hashing.exceptions import InvalidHash, UnknownSignalType

_HEX_DIGITS: Final = frozenset(string.hexdigits)


class SignalType:
    """A kind of hash. Subclasses set ``name`` and ``hex_length``."""

    name: ClassVar[str]
    hex_length: ClassVar[int]
    #: True when values can be near-matched by Hamming distance.
    perceptual: ClassVar[bool] = False

    @classmethod
    def normalize(cls, value: str) -> str:
        """Return ``value`` as canonical lowercase hex or raise :class:`InvalidHash`."""
        text = value.strip()
        if len(text) != cls.hex_length:
            raise InvalidHash(
                f"a {cls.name} hash has {cls.hex_length} hex digits, got {len(text)}"
            )
        if not _HEX_DIGITS.issuperset(text):
            raise InvalidHash(f"a {cls.name} hash is hexadecimal, got {text!r}")
        return text.lower()

    @classmethod
    def to_bytes(cls, value: str) -> bytes:
        return bytes.fromhex(cls.normalize(value))


class Md5Signal(SignalType):
    name = "md5"
    hex_length = 32


class Sha1Signal(SignalType):
    name = "sha1"
    hex_length = 40


class Sha256Signal(SignalType):
    name = "sha256"
    hex_length = 64


class PdqSignal(SignalType):
    """Meta's PDQ: 256 bits, most significant nibble first, near-matched by Hamming distance."""

    name = "pdq"
    hex_length = 64
    perceptual = True
    #: The reference's match threshold (distance <= 31 is a match).
    default_threshold: ClassVar[int] = 31
    #: Below this quality a hash is recorded but never near-matched.
    min_quality: ClassVar[int] = 50

    @staticmethod
    def distance(a: str, b: str) -> int:
        return (int(a, 16) ^ int(b, 16)).bit_count()


SIGNAL_TYPES: Final[dict[str, type[SignalType]]] = {
    cls.name: cls for cls in (PdqSignal, Md5Signal, Sha1Signal, Sha256Signal)
}


def signal_type(name: str) -> type[SignalType]:
    """Look a signal type up by its name (``pdq``, ``md5``, ``sha1``, ``sha256``)."""
    try:
        return SIGNAL_TYPES[name]
    except KeyError:
        known = ", ".join(SIGNAL_TYPES)
        raise UnknownSignalType(f"unknown signal type {name!r} (known: {known})") from None
