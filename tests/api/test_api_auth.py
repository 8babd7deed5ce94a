"""Tokens and scopes through HTTP: who gets in, who does not, and the answer's shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from api_support import ADMIN, bearer, partner, token
from django.test import Client

from sentinelle import clock
from sentinelle.audit.models import AuditEvent
from sentinelle.partners.models import PartnerToken
from sentinelle.partners.scopes import Scope
from sentinelle.partners.services import find_token, revoke
from sentinelle.partners.tokens import token_hash

pytestmark = pytest.mark.django_db
CHANGES = "/api/v1/lists/known/changes"


def assert_problem(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


@pytest.fixture
def known_list() -> None:
    from sentinelle.banks.services import create_list

    create_list("known", actor=ADMIN, category="csam")


def test_without_a_token_the_answer_is_401_with_a_bearer_challenge(client: Client) -> None:
    response = client.get(CHANGES)
    assert_problem(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer snt_" + "x" * 43, "Basic dXNlcjpwdw==", "Bearer"])
def test_malformed_or_unknown_tokens_are_401(client: Client, header: str) -> None:
    assert_problem(client.get(CHANGES, HTTP_AUTHORIZATION=header), 401, "unauthenticated")


def test_an_expired_token_is_401(client: Client, known_list: None) -> None:
    plain = token(partner(lists=["known"]), "lists:read", days=1)
    assert client.get(CHANGES, **bearer(plain)).status_code == 200
    stored = PartnerToken.objects.get(secret_hash=token_hash(plain))
    stored.expires_at = clock.current().now() - timedelta(seconds=1)
    stored.save()
    assert_problem(client.get(CHANGES, **bearer(plain)), 401, "unauthenticated")


def test_a_revoked_token_is_401_and_the_revocation_is_audited(client: Client, known_list: None) -> None:
    plain = token(partner(lists=["known"]), "lists:read")
    assert client.get(CHANGES, **bearer(plain)).status_code == 200
    stored = find_token(plain[:12])
    assert revoke(stored, actor=ADMIN) is True
    assert revoke(stored, actor=ADMIN) is False
    assert_problem(client.get(CHANGES, **bearer(plain)), 401, "unauthenticated")
    assert AuditEvent.objects.filter(action="partner:token-revoke", target_id=str(stored.id)).count() == 1


def test_an_inactive_partner_is_401(client: Client, known_list: None) -> None:
    owner = partner(lists=["known"])
    plain = token(owner, "lists:read")
    owner.active = False
    owner.save()
    assert_problem(client.get(CHANGES, **bearer(plain)), 401, "unauthenticated")


@pytest.mark.parametrize(
    ("method", "path", "scope"),
    [
        ("get", CHANGES, Scope.LISTS_READ),
        ("get", "/api/v1/lists/known/export", Scope.LISTS_READ),
        ("post", "/api/v1/reports", Scope.REPORTS_WRITE),
        ("post", "/api/v1/notices/N-1/responses", Scope.NOTICES_RESPOND),
    ],
)
def test_every_operation_needs_its_scope(client: Client, method: str, path: str, scope: Scope) -> None:
    others = [s.value for s in Scope if s is not scope]
    plain = token(partner(), *others)
    response = getattr(client, method)(path, data={}, content_type="application/json", **bearer(plain))
    error = assert_problem(response, 403, "missing-scope")
    assert error["details"] == {"required_scope": scope.value}


def test_tokens_are_stored_hashed_shown_once_and_issuing_is_audited(known_list: None) -> None:
    plain = token(partner(), "match", "lists:read")
    stored = PartnerToken.objects.get(prefix=plain[:12])
    assert plain.startswith("snt_") and len(plain) >= 40
    assert stored.secret_hash == token_hash(plain) and plain not in stored.secret_hash
    event = AuditEvent.objects.get(action="partner:token-issue", target_id=str(stored.id))
    assert plain not in str(event.after) and plain[:12] in str(event.after)
    assert AuditEvent.objects.filter(action="partner:create").count() == 1


def test_unknown_paths_and_methods_answer_in_the_same_shape(client: Client) -> None:
    assert_problem(client.get("/api/v1/no-such-thing"), 404, "not-found")
    response = client.delete("/api/v1/reports")
    assert_problem(response, 405, "method-not-allowed")
    assert "POST" in response["Allow"]
