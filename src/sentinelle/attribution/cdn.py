"""CDNs and reverse proxies, recognised by the network an address belongs to.

Content behind a CDN is served from the CDN's edge addresses: the abuse contact of that
network is the CDN's, and the host that really holds the content (the origin) is hidden.
The notice then goes to the CDN's abuse desk; the origin is recorded when the CDN reveals it.

Two sources, the directory first:

* providers of kind ``cdn`` in the provider directory (their networks and AS numbers), which
  may carry an origin-lookup URL template (docs/attribution.md);
* the built-in table below: AS numbers that only CDNs and reverse proxies announce. Shared
  AS numbers (Amazon 16509/14618 also carries EC2, Google 15169 its cloud, Microsoft 8075
  Azure) are listed as ``shared``: they never make an address a CDN's by themselves; put the
  CDN's published ranges (e.g. CloudFront's in ip-ranges.json) in the directory instead.

No Django here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class KnownCdn:
    name: str
    asns: tuple[int, ...]
    shared: bool = False  #: the AS numbers carry other services too
    abuse_url: str = ""  #: the CDN's own abuse form, when it has one


KNOWN_CDNS: Final = (
    KnownCdn("Cloudflare", (13335, 209242), abuse_url="https://abuse.cloudflare.com/"),
    KnownCdn("Akamai", (20940, 16625, 12222)),
    KnownCdn("Fastly", (54113,)),
    KnownCdn("Imperva Incapsula", (19551,)),
    KnownCdn("Edgecast (Edgio)", (15133,)),
    KnownCdn("Limelight (Edgio)", (22822,)),
    KnownCdn("CDN77", (60068,)),
    KnownCdn("Bunny CDN", (200325,)),
    KnownCdn("DDoS-Guard", (57724,)),
    KnownCdn("Sucuri", (30148,)),
    KnownCdn("Amazon CloudFront", (16509, 14618), shared=True),
    KnownCdn("Google Cloud CDN", (15169, 396982), shared=True),
    KnownCdn("Microsoft Azure Front Door", (8075,), shared=True),
)

_BY_ASN: Final = {asn: cdn for cdn in KNOWN_CDNS for asn in cdn.asns}


def known_cdn(asn: int | None) -> KnownCdn | None:
    """The CDN that alone announces ``asn`` (shared AS numbers give ``None``)."""
    cdn = _BY_ASN.get(asn) if asn is not None else None
    return cdn if cdn is not None and not cdn.shared else None


def shared_cdn(asn: int | None) -> KnownCdn | None:
    """The CDN whose AS number ``asn`` is shared with other services, for a note."""
    cdn = _BY_ASN.get(asn) if asn is not None else None
    return cdn if cdn is not None and cdn.shared else None
