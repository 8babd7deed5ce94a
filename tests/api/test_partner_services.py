"""The partners' services below HTTP: migrations, scopes, finding and stating tokens."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from api_support import ADMIN, partner
from django.core.management import call_command

from sentinelle import clock
from sentinelle.partners.exceptions import (
    InvalidScope,
    PartnerExists,
    PartnerNotFound,
    TokenNotFound,
)
from sentinelle.partners.services import (
    create_partner,
    find_token,
    get_partner,
    issue_token,
    parse_scopes,
    token_state,
)
from sentinelle.partners.tokens import looks_like_token, new_token


@pytest.mark.django_db
def test_the_models_have_their_migrations() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "partners", check=True, dry_run=True, stdout=out)
    except SystemExit:
        pytest.fail(f"a migration is missing: {out.getvalue()}")


def test_scopes_are_checked_and_deduplicated() -> None:
    assert [str(s) for s in parse_scopes(["match", "lists:read", "match"])] == ["match", "lists:read"]
    with pytest.raises(InvalidScope):
        parse_scopes(["admin"])
    with pytest.raises(InvalidScope):
        parse_scopes([])


def test_tokens_are_random_and_recognisable() -> None:
    made = {new_token() for _ in range(50)}
    assert len(made) == 50 and all(looks_like_token(t) and len(t) == 47 for t in made)
    assert not looks_like_token("snt_short") and not looks_like_token("x" * 47)


@pytest.mark.django_db
def test_partners_and_tokens_are_found_by_name_id_or_prefix() -> None:
    owner = partner("finder")
    assert get_partner("finder") == owner == get_partner(owner.id)
    with pytest.raises(PartnerNotFound):
        get_partner("nobody")
    with pytest.raises(PartnerExists):
        create_partner("finder", actor=ADMIN)
    issued = issue_token(owner, ["match"], actor=ADMIN, expires_days=None)
    assert find_token(issued.record.prefix) == issued.record == find_token(str(issued.record.id))
    assert issued.record.expires_at is None
    for wrong in ("snt_", "snt_zzzzzzzz", "999999"):
        with pytest.raises(TokenNotFound):
            find_token(wrong)


@pytest.mark.django_db
def test_a_token_state_follows_expiry_and_revocation() -> None:
    issued = issue_token(partner(), ["match"], actor=ADMIN, expires_days=1).record
    now = clock.current().now()
    assert token_state(issued, now) == "active"
    assert token_state(issued, now + timedelta(days=2)) == "expired"
    issued.revoked_at = now
    assert token_state(issued, now) == "revoked"


@pytest.mark.django_db
def test_changing_the_lists_a_partner_reads_is_audited() -> None:
    from sentinelle.audit.models import AuditEvent
    from sentinelle.banks.services import create_list
    from sentinelle.partners.services import set_lists

    for name in ("a-list", "b-list"):
        create_list(name, actor=ADMIN, category="csam")
    owner = partner(lists=["a-list"])
    set_lists(owner, ["b-list"], actor=ADMIN)
    assert list(owner.lists.values_list("name", flat=True)) == ["b-list"]
    event = AuditEvent.objects.get(action="partner:update")
    assert (event.before, event.after) == ({"lists": ["a-list"]}, {"lists": ["b-list"]})
