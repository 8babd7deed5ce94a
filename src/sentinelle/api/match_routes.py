"""Matching operations: ``/match/hashes``, ``/match/media``, ``/match/url`` (scope ``match``).

The answers come from the serving index (:mod:`sentinelle.banks.serving`); what a partner may
see is decided in :mod:`.match_service`. Media bytes are hashed in memory and never stored.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import ValidationError
from pydantic import ValidationError as PydanticError

from sentinelle.api.auth import scoped
from sentinelle.api.errors import ApiProblem
from sentinelle.api.limits import body_limit
from sentinelle.api.match_fetch import fetch_image
from sentinelle.api.match_schemas import (
    MAX_HASHES,
    HashesIn,
    HashesOut,
    MediaOut,
    UrlIn,
    UrlOut,
    inline_schema,
)
from sentinelle.api.match_service import match_hashes, match_media, media_limit
from sentinelle.api.schemas import answers
from sentinelle.partners.scopes import Scope

router = Router(tags=["match"])

MEDIA_TYPES = ("image/", "application/octet-stream")
_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.post("/hashes", response=answers({200: HashesOut}), auth=scoped(Scope.MATCH),
             summary=f"Match up to {MAX_HASHES:,} hashes",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": inline_schema(HashesIn)}}}})
@body_limit(4 * 1024 * 1024)
def match_hash_batch(request: HttpRequest) -> HttpResponse:
    """For each ``{signal_type, hash}``: its matches (list, category, distance) on the verified lists.

    PDQ hashes match as given (no rotations) within each list's threshold; md5, sha1 and sha256
    match exactly. A malformed item fails the whole call with 422 naming the item.
    """
    # Parsed and answered here rather than by ninja's body and response models: at 10,000
    # hashes their per-item Python work cost more than the look-ups (docs/api.md, Measured).
    try:
        payload = HashesIn.model_validate_json(request.body)
    except PydanticError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise ApiProblem(400, "malformed-body", "The request body is not valid JSON.") from None
        raise ValidationError([{"loc": ("body", "payload", *e["loc"]), "msg": e["msg"], "type": e["type"]}
                               for e in exc.errors(include_url=False, include_context=False)]) from None
    body = json.dumps({"results": match_hashes(payload.hashes)}, separators=(",", ":"))
    return HttpResponse(body, content_type="application/json")


@router.post("/media", response=answers({200: MediaOut}, 415), auth=scoped(Scope.MATCH),
             summary="Match an image (raw bytes)",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "image/jpeg": _BINARY, "image/png": _BINARY, "application/octet-stream": _BINARY}}})
@body_limit(media_limit())
def match_image(request: HttpRequest) -> dict[str, Any]:
    """The image's digests, and its classification from the verified lists' matches (exact
    digests, or PDQ near matches confirmed on the reference path). The bytes are not stored."""
    content_type = (request.content_type or "").lower()
    if request.body and not content_type.startswith(MEDIA_TYPES):  # an empty body: 422 empty-media
        raise ApiProblem(415, "unsupported-media-type", "Send the image bytes as image/* or application/octet-stream.",
                         {"content_type": content_type})
    return match_media(request.body)


@router.post("/url", response=answers({200: UrlOut}), auth=scoped(Scope.MATCH), summary="Match the image at a URL")
def match_url(request: HttpRequest, payload: UrlIn) -> dict[str, Any]:
    """Fetch the image behind the crawler's egress guard (no private addresses, size cap), then
    as ``/match/media``. Nothing fetched is stored."""
    fetched = fetch_image(payload.url)
    return {**match_media(fetched.body), "url": payload.url, "final_url": fetched.final_url}
