"""The signed link in a notice: made from the reference, refused when altered, foreign or old."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from responses_support import sent_notice

from sentinelle.config import ConfigurationError, public_url
from sentinelle.notices.links import (
    SALT,
    ExpiredResponseLink,
    InvalidResponseLink,
    response_url,
    verify_token,
)
from sentinelle.notices.models import Kind, Notice


@pytest.mark.django_db
def test_the_link_carries_a_signed_reference_under_the_public_url() -> None:
    notice = sent_notice()
    url = response_url(notice)
    prefix = "https://hotline.example/respond/"
    assert url.startswith(prefix) and url.endswith("/")
    token = url[len(prefix):-1]
    assert token.startswith(f"{notice.reference}:")
    assert verify_token(token) == notice.reference


@pytest.mark.parametrize("change", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature altered
    lambda t: t.replace("SN-", "SN-9", 1),  # another reference, same signature
    lambda t: t.split(":")[0],  # signature dropped
    lambda t: "",
    lambda t: "x" * 500,
])
def test_an_altered_token_is_refused(change: object) -> None:
    token = signing.TimestampSigner(salt=SALT).sign("SN-2026-000001")
    with pytest.raises(InvalidResponseLink) as raised:
        verify_token(change(token))  # type: ignore[operator]
    assert not isinstance(raised.value, ExpiredResponseLink)


def test_a_signature_made_for_something_else_is_refused() -> None:
    other = signing.TimestampSigner(salt="sentinelle.something-else").sign("SN-2026-000001")
    with pytest.raises(InvalidResponseLink, match="altered or not made here"):
        verify_token(other)
    with pytest.raises(InvalidResponseLink):
        verify_token(signing.TimestampSigner(key="another-key", salt=SALT).sign("SN-2026-000001"))


def test_an_old_link_has_expired(monkeypatch: pytest.MonkeyPatch) -> None:
    long_ago = time.time() - 3 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: long_ago)
    token = signing.TimestampSigner(salt=SALT).sign("SN-2026-000007")
    monkeypatch.undo()
    monkeypatch.setenv("SENTINELLE_RESPONSE_LINK_DAYS", "2")
    with pytest.raises(ExpiredResponseLink) as raised:
        verify_token(token)
    assert raised.value.reference == "SN-2026-000007"
    monkeypatch.setenv("SENTINELLE_RESPONSE_LINK_DAYS", "4")
    assert verify_token(token) == "SN-2026-000007"


@pytest.mark.django_db
def test_a_retraction_gets_no_link() -> None:
    notice = sent_notice()
    Notice.objects.filter(pk=notice.pk).update(kind=Kind.RETRACTION)
    with pytest.raises(InvalidResponseLink, match="retraction"):
        response_url(Notice.objects.get(pk=notice.pk))


@pytest.mark.parametrize("value", ["hotline.example", "ftp://hotline.example", "https://hotline.example/path",
                                   "https://user:pw@hotline.example", "https://hotline.example:99999", "https://"])
def test_the_public_url_must_be_an_origin(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SENTINELLE_PUBLIC_URL", value)
    with pytest.raises(ConfigurationError, match="SENTINELLE_PUBLIC_URL must look like"):
        public_url()


def test_a_trailing_slash_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENTINELLE_PUBLIC_URL", "https://hotline.example:8443/")
    assert public_url() == "https://hotline.example:8443"
