"""Key providers: the configured key, rotation, and the generated development key file."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from sentinelle.config import ConfigurationError
from sentinelle.review.exceptions import InsecureKeyFile, InvalidReviewKey, UnknownReviewKey
from sentinelle.review.keys import (
    FileKeyProvider,
    StaticKeyProvider,
    key_id,
    key_provider,
    parse_key,
)
from sentinelle.review.sealing import seal, unseal


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh data folder, and no configured review key."""
    folder = tmp_path / "data"
    monkeypatch.setenv("SENTINELLE_DATA_DIR", str(folder))
    monkeypatch.delenv("SENTINELLE_REVIEW_KEY", raising=False)
    yield folder


def test_the_key_id_is_16_hex_digits_of_the_sha256_of_the_key() -> None:
    key = Fernet.generate_key()
    expected = hashlib.sha256(base64.urlsafe_b64decode(key)).hexdigest()[:16]
    assert key_id(key) == expected
    assert StaticKeyProvider([key]).current() == (expected, key)


def test_the_development_key_file_is_created_once_with_mode_0600(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    previous = os.umask(0o000)  # even with a permissive umask
    try:
        with caplog.at_level(logging.WARNING, logger="sentinelle.review.keys"):
            provider = key_provider()
    finally:
        os.umask(previous)
    path = data_dir / "review.key"
    assert isinstance(provider, FileKeyProvider)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert any("DEVELOPMENT REVIEW KEY" in record.message for record in caplog.records)
    key = parse_key(path.read_bytes())
    assert provider.current() == (key_id(key), key)
    assert [p.name for p in data_dir.iterdir()] == ["review.key"]  # no temporary file left
    assert FileKeyProvider(path).current() == provider.current()  # the same key next time
    assert path.read_bytes().strip() == key


def test_the_development_key_seals_and_opens(data_dir: Path) -> None:
    provider = key_provider()
    used, token = seal(b"benign bytes", provider)
    assert unseal(token, used, key_provider()) == b"benign bytes"


def test_a_key_file_others_can_read_is_refused(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / "review.key"
    path.write_bytes(Fernet.generate_key())
    path.chmod(0o644)
    with pytest.raises(InsecureKeyFile, match="chmod 600") as raised:
        FileKeyProvider(path)
    assert isinstance(raised.value, ConfigurationError)


def test_a_damaged_key_file_is_refused(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / "review.key"
    path.write_bytes(b"not a key\n")
    path.chmod(0o600)
    with pytest.raises(InvalidReviewKey):
        FileKeyProvider(path)


def test_the_setting_wins_over_the_file(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = Fernet.generate_key()
    monkeypatch.setenv("SENTINELLE_REVIEW_KEY", key.decode())
    provider = key_provider()
    assert isinstance(provider, StaticKeyProvider)
    assert not isinstance(provider, FileKeyProvider)
    assert provider.current() == (key_id(key), key)
    assert not (data_dir / "review.key").exists()


def test_a_comma_separated_setting_rotates_keys(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    monkeypatch.setenv("SENTINELLE_REVIEW_KEY", old.decode())
    old_id, token = seal(b"kept bytes", key_provider())
    monkeypatch.setenv("SENTINELLE_REVIEW_KEY", f"{new.decode()}, {old.decode()}")
    rotated = key_provider()
    assert rotated.current()[0] == key_id(new)
    assert unseal(token, old_id, rotated) == b"kept bytes"
    monkeypatch.setenv("SENTINELLE_REVIEW_KEY", new.decode())
    with pytest.raises(UnknownReviewKey):
        unseal(token, old_id, key_provider())


@pytest.mark.parametrize(
    "value",
    ["short", "A" * 44, base64.urlsafe_b64encode(b"x" * 31).decode(), "caf\u00e9" * 11, ","],
)
def test_a_malformed_setting_is_a_configuration_error(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SENTINELLE_REVIEW_KEY", value)
    with pytest.raises(InvalidReviewKey) as raised:
        key_provider()
    assert isinstance(raised.value, ConfigurationError)


def test_keys_are_accepted_with_or_without_padding_whitespace() -> None:
    key = Fernet.generate_key()
    assert parse_key(b"  " + key + b"\n") == key
    assert parse_key(key.decode()) == key
