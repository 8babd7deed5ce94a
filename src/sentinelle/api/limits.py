"""Request size caps: one for the whole API, and a larger or smaller one per operation.

The cap is checked against ``Content-Length`` before the body is read, and the body is read
here under that cap (so Django's site-wide ``DATA_UPLOAD_MAX_MEMORY_SIZE``, meant for the
pages, does not apply to the API). An operation sets its own cap with :func:`body_limit`::

    @router.post("/media", auth=scoped(Scope.MATCH))
    @body_limit(20 * 1024 * 1024)
    def match_media(request): ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sentinelle.config import integer

F = TypeVar("F", bound=Callable[..., object])

SETTING = "SENTINELLE_API_MAX_BODY_BYTES"

#: Caps by operation name (the view function's name, which ninja uses as the URL name).
_CAPS: dict[str, int] = {}


def body_limit(max_bytes: int) -> Callable[[F], F]:
    """Give the decorated operation its own body cap (apply below the router's decorator)."""

    def register(view: F) -> F:
        _CAPS[getattr(view, "__name__", "")] = max_bytes
        return view

    return register


def cap_for(url_name: str | None) -> int:
    """The body cap of the operation named ``url_name`` (the global one by default)."""
    if url_name and url_name in _CAPS:
        return _CAPS[url_name]
    return integer(SETTING, minimum=1024)
