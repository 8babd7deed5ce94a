"""Lists and pictures for the matching tests (benign generated pictures only)."""

from __future__ import annotations

from sentinelle.audit.services import Actor
from sentinelle.banks.services import import_list
from sentinelle.hashing import digests, reference_pdq_of
from sentinelle.lists import HashList, ListEntry
from support.pictures import draw_picture, encode, flip_bits

BOB = Actor.user("bob")


def picture(seed: int) -> bytes:
    return encode(draw_picture(seed), quality=85)


def pdq_of(data: bytes) -> str:
    return reference_pdq_of(data).hash


def store(name: str, entries: list[ListEntry], *, verified: bool = True, category: str | None = "csam",
          threshold: int | None = None) -> None:
    import_list(HashList(name, entries, category=category, verified=verified, threshold=threshold), actor=BOB)


def standard_lists() -> dict[str, bytes]:
    """A verified csam list (a PDQ and an md5), a verified harmful-abusive list, an unverified
    list: returns the pictures by role."""
    near, exact, other, hidden = picture(1), picture(2), picture(3), picture(4)
    store("verified-csam", [ListEntry("pdq", flip_bits(pdq_of(near), 6)),
                            ListEntry("md5", digests(exact).md5, id="e-1")])
    store("verified-ha", [ListEntry("sha256", digests(other).sha256)], category="harmful-abusive")
    store("unverified", [ListEntry("pdq", pdq_of(hidden)), ListEntry("pdq", pdq_of(near))], verified=False)
    return {"near": near, "exact": exact, "other": other, "hidden": hidden, "none": picture(5)}


def match_token(*scopes: str) -> dict[str, str]:
    """The Authorization header of a new partner's token (scope ``match`` by default)."""
    from sentinelle.partners.services import create_partner, issue_token

    owner = create_partner(f"platform-{len(scopes)}-{'-'.join(scopes)}", actor=BOB)
    issued = issue_token(owner, scopes or ("match",), actor=BOB)
    return {"HTTP_AUTHORIZATION": f"Bearer {issued.token}"}
