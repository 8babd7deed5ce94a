"""The console's partners page through HTTP: administrators only; issue (shown once), revoke."""

from __future__ import annotations

import re

import pytest
from api_support import ADMIN, bearer, partner, provider
from django.test import Client

from sentinelle.audit.models import AuditEvent
from sentinelle.banks.services import create_list
from sentinelle.partners.models import Partner, PartnerToken
from sentinelle.partners.tokens import token_hash
from support.console_login import staff

pytestmark = pytest.mark.django_db
PAGE = "/en/console/partners/"
TOKEN = re.compile(r'id="id_token" type="text" readonly value="(snt_[A-Za-z0-9_-]+)"')


def test_only_administrators_see_the_page_and_the_nav_entry(client: Client) -> None:
    staff(client, "sup", role="supervisor")
    assert client.get(PAGE).status_code == 403
    assert PAGE.encode() not in client.get("/en/console/").content
    client.logout()
    staff(client, "root", role="administrator")
    page = client.get(PAGE)
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store" and page["X-Robots-Tag"] == "noindex, nofollow"
    assert PAGE.encode() in client.get("/en/console/").content


def test_create_issue_once_use_and_revoke(client: Client) -> None:
    create_list("shared", actor=ADMIN, category="csam")
    host = provider("example-host")
    staff(client, "root", role="administrator")
    made = client.post(PAGE + "new/", {"name": "platform-b", "contact": "t@s.example", "provider": str(host.id),
                                       "lists": ["shared", "no-such-list"]})
    assert made.status_code == 302 and made["Location"].endswith("?done=created")
    created = Partner.objects.get(name="platform-b")
    assert created.provider_id == host.id and list(created.lists.values_list("name", flat=True)) == ["shared"]
    issued = client.post(PAGE + f"{created.id}/tokens/", {"scopes": ["lists:read", "match"], "expires_days": "30"})
    assert issued.status_code == 200 and issued["Cache-Control"] == "no-store"
    (plain,) = TOKEN.findall(issued.content.decode())
    stored = PartnerToken.objects.get(secret_hash=token_hash(plain))
    assert sorted(stored.scopes) == ["lists:read", "match"]
    assert plain not in client.get(PAGE).content.decode()  # shown once
    assert client.get("/api/v1/lists/shared/changes", **bearer(plain)).status_code == 200
    revoked = client.post(PAGE + f"tokens/{stored.id}/revoke/")
    assert revoked.status_code == 302
    assert client.get("/api/v1/lists/shared/changes", **bearer(plain)).status_code == 401
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"partner:create", "partner:token-issue", "partner:token-revoke"} <= actions
    assert AuditEvent.objects.get(action="partner:token-revoke").actor == "root"


def test_bad_input_changes_nothing(client: Client) -> None:
    existing = partner("taken")
    staff(client, "root", role="administrator")
    assert client.post(PAGE + "new/", {"name": "taken"}).status_code == 400
    assert client.post(PAGE + "new/", {"name": ""}).status_code == 400
    assert client.post(PAGE + f"{existing.id}/tokens/", {"expires_days": "30"}).status_code == 400
    assert client.post(PAGE + f"{existing.id}/tokens/", {"scopes": ["match"], "expires_days": "7"}).status_code == 400
    assert PartnerToken.objects.count() == 0 and Partner.objects.count() == 1


def test_the_page_is_in_french(client: Client) -> None:
    partner("platform-c")
    staff(client, "root", role="administrator")
    french = client.get("/fr/console/partners/").content.decode()
    assert "Partenaires de l\u2019API" in french and "Émettre un jeton" in french
