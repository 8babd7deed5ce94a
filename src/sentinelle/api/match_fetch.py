"""``/match/url``: the image is fetched the way rechecks and RDAP are, behind the crawler's egress guard.

Private, loopback, link-local... addresses are refused unless ``SENTINELLE_EGRESS_ALLOW`` names
them (tests and the sandbox only); redirects are checked hop by hop; the body is capped at
``SENTINELLE_API_MEDIA_MAX_BYTES``. Every refusal is a 4xx with a stable ``code``: the URL is
the partner's input, not our failure.
"""

from __future__ import annotations

from sentinelle.api.errors import ApiProblem
from sentinelle.api.match_service import media_limit
from sentinelle.crawl.egress import EgressGuard, EgressPolicy
from sentinelle.crawl.egress_exceptions import EgressBlocked
from sentinelle.crawl.fetch import (
    Fetched,
    Fetcher,
    FetchFailed,
    FetchLimits,
    ResponseTooLarge,
    TooManyRedirects,
)
from sentinelle.resolver import ResolutionError, Resolver, SystemResolver

USER_AGENT = "sentinelle-api (partner match by URL)"
TIMEOUT = 15.0


def fetch_image(url: str, resolver: Resolver | None = None) -> Fetched:
    """The image at ``url``, or an :class:`ApiProblem` saying why it was not fetched."""
    limit = media_limit()
    guard = EgressGuard(EgressPolicy.from_environment(), resolver or SystemResolver())
    fetcher = Fetcher(guard, limits=FetchLimits(max_bytes=limit, timeout=TIMEOUT), user_agent=USER_AGENT)
    try:
        fetched = fetcher.get(url)
    except EgressBlocked as exc:
        raise ApiProblem(422, "url-refused", f"sentinelle does not fetch this URL ({exc.reason}).",
                         {"reason": str(exc.reason)}) from None
    except ResolutionError as exc:
        raise ApiProblem(422, "url-unresolvable", f"The host has no address: {exc.host}.",
                         {"host": exc.host}) from None
    except ResponseTooLarge:
        raise ApiProblem(413, "media-too-large", f"The image is over the limit of {limit} bytes.",
                         {"limit_bytes": limit}) from None
    except TooManyRedirects:
        raise ApiProblem(422, "url-redirects", "The URL redirects too many times.") from None
    except FetchFailed as exc:
        raise ApiProblem(422, "url-unreachable", "The URL could not be fetched.", {"reason": str(exc)}) from None
    if fetched.status != 200:
        raise ApiProblem(422, "url-status", f"The URL answered {fetched.status}, not 200.",
                         {"status": fetched.status})
    return fetched
