"""The docs page at ``/api/v1/docs``: a plain, self-contained list of the operations.

Ninja's default page loads Swagger UI from a CDN; our pages load nothing from elsewhere
(Content-Security-Policy ``default-src 'none'``) and tests never reach the internet. So the
page is rendered here from the OpenAPI schema itself: every operation with its method,
path, summary, scope and answers, and a link to the machine-readable schema, which any
OpenAPI tool (Swagger UI, Redoc, schemathesis) can load on its own machine.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

METHODS = ("get", "post", "put", "patch", "delete")


class PlainDocs(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        rows = []
        for path, operations in schema["paths"].items():
            for method in METHODS:
                if method in operations:
                    rows.append(_row(method, path, operations[method]))
        schema_url = reverse(f"{api.urls_namespace}:openapi-json", kwargs=kwargs)
        body = format_html(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"robots\" content=\"noindex\"><title>{title}</title></head><body><main>"
            "<h1>{title} (version {version})</h1>"
            "<p>The machine-readable schema: <a href=\"{schema_url}\">{schema_url}</a> (OpenAPI 3). "
            "Authenticate with <code>Authorization: Bearer TOKEN</code>.</p>"
            "<table><caption>Operations</caption><thead><tr><th scope=\"col\">Method</th>"
            "<th scope=\"col\">Path</th><th scope=\"col\">What it does</th><th scope=\"col\">Auth</th>"
            "<th scope=\"col\">Answers</th></tr></thead><tbody>{rows}</tbody></table></main></body></html>",
            title=api.title, version=api.version, schema_url=schema_url,
            rows=format_html_join("", "{}", ((row,) for row in rows)),
        )
        return HttpResponse(body, content_type="text/html; charset=utf-8")


def _row(method: str, path: str, operation: dict[str, Any]) -> str:
    summary = operation.get("description") or operation.get("summary") or ""
    auth = "bearer token" if operation.get("security") else "none"
    answers = ", ".join(sorted(str(status) for status in operation.get("responses", {})))
    return format_html(
        "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
        method.upper(), path, summary.strip().splitlines()[0] if summary.strip() else "", auth, answers,
    )
