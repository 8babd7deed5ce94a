"""The fleet's request serializer for scrapy-redis (``SCHEDULER_SERIALIZER``): JSON, never pickle.

``Request.to_dict`` holds bytes (the body, header names and values); JSON has no bytes, so a
bytes value is written as ``{"__bytes__": "<base64>"}``. A dict that is exactly one such key
is read back as bytes; anything JSON cannot represent (a Python object in ``meta``) is an
error at ``dumps``, so nothing unreadable reaches Redis.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Final

MARKER: Final = "__bytes__"


def _default(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {MARKER: base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"{type(value).__name__} cannot be stored in the fleet's queue")


def _hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and MARKER in obj and isinstance(obj[MARKER], str):
        try:
            return base64.b64decode(obj[MARKER], validate=True)
        except binascii.Error as error:
            raise ValueError(f"bad base64 in a fleet request: {error}") from None
    return obj


def dumps(obj: Any) -> str:
    # Header names are bytes dict keys: turn them into [name, values] pairs first.
    return json.dumps(_pairs(obj), default=_default, separators=(",", ":"), allow_nan=False)


def loads(text: str | bytes) -> Any:
    return _unpairs(json.loads(text, object_hook=_hook))


_HEADERS: Final = "__headers__"


def _pairs(obj: Any) -> Any:
    if isinstance(obj, dict):
        if obj and all(isinstance(key, bytes) for key in obj):
            return {_HEADERS: [[key, _pairs(value)] for key, value in obj.items()]}
        bad = [key for key in obj if not isinstance(key, str)]
        if bad:
            raise TypeError(f"key {bad[0]!r} cannot be stored in the fleet's queue")
        return {key: _pairs(value) for key, value in obj.items()}
    if isinstance(obj, list | tuple):
        return [_pairs(value) for value in obj]
    return obj


def _unpairs(obj: Any) -> Any:
    if isinstance(obj, dict):
        if len(obj) == 1 and _HEADERS in obj:
            return {bytes(key): _unpairs(value) for key, value in obj[_HEADERS]}
        return {key: _unpairs(value) for key, value in obj.items()}
    if isinstance(obj, list):
        return [_unpairs(value) for value in obj]
    return obj
