"""The partner API, assembled: ``api.urls`` is mounted at ``/api/v1/`` (sentinelle.web.urls)."""

from __future__ import annotations

from ninja import NinjaAPI

from sentinelle.api import health_routes, lists_routes, match_routes, notices_routes, reports_routes
from sentinelle.api.docs import PlainDocs
from sentinelle.api.errors import install_handlers

api = NinjaAPI(
    title="sentinelle partner API",
    version="1",
    description="Match hashes and media against sentinelle's lists, follow list changes, send URLs "
    "to crawl and answer notices. Every call needs a scoped bearer token (docs/api.md).",
    urls_namespace="api",
    docs=PlainDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_handlers(api)

api.add_router("", health_routes.router)
api.add_router("/match", match_routes.router)
api.add_router("/lists", lists_routes.router)
api.add_router("/reports", reports_routes.router)
api.add_router("/notices", notices_routes.router)
