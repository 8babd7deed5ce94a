"""Bearer-token auth with a scope: ``@router.post("/hashes", auth=scoped(Scope.MATCH))``.

After it, ``request.auth`` is a :class:`sentinelle.partners.callers.Caller`. A missing,
malformed, unknown, expired or revoked token answers 401; a token without the scope 403;
a token over its rate 429 with ``Retry-After``. Tokens come in ``Authorization: Bearer``
headers only (never cookies), so the API needs no CSRF token.

A call costs one shared round trip once its token is cached in the process: the rate count,
which also returns the token generation; a generation other than the one the token was
cached under (a partner or token changed since) re-reads the token first
(:mod:`sentinelle.partners.caller_cache`, docs/api.md "Per-call cost").
"""

from __future__ import annotations

import time

from django.http import HttpRequest
from ninja.security import HttpBearer

from sentinelle.api import ratelimit
from sentinelle.api.errors import ApiProblem
from sentinelle.partners import caller_cache
from sentinelle.partners.callers import Caller
from sentinelle.partners.counters import counters
from sentinelle.partners.exceptions import AuthenticationFailed
from sentinelle.partners.scopes import Scope


class ScopedBearer(HttpBearer):
    """A partner token holding ``scope``."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        store, moment = counters(), time.time()
        try:
            entry = caller_cache.cached(token) or caller_cache.load(token, store)
            hit = ratelimit.count(entry.caller.token_id, store, moment)
            if entry.generation is not None and hit.generation != entry.generation:
                entry = caller_cache.load(token, store)  # changed since it was cached
            caller = entry.caller
            caller.check_current()
        except AuthenticationFailed:
            raise ApiProblem(401, "unauthenticated", "A valid bearer token is required.") from None
        request.caller = caller  # recorded even when refused below
        if not caller.has(self.scope):
            raise ApiProblem(
                403, "missing-scope", f"This token lacks the {self.scope.value!r} scope.",
                {"required_scope": self.scope.value},
            )
        ratelimit.enforce(hit.used, caller.rate_limit, moment)
        return caller


def scoped(scope: Scope) -> ScopedBearer:
    return ScopedBearer(scope)


def caller_of(request: HttpRequest) -> Caller:
    """The caller of an operation guarded by :func:`scoped` (typed ``request.auth``)."""
    caller = getattr(request, "auth", None)
    if not isinstance(caller, Caller):
        raise ApiProblem(401, "unauthenticated", "A valid bearer token is required.")
    return caller
