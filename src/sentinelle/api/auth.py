"""Bearer-token auth with a scope: ``@router.post("/hashes", auth=scoped(Scope.MATCH))``.

After it, ``request.auth`` is a :class:`sentinelle.partners.callers.Caller`. A missing,
malformed, unknown, expired or revoked token answers 401; a token without the scope 403;
a token over its rate 429 with ``Retry-After``. Tokens come in ``Authorization: Bearer``
headers only (never cookies), so the API needs no CSRF token.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from sentinelle.api import ratelimit
from sentinelle.api.errors import ApiProblem
from sentinelle.partners.callers import Caller, authenticate
from sentinelle.partners.exceptions import AuthenticationFailed
from sentinelle.partners.scopes import Scope


class ScopedBearer(HttpBearer):
    """A partner token holding ``scope``."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        try:
            caller = authenticate(token)
        except AuthenticationFailed:
            raise ApiProblem(401, "unauthenticated", "A valid bearer token is required.") from None
        request.caller = caller  # recorded even when refused below
        if not caller.has(self.scope):
            raise ApiProblem(
                403, "missing-scope", f"This token lacks the {self.scope.value!r} scope.",
                {"required_scope": self.scope.value},
            )
        ratelimit.charge(caller.token_id, caller.rate_limit)
        return caller


def scoped(scope: Scope) -> ScopedBearer:
    return ScopedBearer(scope)


def caller_of(request: HttpRequest) -> Caller:
    """The caller of an operation guarded by :func:`scoped` (typed ``request.auth``)."""
    caller = getattr(request, "auth", None)
    if not isinstance(caller, Caller):
        raise ApiProblem(401, "unauthenticated", "A valid bearer token is required.")
    return caller
