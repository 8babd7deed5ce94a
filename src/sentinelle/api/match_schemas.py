"""What ``/match/*`` takes and answers (pydantic, so the OpenAPI schema is exact).

Plain pydantic models rather than ninja's ``Schema``: that one wraps every object to read
Django models, which costs ~60 us an item, more than the match itself in a 10,000-hash call.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from sentinelle.matching import SIGNAL_WIDTHS

#: Hashes in one ``/match/hashes`` call at most.
MAX_HASHES = 10_000
_HEX = re.compile(r"[0-9a-f]*")

SignalType = Literal["pdq", "md5", "sha1", "sha256"]


class HashQuery(BaseModel):
    signal_type: SignalType
    hash: str = Field(description="lowercase hex: 64 digits for pdq and sha256, 32 for md5, 40 for sha1",
                      min_length=32, max_length=64, pattern=r"^[0-9a-f]+$")

    @model_validator(mode="after")
    def _width(self) -> HashQuery:
        digits = 2 * SIGNAL_WIDTHS[self.signal_type]
        if len(self.hash) != digits or not _HEX.fullmatch(self.hash):
            raise ValueError(f"a {self.signal_type} hash is {digits} lowercase hex digits")
        return self


class HashesIn(BaseModel):
    hashes: list[HashQuery] = Field(min_length=1, max_length=MAX_HASHES)


class HashMatch(BaseModel):
    """A listed entry the hash matched (the listed hash itself is not disclosed)."""

    list: str
    category: str
    signal_type: SignalType
    distance: int = Field(ge=0, le=256, description="Hamming distance for pdq; 0 for the exact types")


class HashResult(BaseModel):
    signal_type: SignalType
    hash: str
    matches: list[HashMatch]


class HashesOut(BaseModel):
    results: list[HashResult] = Field(description="one per submitted hash, in the same order")


class MediaMatch(HashMatch):
    transform: str | None = Field(description="for pdq: the rotation or mirror of the image that matched")


Classification = Literal["csam", "harmful-abusive", "no-known-match"]


class MediaOut(BaseModel):
    sha1: str
    sha256: str
    size: int = Field(ge=0)
    classification: Classification
    match_type: Literal["exact", "near"] | None
    matches: list[MediaMatch]


class UrlIn(BaseModel):
    url: str = Field(min_length=1, max_length=2048, description="an http or https URL of an image")


class UrlOut(MediaOut):
    url: str
    final_url: str = Field(description="after redirects")


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``model``'s JSON schema with its ``$defs`` inlined, for an ``openapi_extra`` request body."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(definitions[node["$ref"].rsplit("/", 1)[-1]])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved
