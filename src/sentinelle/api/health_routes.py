"""``/healthz`` (the process answers) and ``/readyz`` (it can match: the index is loaded and
current). Neither needs a token; load balancers and orchestrators poll them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from sentinelle.banks.serving import readiness

router = Router(tags=["health"])


class Health(Schema):
    status: str


class Readiness(Schema):
    status: str
    details: dict[str, Any]


@router.get("/healthz", response={200: Health}, auth=None, summary="The server is alive")
def healthz(request: HttpRequest) -> dict[str, str]:
    """Always 200 while the process can answer."""
    return {"status": "ok"}


@router.get("/readyz", response={200: Readiness, 503: Readiness}, auth=None, summary="Ready to match")
def readyz(request: HttpRequest) -> Status[dict[str, Any]]:
    """200 when the matching index is loaded and current, 503 (with what is missing) otherwise."""
    ready, details = readiness()
    return Status(200 if ready else 503, {"status": "ready" if ready else "not-ready", "details": details})
