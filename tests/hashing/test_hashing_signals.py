"""Signal types: names, canonical text form, and PDQ's distance."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sentinelle.hashing import (
    SIGNAL_TYPES,
    HashingError,
    InvalidHash,
    Md5Signal,
    PdqSignal,
    Sha1Signal,
    Sha256Signal,
    SignalType,
    UnknownSignalType,
    signal_type,
)

LENGTHS = {"pdq": 64, "md5": 32, "sha1": 40, "sha256": 64}
EXAMPLE = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"  # the bridge photo


def test_the_four_signal_types_and_their_names() -> None:
    assert {name: kind.hex_length for name, kind in SIGNAL_TYPES.items()} == LENGTHS
    assert [SIGNAL_TYPES[n] for n in ("pdq", "md5", "sha1", "sha256")] == [
        PdqSignal, Md5Signal, Sha1Signal, Sha256Signal,
    ]  # fmt: skip
    assert all(name == kind.name for name, kind in SIGNAL_TYPES.items())


def test_every_signal_type_class_has_a_unique_name() -> None:
    classes = SignalType.__subclasses__()
    names = [kind.name for kind in classes]
    assert len(names) == len(set(names))
    assert set(classes) == set(SIGNAL_TYPES.values())


def test_only_pdq_is_near_matched() -> None:
    assert {name for name, kind in SIGNAL_TYPES.items() if kind.perceptual} == {"pdq"}
    assert (PdqSignal.default_threshold, PdqSignal.min_quality) == (31, 50)


def test_looking_up_a_signal_type() -> None:
    assert signal_type("sha1") is Sha1Signal
    with pytest.raises(UnknownSignalType) as caught:
        signal_type("PDQ")
    assert "pdq, md5, sha1, sha256" in str(caught.value)
    assert isinstance(caught.value, HashingError)
    assert caught.value.kind == "unknown-signal-type"


@pytest.mark.parametrize("name", list(LENGTHS))
def test_normalize_lowercases_and_strips(name: str) -> None:
    kind = signal_type(name)
    value = ("0123456789abcdef" * 4)[: LENGTHS[name]]
    assert kind.normalize(value) == value
    assert kind.normalize(value.upper()) == value
    assert kind.normalize(f"  {value.upper()}\t\r\n") == value
    assert kind.to_bytes(value) == bytes.fromhex(value)
    assert len(kind.to_bytes(value)) == LENGTHS[name] // 2


@pytest.mark.parametrize("name", list(LENGTHS))
@pytest.mark.parametrize(
    "damage",
    [
        lambda v: v[:-1],  # one digit short
        lambda v: v + "0",  # one too many
        lambda v: "",
        lambda v: "g" + v[1:],  # not hex
        lambda v: "0x" + v[2:],  # a prefix
        lambda v: v[:10] + " " + v[11:],  # a space inside
        lambda v: v[:-1] + "\u0660",  # an Arabic-Indic digit zero
        lambda v: "\uff41" + v[1:],  # a full-width a
        lambda v: v[:5] + "_" + v[6:],  # an underscore, fine for int() but not a hash
    ],
    ids=["short", "long", "empty", "g", "0x", "space", "arabic-digit", "full-width", "underscore"],
)
def test_normalize_rejects_what_is_not_a_hash(name: str, damage) -> None:
    kind = signal_type(name)
    with pytest.raises(InvalidHash) as caught:
        kind.normalize(damage("a" * LENGTHS[name]))
    assert caught.value.kind == "invalid-hash"
    assert name in caught.value.reason


def test_pdq_distance_counts_differing_bits() -> None:
    zero, ones = "0" * 64, "f" * 64
    assert PdqSignal.distance(zero, ones) == 256
    assert PdqSignal.distance(EXAMPLE, EXAMPLE) == 0
    assert PdqSignal.distance(zero, "8" + "0" * 63) == 1  # the most significant bit
    assert PdqSignal.distance(zero, "0" * 63 + "1") == 1  # the least
    assert PdqSignal.distance(zero, "f0" * 32) == 128
    # The published pair: bridge-1 and its rotation by 90 degrees, as the Java test states.
    rotated = "30a10efd71cc3d429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af"
    assert PdqSignal.distance(EXAMPLE, rotated) == 120


@settings(max_examples=60)
@given(st.binary(min_size=32, max_size=32), st.binary(min_size=32, max_size=32))
def test_pdq_distance_is_a_popcount_of_the_xor(a: bytes, b: bytes) -> None:
    expected = sum(bin(x ^ y).count("1") for x, y in zip(a, b, strict=True))
    assert PdqSignal.distance(a.hex(), b.hex()) == expected == PdqSignal.distance(b.hex(), a.hex())
    assert PdqSignal.distance(a.hex().upper(), b.hex()) == expected
