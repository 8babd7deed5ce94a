"""Health, the schema and the docs page: no token needed, nothing loaded from elsewhere."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_a_token(client: Client) -> None:
    response = client.get("/api/v1/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_schema_is_openapi_3_with_bearer_auth_and_every_operation(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in ("/api/v1/healthz", "/api/v1/readyz", "/api/v1/lists/{name}/changes", "/api/v1/lists/{name}/export",
                 "/api/v1/reports", "/api/v1/notices/{reference}/responses"):
        assert path in paths, path
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    changes = paths["/api/v1/lists/{name}/changes"]["get"]
    assert {"401", "403", "404", "429"} <= set(changes["responses"])


def test_the_docs_page_lists_operations_and_loads_nothing_from_elsewhere(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/v1/lists/{name}/changes" in html and "/api/v1/openapi.json" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert "default-src 'none'" in response["Content-Security-Policy"]
